//! Container lifecycle calls in one place: create, start and remove (force, guarded by the
//! pod label unless this process made the container itself), and a member's replacement.

use super::body::member_body;
use super::facts::resolve_member;
use super::guard;
use crate::error::{EngineErrorKind, Error, Result};
use crate::labels;
use crate::plan::MemberSpec;
use bollard::models::ContainerCreateBody;
use bollard::query_parameters::{CreateContainerOptionsBuilder, RemoveContainerOptionsBuilder};
use bollard::Docker;

/// Creates the container `name`; returns its ID.
pub(crate) async fn create(
    docker: &Docker,
    name: &str,
    body: ContainerCreateBody,
) -> Result<String> {
    let options = CreateContainerOptionsBuilder::default().name(name).build();
    let response = docker
        .create_container(Some(options), body)
        .await
        .map_err(|e| Error::docker("create container", name, e))?;
    Ok(response.id)
}

/// Starts the container `id` (`shown` names it in the error).
pub(crate) async fn start(docker: &Docker, id: &str, shown: &str) -> Result<()> {
    docker
        .start_container(id, None)
        .await
        .map_err(|e| Error::docker("start container", shown, e))
}

/// Force-removes (killing it if it runs) a container this process made or whose labels the
/// caller checked. One already gone, or being removed by another client (409), counts as
/// removed; `shown` names it in the error. Its volumes stay (anonymous ones are podc's
/// concern only through labels).
pub(crate) async fn remove(docker: &Docker, id_or_name: &str, shown: &str) -> Result<()> {
    let options = RemoveContainerOptionsBuilder::default().force(true).build();
    match docker.remove_container(id_or_name, Some(options)).await {
        Ok(()) => Ok(()),
        Err(e) => match EngineErrorKind::of(&e) {
            EngineErrorKind::NotFound | EngineErrorKind::Conflict => Ok(()),
            _ => Err(Error::docker("remove container", shown, e)),
        },
    }
}

/// `remove`, after checking the container carries `io.podc.pod` (of `pod` when given): for
/// callers holding only an ID or a name. One already gone is fine.
pub(crate) async fn remove_checked(
    docker: &Docker,
    id_or_name: &str,
    shown: &str,
    pod: Option<&str>,
) -> Result<()> {
    match guard::container(docker, id_or_name, pod).await? {
        guard::Owned::Gone => Ok(()),
        guard::Owned::Pod(_) => remove(docker, id_or_name, shown).await,
    }
}

/// The restart history a recreated member carries in its labels.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RestartInfo {
    pub restart_count: u32,
    pub last_exit_code: Option<i64>,
    pub last_reason: Option<String>,
}

/// Restarts a member the kubelet way: a new container replaces the old one (fresh filesystem),
/// joined to the current pause by ID, carrying its restart count and last exit in labels.
pub(crate) async fn recreate_member(
    docker: &Docker,
    member: &MemberSpec,
    pause_id: &str,
    old_id: Option<&str>,
    restart: &RestartInfo,
) -> Result<String> {
    if let Some(old) = old_id {
        let pod = member.labels.get(labels::POD).map(String::as_str);
        remove_checked(docker, old, &member.docker_name, pod).await?;
    }
    let member = &resolve_member(docker, member, pause_id).await?;
    let mut body = member_body(member, pause_id);
    if let Some(labels) = body.labels.as_mut() {
        labels.insert(
            labels::RESTART_COUNT.into(),
            restart.restart_count.to_string(),
        );
        if let Some(code) = restart.last_exit_code {
            labels.insert(labels::LAST_EXIT_CODE.into(), code.to_string());
        }
        if let Some(reason) = &restart.last_reason {
            labels.insert(labels::LAST_REASON.into(), reason.clone());
        }
    }
    let id = create(docker, &member.docker_name, body).await?;
    start(docker, &id, &member.docker_name).await?;
    Ok(id)
}
