//! Tearing a pod down in order: the hand-over from the supervisor; then every app container in parallel — its
//! preStop hook, then its STOPSIGNAL, SIGKILL when what is left of the grace runs out; then the
//! sidecars one by one in reverse init order; then the pause; then removal. Found by labels;
//! idempotent.

use super::inventory::{ContainerView, PodView};
use super::probe::NetworkRoute;
use crate::error::{Error, Result};
use crate::labels;
use crate::state::Role;
use crate::ui::{ContainerState, Event, Ui};
use bollard::errors::Error as BollardError;
use bollard::query_parameters::{StopContainerOptionsBuilder, WaitContainerOptionsBuilder};
use bollard::Docker;
use futures_util::future::join_all;
use futures_util::StreamExt;
use std::time::{Duration, Instant};

/// Stops and removes every container of `pod`, members first, the pause last. Every failure is
/// collected; the first is returned after all the rest was attempted.
pub(crate) async fn teardown(docker: &Docker, pod: &PodView, ui: &Ui) -> Result<()> {
    let started = Instant::now();
    let grace = Duration::from_secs(pod.grace_seconds);
    // bollard's per-request timeout (2 min) must outlast the grace Docker waits before SIGKILL.
    let docker = docker.clone().with_timeout(grace + Duration::from_secs(60));
    let mut errors = Vec::new();

    // The supervisor lets the pod go first, so it does not restart members while they stop.
    if let Some(record) = &pod.record {
        if let Err(e) = super::handover::release(&docker, &pod.name, record).await {
            errors.push(e);
        }
    }
    let is_sidecar = |c: &&ContainerView| c.role == Role::Sidecar;
    let apps = pod.containers.iter().filter(|c| !is_sidecar(c));
    // The pod's volumes are listed while the apps stop (none appears once the supervisor let
    // the pod go), so a pod without any needs no call after its containers are gone.
    let (app_results, volumes) = tokio::join!(
        join_all(apps.map(|c| stop_gracefully(&docker, pod, c, grace, ui))),
        super::volumes::list_pod_volumes(&docker, Some(&pod.name), false)
    );
    errors.extend(app_results.into_iter().filter_map(Result::err));
    // Sidecars outlive the apps they serve, and go in reverse of the order they started in.
    let mut sidecars: Vec<&ContainerView> = pod.containers.iter().filter(is_sidecar).collect();
    sidecars.sort_by_key(|c| std::cmp::Reverse(c.index));
    for sidecar in sidecars {
        if let Err(e) = stop_gracefully(&docker, pod, sidecar, grace, ui).await {
            errors.push(e);
        }
    }
    if let Some(pause) = &pod.pause {
        if let Err(e) = stop(&docker, pod, pause, grace, ui).await {
            errors.push(e);
        }
    }
    let removals = join_all(pod.all_containers().map(|c| remove(&docker, pod, c, ui))).await;
    errors.extend(removals.into_iter().filter_map(Result::err));
    // Then the pod's volumes (by label; a claim's volume stays: `down --volumes` removes it).
    match volumes {
        Ok(volumes) => errors.extend(super::volumes::remove_listed(&docker, volumes, ui).await),
        Err(e) => errors.push(e),
    }

    match errors.into_iter().next() {
        Some(first) => Err(first),
        None => {
            ui.event(Event::Pod {
                pod: pod.name.clone(),
                message: format!(
                    "pod {} removed ({})",
                    pod.name,
                    crate::ui::seconds(started.elapsed())
                ),
            });
            Ok(())
        }
    }
}

/// One container of a running pod, gracefully (preStop, then its grace), then removed: what
/// `up` does to a member whose configuration changed, or that left the manifest.
pub(crate) async fn remove_one(
    docker: &Docker,
    pod: &PodView,
    c: &ContainerView,
    ui: &Ui,
) -> Result<()> {
    let grace = Duration::from_secs(pod.grace_seconds);
    let docker = docker.clone().with_timeout(grace + Duration::from_secs(60));
    stop_gracefully(&docker, pod, c, grace, ui).await?;
    remove(&docker, pod, c, ui).await
}

