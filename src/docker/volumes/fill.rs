//! Filling the pod's volumes (configMap and secret files, emptyDir's mode, subPath directories)
//! through a container created from the pause image and never started.

use super::archive::Entries;
use super::docker_volumes;
use crate::docker::{is_conflict, is_not_found};
use crate::error::{Error, Result};
use crate::labels;
use crate::plan::{DockerVolume, MemberSpec, MountSource, Plan};
use crate::state::Role;
use bollard::models::{ContainerCreateBody, HostConfig, Mount, MountType, MountVolumeOptions};
use bollard::query_parameters::{
    ContainerArchiveInfoOptionsBuilder, CreateContainerOptionsBuilder,
    UploadToContainerOptionsBuilder,
};
use bollard::Docker;
use std::collections::{BTreeSet, HashMap};

/// Where the filling container mounts each volume: `/v/<docker volume name>`.
const FILL_ROOT: &str = "v";
/// Mode of the directories podc makes inside a volume when the volume's root has none.
const DIR_MODE: u32 = 0o755;

/// Writes what the pod's volumes must hold: the root mode of emptyDirs (and of claims podc just
/// created, `fresh`), configMap and secret files, and the directories of `subPath` mounts that
/// do not exist yet. Memory-backed volumes must already be held by the running pause. Secret
/// contents travel only in the archive sent to the daemon; nothing here prints them.
pub(crate) async fn prepare(docker: &Docker, plan: &Plan, fresh: &[String]) -> Result<()> {
    let volumes = docker_volumes(plan);
    let sub_paths = volume_sub_paths(plan.init.iter().chain(&plan.members));
    let needs_work = volumes
        .iter()
        .any(|v| v.root_mode.is_some() || !v.files.is_empty())
        || !sub_paths.is_empty();
    if !needs_work {
        return Ok(());
    }
    let helper = labels::volumes_helper_name(&plan.pod);
    let id = create_helper(docker, plan, &helper, &volumes).await?;
    let result = fill(docker, &id, &helper, &volumes, &sub_paths, fresh).await;
    // Made just now by this process: removed without a second look at its labels.
    let removed = super::super::containers::remove(docker, &id, &helper).await;
    result?;
    removed
}

/// `(docker volume, subPath)` of every mount that takes a directory of a Docker volume.
fn volume_sub_paths<'a>(
    members: impl Iterator<Item = &'a MemberSpec>,
) -> BTreeSet<(String, String)> {
    members
        .flat_map(|m| &m.mounts)
        .filter_map(|mount| match &mount.source {
            MountSource::Volume {
                docker_name,
                sub_path: Some(sub),
            } => Some((docker_name.clone(), sub.clone())),
            _ => None,
        })
        .collect()
}

async fn create_helper(
    docker: &Docker,
    plan: &Plan,
    name: &str,
    volumes: &[&DockerVolume],
) -> Result<String> {
    let mounts = volumes
        .iter()
        .map(|v| Mount {
            target: Some(format!("/{FILL_ROOT}/{}", v.docker_name)),
            source: Some(v.docker_name.clone()),
            typ: Some(MountType::VOLUME),
            read_only: Some(false),
            volume_options: Some(MountVolumeOptions {
                no_copy: Some(true),
                ..Default::default()
            }),
            ..Default::default()
        })
        .collect();
    let body = ContainerCreateBody {
        image: Some(plan.pause.image.clone()),
        labels: Some(HashMap::from([
            (labels::POD.to_string(), plan.pod.clone()),
            (labels::ROLE.to_string(), Role::Volumes.label().to_string()),
        ])),
        network_disabled: Some(true),
        host_config: Some(HostConfig {
            mounts: Some(mounts),
            network_mode: Some("none".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let options = CreateContainerOptionsBuilder::default().name(name).build();
    let first = docker
        .create_container(Some(options.clone()), body.clone())
        .await;
    let response = match first {
        Err(e) if is_conflict(&e) => {
            // Left over by an interrupted podc: remove it if it is this pod's, then again.
            remove_stale_helper(docker, &plan.pod, name).await?;
            docker.create_container(Some(options), body).await
        }
        other => other,
    }
    .map_err(|e| Error::docker("create container", name, e))?;
    Ok(response.id)
}

async fn remove_stale_helper(docker: &Docker, pod: &str, name: &str) -> Result<()> {
    // Left by an interrupted `up`: removed only if it is this pod's.
    super::super::containers::remove_checked(docker, name, name, Some(pod)).await
}

async fn fill(
    docker: &Docker,
    id: &str,
    helper: &str,
    volumes: &[&DockerVolume],
    sub_paths: &BTreeSet<(String, String)>,
    fresh: &[String],
) -> Result<()> {
    let mut entries = Entries::default();
    for v in volumes {
        let root = format!("{FILL_ROOT}/{}", v.docker_name);
        let root_mode = v
            .root_mode_written()
            .filter(|_| v.claim.is_none() || fresh.contains(&v.docker_name));
        if let Some(mode) = root_mode {
            entries.dir(&root, mode, v.group);
        }
        for file in &v.files {
            let path = format!("{root}/{}", file.path);
            entries.parents(&root, &file.path, DIR_MODE, v.group);
            entries.file(
                &path,
                v.file_mode_written(file.mode),
                v.group,
                &file.content,
            );
        }
    }
    for (volume, sub) in sub_paths {
        let Some(v) = volumes.iter().find(|v| &v.docker_name == volume) else {
            continue;
        };
        let root = format!("{FILL_ROOT}/{volume}");
        // A file the volume will hold (configMap key) or that exists already is taken as is.
        if v.files
            .iter()
            .any(|f| &f.path == sub || f.path.starts_with(&format!("{sub}/")))
        {
            continue;
        }
        let mode = v.root_mode_written().unwrap_or(DIR_MODE);
        let mut prefix = String::new();
        for part in sub.split('/').filter(|p| !p.is_empty()) {
            prefix = match prefix.is_empty() {
                true => part.to_string(),
                false => format!("{prefix}/{part}"),
            };
            let path = format!("{root}/{prefix}");
            if entries.has(&path) || exists(docker, id, &format!("/{path}")).await? {
                continue;
            }
            entries.dir(&path, mode, v.group);
        }
    }
    if entries.is_empty() {
        return Ok(());
    }
    let tar = entries
        .into_tar()
        .map_err(|e| Error::Runtime(format!("cannot pack the volumes' files: {e}")))?;
    let options = UploadToContainerOptionsBuilder::default().path("/").build();
    docker
        .upload_to_container(id, Some(options), bollard::body_full(tar.into()))
        .await
        .map_err(|e| Error::docker("write the volumes' files through container", helper, e))
}

/// Whether `path` exists in the (never started) container `id`.
async fn exists(docker: &Docker, id: &str, path: &str) -> Result<bool> {
    let options = ContainerArchiveInfoOptionsBuilder::default()
        .path(path)
        .build();
    match docker.get_container_archive_info(id, Some(options)).await {
        Ok(_) => Ok(true),
        Err(e) if is_not_found(&e) => Ok(false),
        Err(e) => Err(Error::docker(
            "look into the volumes through container",
            id,
            e,
        )),
    }
}
