//! The one error type a command returns. Each variant owns its exit code and its rendering:
//! what failed, on which object, and what to do.

use crate::manifest::ManifestError;
use bollard::errors::Error as BollardError;
use std::fmt;

/// Exit code for a runtime failure (Docker, ports, images...).
pub(crate) const EXIT_RUNTIME: i32 = 1;
/// Exit code for bad input (manifest, arguments).
pub(crate) const EXIT_BAD_INPUT: i32 = 2;

/// Everything a podc command can fail with.
#[derive(Debug)]
pub enum Error {
    /// The manifest has problems; nothing was created.
    Manifest(ManifestError),
    /// Bad arguments or a file that cannot be used as input.
    Input(String),
    /// A Docker call failed: `action` on `object` (e.g. "start container", "blog_web").
    Docker {
        /// What the engine's answer means (from its status code).
        kind: EngineErrorKind,
        action: String,
        object: String,
        message: String,
        hint: Option<String>,
    },
    /// Something went wrong that is not a single Docker call.
    Runtime(String),
    /// `up` failed and the rollback of what it had created failed too: both are shown.
    RolledBack {
        cause: Box<Error>,
        /// Docker names of what the rollback removed.
        removed: Vec<String>,
        cleanup: Vec<Error>,
    },
}

/// Shorthand used across podc.
pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The process exit code this error maps to.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Manifest(_) | Error::Input(_) => EXIT_BAD_INPUT,
            Error::RolledBack { cause, .. } => cause.exit_code(),
            Error::Docker { .. } | Error::Runtime(_) => EXIT_RUNTIME,
        }
    }

    /// Builds a `Docker` error from a bollard error, with a plain message and a hint when the
    /// cause is a common one (daemon unreachable, name or port taken, image missing).
    pub fn docker(action: &str, object: &str, err: bollard::errors::Error) -> Error {
        let message = describe(&err);
        let hint = hint_for(action, &message);
        Error::Docker {
            kind: EngineErrorKind::of(&err),
            action: action.to_string(),
            object: object.to_string(),
            message,
            hint,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Manifest(e) => write!(f, "{e}"),
            Error::Input(msg) | Error::Runtime(msg) => write!(f, "{msg}"),
            Error::Docker {
                action,
                object,
                message,
                hint,
                ..
            } => {
                write!(f, "cannot {action} {object}: {message}")?;
                if let Some(hint) = hint {
                    write!(f, "\n  hint: {hint}")?;
                }
                Ok(())
            }
            Error::RolledBack {
                cause,
                removed,
                cleanup,
            } => {
                write!(f, "{cause}")?;
                if !removed.is_empty() {
                    write!(f, "\nrolled back: removed {}", removed.join(", "))?;
                }
                if !cleanup.is_empty() {
                    write!(
                        f,
                        "\nthe rollback failed too; remove what is left with `podc down`:"
                    )?;
                    for e in cleanup {
                        write!(f, "\n  - {e}")?;
                    }
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {}

impl From<ManifestError> for Error {
    fn from(e: ManifestError) -> Self {
        Error::Manifest(e)
    }
}

/// What an engine's error answer means, from its HTTP status (never from its text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineErrorKind {
    /// 404: no such container, image or volume.
    NotFound,
    /// 304: already started, already stopped.
    NotModified,
    /// 409: the name is taken, or the object is being changed by someone else.
    Conflict,
    /// Anything else, or no answer at all.
    Other,
}

impl EngineErrorKind {
    /// The kind of a bollard error.
    pub fn of(err: &BollardError) -> EngineErrorKind {
        match err {
            BollardError::DockerResponseServerError { status_code, .. } => match status_code {
                404 => EngineErrorKind::NotFound,
                304 => EngineErrorKind::NotModified,
                409 => EngineErrorKind::Conflict,
                _ => EngineErrorKind::Other,
            },
            _ => EngineErrorKind::Other,
        }
    }
}

/// The daemon's message without bollard's wrapping ("Docker responded with status code...").
pub(crate) fn describe(err: &BollardError) -> String {
    match err {
        BollardError::DockerResponseServerError { message, .. } => message.trim().to_string(),
        BollardError::DockerStreamError { error } => error.trim().to_string(),
        BollardError::RequestTimeoutError => "the Docker daemon did not answer in time".into(),
        other => other.to_string(),
    }
}

/// A fix for the failures users hit most, matched on the daemon's message.
pub(crate) fn hint_for(action: &str, message: &str) -> Option<String> {
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
