//! The apply/teardown side of the pipeline: everything that talks to the Docker Engine.
//! One file per operation; every call is tested against the real daemon in tests/.

pub mod apply;
pub mod auth;
pub mod events;
pub mod exec;
pub mod guard;
pub mod handover;
pub mod holder;
pub mod hooks;
pub mod image_import;
pub mod image_prune;
pub mod images;
pub mod init;
pub mod inventory;
pub mod lock;
pub mod logs;
pub mod pause_image;
pub mod probe;
pub mod supervisor;
pub mod supervisor_image;
pub mod teardown;
pub mod volumes;

use crate::error::{Error, Result};
use bollard::errors::Error as BollardError;
use bollard::Docker;

/// Connects the way the docker CLI does (`DOCKER_HOST`, else the local socket) and checks the
/// daemon answers with `/_ping`, as the docker CLI does. Not `/version` (bollard's
/// `negotiate_version`): the daemon answers that by asking containerd and running
/// `runc --version`, 8 ms here on every command, and bollard 0.21 sends its paths without a
/// version prefix, so the daemon serves its own API version whatever is negotiated.
pub async fn connect() -> Result<Docker> {
    let host =
        std::env::var("DOCKER_HOST").unwrap_or_else(|_| "unix:///var/run/docker.sock".into());
    let unreachable = |message: String| Error::Docker {
        action: "reach the Docker daemon at".into(),
        object: host.clone(),
        message,
        hint: Some(
            "is dockerd running? set DOCKER_HOST to its socket, e.g. unix:///var/run/docker.sock"
                .into(),
        ),
    };
    let docker = Docker::connect_with_defaults().map_err(|e| unreachable(describe(&e)))?;
    docker.ping().await.map_err(|e| unreachable(describe(&e)))?;
    Ok(docker)
}

/// The daemon's message without bollard's wrapping ("Docker responded with status code...").
pub fn describe(err: &BollardError) -> String {
    match err {
        BollardError::DockerResponseServerError { message, .. } => message.trim().to_string(),
        BollardError::DockerStreamError { error } => error.trim().to_string(),
        BollardError::RequestTimeoutError => "the Docker daemon did not answer in time".into(),
        other => other.to_string(),
    }
}

/// A fix for the failures users hit most, matched on the daemon's message.
pub fn hint_for(action: &str, message: &str) -> Option<String> {
    let m = message.to_ascii_lowercase();
    let hint = if m.contains("port is already allocated") || m.contains("address already in use") {
        "another process or container holds that host port: free it or change hostPort"
    } else if m.contains("is already in use by container") {
        "a container with that name exists: `podc down` it, or remove it with `docker rm` if podc did not create it"
    } else if m.contains("no such image")
        || m.contains("manifest unknown")
        || m.contains("not found") && action.contains("pull")
    {
        "check the image name and tag, or build it locally (images/build.sh builds podc's examples)"
    } else if m.contains("permission denied") && m.contains("docker.sock") {
        "run podc as a user in the docker group, or as root"
    } else if m.contains("connection refused")
        || m.contains("no such file or directory") && m.contains("sock")
    {
        "is dockerd running? set DOCKER_HOST to its socket"
    } else {
        return None;
    };
    Some(hint.to_string())
}

/// 404: no such container or image.
pub fn is_not_found(err: &BollardError) -> bool {
    matches!(
        err,
        BollardError::DockerResponseServerError {
            status_code: 404,
            ..
        }
    )
}

/// 304: already started / already stopped.
pub fn is_not_modified(err: &BollardError) -> bool {
    matches!(
        err,
        BollardError::DockerResponseServerError {
            status_code: 304,
            ..
        }
    )
}

/// 409 on create: the name is taken.
pub fn is_conflict(err: &BollardError) -> bool {
    matches!(
        err,
        BollardError::DockerResponseServerError {
            status_code: 409,
            ..
        }
    )
}

/// Force-removes a container (killing it if it runs). One already gone, or being removed by
/// another client (409), counts as removed; `shown` names it in the error.
pub async fn force_remove(docker: &Docker, id_or_name: &str, shown: &str) -> Result<()> {
    let options = bollard::query_parameters::RemoveContainerOptionsBuilder::default()
        .force(true)
        .build();
    match docker.remove_container(id_or_name, Some(options)).await {
        Ok(()) => Ok(()),
        Err(e) if is_not_found(&e) || is_conflict(&e) => Ok(()),
        Err(e) => Err(Error::docker("remove container", shown, e)),
    }
}
