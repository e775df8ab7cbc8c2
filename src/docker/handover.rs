//! Taking a pod back from the host supervisor before its containers are stopped or replaced,
//! as certain as killing a per-pod supervisor was: once `release` returns, no supervisor acts
//! on the pod any more.
//!
//! The record is renamed to `<pod>_SPEC_RELEASED_<id>` (the request), and the supervisor
//! removes it (the acknowledgement) once the pod's task has finished whatever it was doing. A
//! supervisor that is not running cannot act, and the next one to start reads the released name
//! and never takes the pod; one that does not answer in time is restarted, which ends it.

use super::inventory::ContainerView;
use super::supervisor;
use crate::error::{Error, Result};
use crate::labels;
use crate::state::Role;
use bollard::query_parameters::{
    EventsOptionsBuilder, KillContainerOptionsBuilder, RenameContainerOptions,
    RestartContainerOptionsBuilder,
};
use bollard::Docker;
use futures_util::StreamExt;
use std::collections::HashMap;
use std::time::Duration;

/// How long a busy supervisor may take to let a pod go (a restart with its postStart hook is
/// the longest thing it finishes first) before it is restarted.
const ACK_TIMEOUT: Duration = Duration::from_secs(30);

/// Releases `pod` from supervision; `record` is its spec record (or a per-pod supervisor of an
/// earlier podc, which is killed as before). The record is left for the caller to remove with
/// the rest (the supervisor removed a released one already, unless none was running).
pub(crate) async fn release(docker: &Docker, pod: &str, record: &ContainerView) -> Result<()> {
    if record.pod_label.as_deref() != Some(pod) {
        return Err(Error::Runtime(format!(
            "container {} does not carry the label {}={pod}: podc leaves it alone",
            record.docker_name,
            labels::POD
        )));
    }
    match record.role {
        Role::PodSupervisor => end_own_supervisor(docker, record).await,
        _ => release_spec(docker, pod, &record.id, &record.docker_name).await,
    }
}

/// Releases `pod` from supervision through its spec record `record_id` (named `name`).
pub(crate) async fn release_spec(
    docker: &Docker,
    pod: &str,
    record_id: &str,
    name: &str,
) -> Result<()> {
    let host = supervisor::inspect_host(docker).await?;
    let watched: Vec<String> = std::iter::once(record_id.to_string())
        .chain(host.and_then(|h| h.id))
        .collect();
    // Subscribed (reaching back, as bollard sends the request on the first poll) before the
    // rename, so the acknowledgement cannot slip past.
    let filters = HashMap::from([
        ("type".to_string(), vec!["container".to_string()]),
        ("container".to_string(), watched),
        (
            "event".to_string(),
            vec!["destroy".to_string(), "die".to_string()],
        ),
    ]);
    let mut options = EventsOptionsBuilder::default().filters(&filters).build();
    options.since = Some(format!("{:.3}", super::events::since_now()));
    let mut events = docker.events(Some(options));

    if !labels::is_released_spec(name) {
        let released = labels::released_spec_name(pod, record_id);
        let rename = RenameContainerOptions { name: released };
        match docker.rename_container(record_id, rename).await {
            Ok(()) => {}
            // Gone already: nothing is left for a supervisor to read.
            Err(e) if super::is_not_found(&e) => return Ok(()),
            Err(e) => return Err(Error::docker("rename container", name, e)),
        }
    }
    let wait = async {
        loop {
            if !host_runs(docker).await? {
                return Ok::<_, Error>(());
            }
            match events.next().await {
                Some(Ok(event)) => {
                    let id = event.actor.and_then(|a| a.id).unwrap_or_default();
                    if id == record_id && event.action.as_deref() == Some("destroy") {
                        return Ok(());
                    }
                    // The supervisor died: the loop's look says whether one runs again.
                }
                Some(Err(e)) => return Err(Error::docker("watch the events of pod", pod, e)),
                None => return Ok(()),
            }
        }
    };
    match tokio::time::timeout(ACK_TIMEOUT, wait).await {
        Ok(result) => result,
        Err(_) => restart_host(docker).await,
    }
}

async fn host_runs(docker: &Docker) -> Result<bool> {
    Ok(supervisor::inspect_host(docker)
        .await?
        .is_some_and(|h| supervisor::is_running(&h)))
}

/// Ends an unresponsive supervisor: the old process is dead once the restart call returns.
async fn restart_host(docker: &Docker) -> Result<()> {
    let options = RestartContainerOptionsBuilder::default().t(0).build();
    match docker
        .restart_container(labels::HOST_SUPERVISOR, Some(options))
        .await
    {
        Ok(()) => Ok(()),
        Err(e) if super::is_not_found(&e) => Ok(()),
        Err(e) => Err(Error::docker(
            "restart container",
            labels::HOST_SUPERVISOR,
            e,
        )),
    }
}

/// A per-pod supervisor of an earlier podc: it dies of SIGTERM as the kill call delivers it
/// (no handler, not a PID 1); one in another state is stopped, which cancels Docker's restart.
async fn end_own_supervisor(docker: &Docker, c: &ContainerView) -> Result<()> {
    if !c.state.is_running() {
        let options = bollard::query_parameters::StopContainerOptionsBuilder::default()
            .t(10)
            .build();
        return match docker.stop_container(&c.id, Some(options)).await {
            Ok(()) => Ok(()),
            Err(e) if super::is_not_found(&e) || super::is_not_modified(&e) => Ok(()),
            Err(e) => Err(Error::docker("stop container", &c.docker_name, e)),
        };
    }
    let options = KillContainerOptionsBuilder::default()
        .signal("SIGTERM")
        .build();
    match docker.kill_container(&c.id, Some(options)).await {
        Ok(()) => Ok(()),
        // Not running any more (409) or gone: it cannot act either way.
        Err(e) if super::is_not_found(&e) || super::is_conflict(&e) => Ok(()),
        Err(e) => Err(Error::docker("kill container", &c.docker_name, e)),
    }
}
