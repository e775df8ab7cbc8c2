//! Typed view of the Kubernetes v1 Pod fields podc applies. Everything here has passed the
//! schema walk in `schema.rs`, so unknown fields never reach these structs. It serializes back
//! to the same Kubernetes shape (camelCase fields, probes with their handler field), so a pod
//! written to JSON reads back equal.

use super::lifecycle::{ContainerRestartPolicy, Lifecycle};
use super::metadata::Metadata;
use super::objects::{EnvFromSource, EnvVarSource};
use super::port_ref::{PortRef, Scheme};
use super::settings::{DnsConfig, HostAlias, PodSecurityContext, Resources, SecurityContext};
use super::volumes::{Volume, VolumeMount};
use serde::{Deserialize, Serialize};

/// A pod manifest: `apiVersion: v1`, `kind: Pod`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pod {
    pub metadata: Metadata,
    pub spec: PodSpec,
}

/// `spec`: the members and the pod-wide settings the pause owns.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodSpec {
    pub containers: Vec<Container>,
    pub hostname: Option<String>,
    pub termination_grace_period_seconds: Option<i64>,
    /// podc shares the PID namespace unless this is explicitly `false` (Kubernetes: opt-in).
    pub share_process_namespace: Option<bool>,
    #[serde(default)]
    pub restart_policy: RestartPolicy,
    /// Run one at a time, in order, each to exit 0, before the app containers; those with
    /// `restartPolicy: Always` are native sidecars.
    #[serde(default)]
    pub init_containers: Vec<Container>,
    #[serde(default)]
    pub volumes: Vec<Volume>,
    pub security_context: Option<PodSecurityContext>,
    #[serde(default)]
    pub host_aliases: Vec<HostAlias>,
    pub dns_config: Option<DnsConfig>,
    pub host_network: Option<bool>,
    #[serde(rename = "hostPID")]
    pub host_pid: Option<bool>,
    #[serde(rename = "hostIPC")]
    pub host_ipc: Option<bool>,
    pub node_name: Option<String>,
    /// Secrets of type `kubernetes.io/dockerconfigjson` in the same file whose credentials
    /// podc uses to pull this pod's images. Not serialized when empty, so the config hash of a
    /// pod without them is unchanged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub image_pull_secrets: Vec<PullSecretRef>,
}

/// `spec.imagePullSecrets[]` (Kubernetes `LocalObjectReference`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
pub struct PullSecretRef {
    pub name: String,
}

/// `spec.restartPolicy`: which exits of a member lead to a restart (Kubernetes' default: Always).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
pub enum RestartPolicy {
    #[default]
    Always,
    OnFailure,
    Never,
}

impl PodSpec {
    /// The containers a supervisor keeps running: native sidecars first (in init order), then
    /// the app containers. Init containers that run to completion are not among them.
    pub fn supervised_containers(&self) -> impl Iterator<Item = &Container> {
        let sidecars = self
            .init_containers
            .iter()
            .filter(|c| c.restart_policy.is_some());
        sidecars.chain(&self.containers)
    }

    /// Every container of the pod (app, init or sidecar), to change in place.
    pub(crate) fn all_containers_mut(&mut self) -> impl Iterator<Item = &mut Container> {
        self.containers
            .iter_mut()
            .chain(self.init_containers.iter_mut())
    }

    /// Any container of the pod (app, init or sidecar) by its name.
    pub fn container(&self, name: &str) -> Option<&Container> {
        self.containers
            .iter()
            .chain(&self.init_containers)
            .find(|c| c.name == name)
    }
}

impl RestartPolicy {
    /// Whether a member that exited with `exit_code` (or was OOM-killed) is restarted.
    pub fn restarts(self, exit_code: i64, oom_killed: bool) -> bool {
        match self {
            RestartPolicy::Always => true,
            RestartPolicy::OnFailure => exit_code != 0 || oom_killed,
            RestartPolicy::Never => false,
        }
    }
}

