//! Executes a plan: pause first, then the members in parallel joined to its namespaces, then
//! one check that everything runs. Any failure rolls back exactly what this call created.

use super::inventory;
use crate::error::{Error, Result};
use crate::manifest::{Pod, RestartPolicy as PodRestartPolicy};
use crate::plan::{MemberSpec, PauseSpec, Plan};
use crate::ui::{ContainerState, Event, Ui};
use bollard::models::{
    ContainerCreateBody, HostConfig, PortBinding, RestartPolicy, RestartPolicyNameEnum,
};
use bollard::query_parameters::{CreateContainerOptionsBuilder, RemoveContainerOptionsBuilder};
use bollard::Docker;
use futures_util::future::{join_all, try_join_all};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// What `apply` created, by Docker name and ID.
#[derive(Debug, Clone)]
pub struct Applied {
    pub pause_id: String,
    pub member_ids: Vec<(String, String)>,
}

/// Creates and starts the pod. On failure everything created here is removed again and the
/// error says why (and why the cleanup failed, if it did).
pub async fn apply(docker: &Docker, plan: &Plan, pod: &Pod, ui: &Ui) -> Result<Applied> {
    let created = Mutex::new(Vec::new());
    match create_and_start(docker, plan, pod, ui, &created).await {
        Ok(applied) => Ok(applied),
        Err(cause) => {
            let ids = created.into_inner().unwrap_or_else(|e| e.into_inner());
            let (removed, cleanup) = rollback(docker, &ids).await;
            Err(Error::RolledBack {
                cause: Box::new(cause),
                removed,
                cleanup,
            })
        }
    }
}

async fn create_and_start(
    docker: &Docker,
    plan: &Plan,
    pod: &Pod,
    ui: &Ui,
    created: &Mutex<Vec<(String, String)>>,
) -> Result<Applied> {
    let started = Instant::now();
    let pause = &plan.pause;
    let pause_id = create(
        docker,
        &plan.pod,
        &pause.docker_name,
        pause_body(pause),
        ui,
        created,
    )
    .await?;
    start(
        docker,
        &plan.pod,
        &pause.docker_name,
        &pause_id,
        ui,
        started,
    )
    .await?;

    let member_ids = try_join_all(plan.members.iter().map(|m| async {
        let body = member_body(m, &pause_id);
        let id = create(docker, &plan.pod, &m.docker_name, body, ui, created).await?;
        start(docker, &plan.pod, &m.docker_name, &id, ui, started).await?;
        Ok::<_, Error>((m.docker_name.clone(), id))
    }))
    .await?;

    confirm_running(docker, plan, pod.spec.restart_policy, ui, started).await?;
    Ok(Applied {
        pause_id,
        member_ids,
    })
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

/// One list call for the whole pod: a member that died right after starting is reported with
/// its exit code and last log lines. Under `restartPolicy: Never` it will never run, so the `up`
/// fails; otherwise the supervisor restarts it and this is a warning.
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
    for c in &pod.containers {
        if c.state == "running" {
            continue;
        }
        let tail = super::logs::tail(docker, &c.docker_name, 10).await;
        let exit = c
            .exit_code
            .map(|code| format!(" with exit code {code}"))
            .unwrap_or_default();
        let will_run_again = policy.restarts(c.exit_code.unwrap_or(-1), false);
        if c.exit_code == Some(0) || will_run_again {
            let next = if will_run_again { "; podc restarts it with backoff" } else { "" };
            ui.warn(&format!(
                "container {} of pod {} exited{exit} right after starting ({:.2}s){next}; its last output:\n{}",
                c.name,
                plan.pod,
                since.elapsed().as_secs_f64(),
                indent(&tail)
            ));
            continue;
        }
        return Err(Error::Runtime(format!(
            "container {} of pod {} is {}{exit} right after starting; its last output:\n{}",
            c.name,
            plan.pod,
            c.state,
            indent(&tail)
        )));
    }
    Ok(())
}

fn indent(text: &str) -> String {
    if text.trim().is_empty() {
        return "  (no output)".into();
    }
    text.lines()
        .map(|l| format!("  | {l}"))
        .collect::<Vec<_>>()
        .join("\n")
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

/// The pause holds the hostname and every published port; members cannot set either.
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
    ContainerCreateBody {
        image: Some(pause.image.clone()),
        hostname: Some(pause.hostname.clone()),
        labels: Some(pause.labels.clone().into_iter().collect()),
        exposed_ports: (!exposed.is_empty()).then_some(exposed),
        host_config: Some(HostConfig {
            // Members can only join the IPC namespace of a shareable donor.
            ipc_mode: Some("shareable".into()),
            port_bindings: (!bindings.is_empty()).then_some(bindings),
            restart_policy: no_restart(),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// A member joins the pause's network, IPC and (by default) PID namespaces by ID, never by
/// name: a name would follow a recreated pause, an ID fails loudly.
pub fn member_body(member: &MemberSpec, pause_id: &str) -> ContainerCreateBody {
    let join = format!("container:{pause_id}");
    ContainerCreateBody {
        image: Some(member.image.clone()),
        entrypoint: member.entrypoint.clone(),
        cmd: member.cmd.clone(),
        env: (!member.env.is_empty()).then(|| member.env.clone()),
        working_dir: member.working_dir.clone(),
        labels: Some(member.labels.clone().into_iter().collect()),
        host_config: Some(HostConfig {
            network_mode: Some(join.clone()),
            ipc_mode: Some(join.clone()),
            pid_mode: member.share_pid.then_some(join),
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
        let options = RemoveContainerOptionsBuilder::default().force(true).build();
        match docker.remove_container(old, Some(options)).await {
            Ok(()) => {}
            Err(e) if super::is_not_found(&e) => {}
            Err(e) => return Err(Error::docker("remove container", &member.docker_name, e)),
        }
    }
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
