//! Executes a plan: pause first, then the members in parallel joined to its namespaces, then
//! one check that everything runs. Any failure rolls back exactly what this call created.

use super::inventory;
use crate::error::{Error, Result};
use crate::manifest::{Pod, RestartPolicy as PodRestartPolicy};
use crate::plan::{MemberSpec, MountSource, PauseSpec, Plan, POD_IP_MARK};
use crate::ui::{ContainerState, Event, Ui};
use bollard::models::{
    ContainerCreateBody, HostConfig, Mount, PortBinding, RestartPolicy, RestartPolicyNameEnum,
};
use bollard::query_parameters::{CreateContainerOptionsBuilder, RemoveContainerOptionsBuilder};
use bollard::Docker;
use futures_util::future::{join_all, try_join_all};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// What `apply` created, by Docker name and ID.
#[derive(Debug, Clone)]
pub struct Applied {
    pub pause_id: String,
    pub member_ids: Vec<(String, String)>,
}

/// A container that goes with the pod without joining its namespaces: the supervisor. It is
/// created while the pause starts and started with the members, so it adds no step of its
/// own; on a failure it is removed first, as it could otherwise restart what is rolled back.
pub struct Companion {
    pub name: String,
    pub body: ContainerCreateBody,
}

/// Creates and starts the pod (and its companion). On failure everything created here is
/// removed again and the error says why (and why the cleanup failed, if it did).
pub async fn apply(
    docker: &Docker,
    plan: &Plan,
    pod: &Pod,
    ui: &Ui,
    companion: Option<&Companion>,
) -> Result<Applied> {
    // hostPath: checked (or created) on this host before anything exists in Docker.
    super::volumes::check_host_paths(plan)?;
    build(docker, plan, pod, ui, companion).await
}

/// `apply` without the checks made on podc's own host (hostPath types): for the supervisor's
/// rebuild, which runs in a container that cannot see the host's paths (`up` checked them).
pub async fn reapply(docker: &Docker, plan: &Plan, pod: &Pod, ui: &Ui) -> Result<Applied> {
    build(docker, plan, pod, ui, None).await
}

async fn build(
    docker: &Docker,
    plan: &Plan,
    pod: &Pod,
    ui: &Ui,
    companion: Option<&Companion>,
) -> Result<Applied> {
    // runAsNonRoot: refused before anything is created.
    check_non_root(docker, plan).await?;
    let fresh = super::volumes::ensure(docker, plan).await?;
    let created = Mutex::new(Vec::new());
    let companion_id = Mutex::new(None);
    let lost_race = AtomicBool::new(false);
    let steps = Steps {
        created: &created,
        companion,
        companion_id: &companion_id,
        lost_race: &lost_race,
    };
    match create_and_start(docker, plan, pod, ui, &steps, &fresh).await {
        Ok(applied) => Ok(applied),
        // Another podc created this pod's pause first: the pod, its volumes included, is
        // theirs. Nothing of it is touched (this `up` created no container).
        Err(_) if lost_race.load(Ordering::SeqCst) => Err(Error::Runtime(format!(
            "pod {pod} is being created by another podc: its pause container {pause} appeared while this `podc up` was starting it; nothing was changed\n  hint: run `podc up` again once the other one finished: it reports the pod running and unchanged",
            pod = plan.pod,
            pause = plan.pause.docker_name
        ))),
        Err(cause) => {
            let ids = created.into_inner().unwrap_or_else(|e| e.into_inner());
            let companion_id = companion_id.into_inner().unwrap_or_else(|e| e.into_inner());
            let (mut removed, mut cleanup) = match companion_id {
                Some(id) => rollback_supervised(docker, &plan.pod, &id, &ids).await,
                None => rollback(docker, &ids).await,
            };
            let (volumes, volume_errors) = super::volumes::remove_created(docker, &fresh).await;
            removed.extend(volumes);
            cleanup.extend(volume_errors);
            Err(Error::RolledBack {
                cause: Box::new(cause),
                removed,
                cleanup,
            })
        }
    }
}

/// What one `build` records as it goes, for its rollback.
struct Steps<'a> {
    created: &'a Mutex<Vec<(String, String)>>,
    companion: Option<&'a Companion>,
    companion_id: &'a Mutex<Option<String>>,
    lost_race: &'a AtomicBool,
}

