//! What runs, read from Docker labels alone: one list call, grouped into pods. This is how
//! `ps`, `down` and `up` find a pod, from any shell, after any crash.

use crate::error::{Error, Result};
use crate::labels;
use crate::state::pod_view::phase;
pub(crate) use crate::state::pod_view::{apply_status, ContainerView, PodView};
use crate::state::{ContainerState, Phase, Role};
use bollard::models::ContainerSummary;
use bollard::query_parameters::ListContainersOptionsBuilder;
use bollard::Docker;
use std::collections::BTreeMap;

/// Lists the pods podc created (one pod, or all when `pod` is None), sorted by name.
pub(crate) async fn list(docker: &Docker, pod: Option<&str>) -> Result<Vec<PodView>> {
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
pub(crate) async fn with_supervisor_status(
    docker: &Docker,
    mut pods: Vec<PodView>,
) -> Vec<PodView> {
    if pods.iter().all(|p| p.live_record().is_none()) {
        return pods;
    }
    let (host, frame) = tokio::join!(
        super::supervisor::inspect_host(docker),
        super::supervisor::last_frame(docker)
    );
    let running = matches!(host, Ok(Some(h)) if super::supervisor::is_running(&h));
    let Some(frame) = frame.filter(|_| running) else {
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

/// Groups container summaries into pods. Pure, so the phase rules are tested by value.
pub(crate) fn group(summaries: Vec<ContainerSummary>) -> Vec<PodView> {
    let mut pods: BTreeMap<String, PodView> = BTreeMap::new();
    for s in summaries {
        let labels = s.labels.clone().unwrap_or_default();
        let Some(pod) = labels.get(labels::POD).cloned() else {
            continue;
        };
        let view = pods.entry(pod.clone()).or_insert_with(|| PodView {
            name: pod,
            phase: Phase::Unknown,
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
        match container.role {
            Role::Pause => {
                view.config_hash = container.config_hash.clone();
                view.pod_restarts = labels
                    .get(labels::POD_RESTARTS)
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
                view.pause = Some(container);
            }
            Role::Spec | Role::PodSupervisor => {
                view.legacy_spec = labels
                    .get(labels::SPEC)
                    .and_then(|json| serde_json::from_str(json).ok());
                view.record = Some(container);
            }
            Role::Volumes | Role::Holder => view.helpers.push(container),
            // The host supervisor carries no pod label: it is never grouped into a pod.
            Role::App | Role::Init | Role::Sidecar | Role::HostSupervisor => {
                view.containers.push(container)
            }
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

fn container_view(
    s: &ContainerSummary,
    labels: &std::collections::HashMap<String, String>,
) -> ContainerView {
    let state = ContainerState::parse(&s.state.map(|st| st.to_string()).unwrap_or_default());
    let docker_name = s
        .names
        .as_ref()
        .and_then(|n| n.first())
        .map(|n| n.trim_start_matches('/').to_string())
        .unwrap_or_default();
    // A pod-labelled container of a role this podc never writes counts as a member.
    let role = Role::of(labels).unwrap_or(Role::App);
    let ports = if role == Role::Pause {
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
        name: match (labels.get(labels::CONTAINER), role) {
            (Some(name), _) => name.clone(),
            (None, Role::Spec) => "SPEC".into(),
            (None, Role::PodSupervisor) => "SUPERVISOR".into(),
            (None, Role::Volumes) => "VOLUMES".into(),
            (None, Role::Holder) => "HOLDER".into(),
            (None, _) => "POD".into(),
        },
        docker_name,
        role,
        id: s.id.clone().unwrap_or_default(),
        image: s.image.clone().unwrap_or_default(),
        exit_code: exit_code(s.status.as_deref().unwrap_or("")),
        // Until the supervisor says otherwise (probes), a running member counts as ready.
        ready: state.is_running(),
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
        plan_format: labels.get(labels::PLAN_FORMAT).and_then(|n| n.parse().ok()),
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
pub(crate) fn exit_code(status: &str) -> Option<i64> {
    let rest = status.strip_prefix("Exited (")?;
    rest.split(')').next()?.parse().ok()
}

#[cfg(test)]
mod tests;
