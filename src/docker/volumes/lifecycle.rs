//! Docker volume lifecycle: the pod's volumes created (labelled with the pod) before any
//! container, found again by their labels, and removed after the containers.

use crate::docker::is_not_found;
use crate::error::{Error, Result};
use crate::labels;
use crate::plan::{DockerVolume, Plan, VolumeSource};
use crate::ui::{Event, Ui};
use bollard::query_parameters::{ListVolumesOptionsBuilder, RemoveVolumeOptionsBuilder};
use bollard::Docker;
use std::collections::BTreeSet;

/// The plan's Docker volumes, each once (two pod volumes may name one claim).
pub(crate) fn docker_volumes(plan: &Plan) -> Vec<&DockerVolume> {
    let mut seen = BTreeSet::new();
    plan.volumes
        .iter()
        .filter_map(|v| match &v.source {
            VolumeSource::Docker(d) => Some(d),
            VolumeSource::HostPath { .. } => None,
        })
        .filter(|d| seen.insert(d.docker_name.clone()))
        .collect()
}

/// Creates every Docker volume of the pod that does not exist yet and returns the names of
/// those it created. A volume that exists must carry the labels podc would have given it.
/// On failure, what this call created is removed again.
pub(crate) async fn ensure(docker: &Docker, plan: &Plan) -> Result<Vec<String>> {
    let mut created = Vec::new();
    for volume in docker_volumes(plan) {
        match ensure_one(docker, volume).await {
            Ok(true) => created.push(volume.docker_name.clone()),
            Ok(false) => {}
            Err(e) => {
                let _ = remove_created(docker, &created).await;
                return Err(e);
            }
        }
    }
    Ok(created)
}

async fn ensure_one(docker: &Docker, volume: &DockerVolume) -> Result<bool> {
    let name = &volume.docker_name;
    match docker.inspect_volume(name).await {
        Ok(found) => {
            let missing: Vec<String> = volume
                .labels
                .iter()
                .filter(|(k, _)| k.as_str() != labels::POD || volume.claim.is_none())
                .filter(|(k, v)| found.labels.get(k.as_str()) != Some(v))
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            if missing.is_empty() {
                return Ok(false);
            }
            Err(Error::Runtime(format!(
                "volume {name} exists but does not carry the label {}, so podc did not create it for this pod\n  hint: remove it with `docker volume rm {name}` if it is not needed, or rename the volume in the manifest",
                missing.join(", ")
            )))
        }
        Err(e) if is_not_found(&e) => {
            let request = bollard::models::VolumeCreateRequest {
                name: Some(name.clone()),
                driver: Some("local".into()),
                driver_opts: (!volume.driver_opts.is_empty())
                    .then(|| volume.driver_opts.clone().into_iter().collect()),
                labels: Some(volume.labels.clone().into_iter().collect()),
                ..Default::default()
            };
            docker
                .create_volume(request)
                .await
                .map_err(|e| Error::docker("create volume", name, e))?;
            Ok(true)
        }
        Err(e) => Err(Error::docker("inspect volume", name, e)),
    }
}

/// Removes volumes this `up` created (rollback): what went, and what could not.
pub(crate) async fn remove_created(docker: &Docker, names: &[String]) -> (Vec<String>, Vec<Error>) {
    let mut removed = Vec::new();
    let mut failed = Vec::new();
    for name in names {
        match docker
            .remove_volume(name, None::<bollard::query_parameters::RemoveVolumeOptions>)
            .await
        {
            Ok(()) => removed.push(format!("volume {name}")),
            Err(e) if is_not_found(&e) => removed.push(format!("volume {name}")),
            Err(e) => failed.push(Error::docker("remove volume", name, e)),
        }
    }
    (removed, failed)
}

/// Removes the volumes labelled with `pod` (every pod's when None), after its containers are
/// gone: emptyDir, configMap and secret volumes always, claims only when `claims` is set.
/// Best effort: every volume is tried, every failure is returned.
pub(crate) async fn remove_pod_volumes(
    docker: &Docker,
    pod: Option<&str>,
    claims: bool,
    ui: &Ui,
) -> Vec<Error> {
    match list_pod_volumes(docker, pod, claims).await {
        Ok(found) => remove_listed(docker, found, ui).await,
        Err(e) => vec![e],
    }
}

/// The volumes `remove_pod_volumes` would remove, as (name, pod), listed now: `down` lists them
/// while the members stop and removes them once the containers are gone.
pub(crate) async fn list_pod_volumes(
    docker: &Docker,
    pod: Option<&str>,
    claims: bool,
) -> Result<Vec<(String, String)>> {
    let filters = labels::pod_filter(pod);
    let options = ListVolumesOptionsBuilder::default()
        .filters(&filters)
        .build();
    let found = docker
        .list_volumes(Some(options))
        .await
        .map_err(|e| Error::docker("list volumes of", pod.unwrap_or("every pod"), e))?
        .volumes
        .unwrap_or_default();
    Ok(found
        .into_iter()
        .filter_map(|v| {
            // The filter asked for the label; check it anyway, as for containers.
            let owner = v.labels.get(labels::POD)?.clone();
            let wanted =
                pod.is_none_or(|p| p == owner) && (claims || !v.labels.contains_key(labels::PVC));
            wanted.then_some((v.name, owner))
        })
        .collect())
}

/// Removes listed volumes (name, pod); every failure is returned.
pub(crate) async fn remove_listed(
    docker: &Docker,
    volumes: Vec<(String, String)>,
    ui: &Ui,
) -> Vec<Error> {
    let mut errors = Vec::new();
    for (name, owner) in volumes {
        let options = RemoveVolumeOptionsBuilder::default().force(false).build();
        match docker.remove_volume(&name, Some(options)).await {
            Ok(()) => ui.event(Event::Pod {
                pod: owner,
                message: format!("volume {name} removed"),
            }),
            Err(e) if is_not_found(&e) => {}
            Err(e) => errors.push(Error::docker("remove volume", &name, e)),
        }
    }
    errors
}