async fn create_and_start(
    docker: &Docker,
    plan: &Plan,
    pod: &Pod,
    ui: &Ui,
    steps: &Steps<'_>,
    fresh_volumes: &[String],
) -> Result<Applied> {
    let started = Instant::now();
    let created = steps.created;
    let pause = &plan.pause;
    let pause_id = create(
        docker,
        &plan.pod,
        &pause.docker_name,
        pause_body(pause),
        ui,
        created,
    )
    .await
    .inspect_err(|e| {
        if matches!(e, Error::Docker { message, .. } if message.contains("is already in use")) {
            steps.lost_race.store(true, Ordering::SeqCst);
        }
    })?;
    let member_ids = if plan.members_need_no_running_pause() {
        // Docker checks `container:<pause>` only at start: everything is created while the
        // pause starts, and the companion starts once the members exist (it waits for the
        // pause's start event).
        let assemble = async {
            let (companion, ids) = tokio::join!(
                create_companion(docker, steps),
                create_members(docker, plan, ui, &pause_id, created)
            );
            companion?;
            let ids = ids?;
            start_companion(docker, steps).await?;
            Ok::<_, Error>(ids)
        };
        let (pause_started, ids) = tokio::join!(
            start(
                docker,
                &plan.pod,
                &pause.docker_name,
                &pause_id,
                ui,
                started
            ),
            assemble
        );
        pause_started?;
        start_members(docker, plan, pod, ui, &pause_id, ids?, started).await?
    } else {
        // The pause is ours now, so the companion can be too: created while the pause starts.
        let (pause_started, companion_created) = tokio::join!(
            start(
                docker,
                &plan.pod,
                &pause.docker_name,
                &pause_id,
                ui,
                started
            ),
            create_companion(docker, steps)
        );
        pause_started?;
        companion_created?;
        // After the pause: it holds the memory-backed volumes the files go to.
        super::volumes::prepare(docker, plan, fresh_volumes).await?;
        // status.podIP, subPath mountpoints, runAsGroup's image user: known now.
        let resolved = resolve_plan(docker, plan, &pause_id).await?;
        let plan = &resolved;
        super::init::run(docker, plan, pod, &pause_id, ui, created).await?;
        // Every member exists before any starts: the companion, started alongside, finds them.
        let ids = create_members(docker, plan, ui, &pause_id, created).await?;
        let (member_ids, companion_started) = tokio::join!(
            start_members(docker, plan, pod, ui, &pause_id, ids, started),
            start_companion(docker, steps)
        );
        companion_started?;
        member_ids?
    };

    confirm_running(docker, plan, pod.spec.restart_policy, ui, started).await?;
    Ok(Applied {
        pause_id,
        member_ids,
    })
}

async fn create_members(
    docker: &Docker,
    plan: &Plan,
    ui: &Ui,
    pause_id: &str,
    created: &Mutex<Vec<(String, String)>>,
) -> Result<Vec<String>> {
    try_join_all(plan.members.iter().map(|m| {
        let body = member_body(m, pause_id);
        create(docker, &plan.pod, &m.docker_name, body, ui, created)
    }))
    .await
}

/// Starts the created members in parallel, each followed by its postStart hook.
async fn start_members(
    docker: &Docker,
    plan: &Plan,
    pod: &Pod,
    ui: &Ui,
    pause_id: &str,
    ids: Vec<String>,
    since: Instant,
) -> Result<Vec<(String, String)>> {
    try_join_all(plan.members.iter().zip(ids).map(|(m, id)| async {
        start(docker, &plan.pod, &m.docker_name, &id, ui, since).await?;
        post_start(docker, plan, pod, m, &id, pause_id).await?;
        Ok::<_, Error>((m.docker_name.clone(), id))
    }))
    .await
}

async fn create_companion(docker: &Docker, steps: &Steps<'_>) -> Result<()> {
    let Some(companion) = steps.companion else {
        return Ok(());
    };
    let options = CreateContainerOptionsBuilder::default()
        .name(&companion.name)
        .build();
    let response = docker
        .create_container(Some(options), companion.body.clone())
        .await
        .map_err(|e| Error::docker("create container", &companion.name, e))?;
    *steps.companion_id.lock().unwrap_or_else(|e| e.into_inner()) = Some(response.id);
    Ok(())
}

async fn start_companion(docker: &Docker, steps: &Steps<'_>) -> Result<()> {
    let (Some(companion), Some(id)) = (
        steps.companion,
        steps
            .companion_id
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone(),
    ) else {
        return Ok(());
    };
    docker
        .start_container(&id, None)
        .await
        .map_err(|e| Error::docker("start container", &companion.name, e))
}

