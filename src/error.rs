//! The one error type a command returns. Each variant owns its exit code and its rendering:
//! what failed, on which object, and what to do.

use crate::manifest::ManifestError;
use std::fmt;

/// Exit code for a runtime failure (Docker, ports, images...).
pub const EXIT_RUNTIME: i32 = 1;
/// Exit code for bad input (manifest, arguments).
pub const EXIT_BAD_INPUT: i32 = 2;

/// Everything a podc command can fail with.
#[derive(Debug)]
pub enum Error {
    /// The manifest has problems; nothing was created.
    Manifest(ManifestError),
    /// Bad arguments or a file that cannot be used as input.
    Input(String),
    /// A Docker call failed: `action` on `object` (e.g. "start container", "blog_web").
    Docker {
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
pub type Result<T, E = Error> = std::result::Result<T, E>;

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
        let message = crate::docker::describe(&err);
        let hint = crate::docker::hint_for(action, &message);
        Error::Docker {
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
