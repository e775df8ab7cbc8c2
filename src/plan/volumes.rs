//! `spec.volumes` and `volumeMounts` as Docker volumes and mounts.
//!
//! - `emptyDir`: a Docker volume `<pod>_<volume>`, world-writable like Kubernetes' (0777),
//!   removed by `down`.
//! - `emptyDir.medium: Memory`: one Docker volume of the local driver with `type=tmpfs`, so
//!   every member shares one tmpfs; the pause keeps it mounted, so it lives as long as the pod.
//! - `configMap`: a Docker volume filled with one file per key (or per `items[]`).
//! - `secret`: the same on a tmpfs volume (held by the pause): secrets never touch the disk.
//! - `persistentVolumeClaim`: the named volume `podc-pvc-<claim>`, kept by `down`.
//! - `hostPath`: a bind mount; its `type` is checked on podc's host (a local daemon).

use super::env::secret_bytes;
use super::PodObjects;
use crate::labels;
use crate::manifest::{quantity, Container, KeyToPath, Pod, Volume};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Kubernetes' default mode of configMap and secret files.
pub(super) const DEFAULT_FILE_MODE: u32 = 0o644;
/// Kubernetes' emptyDir is world-writable, so members running as any user can write to it.
pub(super) const EMPTY_DIR_MODE: u32 = 0o777;
/// Where the pause mounts the memory-backed volumes it keeps alive.
pub(crate) const PAUSE_VOLUME_DIR: &str = "/.podc/volumes";

/// One entry of `spec.volumes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct VolumePlan {
    /// Its name in the manifest.
    pub name: String,
    pub source: VolumeSource,
}

/// Where a volume's data lives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum VolumeSource {
    /// A Docker volume podc creates when missing.
    Docker(DockerVolume),
    /// A path on the host, bind-mounted; `check` is done on podc's host before anything is made.
    HostPath { path: String, check: HostPathType },
}

/// A Docker volume of the pod (or a claim).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DockerVolume {
    pub docker_name: String,
    pub labels: BTreeMap<String, String>,
    /// Options of the local driver (`type=tmpfs`...); empty for a plain volume.
    pub driver_opts: BTreeMap<String, String>,
    /// Memory-backed: the pause mounts it, so its tmpfs lives as long as the pause.
    pub memory: bool,
    /// The root directory's mode, set on every apply (claims: only when podc creates them).
    pub root_mode: Option<u32>,
    /// Content written on every apply (configMap, secret).
    pub files: Vec<VolumeFile>,
    /// `persistentVolumeClaim.claimName`: kept by `down`, removed by `down --volumes`.
    pub claim: Option<String>,
    /// The pod's `fsGroup`: the group of what podc writes (the root and the files), which the
    /// group may read (files) and write (the root, set-group-ID so new files inherit it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<u32>,
}

impl DockerVolume {
    /// The root's mode as written: with an fsGroup, set-group-ID and writable by the group.
    pub(crate) fn root_mode_written(&self) -> Option<u32> {
        let mode = self.root_mode?;
        Some(match self.group {
            Some(_) => mode | 0o2070,
            None => mode,
        })
    }

    /// A file's mode as written: with an fsGroup, also readable by the group (Kubernetes'
    /// read-only volumes get `mode | 0440`).
    pub(crate) fn file_mode_written(&self, mode: u32) -> u32 {
        match self.group {
            Some(_) => mode | 0o440,
            None => mode,
        }
    }
}

/// A file podc writes into a volume. `Debug` shows its size, never its content.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct VolumeFile {
    /// Relative to the volume's root, `/`-separated.
    pub path: String,
    pub mode: u32,
    pub content: Vec<u8>,
}

impl fmt::Debug for VolumeFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VolumeFile")
            .field("path", &self.path)
            .field("mode", &format_args!("{:#o}", self.mode))
            .field("bytes", &self.content.len())
            .finish()
    }
}

/// `hostPath.type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum HostPathType {
    /// `""`: no check; a missing path is created as a directory (what the runtimes do).
    Unchecked,
    DirectoryOrCreate,
    Directory,
    FileOrCreate,
    File,
    Socket,
    CharDevice,
    BlockDevice,
}

