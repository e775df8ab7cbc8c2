//! `podc supervise POD` (hidden): the supervisor's entry point inside `<pod>_SUPERVISOR`.

use crate::docker;
use crate::error::Result;
use crate::ui::Ui;

/// Supervises the pod until SIGTERM.
pub async fn supervise(pod: &str, ui: &Ui) -> Result<i32> {
    let docker = docker::connect().await?;
    crate::supervise::run::supervise(docker, pod, ui).await
}