async fn create(
    docker: &Docker,
    pod: &str,
    name: &str,
    body: ContainerCreateBody,
    ui: &Ui,
    created: &Mutex<Vec<(String, String)>>,
) -> Result<String> {
    ui.event(container_event(pod, name, ContainerState::Creating, None));
    let options = CreateContainerOptionsBuilder::default().name(name).build();
    let response = docker
        .create_container(Some(options), body)
        .await
        .map_err(|e| Error::docker("create container", name, e))?;
    created
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push((name.to_string(), response.id.clone()));
    Ok(response.id)
}

async fn start(
    docker: &Docker,
    pod: &str,
    name: &str,
    id: &str,
    ui: &Ui,
    since: Instant,
) -> Result<()> {
    ui.event(container_event(pod, name, ContainerState::Starting, None));
    docker
        .start_container(id, None)
        .await
        .map_err(|e| Error::docker("start container", name, e))?;
    let mut event = container_event(pod, name, ContainerState::Running, None);
    if let Event::Container { elapsed, .. } = &mut event {
        *elapsed = since.elapsed();
    }
    ui.event(event);
    Ok(())
}

/// Creates and starts one member alone (joined to the running pause), then its postStart hook:
/// what `up` does for a member that is new or changed in a running pod.
pub async fn start_member(
    docker: &Docker,
    plan: &Plan,
    pod: &Pod,
    member: &MemberSpec,
    pause_id: &str,
    ui: &Ui,
) -> Result<String> {
    let started = Instant::now();
    let created = Mutex::new(Vec::new());
    // A new or changed member may mount a subPath that does not exist yet.
    super::volumes::check_host_paths(plan)?;
    super::volumes::prepare(docker, plan, &[]).await?;
    let member = &resolve_member(docker, member, pause_id).await?;
    let id = create(
        docker,
        &plan.pod,
        &member.docker_name,
        member_body(member, pause_id),
        ui,
        &created,
    )
    .await?;
    start(docker, &plan.pod, &member.docker_name, &id, ui, started).await?;
    post_start(docker, plan, pod, member, &id, pause_id).await?;
    Ok(id)
}

/// The member's `lifecycle.postStart` hook, if it has one; Kubernetes counts a failed hook as a
/// failed start.
pub async fn post_start(
    docker: &Docker,
    plan: &Plan,
    pod: &Pod,
    member: &MemberSpec,
    id: &str,
    pause_id: &str,
) -> Result<()> {
    let container = pod.spec.container(&member.name);
    let Some((container, handler)) =
        container.and_then(|c| Some((c, c.lifecycle.as_ref()?.post_start.as_ref()?)))
    else {
        return Ok(());
    };
    super::hooks::run(
        docker,
        super::hooks::Hook::PostStart,
        handler,
        container,
        id,
        pause_id,
        plan.grace,
    )
    .await
    .map_err(|why| {
        Error::Runtime(format!(
            "container {} of pod {}: {why}",
            member.name, plan.pod
        ))
    })
}

/// One list call for the whole pod: a member that died right after starting is reported with
/// its exit code and last log lines. It is not a failure of `up`: the pod exists as asked and
/// its supervisor restarts the member or, under `restartPolicy: Never`, reports the pod Failed,
/// as Kubernetes keeps a failed pod (`up --wait` is the strict mode).
async fn confirm_running(
    docker: &Docker,
    plan: &Plan,
    policy: PodRestartPolicy,
    ui: &Ui,
    since: Instant,
) -> Result<()> {
    let pods = inventory::list(docker, Some(&plan.pod)).await?;
    let Some(pod) = pods.into_iter().next() else {
        return Err(Error::Runtime(format!(
            "pod {}: its containers disappeared while starting (removed by someone else?)",
            plan.pod
        )));
    };
    let apps = pod
        .containers
        .iter()
        .filter(|c| c.role != crate::labels::ROLE_INIT);
    for c in apps.filter(|c| c.state != "running") {
        let tail = super::logs::tail(docker, &c.docker_name, 10).await;
        let code = c.exit_code.unwrap_or(-1);
        let next = match policy.restarts(code, false) {
            true => "podc restarts it with backoff",
            false if code == 0 => "it completed (restartPolicy does not restart it)",
            false => "restartPolicy does not restart it: the pod has Failed",
        };
        ui.warn(&format!(
            "container {} of pod {} exited with code {code} right after starting ({:.2}s); {next}; its last output:\n{}",
            c.name,
            plan.pod,
            since.elapsed().as_secs_f64(),
            super::logs::indented(&tail)
        ));
    }
    Ok(())
}

