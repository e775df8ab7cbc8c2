//! Executes a plan: pause first, then the members in parallel joined to its namespaces, then
//! one check that everything runs. Any failure rolls back exactly what this call created.

mod rollback;

use super::body::{member_body, pause_body};
use super::facts::{check_non_root, resolve_member, resolve_plan};

use super::containers;
use super::inventory;
use super::probe::NetworkRoute;
use crate::error::{EngineErrorKind, Error, Result};
use crate::plan::{MemberSpec, Plan};
use crate::state::Role;
use crate::ui::{ContainerState, Event, Ui};
use bollard::models::ContainerCreateBody;
use bollard::Docker;
use futures_util::future::try_join_all;
use rollback::{rollback, rollback_supervised};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// The pod's spec record (`docker::supervisor`): created once every member exists, while they
/// start, so a record means a complete `up`. On a failure the supervisor lets the pod go
/// before anything is rolled back, as it could otherwise restart what is removed.
pub(crate) struct Record {
    pub name: String,
    pub body: ContainerCreateBody,
}

/// Creates and starts the pod (and its spec record). On failure everything created here is
/// removed again and the error says why (and why the cleanup failed, if it did).
pub(crate) async fn apply(
    docker: &Docker,
    plan: &Plan,
    ui: &Ui,
    record: Option<&Record>,
) -> Result<()> {
    // hostPath: checked (or created) on this host before anything exists in Docker.
    crate::host_paths::check_host_paths(plan)?;
    build(docker, plan, ui, record).await
}

/// `apply` without the checks made on podc's own host (hostPath types): for the supervisor's
/// rebuild, which runs in a container that cannot see the host's paths (`up` checked them).
pub(crate) async fn reapply(docker: &Docker, plan: &Plan, ui: &Ui) -> Result<()> {
    build(docker, plan, ui, None).await
}

async fn build(docker: &Docker, plan: &Plan, ui: &Ui, record: Option<&Record>) -> Result<()> {
    // runAsNonRoot: refused before anything is created.
    check_non_root(docker, plan).await?;
    let fresh = super::volumes::ensure(docker, plan).await?;
    let created = Mutex::new(Vec::new());
    let record_id = Mutex::new(None);
    let lost_race = AtomicBool::new(false);
    let steps = Steps {
        created: &created,
        record,
        record_id: &record_id,
        lost_race: &lost_race,
    };
    match create_and_start(docker, plan, ui, &steps, &fresh).await {
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
            let record_id = record_id.into_inner().unwrap_or_else(|e| e.into_inner());
            let (mut removed, mut cleanup) = match record_id {
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
    record: Option<&'a Record>,
    record_id: &'a Mutex<Option<String>>,
    lost_race: &'a AtomicBool,
}

async fn create_and_start(
    docker: &Docker,
    plan: &Plan,
    ui: &Ui,
    steps: &Steps<'_>,
    fresh_volumes: &[String],
) -> Result<()> {
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
        if matches!(
            e,
            Error::Docker {
                kind: EngineErrorKind::Conflict,
                ..
            }
        ) {
            steps.lost_race.store(true, Ordering::SeqCst);
        }
    })?;
    // Created here, run inside each path's join (a future does nothing until polled).
    let start_pause = start(
        docker,
        &plan.pod,
        &pause.docker_name,
        &pause_id,
        ui,
        started,
    );
    // With the pause, the holder of the memory-backed volumes (`up` only: a rebuild keeps the
    // pod's own, which holds their contents).
    let hold = async {
        if steps.record.is_none() {
            return Ok(());
        }
        if let Some((id, true)) = super::holder::ensure(docker, plan).await? {
            let name = crate::labels::holder_name(&plan.pod);
            created
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((name, id));
        }
        Ok::<_, Error>(())
    };
    if plan.members_need_no_running_pause() {
        // Docker checks `container:<pause>` only at start: everything is created while the
        // pause starts, the record once the members exist.
        let assemble = async {
            let ids = create_members(docker, plan, ui, &pause_id, created).await?;
            create_record(docker, steps).await?;
            Ok::<_, Error>(ids)
        };
        let (pause_started, ids, held) = tokio::join!(start_pause, assemble, hold);
        pause_started?;
        held?;
        let route = NetworkRoute::for_hooks(docker, plan, &pause_id).await;
        start_members(docker, plan, ui, &route, ids?, started).await?
    } else {
        let (pause_started, held) = tokio::join!(start_pause, hold);
        pause_started?;
        held?;
        // After the pause: it holds the memory-backed volumes the files go to.
        super::volumes::prepare(docker, plan, fresh_volumes).await?;
        // status.podIP, subPath mountpoints, runAsGroup's image user: known now.
        let resolved = resolve_plan(docker, plan, &pause_id).await?;
        let plan = &resolved;
        let route = NetworkRoute::for_hooks(docker, plan, &pause_id).await;
        super::init::run(docker, plan, &pause_id, &route, ui, created).await?;
        // Every member exists before the record does: the supervisor, taking the pod in hand
        // as the members start, finds them.
        let ids = create_members(docker, plan, ui, &pause_id, created).await?;
        let (started_members, record_created) = tokio::join!(
            start_members(docker, plan, ui, &route, ids, started),
            create_record(docker, steps)
        );
        record_created?;
        started_members?;
    };

    confirm_running(docker, plan, ui, started).await?;
    Ok(())
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
    ui: &Ui,
    route: &NetworkRoute,
    ids: Vec<String>,
    since: Instant,
) -> Result<()> {
    try_join_all(plan.members.iter().zip(ids).map(|(m, id)| async move {
        start(docker, &plan.pod, &m.docker_name, &id, ui, since).await?;
        post_start(docker, plan, m, &id, route).await?;
        Ok::<_, Error>(())
    }))
    .await
    .map(drop)
}