/// One member container.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
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
    pub liveness_probe: Option<Probe>,
    pub readiness_probe: Option<Probe>,
    pub startup_probe: Option<Probe>,
    /// Only on init containers: `Always` makes it a native sidecar.
    pub restart_policy: Option<ContainerRestartPolicy>,
    pub lifecycle: Option<Lifecycle>,
    #[serde(default)]
    pub env_from: Vec<EnvFromSource>,
    pub resources: Option<Resources>,
    pub security_context: Option<SecurityContext>,
    #[serde(default)]
    pub stdin: bool,
    #[serde(default)]
    pub tty: bool,
    #[serde(default)]
    pub volume_mounts: Vec<VolumeMount>,
}

/// `env[]` entry: a literal `value`, or a `valueFrom` source resolved when the pod is planned.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvVar {
    pub name: String,
    #[serde(default)]
    pub value: String,
    pub value_from: Option<EnvVarSource>,
}

/// `ports[]` entry; only entries with a `hostPort` are published (on the pause).
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
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
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Deserialize, Serialize,
)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
pub enum PullPolicy {
    #[default]
    IfNotPresent,
    Always,
    Never,
}

// ---------------------------------------------------------------------------------------------
// Probes

/// Kubernetes' default `periodSeconds`.
const DEFAULT_PERIOD_SECONDS: u32 = 10;
/// Kubernetes' default `timeoutSeconds`.
const DEFAULT_TIMEOUT_SECONDS: u32 = 1;
/// Kubernetes' default `successThreshold` (the only value liveness and startup probes accept).
const DEFAULT_SUCCESS_THRESHOLD: u32 = 1;
/// Kubernetes' default `failureThreshold`.
const DEFAULT_FAILURE_THRESHOLD: u32 = 3;
/// Kubernetes' default `httpGet.path`.
const DEFAULT_HTTP_PATH: &str = "/";

/// A `livenessProbe`, `readinessProbe` or `startupProbe`, with Kubernetes' defaults filled in.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(try_from = "RawProbe", into = "RawProbe")]
pub struct Probe {
    pub handler: ProbeHandler,
    pub initial_delay_seconds: u32,
    pub period_seconds: u32,
    pub timeout_seconds: u32,
    pub success_threshold: u32,
    pub failure_threshold: u32,
}

impl Probe {
    /// A probe with this handler and every number at its Kubernetes default.
    pub fn new(handler: ProbeHandler) -> Probe {
        Probe {
            handler,
            initial_delay_seconds: 0,
            period_seconds: DEFAULT_PERIOD_SECONDS,
            timeout_seconds: DEFAULT_TIMEOUT_SECONDS,
            success_threshold: DEFAULT_SUCCESS_THRESHOLD,
            failure_threshold: DEFAULT_FAILURE_THRESHOLD,
        }
    }
}

/// What a probe does; a probe has exactly one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeHandler {
    /// Run `command` in the container; exit 0 is a success.
    Exec { command: Vec<String> },
    /// `GET http(s)://host:port/path`; a status from 200 to 399 is a success.
    HttpGet {
        path: String,
        port: PortRef,
        /// Default: the pod's address.
        host: Option<String>,
        /// `httpHeaders[]` as (name, value), in file order.
        headers: Vec<(String, String)>,
        scheme: Scheme,
    },
    /// Open a TCP connection; connecting is a success.
    TcpSocket {
        port: PortRef,
        /// Default: the pod's address.
        host: Option<String>,
    },
    /// The gRPC health checking protocol; SERVING is a success.
    Grpc { port: u16, service: Option<String> },
}

// Inherent impl here, not in port_ref.rs: resolving a name needs the Container, and
// port_ref.rs stays below model.rs.
impl PortRef {
    /// The port number, looking a name up in `container`'s `ports`.
    pub fn resolve_port(&self, container: &Container) -> Option<u16> {
        match self {
            PortRef::Number(n) => Some(*n),
            PortRef::Name(name) => container
                .ports
                .iter()
                .find(|p| p.name.as_deref() == Some(name.as_str()))
                .and_then(|p| u16::try_from(p.container_port).ok()),
        }
    }
}

/// A probe as written, before the defaults: the checks already made sure it has one handler.
#[derive(Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct RawProbe {
    #[serde(skip_serializing_if = "Option::is_none")]
    exec: Option<RawExec>,
    #[serde(skip_serializing_if = "Option::is_none")]
    http_get: Option<RawHttpGet>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tcp_socket: Option<RawTcpSocket>,
    #[serde(skip_serializing_if = "Option::is_none")]
    grpc: Option<RawGrpc>,
    initial_delay_seconds: Option<u32>,
    period_seconds: Option<u32>,
    timeout_seconds: Option<u32>,
    success_threshold: Option<u32>,
    failure_threshold: Option<u32>,
}