/// The rollback of a pod whose supervisor was created: the supervisor goes first (it may have
/// started and restarted a member meanwhile), then what this `up` created, then anything else
/// carrying the pod's label (such a restarted member). The pod is this `up`'s: it created the
/// pause, so no other podc owns what carries the label.
async fn rollback_supervised(
    docker: &Docker,
    pod: &str,
    supervisor_id: &str,
    created: &[(String, String)],
) -> (Vec<String>, Vec<Error>) {
    let name = crate::labels::supervisor_name(pod);
    let supervisor = [(name, supervisor_id.to_string())];
    let (mut removed, mut failed) = rollback(docker, &supervisor).await;
    let (more, more_failed) = rollback(docker, created).await;
    removed.extend(more);
    failed.extend(more_failed);
    let left: Vec<(String, String)> = match inventory::list(docker, Some(pod)).await {
        Ok(pods) => pods
            .iter()
            .flat_map(|p| p.all_containers())
            .filter(|c| c.pod_label.as_deref() == Some(pod))
            .map(|c| (c.docker_name.clone(), c.id.clone()))
            .collect(),
        Err(e) => {
            failed.push(e);
            Vec::new()
        }
    };
    let (more, more_failed) = rollback(docker, &left).await;
    removed.extend(more);
    failed.extend(more_failed);
    (removed, failed)
}

/// Force-removes (kills) what this `up` created; returns what went and what failed.
async fn rollback(docker: &Docker, created: &[(String, String)]) -> (Vec<String>, Vec<Error>) {
    let options = RemoveContainerOptionsBuilder::default().force(true).build();
    let results = join_all(created.iter().rev().map(|(name, id)| {
        let options = options.clone();
        async move {
            match docker.remove_container(id, Some(options)).await {
                Ok(()) => Ok(name.clone()),
                Err(e) if super::is_not_found(&e) => Ok(name.clone()),
                Err(e) => Err(Error::docker("remove container", name, e)),
            }
        }
    }))
    .await;
    let mut removed = Vec::new();
    let mut failed = Vec::new();
    for result in results {
        match result {
            Ok(name) => removed.push(name),
            Err(e) => failed.push(e),
        }
    }
    (removed, failed)
}

fn no_restart() -> Option<RestartPolicy> {
    // podc owns restarts: Docker's own policy would restart members onto a dead namespace.
    Some(RestartPolicy {
        name: Some(RestartPolicyNameEnum::NO),
        maximum_retry_count: None,
    })
}

