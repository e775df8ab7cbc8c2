//! Probes and lifecycle hooks, resolved while planning: what the supervisor, the init step, `up`
//! and `down` run, with every named port turned into its number. Pure.

use crate::manifest::{Container, LifecycleHandler, PortRef, Probe, ProbeHandler, Scheme};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// One check against a container: a probe's handler or a hook's action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Check {
    /// Run `command` in the container; exit 0 is a success.
    Exec { command: Vec<String> },
    /// Open a TCP connection to the pod (or `host`).
    Tcp { host: Option<String>, port: u16 },
    /// `GET http(s)://host:port/path`; 200 to 399 is a success.
    Http {
        host: Option<String>,
        port: u16,
        path: String,
        headers: Vec<(String, String)>,
        scheme: Scheme,
    },
    /// The gRPC health service on `port`; `service` "" is the whole server.
    Grpc { port: u16, service: String },
    /// A hook's `sleep` (never a probe).
    Sleep { seconds: u32 },
    /// A named port the container does not declare (the checks refuse it, so only a plan made
    /// from an unchecked pod has one): every try fails with this reason.
    Unresolvable { reason: String },
}

impl Check {
    /// The check a probe handler of `container` makes.
    pub(crate) fn for_probe(handler: &ProbeHandler, container: &Container) -> Check {
        let resolved = |port: &PortRef| resolve(port, container);
        match handler {
            ProbeHandler::Exec { command } => Check::Exec {
                command: command.clone(),
            },
            ProbeHandler::HttpGet {
                path,
                port,
                host,
                headers,
                scheme,
            } => match resolved(port) {
                Ok(port) => Check::Http {
                    host: host.clone(),
                    port,
                    path: path.clone(),
                    headers: headers.clone(),
                    scheme: *scheme,
                },
                Err(reason) => Check::Unresolvable { reason },
            },
            ProbeHandler::TcpSocket { port, host } => match resolved(port) {
                Ok(port) => Check::Tcp {
                    host: host.clone(),
                    port,
                },
                Err(reason) => Check::Unresolvable { reason },
            },
            ProbeHandler::Grpc { port, service } => Check::Grpc {
                port: *port,
                service: service.clone().unwrap_or_default(),
            },
        }
    }

    /// The check a lifecycle hook of `container` makes; `None` for a hook with no action.
    pub(crate) fn for_hook(handler: &LifecycleHandler, container: &Container) -> Option<Check> {
        if let Some(sleep) = &handler.sleep {
            return Some(Check::Sleep {
                seconds: sleep.seconds,
            });
        }
        Some(match (&handler.exec, &handler.http_get) {
            (Some(exec), _) => Check::Exec {
                command: exec.command.clone(),
            },
            (None, Some(get)) => match resolve(&get.port, container) {
                Ok(port) => Check::Http {
                    host: get.host.clone(),
                    port,
                    path: get.path.clone(),
                    headers: get
                        .http_headers
                        .iter()
                        .map(|h| (h.name.clone(), h.value.clone()))
                        .collect(),
                    scheme: get.scheme,
                },
                Err(reason) => Check::Unresolvable { reason },
            },
            (None, None) => return None,
        })
    }

    /// Whether the check reaches the pod over the network (through the pause or its address).
    pub(crate) fn uses_network(&self) -> bool {
        matches!(
            self,
            Check::Tcp { .. } | Check::Http { .. } | Check::Grpc { .. }
        )
    }
}

fn resolve(port: &PortRef, container: &Container) -> Result<u16, String> {
    port.resolve_port(container).ok_or_else(|| {
        let shown = match port {
            PortRef::Number(n) => n.to_string(),
            PortRef::Name(name) => format!("`{name}`"),
        };
        format!("port {shown} is not declared by {}", container.name)
    })
}

/// A probe with its check resolved and Kubernetes' timing filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ProbePlan {
    pub check: Check,
    pub initial_delay_seconds: u32,
    pub period_seconds: u32,
    pub timeout_seconds: u32,
    pub success_threshold: u32,
    pub failure_threshold: u32,
}

impl ProbePlan {
    /// `probe` of `container`, its port resolved.
    pub(crate) fn new(probe: &Probe, container: &Container) -> ProbePlan {
        ProbePlan {
            check: Check::for_probe(&probe.handler, container),
            initial_delay_seconds: probe.initial_delay_seconds,
            period_seconds: probe.period_seconds,
            timeout_seconds: probe.timeout_seconds,
            success_threshold: probe.success_threshold,
            failure_threshold: probe.failure_threshold,
        }
    }

    /// A probe of this check with every number at Kubernetes' default.
    #[cfg(test)]
    pub(crate) fn with_defaults(check: Check) -> ProbePlan {
        let defaults = Probe::new(ProbeHandler::Exec {
            command: Vec::new(),
        });
        ProbePlan {
            check,
            initial_delay_seconds: defaults.initial_delay_seconds,
            period_seconds: defaults.period_seconds,
            timeout_seconds: defaults.timeout_seconds,
            success_threshold: defaults.success_threshold,
            failure_threshold: defaults.failure_threshold,
        }
    }

    /// How long one try may take (at least a second, as the kubelet rounds it).
    pub(crate) fn timeout(&self) -> Duration {
        Duration::from_secs(self.timeout_seconds.max(1) as u64)
    }

    /// Time between tries (at least a second).
    pub(crate) fn period(&self) -> Duration {
        Duration::from_secs(self.period_seconds.max(1) as u64)
    }

    /// Time before the first try.
    pub(crate) fn initial_delay(&self) -> Duration {
        Duration::from_secs(self.initial_delay_seconds as u64)
    }
}

/// A container's three probes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Probes {
    pub startup: Option<ProbePlan>,
    pub readiness: Option<ProbePlan>,
    pub liveness: Option<ProbePlan>,
}

impl Probes {
    /// `container`'s probes, resolved.
    pub(crate) fn of(container: &Container) -> Probes {
        let plan = |p: &Option<Probe>| p.as_ref().map(|p| ProbePlan::new(p, container));
        Probes {
            startup: plan(&container.startup_probe),
            readiness: plan(&container.readiness_probe),
            liveness: plan(&container.liveness_probe),
        }
    }
}

/// A container's lifecycle hooks, resolved.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Hooks {
    pub post_start: Option<Check>,
    pub pre_stop: Option<Check>,
}

impl Hooks {
    /// `container`'s hooks, resolved.
    pub(crate) fn of(container: &Container) -> Hooks {
        let lifecycle = container.lifecycle.as_ref();
        let hook = |h: Option<&LifecycleHandler>| h.and_then(|h| Check::for_hook(h, container));
        Hooks {
            post_start: hook(lifecycle.and_then(|l| l.post_start.as_ref())),
            pre_stop: hook(lifecycle.and_then(|l| l.pre_stop.as_ref())),
        }
    }
}