async fn create_record(docker: &Docker, steps: &Steps<'_>) -> Result<()> {
    let Some(record) = steps.record else {
        return Ok(());
    };
    let id = containers::create(docker, &record.name, record.body.clone()).await?;
    *steps.record_id.lock().unwrap_or_else(|e| e.into_inner()) = Some(id);
    Ok(())
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
    let id = containers::create(docker, name, body).await?;
    created
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push((name.to_string(), id.clone()));
    Ok(id)
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
    containers::start(docker, id, name).await?;
    let mut event = container_event(pod, name, ContainerState::Running, None);
    if let Event::Container { elapsed, .. } = &mut event {
        *elapsed = since.elapsed();
    }
    ui.event(event);
    Ok(())
}

/// Creates and starts one member alone (joined to the running pause), then its postStart hook:
/// what `up` does for a member that is new or changed in a running pod.
pub(crate) async fn start_member(
    docker: &Docker,
    plan: &Plan,
    member: &MemberSpec,
    pause_id: &str,
    ui: &Ui,
) -> Result<String> {
    let started = Instant::now();
    let created = Mutex::new(Vec::new());
    // A new or changed member may mount a subPath that does not exist yet.
    crate::host_paths::check_host_paths(plan)?;
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
    let route = NetworkRoute::for_hooks(docker, plan, pause_id).await;
    post_start(docker, plan, member, &id, &route).await?;
    Ok(id)
}

/// The member's `lifecycle.postStart` hook, if it has one; Kubernetes counts a failed hook as a
/// failed start.
pub(crate) async fn post_start(
    docker: &Docker,
    plan: &Plan,
    member: &MemberSpec,
    id: &str,
    route: &NetworkRoute,
) -> Result<()> {
    let Some(check) = &member.hooks.post_start else {
        return Ok(());
    };
    let hook = super::hooks::Hook::PostStart;
    super::hooks::run(docker, hook, check, id, route, plan.grace)
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
async fn confirm_running(docker: &Docker, plan: &Plan, ui: &Ui, since: Instant) -> Result<()> {
    let pods = inventory::list(docker, Some(&plan.pod)).await?;
    let Some(pod) = pods.into_iter().next() else {
        return Err(Error::Runtime(format!(
            "pod {}: its containers disappeared while starting (removed by someone else?)",
            plan.pod
        )));
    };
    let apps = pod.containers.iter().filter(|c| c.role != Role::Init);
    for c in apps.filter(|c| !c.state.is_running()) {
        let tail = super::logs::tail(docker, &c.docker_name, 10).await;
        let code = c.exit_code.unwrap_or(-1);
        let next = match plan.restart_policy.restarts(code, false) {
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

fn container_event(pod: &str, name: &str, state: ContainerState, detail: Option<String>) -> Event {
    Event::Container {
        pod: pod.to_string(),
        container: name.to_string(),
        state,
        elapsed: std::time::Duration::ZERO,
        detail,
    }
}
