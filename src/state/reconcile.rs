//! What `podc up` changes on a pod that already runs: a pure comparison of the containers found
//! (their config-hash labels) with the plan. Unchanged containers keep running untouched; a
//! changed member is recreated alone; a change to what the pause owns (ports, hostname, DNS,
//! host namespaces, sysctls) or to the init sequence rebuilds the pod.

use super::pod_view::PodView;
use super::ContainerState::{Exited, Running, Stopped};
use super::Role;
use crate::labels;
use crate::plan::Plan;

/// The outcome of comparing a running pod with its plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Change {
    /// Same configuration, everything running.
    Unchanged,
    /// Remove everything and create the pod again.
    Rebuild { reason: String },
    /// Only some members (and perhaps the supervisor's spec) changed.
    Members(MemberChanges),
}

/// Member-level changes, by manifest name, each with the reason shown to the user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct MemberChanges {
    pub create: Vec<(String, String)>,
    pub recreate: Vec<(String, String)>,
    pub remove: Vec<(String, String)>,
    /// The pod spec the record carries changed (probes, restartPolicy...), or there is no live
    /// record: release the old one, write a new one.
    pub supervisor: bool,
}

/// Compares `existing` with `plan`; `force` rebuilds whatever the comparison says.
pub(crate) fn diff(existing: &PodView, plan: &Plan, force: bool) -> Change {
    if force {
        return Change::Rebuild {
            reason: "--force-recreate".into(),
        };
    }
    let Some(pause) = &existing.pause else {
        return Change::Rebuild {
            reason: "its pause container is gone".into(),
        };
    };
    if !pause.state.is_running() {
        return Change::Rebuild {
            reason: format!("its pause container is {}", pause.state),
        };
    }
    if pause.config_hash.as_deref()
        != plan
            .pause
            .labels
            .get(labels::CONFIG_HASH)
            .map(String::as_str)
    {
        return Change::Rebuild {
            reason: "what the pause owns changed (ports, hostname, DNS, host aliases, sysctls or host namespaces)".into(),
        };
    }
    // A member missing and no live record (`up` creates it once every member exists; `down`
    // releases it before it stops any): an `up` or `down` was interrupted (killed) before it
    // finished. Volumes may not be filled, init containers may not have run: start over.
    let never_supervised = existing.record.as_ref().is_none_or(|r| match r.role {
        // An earlier podc's own supervisor: started once every member existed.
        Role::PodSupervisor => r.state.never_started(),
        _ => labels::is_released_spec(&r.docker_name),
    });
    let half_created = never_supervised
        && plan
            .members
            .iter()
            .any(|m| !existing.containers.iter().any(|c| c.name == m.name));
    if half_created {
        return Change::Rebuild {
            reason: "it was left half-created (an interrupted `podc up`): members missing, never supervised".into(),
        };
    }
    let mut changes = MemberChanges::default();
    for (spec, role) in plan.members.iter().map(|m| (m, "container")) {
        let hash = spec.labels.get(labels::CONFIG_HASH).map(String::as_str);
        match existing.containers.iter().find(|c| c.name == spec.name) {
            None => changes
                .create
                .push((spec.name.clone(), format!("new {role}"))),
            Some(c) if c.config_hash.as_deref() != hash => changes
                .recreate
                .push((spec.name.clone(), "its configuration changed".into())),
            // Running, or exited and waiting for its restart: the supervisor's.
            Some(c) if !matches!(c.state, Running | Exited | Stopped) => changes
                .recreate
                .push((spec.name.clone(), format!("it is {}", c.state))),
            Some(_) => {}
        }
    }
    for c in &existing.containers {
        if !plan.members.iter().any(|m| m.name == c.name) {
            changes
                .remove
                .push((c.name.clone(), "no longer in the manifest".into()));
        }
    }
    // A changed spec, no live record, or an earlier podc's own supervisor: a new record.
    let spec_hash = existing
        .live_record()
        .and_then(|r| r.config_hash.as_deref());
    changes.supervisor = spec_hash != Some(plan.config_hash.as_str());
    let nothing =
        changes.create.is_empty() && changes.recreate.is_empty() && changes.remove.is_empty();
    match (nothing, changes.supervisor) {
        (true, false) => Change::Unchanged,
        _ => Change::Members(changes),
    }
}

impl MemberChanges {
    /// One line per change, for the user.
    pub(crate) fn describe(&self, pod: &str) -> Vec<String> {
        let mut lines = Vec::new();
        for (name, why) in &self.create {
            lines.push(format!("pod {pod}: creating {name} ({why})"));
        }
        for (name, why) in &self.recreate {
            lines.push(format!("pod {pod}: recreating {name} ({why})"));
        }
        for (name, why) in &self.remove {
            lines.push(format!("pod {pod}: removing {name} ({why})"));
        }
        if self.supervisor && lines.is_empty() {
            lines.push(format!("pod {pod}: updating its supervisor (probes or restart policy changed, or it was not supervised)"));
        }
        lines
    }
}

#[cfg(test)]
mod tests;
