//! Undoing a failed `apply`: exactly what it created, after the supervisor let the pod go.

use crate::docker::inventory;
use crate::error::Error;
use bollard::Docker;
use futures_util::future::join_all;

/// The rollback of a pod whose spec record was created: the supervisor lets the pod go first
/// (it may have restarted a member meanwhile), then what this `up` created goes, then anything
/// else carrying the pod's label (such a restarted member). The pod is this `up`'s: it created
/// the pause, so no other podc owns what carries the label.
pub(super) async fn rollback_supervised(
    docker: &Docker,
    pod: &str,
    record_id: &str,
    created: &[(String, String)],
) -> (Vec<String>, Vec<Error>) {
    let name = crate::labels::spec_name(pod);
    let mut failed = Vec::new();
    if let Err(e) = crate::docker::handover::release_spec(docker, pod, record_id, &name).await {
        failed.push(e);
    }
    let record = [(name, record_id.to_string())];
    let (mut removed, more_failed) = rollback(docker, &record).await;
    failed.extend(more_failed);
    let (more, more_failed) = rollback(docker, created).await;
    removed.extend(more);
    failed.extend(more_failed);
    let left: Vec<(String, String)> = match inventory::list(docker, Some(pod)).await {
        Ok(pods) => pods
            .iter()
            .flat_map(|p| p.all_containers())
            .filter(|c| c.pod_label.as_deref() == Some(pod))
            .map(|c| (c.docker_name.clone(), c.id.clone()))
            .collect(),
        Err(e) => {
            failed.push(e);
            Vec::new()
        }
    };
    let (more, more_failed) = rollback(docker, &left).await;
    removed.extend(more);
    failed.extend(more_failed);
    (removed, failed)
}

/// Force-removes (kills) what this `up` created; returns what went and what failed.
pub(super) async fn rollback(
    docker: &Docker,
    created: &[(String, String)],
) -> (Vec<String>, Vec<Error>) {
    let results = join_all(created.iter().rev().map(|(name, id)| async move {
        // Made by this `up` (this process): its ID is proof enough.
        crate::docker::containers::remove(docker, id, name)
            .await
            .map(|()| name.clone())
    }))
    .await;
    let mut removed = Vec::new();
    let mut failed = Vec::new();
    for result in results {
        match result {
            Ok(name) => removed.push(name),
            Err(e) => failed.push(e),
        }
    }
    (removed, failed)
}
