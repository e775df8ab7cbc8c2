//! A pod as found in the engine, read from labels alone (`docker::inventory` builds it from one
//! list call): how `ps`, `down`, `up` and the supervisor see a pod, from any shell, after any
//! crash. Pure: the phase rules and the supervisor's overlay are tested by value.

use super::status::StatusLine;
use super::{ContainerState, Phase, Role};
use crate::labels;
use crate::plan::Check;
use serde::Serialize;

/// A pod as found in Docker.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PodView {
    pub name: String,
    /// Kubernetes' phase.
    pub phase: Phase,
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
pub(crate) struct ContainerView {
    /// Name in the manifest (`POD` for the pause).
    pub name: String,
    pub role: Role,
    pub docker_name: String,
    pub id: String,
    pub image: String,
    pub state: ContainerState,
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
    /// On a spec record: the format of the plan it stores (`None`: a record of podc before the
    /// stored plan, which holds the pod spec).
    #[serde(skip)]
    pub plan_format: Option<u32>,
}

impl PodView {
    /// The preStop hook of member `c`: its own label, or for a member of an earlier podc, the
    /// hook in the pod spec its record holds.
    pub(crate) fn pre_stop(&self, c: &ContainerView) -> Option<Check> {
        if let Some(check) = &c.pre_stop {
            return Some(check.clone());
        }
        let container = self.legacy_spec.as_ref()?.spec.container(&c.name)?;
        let handler = container.lifecycle.as_ref()?.pre_stop.as_ref()?;
        Check::for_hook(handler, container)
    }

    /// Members that are ready, and all members.
    pub(crate) fn ready_count(&self) -> (usize, usize) {
        let ready = self.containers.iter().filter(|c| c.ready).count();
        (ready, self.containers.len())
    }

    /// Every container of the pod: record, members, helpers, pause last.
    pub(crate) fn all_containers(&self) -> impl Iterator<Item = &ContainerView> {
        self.record
            .iter()
            .chain(self.containers.iter())
            .chain(self.helpers.iter())
            .chain(self.pause.iter())
    }

    /// The record the host supervisor works from: a live spec record, not a released one nor
    /// an earlier podc's own supervisor.
    pub(crate) fn live_record(&self) -> Option<&ContainerView> {
        self.record
            .as_ref()
            .filter(|r| r.role == Role::Spec && !labels::is_released_spec(&r.docker_name))
    }
}

/// The supervisor's view wins over the labels' for what only it knows. Pure.
pub(crate) fn apply_status(pod: &mut PodView, status: &StatusLine) {
    for c in &mut pod.containers {
        if let Some(line) = status.containers.iter().find(|l| l.name == c.name) {
            c.ready = line.ready && c.state.is_running();
            c.restart_count = c.restart_count.max(line.restart_count);
            c.last_probe_failure = line.last_probe_failure.clone();
            if line.last_reason.is_some() {
                c.last_reason = line.last_reason.clone();
            }
        }
    }
    pod.pod_restarts = pod.pod_restarts.max(status.pod_restarts);
    // Only the supervisor knows a member waiting out its backoff will run again.
    if status.phase != Phase::Unknown {
        pod.phase = status.phase;
    }
}

/// Kubernetes' phase from the containers' states.
pub(crate) fn phase(p: &PodView) -> Phase {
    let members = &p.containers;
    let pause_running = p.pause.as_ref().is_some_and(|c| c.state.is_running());
    if members.iter().any(|c| c.state.is_running()) && pause_running {
        return Phase::Running;
    }
    if members.iter().all(|c| c.state.never_started()) && !members.is_empty() {
        return Phase::Pending;
    }
    let terminated = members.iter().all(|c| c.state.has_ended());
    if terminated && !members.is_empty() && members.iter().all(|c| c.exit_code == Some(0)) {
        return Phase::Succeeded;
    }
    Phase::Failed
}