#[derive(Clone, Deserialize, Serialize)]
struct RawExec {
    #[serde(default)]
    command: Vec<String>,
}

#[derive(Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct RawHttpGet {
    path: Option<String>,
    port: PortRef,
    host: Option<String>,
    #[serde(default)]
    http_headers: Vec<RawHeader>,
    #[serde(default, skip_serializing_if = "Scheme::is_http")]
    scheme: Scheme,
}

#[derive(Clone, Deserialize, Serialize)]
struct RawHeader {
    name: String,
    #[serde(default)]
    value: String,
}

#[derive(Clone, Deserialize, Serialize)]
struct RawTcpSocket {
    port: PortRef,
    host: Option<String>,
}

#[derive(Clone, Deserialize, Serialize)]
struct RawGrpc {
    port: u16,
    service: Option<String>,
}

impl From<Probe> for RawProbe {
    fn from(p: Probe) -> RawProbe {
        let mut raw = RawProbe {
            exec: None,
            http_get: None,
            tcp_socket: None,
            grpc: None,
            initial_delay_seconds: Some(p.initial_delay_seconds),
            period_seconds: Some(p.period_seconds),
            timeout_seconds: Some(p.timeout_seconds),
            success_threshold: Some(p.success_threshold),
            failure_threshold: Some(p.failure_threshold),
        };
        match p.handler {
            ProbeHandler::Exec { command } => raw.exec = Some(RawExec { command }),
            ProbeHandler::HttpGet {
                path,
                port,
                host,
                headers,
                scheme,
            } => {
                raw.http_get = Some(RawHttpGet {
                    path: Some(path),
                    port,
                    host,
                    http_headers: headers
                        .into_iter()
                        .map(|(name, value)| RawHeader { name, value })
                        .collect(),
                    scheme,
                })
            }
            ProbeHandler::TcpSocket { port, host } => {
                raw.tcp_socket = Some(RawTcpSocket { port, host })
            }
            ProbeHandler::Grpc { port, service } => raw.grpc = Some(RawGrpc { port, service }),
        }
        raw
    }
}

impl TryFrom<RawProbe> for Probe {
    type Error = String;

    fn try_from(raw: RawProbe) -> Result<Probe, String> {
        let mut handlers = Vec::new();
        if let Some(e) = raw.exec {
            handlers.push(ProbeHandler::Exec { command: e.command });
        }
        if let Some(h) = raw.http_get {
            handlers.push(ProbeHandler::HttpGet {
                path: h
                    .path
                    .filter(|p| !p.is_empty())
                    .unwrap_or_else(|| DEFAULT_HTTP_PATH.to_string()),
                port: h.port,
                host: h.host,
                headers: h
                    .http_headers
                    .into_iter()
                    .map(|x| (x.name, x.value))
                    .collect(),
                scheme: h.scheme,
            });
        }
        if let Some(t) = raw.tcp_socket {
            handlers.push(ProbeHandler::TcpSocket {
                port: t.port,
                host: t.host,
            });
        }
        if let Some(g) = raw.grpc {
            handlers.push(ProbeHandler::Grpc {
                port: g.port,
                service: g.service,
            });
        }
        let handler = match handlers.len() {
            1 => handlers.remove(0),
            n => return Err(format!("a probe needs exactly one handler, found {n}")),
        };
        // Kubernetes defaults a 0 (or absent) number to its default before validating.
        let or = |v: Option<u32>, default: u32| v.filter(|n| *n > 0).unwrap_or(default);
        let defaults = Probe::new(handler);
        Ok(Probe {
            initial_delay_seconds: raw
                .initial_delay_seconds
                .unwrap_or(defaults.initial_delay_seconds),
            period_seconds: or(raw.period_seconds, defaults.period_seconds),
            timeout_seconds: or(raw.timeout_seconds, defaults.timeout_seconds),
            success_threshold: or(raw.success_threshold, defaults.success_threshold),
            failure_threshold: or(raw.failure_threshold, defaults.failure_threshold),
            ..defaults
        })
    }
}
