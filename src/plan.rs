//! The plan step: a validated `Pod` becomes exactly what to create, in which order, with which
//! Docker configuration. Pure: no Docker here, so every decision is tested by value.

use crate::labels;
use crate::manifest::{Container, ContainerPort, Pod, PullPolicy};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::time::Duration;

/// Kubernetes' default `terminationGracePeriodSeconds`.
pub const DEFAULT_GRACE_SECONDS: i64 = 30;

/// Everything `apply` needs to bring one pod up.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub pod: String,
    /// Each distinct image once, with the strictest policy any member asked for.
    pub images: Vec<ImageRequest>,
    pub pause: PauseSpec,
    /// In manifest order; started in parallel after the pause.
    pub members: Vec<MemberSpec>,
    pub grace: Duration,
    /// Hash of the whole pod's configuration (stored on the pause).
    pub config_hash: String,
}

/// One image to resolve before anything is created.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageRequest {
    pub image: String,
    pub policy: PullPolicy,
    /// Members that use it, for error messages.
    pub used_by: Vec<String>,
}

/// The pause container: owns the namespaces, the published ports and the hostname.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PauseSpec {
    pub docker_name: String,
    pub image: String,
    pub hostname: String,
    pub ports: Vec<PublishedPort>,
    pub labels: BTreeMap<String, String>,
}

/// A port published on the pause: Docker key `containerPort/proto`, bound on the host.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct PublishedPort {
    pub container_port: u16,
    pub protocol: &'static str,
    pub host_ip: Option<String>,
    pub host_port: u16,
}

/// A member container joined to the pause's namespaces.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberSpec {
    /// Name in the manifest (`web`).
    pub name: String,
    /// Name in Docker (`blog_web`).
    pub docker_name: String,
    pub image: String,
    /// `command`: replaces the image's ENTRYPOINT (and then the image's CMD is not used).
    pub entrypoint: Option<Vec<String>>,
    /// `args`: replaces the image's CMD.
    pub cmd: Option<Vec<String>>,
    pub env: Vec<String>,
    pub working_dir: Option<String>,
    /// Join the pause's PID namespace (podc's default; `shareProcessNamespace: false` opts out).
    pub share_pid: bool,
    pub labels: BTreeMap<String, String>,
}

/// Builds the plan for `pod`. `pause_image` is the image the pause runs; `manifest` is the file
/// the pod came from (recorded in a label).
pub fn plan(pod: &Pod, pause_image: &str, manifest: &str) -> Plan {
    let name = pod.metadata.name.clone();
    let grace = pod
        .spec
        .termination_grace_period_seconds
        .unwrap_or(DEFAULT_GRACE_SECONDS)
        .max(0);
    let share_pid = pod.spec.share_process_namespace != Some(false);

    let mut common = BTreeMap::new();
    for (k, v) in &pod.metadata.labels {
        common.insert(k.clone(), v.clone());
    }
    common.insert(labels::POD.to_string(), name.clone());
    common.insert(labels::GRACE_SECONDS.to_string(), grace.to_string());

    let mut members: Vec<MemberSpec> = pod
        .spec
        .containers
        .iter()
        .enumerate()
        .map(|(index, c)| member(&name, index, c, share_pid, &common))
        .collect();

    let mut pause_labels = common.clone();
    pause_labels.insert(labels::ROLE.to_string(), labels::ROLE_PAUSE.to_string());
    let mut pause = PauseSpec {
        docker_name: labels::pause_name(&name),
        image: pause_image.to_string(),
        // Kubernetes' default hostname is the pod name.
        hostname: pod.spec.hostname.clone().unwrap_or_else(|| name.clone()),
        ports: published_ports(&pod.spec.containers),
        labels: pause_labels,
    };
    // Probes and restartPolicy live in the supervisor's spec, not in any container's
    // configuration, so the whole pod takes part in the pod's hash.
    let config_hash = hash(&(&pause, &members, pod));
    pause
        .labels
        .insert(labels::CONFIG_HASH.to_string(), config_hash.clone());
    // Added after hashing: the same pod run from another path is still the same pod.
    let all_labels =
        std::iter::once(&mut pause.labels).chain(members.iter_mut().map(|m| &mut m.labels));
    for set in all_labels {
        set.insert(labels::MANIFEST.to_string(), manifest.to_string());
    }

    Plan {
        images: image_requests(&pod.spec.containers),
        pod: name,
        pause,
        members,
        grace: Duration::from_secs(grace as u64),
        config_hash,
    }
}

