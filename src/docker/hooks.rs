//! `lifecycle.postStart` and `preStop` hooks, as the plan resolved them. `exec` runs in the
//! container, `httpGet` through the pod's route (same reach as probes, HTTPS too), `sleep` here.

use super::probe::{self, NetworkRoute};
use crate::plan::Check;
use bollard::Docker;
use std::time::Duration;

/// Which hook, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hook {
    PostStart,
    PreStop,
}

impl Hook {
    /// Kubernetes' field name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Hook::PostStart => "postStart",
            Hook::PreStop => "preStop",
        }
    }
}

/// Runs the hook `check` for the container `container_id` within `limit`. Err carries the
/// reason ("postStart hook failed: exec exited 1: ...").
pub(crate) async fn run(
    docker: &Docker,
    hook: Hook,
    check: &Check,
    container_id: &str,
    route: &NetworkRoute,
    limit: Duration,
) -> Result<(), String> {
    probe::run(docker, check, container_id, route, limit)
        .await
        .map_err(|why| format!("{} hook failed: {why}", hook.name()))
}
