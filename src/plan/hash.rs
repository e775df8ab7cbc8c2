//! The configuration hashes `up` compares to decide what changed. They are computed over the
//! members as podc 0.1 serialized them (the manifest's `lifecycle`, no resolved probes or
//! hooks), so a pod started by an earlier build is seen unchanged by this one.

use super::{EnvVarSpec, MemberRole, MemberSpec, MountSpec, ResourceSpec, SecuritySpec};
use crate::manifest::{Container, Lifecycle};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Short, stable hash of a serializable value (hex of the first 8 bytes of SHA-256).
pub(super) fn hash<T: Serialize>(value: &T) -> String {
    let json = serde_json::to_vec(value).expect("plan values always serialize");
    let digest = Sha256::digest(&json);
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// A member as it enters the hashes: field for field what the member spec held before probes
/// and hooks were resolved into it. Do not reorder or rename: every running pod's hash moves.
#[derive(Serialize)]
pub(super) struct HashedMember<'a> {
    name: &'a str,
    docker_name: &'a str,
    image: &'a str,
    role: MemberRole,
    entrypoint: &'a Option<Vec<String>>,
    cmd: &'a Option<Vec<String>>,
    env: &'a [EnvVarSpec],
    working_dir: &'a Option<String>,
    share_pid: bool,
    host_pid: bool,
    host_ipc: bool,
    resources: &'a ResourceSpec,
    security: &'a SecuritySpec,
    stdin: bool,
    tty: bool,
    mounts: &'a [MountSpec],
    lifecycle: &'a Option<Lifecycle>,
    labels: &'a BTreeMap<String, String>,
}

impl<'a> HashedMember<'a> {
    /// `member`, planned from `container`.
    pub(super) fn new(member: &'a MemberSpec, container: &'a Container) -> Self {
        HashedMember {
            name: &member.name,
            docker_name: &member.docker_name,
            image: &member.image,
            role: member.role,
            entrypoint: &member.entrypoint,
            cmd: &member.cmd,
            env: &member.env,
            working_dir: &member.working_dir,
            share_pid: member.share_pid,
            host_pid: member.host_pid,
            host_ipc: member.host_ipc,
            resources: &member.resources,
            security: &member.security,
            stdin: member.stdin,
            tty: member.tty,
            mounts: &member.mounts,
            lifecycle: &container.lifecycle,
            labels: &member.labels,
        }
    }
}

/// `members` as hashed, each with the container (same position) it was planned from.
pub(super) fn hashed_members<'a>(
    members: &'a [MemberSpec],
    containers: &'a [Container],
) -> Vec<HashedMember<'a>> {
    members
        .iter()
        .zip(containers)
        .map(|(m, c)| HashedMember::new(m, c))
        .collect()
}

#[cfg(test)]
mod tests;
