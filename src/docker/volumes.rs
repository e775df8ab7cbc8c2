//! The pod's Docker volumes: created (labelled with the pod) before any container and removed
//! after them by `down` (claims only with `--volumes`), filled by a container that is never
//! started, and mounted into the members. hostPath checks need no Docker: `crate::host_paths`.

mod archive;
mod fill;
mod lifecycle;
mod mounts;

pub(crate) use fill::prepare;
pub(crate) use lifecycle::{
    docker_volumes, ensure, list_pod_volumes, remove_created, remove_listed, remove_pod_volumes,
};
pub(crate) use mounts::{docker_mount, mountpoints};