fn member(
    pod: &str,
    index: usize,
    c: &Container,
    share_pid: bool,
    common: &BTreeMap<String, String>,
) -> MemberSpec {
    let mut labels = common.clone();
    labels.insert(labels::ROLE.to_string(), labels::ROLE_MEMBER.to_string());
    labels.insert(labels::CONTAINER.to_string(), c.name.clone());
    labels.insert(labels::INDEX.to_string(), index.to_string());
    labels.insert(labels::PORTS.to_string(), ports_label(&c.ports));
    // Kubernetes: command replaces ENTRYPOINT and drops the image's CMD; args replace CMD.
    let entrypoint = (!c.command.is_empty()).then(|| c.command.clone());
    let cmd = if !c.args.is_empty() {
        Some(c.args.clone())
    } else if entrypoint.is_some() {
        Some(Vec::new())
    } else {
        None
    };
    let mut spec = MemberSpec {
        name: c.name.clone(),
        docker_name: labels::member_name(pod, &c.name),
        image: c.image.clone(),
        entrypoint,
        cmd,
        env: env_list(c),
        working_dir: c.working_dir.clone(),
        share_pid,
        labels,
    };
    let member_hash = hash(&spec);
    spec.labels
        .insert(labels::CONFIG_HASH.to_string(), member_hash);
    spec
}

/// `NAME=value` in manifest order; a later duplicate wins, as in Kubernetes.
fn env_list(c: &Container) -> Vec<String> {
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for e in &c.env {
        match seen.iter_mut().find(|(n, _)| *n == e.name) {
            Some(slot) => slot.1 = &e.value,
            None => seen.push((&e.name, &e.value)),
        }
    }
    seen.iter().map(|(n, v)| format!("{n}={v}")).collect()
}

/// Only ports with a hostPort are published, all of them on the pause.
fn published_ports(containers: &[Container]) -> Vec<PublishedPort> {
    let mut ports: Vec<PublishedPort> = containers
        .iter()
        .flat_map(|c| &c.ports)
        .filter_map(|p| {
            Some(PublishedPort {
                container_port: p.container_port as u16,
                protocol: p.protocol.docker_name(),
                host_ip: p.host_ip.clone(),
                host_port: p.host_port? as u16,
            })
        })
        .collect();
    ports.sort();
    ports
}

/// The member's declared ports as one label value, for `podc ps`.
pub fn ports_label(ports: &[ContainerPort]) -> String {
    ports
        .iter()
        .map(|p| {
            let target = format!("{}/{}", p.container_port, p.protocol.docker_name());
            match (p.host_port, &p.host_ip) {
                (Some(hp), Some(ip)) => format!("{ip}:{hp}->{target}"),
                (Some(hp), None) => format!("{hp}->{target}"),
                (None, _) => target,
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Distinct images in first-use order; `Always` beats `IfNotPresent` beats `Never` when members
/// disagree, so no member runs a staler image than it asked for.
fn image_requests(containers: &[Container]) -> Vec<ImageRequest> {
    let mut out: Vec<ImageRequest> = Vec::new();
    for c in containers {
        let policy = c.image_pull_policy.unwrap_or_default();
        match out.iter_mut().find(|r| r.image == c.image) {
            Some(r) => {
                r.used_by.push(c.name.clone());
                if strictness(policy) > strictness(r.policy) {
                    r.policy = policy;
                }
            }
            None => out.push(ImageRequest {
                image: c.image.clone(),
                policy,
                used_by: vec![c.name.clone()],
            }),
        }
    }
    out
}

fn strictness(p: PullPolicy) -> u8 {
    match p {
        PullPolicy::Never => 0,
        PullPolicy::IfNotPresent => 1,
        PullPolicy::Always => 2,
    }
}

/// Short, stable hash of a serializable value (hex of the first 8 bytes of SHA-256).
fn hash<T: Serialize>(value: &T) -> String {
    let json = serde_json::to_vec(value).expect("plan values always serialize");
    let digest = Sha256::digest(&json);
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests;