/// The container's preStop hook (if the pod's spec gives it one and it runs), then its stop
/// with whatever the hook left of the grace period, as in Kubernetes.
async fn stop_gracefully(
    docker: &Docker,
    pod: &PodView,
    c: &ContainerView,
    grace: Duration,
    ui: &Ui,
) -> Result<()> {
    let started = Instant::now();
    let hook = pod.pre_stop(c);
    let pause = pod.pause.as_ref();
    let mut left = grace;
    if let (Some(check), true) = (hook, c.state.is_running()) {
        guard(pod, c)?;
        let route = match (pause, check.uses_network()) {
            (Some(p), true) => NetworkRoute::for_pause(docker, &p.image, &p.id).await,
            (p, _) => NetworkRoute::PauseExec {
                pause_id: p.map(|p| p.id.clone()).unwrap_or_default(),
            },
        };
        // A failed preStop does not stop the teardown (Kubernetes: it is only reported).
        let hook = super::hooks::Hook::PreStop;
        if let Err(why) = super::hooks::run(docker, hook, &check, &c.id, &route, grace).await {
            ui.warn(&format!("{}: {why}", c.docker_name));
        }
        // The hook's time counts against the grace; Docker takes whole seconds, so round up.
        let used = started.elapsed();
        left = Duration::from_secs(grace.saturating_sub(used).as_secs_f64().ceil() as u64);
    }
    stop(docker, pod, c, left, ui).await
}

/// Refuses to act on a container that does not carry this pod's label, whatever its name.
fn guard(pod: &PodView, c: &ContainerView) -> Result<()> {
    if c.pod_label.as_deref() != Some(pod.name.as_str()) || c.id.is_empty() {
        return Err(Error::Runtime(format!(
            "refusing to touch container {}: it does not carry the label {}={}, so podc did not create it",
            c.docker_name,
            labels::POD,
            pod.name
        )));
    }
    Ok(())
}

async fn stop(
    docker: &Docker,
    pod: &PodView,
    c: &ContainerView,
    grace: Duration,
    ui: &Ui,
) -> Result<()> {
    guard(pod, c)?;
    if !c.state.can_stop() {
        return Ok(());
    }
    let started = Instant::now();
    ui.event(event(
        pod,
        c,
        ContainerState::Stopping,
        Duration::ZERO,
        None,
    ));
    let options = StopContainerOptionsBuilder::default()
        .t(grace.as_secs() as i32)
        .build();
    match docker.stop_container(&c.id, Some(options)).await {
        Ok(()) => {}
        Err(e) if super::is_not_modified(&e) || super::is_not_found(&e) => {}
        Err(e) => return Err(Error::docker("stop container", &c.docker_name, e)),
    }
    let elapsed = started.elapsed();
    let code = exit_code(docker, &c.id).await;
    let detail = match code {
        // 137 after the whole grace: Docker had to SIGKILL it.
        Some(137) if elapsed >= grace => {
            format!("killed after the {}s grace period", grace.as_secs())
        }
        Some(code) => format!("exit {code}"),
        None => "gone".into(),
    };
    ui.event(event(
        pod,
        c,
        ContainerState::Stopped,
        elapsed,
        Some(detail),
    ));
    Ok(())
}

/// The exit code of a stopped container (a `not-running` wait returns at once).
async fn exit_code(docker: &Docker, id: &str) -> Option<i64> {
    let options = WaitContainerOptionsBuilder::default()
        .condition("not-running")
        .build();
    match docker.wait_container(id, Some(options)).next().await? {
        Ok(r) => Some(r.status_code),
        Err(BollardError::DockerContainerWaitError { code, .. }) => Some(code),
        Err(_) => None,
    }
}

async fn remove(docker: &Docker, pod: &PodView, c: &ContainerView, ui: &Ui) -> Result<()> {
    guard(pod, c)?;
    // force: a member that never started (state created) or is dead still goes; a 409
    // ("removal already in progress") means another podc down got there first.
    super::containers::remove(docker, &c.id, &c.docker_name).await?;
    ui.event(event(pod, c, ContainerState::Removed, Duration::ZERO, None));
    Ok(())
}

fn event(
    pod: &PodView,
    c: &ContainerView,
    state: ContainerState,
    elapsed: Duration,
    detail: Option<String>,
) -> Event {
    Event::Container {
        pod: pod.name.clone(),
        container: c.docker_name.clone(),
        state,
        elapsed,
        detail,
    }
}
