//! The apply/teardown side of the pipeline: everything that talks to the Docker Engine.
//! One file per operation; every call is tested against the real daemon in tests/.

pub(crate) mod apply;
pub(crate) mod auth;
pub(crate) mod body;
pub(crate) mod containers;
pub(crate) mod events;
pub(crate) mod exec;
pub(crate) mod facts;
pub(crate) mod guard;
pub(crate) mod handover;
pub(crate) mod holder;
pub(crate) mod hooks;
pub(crate) mod image_import;
pub(crate) mod image_prune;
pub(crate) mod images;
pub(crate) mod init;
pub(crate) mod inventory;
pub(crate) mod lock;
pub(crate) mod logs;
pub(crate) mod pause_image;
pub(crate) mod probe;
pub(crate) mod supervisor;
pub(crate) mod supervisor_image;
pub(crate) mod teardown;
pub(crate) mod volumes;

pub(crate) use crate::error::describe;
use crate::error::{EngineErrorKind, Error, Result};
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
        kind: EngineErrorKind::Other,
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

/// 404: no such container or image.
pub(crate) fn is_not_found(err: &BollardError) -> bool {
    EngineErrorKind::of(err) == EngineErrorKind::NotFound
}

/// 304: already started / already stopped.
pub(crate) fn is_not_modified(err: &BollardError) -> bool {
    EngineErrorKind::of(err) == EngineErrorKind::NotModified
}

/// 409 on create: the name is taken.
pub(crate) fn is_conflict(err: &BollardError) -> bool {
    EngineErrorKind::of(err) == EngineErrorKind::Conflict
}