impl HostPathType {
    pub(crate) fn parse(kind: Option<&str>) -> HostPathType {
        match kind.unwrap_or("") {
            "DirectoryOrCreate" => HostPathType::DirectoryOrCreate,
            "Directory" => HostPathType::Directory,
            "FileOrCreate" => HostPathType::FileOrCreate,
            "File" => HostPathType::File,
            "Socket" => HostPathType::Socket,
            "CharDevice" => HostPathType::CharDevice,
            "BlockDevice" => HostPathType::BlockDevice,
            _ => HostPathType::Unchecked,
        }
    }
}

/// One mount of a container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct MountSpec {
    pub target: String,
    pub source: MountSource,
    pub read_only: bool,
}

/// What is mounted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum MountSource {
    /// A Docker volume; with a `sub_path`, that directory (or file) of it, bind-mounted from the
    /// volume's mountpoint (API 1.41 has no volume subpath), created as a directory if missing.
    Volume {
        docker_name: String,
        sub_path: Option<String>,
    },
    /// A host path (hostPath joined with the mount's subPath, created as a directory if missing).
    Host {
        path: String,
        sub_path: Option<String>,
    },
}

impl MountSource {
    /// The Docker volume this mount uses, if any.
    pub(crate) fn docker_volume(&self) -> Option<&str> {
        match self {
            MountSource::Volume { docker_name, .. } => Some(docker_name),
            MountSource::Host { .. } => None,
        }
    }

    pub(crate) fn sub_path(&self) -> Option<&str> {
        match self {
            MountSource::Volume { sub_path, .. } | MountSource::Host { sub_path, .. } => {
                sub_path.as_deref()
            }
        }
    }
}

/// Docker name of a pod's volume: `<pod>_<volume>` (neither name can contain `_`).
pub(crate) fn volume_name(pod: &str, volume: &str) -> String {
    format!("{pod}_{volume}")
}

/// Docker name of a claim's volume.
pub(crate) fn claim_volume_name(claim: &str) -> String {
    format!("podc-pvc-{claim}")
}

/// Joins `base` and a relative `sub` with one `/`.
pub(crate) fn join(base: &str, sub: &str) -> String {
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        sub.trim_start_matches('/')
    )
}

/// Every volume of the pod, in manifest order.
pub(super) fn plan_volumes(
    pod: &Pod,
    objects: &PodObjects,
    notes: &mut Vec<String>,
) -> Vec<VolumePlan> {
    let name = &pod.metadata.name;
    let fs_group = pod
        .spec
        .security_context
        .as_ref()
        .and_then(|sc| sc.fs_group)
        .and_then(|g| u32::try_from(g).ok());
    pod.spec
        .volumes
        .iter()
        .filter_map(|v| {
            let mut source = source(name, v, objects, notes)?;
            // Docker volumes are the ones whose ownership Kubernetes manages; a hostPath is not.
            if let VolumeSource::Docker(volume) = &mut source {
                volume.group = fs_group;
            }
            Some(VolumePlan {
                name: v.name.clone(),
                source,
            })
        })
        .collect()
}

fn source(
    pod: &str,
    v: &Volume,
    objects: &PodObjects,
    notes: &mut Vec<String>,
) -> Option<VolumeSource> {
    let mut labels = BTreeMap::from([
        (labels::POD.to_string(), pod.to_string()),
        (labels::VOLUME.to_string(), v.name.clone()),
    ]);
    let mut volume = DockerVolume {
        docker_name: volume_name(pod, &v.name),
        labels: BTreeMap::new(),
        driver_opts: BTreeMap::new(),
        memory: false,
        root_mode: None,
        files: Vec::new(),
        claim: None,
        group: None,
    };
    if let Some(host) = &v.host_path {
        return Some(VolumeSource::HostPath {
            path: host.path.clone(),
            check: HostPathType::parse(host.kind.as_deref()),
        });
    } else if let Some(dir) = &v.empty_dir {
        volume.root_mode = Some(EMPTY_DIR_MODE);
        if dir.medium.as_deref() == Some("Memory") {
            volume.driver_opts = tmpfs_opts(dir.size_limit.as_deref());
            volume.memory = true;
        }
    } else if let Some(cm) = &v.config_map {
        let data = objects
            .config_map(&cm.name)
            .map(|m| m.file_contents())
            .unwrap_or_default();
        volume.files = files(&data, &cm.items, cm.default_mode);
    } else if let Some(s) = &v.secret {
        let data = objects
            .secret(&s.secret_name)
            .map(|secret| secret_bytes(secret, notes))
            .unwrap_or_default();
        volume.files = files(&data, &s.items, s.default_mode);
        volume.driver_opts = tmpfs_opts(None);
        volume.memory = true;
    } else if let Some(pvc) = &v.persistent_volume_claim {
        volume.docker_name = claim_volume_name(&pvc.claim_name);
        volume.root_mode = Some(EMPTY_DIR_MODE);
        volume.claim = Some(pvc.claim_name.clone());
        labels.insert(labels::PVC.to_string(), pvc.claim_name.clone());
    } else {
        notes.push(format!(
            "volume {} has no source podc supports and is left out",
            v.name
        ));
        return None;
    }
    volume.labels = labels;
    Some(VolumeSource::Docker(volume))
}

