//! `lifecycle.postStart` and `preStop` hooks. `exec` runs in the container, `httpGet` through
//! the pause (same reach as probes, HTTPS too), `sleep` here.

use super::probe::{self, NetworkRoute, ProbeCall};
use crate::manifest::{Container, LifecycleHandler, PortRef};
use bollard::Docker;
use std::time::Duration;

/// Which hook, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hook {
    PostStart,
    PreStop,
}

impl Hook {
    /// Kubernetes' field name.
    pub fn name(self) -> &'static str {
        match self {
            Hook::PostStart => "postStart",
            Hook::PreStop => "preStop",
        }
    }
}

/// Runs `handler` for the container `container_id` within `limit`. Err carries the reason
/// ("postStart hook failed: exec exited 1: ...").
pub async fn run(
    docker: &Docker,
    hook: Hook,
    handler: &LifecycleHandler,
    container: &Container,
    container_id: &str,
    pause_id: &str,
    limit: Duration,
) -> Result<(), String> {
    let fail = |why: String| format!("{} hook failed: {why}", hook.name());
    if let Some(sleep) = &handler.sleep {
        tokio::time::sleep(Duration::from_secs(sleep.seconds as u64).min(limit)).await;
        return Ok(());
    }
    let call = match (&handler.exec, &handler.http_get) {
        (Some(exec), _) => ProbeCall::Exec {
            container_id: container_id.to_string(),
            command: exec.command.clone(),
        },
        (None, Some(get)) => ProbeCall::Http {
            host: get.host.clone(),
            port: resolve(&get.port, container).ok_or_else(|| {
                fail(format!(
                    "port {} is not declared by {}",
                    describe(&get.port),
                    container.name
                ))
            })?,
            path: get.path.clone(),
            headers: get
                .http_headers
                .iter()
                .map(|h| (h.name.clone(), h.value.clone()))
                .collect(),
            scheme: get.scheme,
        },
        (None, None) => return Ok(()),
    };
    let route = NetworkRoute::PauseExec {
        pause_id: pause_id.to_string(),
    };
    probe::run(docker, &call, &route, limit).await.map_err(fail)
}

fn resolve(port: &PortRef, container: &Container) -> Option<u16> {
    port.resolve_port(container)
}

fn describe(port: &PortRef) -> String {
    match port {
        PortRef::Number(n) => n.to_string(),
        PortRef::Name(name) => format!("`{name}`"),
    }
}
