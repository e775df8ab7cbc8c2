//! The apply/teardown side of the pipeline: everything that talks to the Docker Engine.
//! One file per operation; every call is tested against the real daemon in tests/.

pub mod apply;
pub mod auth;
pub mod body;
pub mod containers;
pub mod events;
pub mod exec;
pub mod facts;
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

pub use crate::error::describe;
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
pub fn is_not_found(err: &BollardError) -> bool {
    EngineErrorKind::of(err) == EngineErrorKind::NotFound
}

/// 304: already started / already stopped.
pub fn is_not_modified(err: &BollardError) -> bool {
    EngineErrorKind::of(err) == EngineErrorKind::NotModified
}

/// 409 on create: the name is taken.
pub fn is_conflict(err: &BollardError) -> bool {
    EngineErrorKind::of(err) == EngineErrorKind::Conflict
}

/// Force-removes a container (killing it if it runs): see `containers::remove`.
pub async fn force_remove(docker: &Docker, id_or_name: &str, shown: &str) -> Result<()> {
    containers::remove(docker, id_or_name, shown).await
}
