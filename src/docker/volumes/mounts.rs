//! Mounts: the Docker mount for each member's volume or hostPath, and the volumes'
//! mountpoints that subPath binds need.

use crate::error::{Error, Result};
use crate::plan::{join, MountSource};
use bollard::models::{Mount, MountType, MountVolumeOptions};
use bollard::Docker;
use std::collections::BTreeMap;

/// The mountpoint (on the daemon's host) of each named volume, for subPath binds.
pub(crate) async fn mountpoints(
    docker: &Docker,
    names: impl IntoIterator<Item = String>,
) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for name in names {
        let found = docker
            .inspect_volume(&name)
            .await
            .map_err(|e| Error::docker("inspect volume", &name, e))?;
        if found.mountpoint.is_empty() {
            return Err(Error::Runtime(format!(
                "volume {name} has no mountpoint, so a subPath of it cannot be mounted (Docker API 1.41 has no volume subpath)"
            )));
        }
        out.insert(name, found.mountpoint);
    }
    Ok(out)
}

/// The Docker mount for a member's `MountSpec` (a subPath of a volume must have been resolved
/// to its mountpoint first: see `facts::resolve`).
pub(crate) fn docker_mount(m: &crate::plan::MountSpec) -> Mount {
    match &m.source {
        MountSource::Volume {
            docker_name,
            sub_path: None,
        } => Mount {
            target: Some(m.target.clone()),
            source: Some(docker_name.clone()),
            typ: Some(MountType::VOLUME),
            read_only: Some(m.read_only),
            // Kubernetes never copies the image's files into a volume.
            volume_options: Some(MountVolumeOptions {
                no_copy: Some(true),
                ..Default::default()
            }),
            ..Default::default()
        },
        MountSource::Volume {
            docker_name,
            sub_path: Some(sub),
        } => bind(&join(docker_name, sub), m),
        MountSource::Host { path, sub_path } => {
            let source = match sub_path {
                Some(sub) => join(path, sub),
                None => path.clone(),
            };
            bind(&source, m)
        }
    }
}

fn bind(source: &str, m: &crate::plan::MountSpec) -> Mount {
    Mount {
        target: Some(m.target.clone()),
        source: Some(source.to_string()),
        typ: Some(MountType::BIND),
        read_only: Some(m.read_only),
        ..Default::default()
    }
}
