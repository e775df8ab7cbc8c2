//! `podc supervise` (hidden): the entry point of the host-wide supervisor, inside the
//! `podc-supervisor` container.

use crate::docker;
use crate::error::Result;

/// Supervises every pod until SIGTERM.
pub(crate) async fn supervise() -> Result<i32> {
    let docker = docker::connect().await?;
    crate::supervise::host::supervise(docker).await
}
