//! What runs, read from Docker labels alone: one list call, grouped into pods. This is how
//! `ps`, `down` and `up` find a pod, from any shell, after any crash.

use crate::error::{Error, Result};
use crate::labels;
use crate::plan::Check;
use crate::supervise::status::{StatusFrame, StatusLine};
use bollard::models::ContainerSummary;
use bollard::query_parameters::ListContainersOptionsBuilder;
use bollard::Docker;
use serde::Serialize;
use std::collections::BTreeMap;

/// A pod as found in Docker.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodView {
    pub name: String,
    /// Kubernetes' phase: Pending, Running, Succeeded, Failed.
    pub phase: &'static str,
    /// Members in manifest order.
    pub containers: Vec<ContainerView>,
    /// The pause, if it still exists.
    pub pause: Option<ContainerView>,
    /// The pod's spec record (or, from an earlier podc, its own supervisor container).
    #[serde(skip)]
    pub record: Option<ContainerView>,
    /// Short-lived helpers (the volume filler, the rebuild's volume holder): removed with the pod.
    #[serde(skip)]
    pub helpers: Vec<ContainerView>,
    /// Whether the supervisor reported on this pod (set by `with_supervisor_status`).
    pub supervised: bool,
    pub grace_seconds: u64,
    pub config_hash: Option<String>,
    /// Times the pod was rebuilt because its pause died.
    pub pod_restarts: u32,
    /// The pod's spec, from the label of a record written by podc before the stored plan
    /// (`down` finds such members' preStop hooks here).
    #[serde(skip)]
    pub legacy_spec: Option<crate::manifest::Pod>,
}

/// One container of a pod.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerView {
    /// Name in the manifest (`POD` for the pause).
    pub name: String,
    /// `pause`, `container`, `init`, `sidecar`, `spec`, `volumes`, `holder` or `supervisor`.
    pub role: String,
    pub docker_name: String,
    pub id: String,
    pub image: String,
    /// Docker's state word: created, running, exited...
    pub state: String,
    pub exit_code: Option<i64>,
    pub ready: bool,
    pub restart_count: u32,
    /// Why it last exited ("Error (exit 1)", "liveness probe failed: ...").
    pub last_reason: Option<String>,
    /// The last failed probe, from the supervisor.
    pub last_probe_failure: Option<String>,
    pub ports: Vec<String>,
    /// The `io.podc.pod` label this container carries (checked before every stop/remove).
    #[serde(skip)]
    pub pod_label: Option<String>,
    #[serde(skip)]
    pub index: usize,
    #[serde(skip)]
    pub config_hash: Option<String>,
    /// Its preStop hook, resolved (label `io.podc.pre-stop`).
    #[serde(skip)]
    pub pre_stop: Option<Check>,
}

impl PodView {
    /// The preStop hook of member `c`: its own label, or for a member of an earlier podc, the
    /// hook in the pod spec its record holds.
    pub fn pre_stop(&self, c: &ContainerView) -> Option<Check> {
        if let Some(check) = &c.pre_stop {
            return Some(check.clone());
        }
        let container = self.legacy_spec.as_ref()?.spec.container(&c.name)?;
        let handler = container.lifecycle.as_ref()?.pre_stop.as_ref()?;
        Check::for_hook(handler, container)
    }

    /// Members that are ready, and all members.
    pub fn ready_count(&self) -> (usize, usize) {
        let ready = self.containers.iter().filter(|c| c.ready).count();
        (ready, self.containers.len())
    }

    /// Every container of the pod: record, members, helpers, pause last.
    pub fn all_containers(&self) -> impl Iterator<Item = &ContainerView> {
        self.record
            .iter()
            .chain(self.containers.iter())
            .chain(self.helpers.iter())
            .chain(self.pause.iter())
    }

    /// The record the host supervisor works from: a live spec record, not a released one nor
    /// an earlier podc's own supervisor.
    pub fn live_record(&self) -> Option<&ContainerView> {
        self.record
            .as_ref()
            .filter(|r| r.role == labels::ROLE_SPEC && !labels::is_released_spec(&r.docker_name))
    }
}

