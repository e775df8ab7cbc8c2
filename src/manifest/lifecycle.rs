//! Typed lifecycle fields: `initContainers` (and native sidecars among them) and
//! `lifecycle.postStart` / `preStop` hooks.

use super::port_ref::{PortRef, Scheme};
use serde::{Deserialize, Serialize};

/// An init container's `restartPolicy`: `Always` makes it a native sidecar (Kubernetes 1.28+):
/// started in init order, kept running, stopped after the app containers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum ContainerRestartPolicy {
    Always,
}

/// `lifecycle`: hooks run right after the container starts and right before it is stopped.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Lifecycle {
    pub post_start: Option<LifecycleHandler>,
    pub pre_stop: Option<LifecycleHandler>,
}

/// A hook: exactly one of `exec`, `httpGet`, `sleep` (`tcpSocket` is deprecated in Kubernetes
/// and refused by the checks).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LifecycleHandler {
    pub exec: Option<ExecAction>,
    pub http_get: Option<HookHttpGet>,
    pub sleep: Option<SleepAction>,
}

/// `exec.command`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
pub struct ExecAction {
    #[serde(default)]
    pub command: Vec<String>,
}

/// A hook's `httpGet` (same fields as a probe's).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HookHttpGet {
    #[serde(default = "root_path")]
    pub path: String,
    pub port: PortRef,
    pub host: Option<String>,
    #[serde(default)]
    pub http_headers: Vec<HttpHeader>,
    #[serde(default, skip_serializing_if = "Scheme::is_http")]
    pub scheme: Scheme,
}

fn root_path() -> String {
    "/".into()
}

/// `httpHeaders[]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct HttpHeader {
    pub name: String,
    pub value: String,
}

/// `sleep.seconds`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct SleepAction {
    pub seconds: u32,
}
