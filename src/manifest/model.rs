//! Typed view of the Kubernetes v1 Pod fields podc applies. Everything here has passed the
//! schema walk in `schema.rs`, so unknown fields never reach these structs.

use serde::Deserialize;
use std::collections::BTreeMap;

/// A pod manifest: `apiVersion: v1`, `kind: Pod`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pod {
    pub metadata: Metadata,
    pub spec: PodSpec,
}

/// `metadata`: the pod's name and the labels/annotations podc copies onto every container.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    pub name: String,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
}

/// `spec`: the members and the pod-wide settings the pause owns.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodSpec {
    pub containers: Vec<Container>,
    pub hostname: Option<String>,
    pub termination_grace_period_seconds: Option<i64>,
    /// podc shares the PID namespace unless this is explicitly `false` (Kubernetes: opt-in).
    pub share_process_namespace: Option<bool>,
}

/// One member container.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Container {
    pub name: String,
    pub image: String,
    #[serde(default)]
    pub command: Vec<String>,
    #[serde(default)]
    pub args: Vec<String>,
    #[serde(default)]
    pub env: Vec<EnvVar>,
    pub working_dir: Option<String>,
    #[serde(default)]
    pub ports: Vec<ContainerPort>,
    pub image_pull_policy: Option<PullPolicy>,
}

/// `env[]` entry with a literal value (`valueFrom` is not applied yet).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvVar {
    pub name: String,
    #[serde(default)]
    pub value: String,
}

/// `ports[]` entry; only entries with a `hostPort` are published (on the pause).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerPort {
    pub container_port: i64,
    pub host_port: Option<i64>,
    #[serde(rename = "hostIP")]
    pub host_ip: Option<String>,
    #[serde(default)]
    pub protocol: Protocol,
    pub name: Option<String>,
}

/// `ports[].protocol`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Deserialize)]
pub enum Protocol {
    #[default]
    #[serde(rename = "TCP")]
    Tcp,
    #[serde(rename = "UDP")]
    Udp,
}

impl Protocol {
    /// Docker's spelling in port keys such as `80/tcp`.
    pub fn docker_name(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
        }
    }
}

/// `imagePullPolicy`. podc defaults to IfNotPresent for every tag (Kubernetes pulls `:latest`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
pub enum PullPolicy {
    #[default]
    IfNotPresent,
    Always,
    Never,
}