/// The pause holds the hostname, every published port, /etc/hosts and /etc/resolv.conf
/// entries, the sysctls and the host namespaces; members joined to it can set none of these.
pub fn pause_body(pause: &PauseSpec) -> ContainerCreateBody {
    let mut bindings: HashMap<String, Option<Vec<PortBinding>>> = HashMap::new();
    for p in &pause.ports {
        let key = format!("{}/{}", p.container_port, p.protocol);
        bindings
            .entry(key)
            .or_insert_with(|| Some(Vec::new()))
            .get_or_insert_with(Vec::new)
            .push(PortBinding {
                host_ip: p.host_ip.clone(),
                host_port: Some(p.host_port.to_string()),
            });
    }
    let mut exposed: Vec<String> = bindings.keys().cloned().collect();
    exposed.sort();
    let some = |v: &Vec<String>| (!v.is_empty()).then(|| v.clone());
    let mounts: Vec<Mount> = pause
        .mounts
        .iter()
        .map(super::volumes::docker_mount)
        .collect();
    ContainerCreateBody {
        image: Some(pause.image.clone()),
        // Under hostNetwork the pod has the host's name, as in Kubernetes.
        hostname: (!pause.host_network).then(|| pause.hostname.clone()),
        labels: Some(pause.labels.clone().into_iter().collect()),
        exposed_ports: (!exposed.is_empty()).then_some(exposed),
        host_config: Some(HostConfig {
            network_mode: pause.host_network.then(|| "host".to_string()),
            pid_mode: pause.host_pid.then(|| "host".to_string()),
            // Members can only join the IPC namespace of a shareable donor; under hostIPC they
            // use the host's directly.
            ipc_mode: Some(if pause.host_ipc { "host" } else { "shareable" }.into()),
            port_bindings: (!bindings.is_empty()).then_some(bindings),
            extra_hosts: some(&pause.extra_hosts),
            dns: some(&pause.dns),
            dns_search: some(&pause.dns_search),
            dns_options: some(&pause.dns_options),
            sysctls: (!pause.sysctls.is_empty())
                .then(|| pause.sysctls.clone().into_iter().collect()),
            mounts: (!mounts.is_empty()).then_some(mounts),
            restart_policy: no_restart(),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// A member joins the pause's network, IPC and (by default) PID namespaces by ID, never by
/// name: a name would follow a recreated pause, an ID fails loudly. `member` should have been
/// through `resolve` (pod IP, subPath mountpoints); an unresolved `status.podIP` is empty.
pub fn member_body(member: &MemberSpec, pause_id: &str) -> ContainerCreateBody {
    let join = format!("container:{pause_id}");
    let env = member.env_strings("");
    let r = &member.resources;
    let sec = &member.security;
    let pid_mode = match (member.share_pid, member.host_pid) {
        (true, _) => Some(join.clone()),
        (false, true) => Some("host".to_string()),
        (false, false) => None,
    };
    let mounts: Vec<Mount> = member
        .mounts
        .iter()
        .map(super::volumes::docker_mount)
        .collect();
    let caps = |v: &Vec<String>| (!v.is_empty()).then(|| v.clone());
    ContainerCreateBody {
        image: Some(member.image.clone()),
        entrypoint: member.entrypoint.clone(),
        cmd: member.cmd.clone(),
        env: (!env.is_empty()).then_some(env),
        working_dir: member.working_dir.clone(),
        user: sec.user.clone(),
        open_stdin: member.stdin.then_some(true),
        attach_stdin: member.stdin.then_some(false),
        tty: member.tty.then_some(true),
        labels: Some(member.labels.clone().into_iter().collect()),
        host_config: Some(HostConfig {
            network_mode: Some(join.clone()),
            ipc_mode: Some(if member.host_ipc {
                "host".to_string()
            } else {
                join
            }),
            pid_mode,
            nano_cpus: r.nano_cpus,
            cpu_shares: r.cpu_shares,
            memory: r.memory,
            // The same as Memory: the limit is not stretched by swap.
            memory_swap: r.memory,
            memory_reservation: r.memory_reservation,
            readonly_rootfs: sec.read_only_root_filesystem.then_some(true),
            privileged: sec.privileged.then_some(true),
            security_opt: sec
                .no_new_privileges
                .then(|| vec!["no-new-privileges".to_string()]),
            cap_add: caps(&sec.cap_add),
            cap_drop: caps(&sec.cap_drop),
            mounts: (!mounts.is_empty()).then_some(mounts),
            restart_policy: no_restart(),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn container_event(pod: &str, name: &str, state: ContainerState, detail: Option<String>) -> Event {
    Event::Container {
        pod: pod.to_string(),
        container: name.to_string(),
        state,
        elapsed: std::time::Duration::ZERO,
        detail,
    }
}

/// The restart history a recreated member carries in its labels.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RestartInfo {
    pub restart_count: u32,
    pub last_exit_code: Option<i64>,
    pub last_reason: Option<String>,
}

/// Restarts a member the kubelet way: a new container replaces the old one (fresh filesystem),
/// joined to the current pause by ID, carrying its restart count and last exit in labels.
pub async fn recreate_member(
    docker: &Docker,
    member: &MemberSpec,
    pause_id: &str,
    old_id: Option<&str>,
    restart: &RestartInfo,
) -> Result<String> {
    if let Some(old) = old_id {
        let pod = member.labels.get(crate::labels::POD).map(String::as_str);
        // Refuses a container of another pod (or none of podc's); one already gone is fine.
        super::guard::container(docker, old, pod).await?;
        let options = RemoveContainerOptionsBuilder::default().force(true).build();
        match docker.remove_container(old, Some(options)).await {
            Ok(()) => {}
            Err(e) if super::is_not_found(&e) => {}
            Err(e) => return Err(Error::docker("remove container", &member.docker_name, e)),
        }
    }
    let member = &resolve_member(docker, member, pause_id).await?;
    let mut body = member_body(member, pause_id);
    if let Some(labels) = body.labels.as_mut() {
        labels.insert(
            crate::labels::RESTART_COUNT.into(),
            restart.restart_count.to_string(),
        );
        if let Some(code) = restart.last_exit_code {
            labels.insert(crate::labels::LAST_EXIT_CODE.into(), code.to_string());
        }
        if let Some(reason) = &restart.last_reason {
            labels.insert(crate::labels::LAST_REASON.into(), reason.clone());
        }
    }
    let options = CreateContainerOptionsBuilder::default()
        .name(&member.docker_name)
        .build();
    let created = docker
        .create_container(Some(options), body)
        .await
        .map_err(|e| Error::docker("create container", &member.docker_name, e))?;
    docker
        .start_container(&created.id, None)
        .await
        .map_err(|e| Error::docker("start container", &member.docker_name, e))?;
    Ok(created.id)
}

// ---------------------------------------------------------------------------------------------
// What only Docker knows: checked before anything is created, or filled in once the pause runs

/// Refuses a container whose effective user is root (or cannot be told) under runAsNonRoot, the
/// kubelet's way, before anything is created: the image's USER decides when runAsUser is unset.
async fn check_non_root(docker: &Docker, plan: &Plan) -> Result<()> {
    let strict: Vec<&MemberSpec> = plan
        .init
        .iter()
        .chain(&plan.members)
        .filter(|m| m.security.run_as_non_root)
        .collect();
    let users = image_users(docker, strict.iter().map(|m| m.image.as_str())).await?;
    let problems: Vec<String> = strict
        .iter()
        .filter_map(|m| {
            let image_user = users.get(&m.image).map(String::as_str).unwrap_or("");
            let why = m.security.non_root_violation(image_user)?;
            Some(format!("container {} (image {}): {why}", m.name, m.image))
        })
        .collect();
    if problems.is_empty() {
        return Ok(());
    }
    Err(Error::Runtime(format!(
        "pod {} cannot start: {}\n  hint: set securityContext.runAsUser to a non-zero UID, or use an image whose USER is a non-root UID",
        plan.pod,
        problems.join("; ")
    )))
}

/// Each image's Config.User (empty: root).
async fn image_users<'a>(
    docker: &Docker,
    images: impl Iterator<Item = &'a str>,
) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for image in images {
        if out.contains_key(image) {
            continue;
        }
        let inspected = docker
            .inspect_image(image)
            .await
            .map_err(|e| Error::docker("inspect image", image, e))?;
        let user = inspected.config.and_then(|c| c.user).unwrap_or_default();
        out.insert(image.to_string(), user);
    }
    Ok(out)
}

/// What the plan could not know, gathered from Docker once the pause runs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuntimeFacts {
    /// The pause's address (`status.podIP`); 127.0.0.1 under hostNetwork.
    pub pod_ip: String,
    /// Docker volume -> its mountpoint on the daemon's host (subPath binds).
    pub mountpoints: BTreeMap<String, String>,
    /// Image -> its Config.User (runAsGroup without runAsUser).
    pub image_users: BTreeMap<String, String>,
}

/// `member` with `status.podIP` filled in, subPaths of Docker volumes turned into binds of the
/// volume's mountpoint (Docker API 1.41 has no volume subpath), and a group-only user completed
/// with the image's user. Pure. Its labels (and config hash) stay the plan's.
pub fn resolve(member: &MemberSpec, facts: &RuntimeFacts) -> MemberSpec {
    let mut out = member.clone();
    for e in &mut out.env {
        e.value = e.value.with_pod_ip(&facts.pod_ip);
    }
    for arg in out.entrypoint.iter_mut().chain(&mut out.cmd).flatten() {
        *arg = arg.replace(POD_IP_MARK, &facts.pod_ip);
    }
    for m in &mut out.mounts {
        if let MountSource::Volume {
            docker_name,
            sub_path: Some(sub),
        } = &m.source
        {
            if let Some(point) = facts.mountpoints.get(docker_name) {
                m.source = MountSource::Host {
                    path: point.clone(),
                    sub_path: Some(sub.clone()),
                };
            }
        }
    }
    if out.security.user.is_none() {
        let image_user = facts.image_users.get(&out.image).map(String::as_str);
        out.security.user = out.security.docker_user(image_user.unwrap_or(""));
    }
    out
}

/// Gathers the facts `members` need (nothing is asked that none of them needs).
pub async fn runtime_facts(
    docker: &Docker,
    members: &[&MemberSpec],
    pause_id: &str,
) -> Result<RuntimeFacts> {
    let mut facts = RuntimeFacts::default();
    if members.iter().any(|m| m.needs_pod_ip()) {
        facts.pod_ip = pod_ip(docker, pause_id).await?;
    }
    let sub_volumes: std::collections::BTreeSet<String> = members
        .iter()
        .flat_map(|m| &m.mounts)
        .filter(|m| m.source.sub_path().is_some())
        .filter_map(|m| m.source.docker_volume().map(str::to_string))
        .collect();
    facts.mountpoints = super::volumes::mountpoints(docker, sub_volumes).await?;
    let group_only = members
        .iter()
        .filter(|m| m.security.user.is_none() && m.security.run_as_group.is_some())
        .map(|m| m.image.as_str());
    facts.image_users = image_users(docker, group_only).await?;
    Ok(facts)
}

/// The pause's IP address; 127.0.0.1 when it has none of its own (hostNetwork).
pub async fn pod_ip(docker: &Docker, pause_id: &str) -> Result<String> {
    let inspected = docker
        .inspect_container(pause_id, None)
        .await
        .map_err(|e| Error::docker("inspect container", pause_id, e))?;
    let ip = inspected
        .network_settings
        .and_then(|s| s.networks)
        .unwrap_or_default()
        .into_values()
        .filter_map(|n| n.ip_address)
        .find(|ip| !ip.is_empty())
        .unwrap_or_else(|| "127.0.0.1".to_string());
    Ok(ip)
}

/// One member, resolved against the running pause.
pub async fn resolve_member(
    docker: &Docker,
    member: &MemberSpec,
    pause_id: &str,
) -> Result<MemberSpec> {
    let facts = runtime_facts(docker, &[member], pause_id).await?;
    Ok(resolve(member, &facts))
}

/// The plan with its init containers and members resolved against the running pause.
pub async fn resolve_plan(docker: &Docker, plan: &Plan, pause_id: &str) -> Result<Plan> {
    let all: Vec<&MemberSpec> = plan.init.iter().chain(&plan.members).collect();
    let facts = runtime_facts(docker, &all, pause_id).await?;
    let mut out = plan.clone();
    for m in out.init.iter_mut().chain(out.members.iter_mut()) {
        *m = resolve(m, &facts);
    }
    Ok(out)
}

#[cfg(test)]
mod body_tests {
    //! The Docker bodies built from a plan, by value (the daemon's side is in tests/).
    use super::*;
    use crate::manifest::{Container, Metadata, Pod, PodSpec};
    use crate::plan::{EnvValue, EnvVarSpec, MountSpec, ResourceSpec, SecuritySpec};

    fn pod() -> Pod {
        Pod {
            metadata: Metadata {
                name: "p".into(),
                ..Default::default()
            },
            spec: PodSpec {
                containers: vec![Container {
                    name: "app".into(),
                    image: "img".into(),
                    ..Default::default()
                }],
                ..Default::default()
            },
        }
    }

    fn plan_of(pod: &Pod) -> Plan {
        crate::plan::plan(pod, "pause", "f")
    }

    #[test]
    fn pause_body_carries_what_the_pause_owns() {
        let mut plan = plan_of(&pod());
        plan.pause.extra_hosts = vec!["db:10.0.0.1".into()];
        plan.pause.dns = vec!["1.1.1.1".into()];
        plan.pause.dns_search = vec!["ex.test".into()];
        plan.pause.dns_options = vec!["ndots:2".into()];
        plan.pause.sysctls = [("net.ipv4.ip_forward".to_string(), "1".to_string())].into();
        let body = pause_body(&plan.pause);
        assert_eq!(body.hostname.as_deref(), Some("p"));
        let hc = body.host_config.unwrap();
        assert_eq!(hc.ipc_mode.as_deref(), Some("shareable"));
        assert_eq!(hc.network_mode, None);
        assert_eq!(hc.extra_hosts.unwrap(), ["db:10.0.0.1"]);
        assert_eq!(hc.dns.unwrap(), ["1.1.1.1"]);
        assert_eq!(hc.dns_search.unwrap(), ["ex.test"]);
        assert_eq!(hc.dns_options.unwrap(), ["ndots:2"]);
        assert_eq!(hc.sysctls.unwrap()["net.ipv4.ip_forward"], "1");
    }

    #[test]
    fn host_namespaces_on_the_pause_and_the_member() {
        let mut pod = pod();
        pod.spec.host_network = Some(true);
        pod.spec.host_pid = Some(true);
        pod.spec.host_ipc = Some(true);
        let plan = plan_of(&pod);
        let body = pause_body(&plan.pause);
        assert_eq!(body.hostname, None, "the host's name under hostNetwork");
        let hc = body.host_config.unwrap();
        assert_eq!(hc.network_mode.as_deref(), Some("host"));
        assert_eq!(hc.pid_mode.as_deref(), Some("host"));
        assert_eq!(hc.ipc_mode.as_deref(), Some("host"));
        let member = member_body(&plan.members[0], "ID").host_config.unwrap();
        assert_eq!(member.network_mode.as_deref(), Some("container:ID"));
        assert_eq!(member.pid_mode.as_deref(), Some("container:ID"));
        assert_eq!(
            member.ipc_mode.as_deref(),
            Some("host"),
            "a host-IPC pause is not a shareable donor"
        );

        pod.spec.share_process_namespace = Some(false);
        let plan = plan_of(&pod);
        let member = member_body(&plan.members[0], "ID").host_config.unwrap();
        assert_eq!(member.pid_mode.as_deref(), Some("host"));
    }

    #[test]
    fn member_body_maps_resources_security_and_terminal() {
        let mut m = plan_of(&pod()).members[0].clone();
        m.resources = ResourceSpec {
            nano_cpus: Some(500_000_000),
            cpu_shares: Some(256),
            memory: Some(64 << 20),
            memory_reservation: Some(32 << 20),
        };
        m.security = SecuritySpec {
            user: Some("1000:3000".into()),
            read_only_root_filesystem: true,
            privileged: true,
            no_new_privileges: true,
            cap_add: vec!["NET_ADMIN".into()],
            cap_drop: vec!["ALL".into()],
            ..Default::default()
        };
        m.stdin = true;
        m.tty = true;
        let body = member_body(&m, "ID");
        assert_eq!(body.user.as_deref(), Some("1000:3000"));
        assert_eq!(body.open_stdin, Some(true));
        assert_eq!(body.attach_stdin, Some(false));
        assert_eq!(body.tty, Some(true));
        let hc = body.host_config.unwrap();
        assert_eq!(hc.nano_cpus, Some(500_000_000));
        assert_eq!(hc.cpu_shares, Some(256));
        assert_eq!(hc.memory, Some(64 << 20));
        assert_eq!(hc.memory_swap, Some(64 << 20), "no swap beyond the limit");
        assert_eq!(hc.memory_reservation, Some(32 << 20));
        assert_eq!(hc.readonly_rootfs, Some(true));
        assert_eq!(hc.privileged, Some(true));
        assert_eq!(hc.security_opt.unwrap(), ["no-new-privileges"]);
        assert_eq!(hc.cap_add.unwrap(), ["NET_ADMIN"]);
        assert_eq!(hc.cap_drop.unwrap(), ["ALL"]);

        let plain = member_body(&plan_of(&pod()).members[0], "ID");
        assert_eq!(plain.user, None);
        assert_eq!(plain.tty, None);
        let hc = plain.host_config.unwrap();
        assert_eq!(
            (hc.memory, hc.memory_swap, hc.cpu_shares),
            (None, None, None)
        );
    }

    #[test]
    fn resolve_fills_the_pod_ip_sub_paths_and_a_group_only_user() {
        let mut m = plan_of(&pod()).members[0].clone();
        m.env = vec![EnvVarSpec {
            name: "IP".into(),
            value: EnvValue::Literal(format!("http://{POD_IP_MARK}:80")),
        }];
        m.mounts = vec![
            MountSpec {
                target: "/sub".into(),
                source: MountSource::Volume {
                    docker_name: "p_data".into(),
                    sub_path: Some("a/b".into()),
                },
                read_only: true,
            },
            MountSpec {
                target: "/whole".into(),
                source: MountSource::Volume {
                    docker_name: "p_data".into(),
                    sub_path: None,
                },
                read_only: false,
            },
        ];
        m.security.run_as_group = Some(50);
        m.cmd = Some(vec![format!("--advertise={POD_IP_MARK}")]);
        assert!(m.needs_pod_ip());
        let facts = RuntimeFacts {
            pod_ip: "172.17.0.9".into(),
            mountpoints: [(
                "p_data".to_string(),
                "/var/lib/docker/volumes/p_data/_data".to_string(),
            )]
            .into(),
            image_users: [("img".to_string(), "nobody".to_string())].into(),
        };
        let r = resolve(&m, &facts);
        assert_eq!(r.env_strings(""), ["IP=http://172.17.0.9:80"]);
        assert_eq!(r.cmd.as_deref().unwrap(), ["--advertise=172.17.0.9"]);
        assert_eq!(r.security.user.as_deref(), Some("nobody:50"));
        assert_eq!(r.labels, m.labels, "the plan's hash stays");
        let mounts = member_body(&r, "ID").host_config.unwrap().mounts.unwrap();
        assert_eq!(mounts[0].typ, Some(bollard::models::MountType::BIND));
        assert_eq!(
            mounts[0].source.as_deref(),
            Some("/var/lib/docker/volumes/p_data/_data/a/b")
        );
        assert_eq!(mounts[0].read_only, Some(true));
        assert_eq!(mounts[1].typ, Some(bollard::models::MountType::VOLUME));
        assert_eq!(mounts[1].source.as_deref(), Some("p_data"));
        assert_eq!(
            mounts[1].volume_options.as_ref().and_then(|o| o.no_copy),
            Some(true),
            "the image's files are never copied into a volume"
        );
    }
}