/// Lists the pods podc created (one pod, or all when `pod` is None), sorted by name.
pub async fn list(docker: &Docker, pod: Option<&str>) -> Result<Vec<PodView>> {
    let options = ListContainersOptionsBuilder::default()
        .all(true)
        .filters(&labels::pod_filter(pod))
        .build();
    let summaries = docker
        .list_containers(Some(options))
        .await
        .map_err(|e| Error::docker("list containers of", pod.unwrap_or("every pod"), e))?;
    Ok(group(summaries))
}

/// Overlays what the host supervisor last reported (readiness, probe failures) on `pods`: one
/// log read for all of them. Without a running supervisor, or for a pod it does not report on
/// from its current record, the pod keeps what the labels say (`supervised` stays false).
pub async fn with_supervisor_status(docker: &Docker, mut pods: Vec<PodView>) -> Vec<PodView> {
    if pods.iter().all(|p| p.live_record().is_none()) {
        return pods;
    }
    let (host, text) = tokio::join!(
        super::supervisor::inspect_host(docker),
        // Its stdout holds nothing but frames: the last line is the latest.
        super::logs::tail_stdout(docker, labels::HOST_SUPERVISOR, 1)
    );
    let running = matches!(host, Ok(Some(h)) if super::supervisor::is_running(&h));
    let Some(frame) = StatusFrame::last_in(&text).filter(|_| running) else {
        return pods;
    };
    for pod in &mut pods {
        let record = pod.live_record().map(|r| r.id.clone());
        if let Some(status) = record.and_then(|r| frame.pod(&pod.name, Some(&r)).cloned()) {
            apply_status(pod, &status);
            pod.supervised = true;
        }
    }
    pods
}

/// The supervisor's view wins over the labels' for what only it knows. Pure.
pub fn apply_status(pod: &mut PodView, status: &StatusLine) {
    for c in &mut pod.containers {
        if let Some(line) = status.containers.iter().find(|l| l.name == c.name) {
            c.ready = line.ready && c.state == "running";
            c.restart_count = c.restart_count.max(line.restart_count);
            c.last_probe_failure = line.last_probe_failure.clone();
            if line.last_reason.is_some() {
                c.last_reason = line.last_reason.clone();
            }
        }
    }
    pod.pod_restarts = pod.pod_restarts.max(status.pod_restarts);
    // Only the supervisor knows a member waiting out its backoff will run again.
    pod.phase = match status.phase.as_str() {
        "Pending" => "Pending",
        "Running" => "Running",
        "Succeeded" => "Succeeded",
        "Failed" => "Failed",
        _ => pod.phase,
    };
}

/// Groups container summaries into pods. Pure, so the phase rules are tested by value.
pub fn group(summaries: Vec<ContainerSummary>) -> Vec<PodView> {
    let mut pods: BTreeMap<String, PodView> = BTreeMap::new();
    for s in summaries {
        let labels = s.labels.clone().unwrap_or_default();
        let Some(pod) = labels.get(labels::POD).cloned() else {
            continue;
        };
        let view = pods.entry(pod.clone()).or_insert_with(|| PodView {
            name: pod,
            phase: "Unknown",
            containers: Vec::new(),
            pause: None,
            record: None,
            helpers: Vec::new(),
            supervised: false,
            grace_seconds: crate::plan::DEFAULT_GRACE_SECONDS as u64,
            config_hash: None,
            pod_restarts: 0,
            legacy_spec: None,
        });
        if let Some(grace) = labels
            .get(labels::GRACE_SECONDS)
            .and_then(|g| g.parse().ok())
        {
            view.grace_seconds = grace;
        }
        let container = container_view(&s, &labels);
        match labels.get(labels::ROLE).map(String::as_str) {
            Some(labels::ROLE_PAUSE) => {
                view.config_hash = container.config_hash.clone();
                view.pod_restarts = labels
                    .get(labels::POD_RESTARTS)
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
                view.pause = Some(container);
            }
            Some(labels::ROLE_SPEC | labels::ROLE_SUPERVISOR) => {
                view.legacy_spec = labels
                    .get(labels::SPEC)
                    .and_then(|json| serde_json::from_str(json).ok());
                view.record = Some(container);
            }
            Some(labels::ROLE_VOLUMES | labels::ROLE_HOLDER) => view.helpers.push(container),
            _ => view.containers.push(container),
        }
    }
    pods.into_values()
        .map(|mut p| {
            p.containers.sort_by_key(|c| (c.index, c.name.clone()));
            p.phase = phase(&p);
            p
        })
        .collect()
}