/// Local-driver options for one tmpfs, sized when `size_limit` parses.
fn tmpfs_opts(size_limit: Option<&str>) -> BTreeMap<String, String> {
    let mut opts = BTreeMap::from([
        ("type".to_string(), "tmpfs".to_string()),
        ("device".to_string(), "tmpfs".to_string()),
    ]);
    let size = size_limit.and_then(|q| super::settings::number(quantity::bytes(q)));
    if let Some(size) = size {
        opts.insert("o".to_string(), format!("size={size}"));
    }
    opts
}

/// One file per key, or per `items[]` (at its path, with its mode); missing keys are skipped
/// (validation refused them unless the source is optional).
fn files(
    data: &BTreeMap<String, Vec<u8>>,
    items: &[KeyToPath],
    default_mode: Option<u32>,
) -> Vec<VolumeFile> {
    let default_mode = default_mode.unwrap_or(DEFAULT_FILE_MODE);
    if items.is_empty() {
        return data
            .iter()
            .map(|(key, content)| VolumeFile {
                path: key.clone(),
                mode: default_mode,
                content: content.clone(),
            })
            .collect();
    }
    items
        .iter()
        .filter_map(|item| {
            Some(VolumeFile {
                path: item.path.trim_start_matches('/').to_string(),
                mode: item.mode.unwrap_or(default_mode),
                content: data.get(&item.key)?.clone(),
            })
        })
        .collect()
}

/// A container's `volumeMounts`, in manifest order. configMap and secret volumes are always
/// read-only (as in Kubernetes); a claim is when either the mount or the claim says so.
pub(super) fn mounts(
    c: &Container,
    volumes: &[VolumePlan],
    pod_volumes: &[Volume],
) -> Vec<MountSpec> {
    c.volume_mounts
        .iter()
        .filter_map(|m| {
            let plan = volumes.iter().find(|v| v.name == m.name)?;
            let declared = pod_volumes.iter().find(|v| v.name == m.name)?;
            let forced_ro = declared.config_map.is_some()
                || declared.secret.is_some()
                || declared
                    .persistent_volume_claim
                    .as_ref()
                    .is_some_and(|p| p.read_only == Some(true));
            let sub_path = m
                .sub_path
                .as_deref()
                .map(|s| s.trim_matches('/'))
                .filter(|s| !s.is_empty())
                .map(str::to_string);
            let source = match &plan.source {
                VolumeSource::Docker(d) => MountSource::Volume {
                    docker_name: d.docker_name.clone(),
                    sub_path,
                },
                VolumeSource::HostPath { path, .. } => MountSource::Host {
                    path: path.clone(),
                    sub_path,
                },
            };
            Some(MountSpec {
                target: m.mount_path.clone(),
                source,
                read_only: m.read_only == Some(true) || forced_ro,
            })
        })
        .collect()
}

/// The mounts the pause holds: every memory-backed volume, so its tmpfs outlives any member.
pub(super) fn pause_mounts(volumes: &[VolumePlan]) -> Vec<MountSpec> {
    volumes
        .iter()
        .filter_map(|v| match &v.source {
            VolumeSource::Docker(d) if d.memory => Some(MountSpec {
                target: join(PAUSE_VOLUME_DIR, &v.name),
                source: MountSource::Volume {
                    docker_name: d.docker_name.clone(),
                    sub_path: None,
                },
                read_only: false,
            }),
            _ => None,
        })
        .collect()
}