fn role_of(labels: &std::collections::HashMap<String, String>) -> &str {
    labels
        .get(labels::ROLE)
        .map(String::as_str)
        .unwrap_or_default()
}

fn container_view(
    s: &ContainerSummary,
    labels: &std::collections::HashMap<String, String>,
) -> ContainerView {
    let state = s.state.map(|st| st.to_string()).unwrap_or_default();
    let docker_name = s
        .names
        .as_ref()
        .and_then(|n| n.first())
        .map(|n| n.trim_start_matches('/').to_string())
        .unwrap_or_default();
    let is_pause = labels.get(labels::ROLE).map(String::as_str) == Some(labels::ROLE_PAUSE);
    let ports = if is_pause {
        published(s)
    } else {
        labels
            .get(labels::PORTS)
            .map(|p| {
                p.split(',')
                    .filter(|x| !x.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    ContainerView {
        name: match (labels.get(labels::CONTAINER), role_of(labels)) {
            (Some(name), _) => name.clone(),
            (None, labels::ROLE_SPEC) => "SPEC".into(),
            (None, labels::ROLE_SUPERVISOR) => "SUPERVISOR".into(),
            (None, labels::ROLE_VOLUMES) => "VOLUMES".into(),
            (None, labels::ROLE_HOLDER) => "HOLDER".into(),
            (None, _) => "POD".into(),
        },
        docker_name,
        role: labels.get(labels::ROLE).cloned().unwrap_or_default(),
        id: s.id.clone().unwrap_or_default(),
        image: s.image.clone().unwrap_or_default(),
        exit_code: exit_code(s.status.as_deref().unwrap_or("")),
        // Until the supervisor says otherwise (probes), a running member counts as ready.
        ready: state == "running",
        state,
        last_reason: labels.get(labels::LAST_REASON).cloned(),
        last_probe_failure: None,
        restart_count: labels
            .get(labels::RESTART_COUNT)
            .and_then(|n| n.parse().ok())
            .unwrap_or(0),
        ports,
        pod_label: labels.get(labels::POD).cloned(),
        index: labels
            .get(labels::INDEX)
            .and_then(|i| i.parse().ok())
            .unwrap_or(usize::MAX),
        config_hash: labels.get(labels::CONFIG_HASH).cloned(),
        pre_stop: labels
            .get(labels::PRE_STOP)
            .and_then(|json| serde_json::from_str(json).ok()),
    }
}

/// The pause's actual bindings, `hostIP:hostPort->port/proto`.
fn published(s: &ContainerSummary) -> Vec<String> {
    let mut out: Vec<String> = s
        .ports
        .iter()
        .flatten()
        .filter_map(|p| {
            let public = p.public_port?;
            let ip = p.ip.clone().unwrap_or_default();
            let proto = p.typ.map(|t| t.to_string()).unwrap_or_else(|| "tcp".into());
            Some(format!("{ip}:{public}->{}/{proto}", p.private_port))
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Docker's status line "Exited (137) 2 seconds ago" carries the exit code; parsing it spares an
/// inspect round-trip per container.
pub fn exit_code(status: &str) -> Option<i64> {
    let rest = status.strip_prefix("Exited (")?;
    rest.split(')').next()?.parse().ok()
}

/// Kubernetes' phase from the containers' states.
fn phase(p: &PodView) -> &'static str {
    let members = &p.containers;
    let pause_running = p.pause.as_ref().is_some_and(|c| c.state == "running");
    if members.iter().any(|c| c.state == "running") && pause_running {
        return "Running";
    }
    if members.iter().all(|c| c.state == "created") && !members.is_empty() {
        return "Pending";
    }
    let terminated = members
        .iter()
        .all(|c| c.state == "exited" || c.state == "dead");
    if terminated && !members.is_empty() && members.iter().all(|c| c.exit_code == Some(0)) {
        return "Succeeded";
    }
    "Failed"
}

#[cfg(test)]
mod tests;
