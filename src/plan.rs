//! The plan step: a validated `Pod` (and the ConfigMaps and Secrets it references) becomes
//! exactly what to create, in which order, with which Docker configuration. Pure: no Docker
//! here, so every decision is tested by value.

mod checks;
mod env;
mod expand;
mod hash;
pub(crate) mod pull;
mod settings;
pub(crate) mod stored;
mod volumes;

pub(crate) use checks::{Check, Hooks, ProbePlan, Probes};

pub(crate) use env::{needs_pod_ip, with_pod_ip, EnvValue, EnvVarSpec};
pub(crate) use pull::{PullCredential, RegistryCredentials};
pub(crate) use settings::{ResourceSpec, SecuritySpec};
// What only the tests (of this layer and others) name directly.
#[cfg(test)]
pub(crate) use env::POD_IP_MARK;
#[cfg(test)]
pub(crate) use settings::cpu_shares;
#[cfg(test)]
pub(crate) use volumes::{claim_volume_name, volume_name, VolumeFile};
pub(crate) use volumes::{
    join, DockerVolume, HostPathType, MountSource, MountSpec, VolumePlan, VolumeSource,
};

use crate::labels;
use crate::manifest::{
    ConfigMap, Container, ContainerPort, ContainerRestartPolicy, Pod, PullPolicy, RestartPolicy,
    Secret,
};
use hash::hash;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;

/// Kubernetes' default `terminationGracePeriodSeconds`.
pub(crate) const DEFAULT_GRACE_SECONDS: i64 = 30;

/// The other objects a pod may reference (env, envFrom, volumes). Validation made sure every
/// reference that is not optional exists.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct PodObjects {
    pub config_maps: Vec<ConfigMap>,
    pub secrets: Vec<Secret>,
}

impl PodObjects {
    pub(crate) fn config_map(&self, name: &str) -> Option<&ConfigMap> {
        self.config_maps.iter().find(|c| c.metadata.name == name)
    }

    pub(crate) fn secret(&self, name: &str) -> Option<&Secret> {
        self.secrets.iter().find(|s| s.metadata.name == name)
    }
}

/// Everything `apply`, the supervisor and `down` need for one pod: the whole contract between
/// the manifest and the engine. The supervisor works from the plan `up` stored (`plan::stored`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Plan {
    pub pod: String,
    /// Each distinct image once, with the strictest policy any container asked for.
    pub images: Vec<ImageRequest>,
    pub pause: PauseSpec,
    /// `spec.initContainers` in order (role Init or Sidecar): run by the init step before the
    /// members.
    pub init: Vec<MemberSpec>,
    /// In manifest order; started in parallel after the pause (and the init containers).
    pub members: Vec<MemberSpec>,
    /// `spec.volumes` in order: created (Docker volumes) or checked (hostPath) before anything.
    pub volumes: Vec<VolumePlan>,
    pub grace: Duration,
    /// `spec.restartPolicy`: what the supervisor does when a member exits.
    pub restart_policy: RestartPolicy,
    /// Hash of the whole pod's configuration (the supervisor carries it). The pause's
    /// `io.podc.config-hash` covers only what a rebuild changes (pause, init, volumes); each
    /// member's covers the member.
    pub config_hash: String,
    /// Things the user should hear about (skipped envFrom keys...), never with a value.
    pub notes: Vec<String>,
    /// Registry credentials from the pod's `imagePullSecrets`, for the pull step (tried before
    /// the Docker config). Not serialized: the supervisor never pulls, and credentials must not
    /// sit in the stored plan (a record's environment), so a stored plan reads back with none.
    /// Not hashed either: new credentials do not make a different pod.
    #[serde(skip)]
    pub pull_credentials: Vec<PullCredential>,
}

impl Plan {
    /// The containers the supervisor keeps running: native sidecars in init order, then the
    /// app containers in manifest order.
    pub(crate) fn supervised_members(&self) -> impl Iterator<Item = &MemberSpec> {
        let sidecars = self.init.iter().filter(|m| m.role == MemberRole::Sidecar);
        sidecars.chain(&self.members)
    }

    /// The member (app, init or sidecar) called `name` in the manifest.
    pub(crate) fn member(&self, name: &str) -> Option<&MemberSpec> {
        self.members
            .iter()
            .chain(&self.init)
            .find(|m| m.name == name)
    }

    /// Whether the members can be created before the pause runs: nothing they need comes from
    /// it (no init containers run first, no volume is filled, no podIP or image user is read).
    pub(crate) fn members_need_no_running_pause(&self) -> bool {
        let image_user =
            |m: &MemberSpec| m.security.user.is_none() && m.security.run_as_group.is_some();
        self.init.is_empty()
            && self.volumes.is_empty()
            && self
                .members
                .iter()
                .all(|m| !m.needs_pod_ip() && !image_user(m))
    }
}

/// One image to resolve before anything is created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ImageRequest {
    pub image: String,
    pub policy: PullPolicy,
    /// Containers that use it, for error messages.
    pub used_by: Vec<String>,
}

/// The pause container: owns the namespaces, the published ports, the hostname, /etc/hosts,
/// /etc/resolv.conf and the pod's sysctls. Members joined to its network can set none of these.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct PauseSpec {
    pub docker_name: String,
    pub image: String,
    /// Not applied under hostNetwork (the pod has the host's name, as in Kubernetes).
    pub hostname: String,
    /// Empty under hostNetwork: the containers' ports are the host's.
    pub ports: Vec<PublishedPort>,
    pub labels: BTreeMap<String, String>,
    /// `hostNetwork`: NetworkMode host.
    pub host_network: bool,
    /// `hostPID`: PidMode host (members joined to the pause see the host's processes).
    pub host_pid: bool,
    /// `hostIPC`: IpcMode host (members then use the host's IPC namespace directly).
    pub host_ipc: bool,
    /// `hostAliases`: ExtraHosts, `hostname:ip`.
    pub extra_hosts: Vec<String>,
    /// `dnsConfig`: Dns, DnsSearch, DnsOptions.
    pub dns: Vec<String>,
    pub dns_search: Vec<String>,
    pub dns_options: Vec<String>,
    /// `securityContext.sysctls`.
    pub sysctls: BTreeMap<String, String>,
    /// Memory-backed volumes it keeps mounted, so their tmpfs lives as long as the pod.
    pub mounts: Vec<MountSpec>,
}

/// A port published on the pause: Docker key `containerPort/proto`, bound on the host.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct PublishedPort {
    pub container_port: u16,
    /// `tcp`, `udp` or `sctp`.
    pub protocol: String,
    pub host_ip: Option<String>,
    pub host_port: u16,
}

/// What a container is to the pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum MemberRole {
    /// `spec.containers`.
    App,
    /// `spec.initContainers`: runs to completion before the next one.
    Init,
    /// `spec.initContainers` with `restartPolicy: Always`: keeps running next to the members.
    Sidecar,
}

impl MemberRole {
    /// The `io.podc.role` label value.
    pub(crate) fn label(self) -> &'static str {
        match self {
            MemberRole::App => labels::ROLE_MEMBER,
            MemberRole::Init => labels::ROLE_INIT,
            MemberRole::Sidecar => labels::ROLE_SIDECAR,
        }
    }
}

/// A container joined to the pause's namespaces (an app container, an init container or a
/// sidecar).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct MemberSpec {
    /// Name in the manifest (`web`).
    pub name: String,
    /// Name in Docker (`blog_web`).
    pub docker_name: String,
    pub image: String,
    pub role: MemberRole,
    /// `command`: replaces the image's ENTRYPOINT (and then the image's CMD is not used).
    pub entrypoint: Option<Vec<String>>,
    /// `args`: replaces the image's CMD.
    pub cmd: Option<Vec<String>>,
    /// Resolved `envFrom` + `env`; `status.podIP` is filled in by `apply`.
    pub env: Vec<EnvVarSpec>,
    pub working_dir: Option<String>,
    /// Join the pause's PID namespace (podc's default; `shareProcessNamespace: false` opts out).
    pub share_pid: bool,
    /// `hostPID`: a member that does not join the pause's PID namespace uses the host's.
    pub host_pid: bool,
    /// `hostIPC`: IpcMode host instead of joining the pause.
    pub host_ipc: bool,
    pub resources: ResourceSpec,
    pub security: SecuritySpec,
    pub stdin: bool,
    pub tty: bool,
    pub mounts: Vec<MountSpec>,
    /// Probes, resolved (the supervisor runs them; a sidecar's startup probe gates the init).
    pub probes: Probes,
    /// postStart / preStop hooks, resolved.
    pub hooks: Hooks,
    pub labels: BTreeMap<String, String>,
}

impl MemberSpec {
    /// `NAME=value` for Docker, `status.podIP` filled with `pod_ip`.
    pub(crate) fn env_strings(&self, pod_ip: &str) -> Vec<String> {
        self.env.iter().map(|e| e.render(pod_ip)).collect()
    }

    /// Whether `apply` must find the pod's IP for this member (its env, or its command or args
    /// through `$(VAR)`).
    pub(crate) fn needs_pod_ip(&self) -> bool {
        let mut args = self.entrypoint.iter().chain(&self.cmd).flatten();
        self.env.iter().any(|e| e.value.needs_pod_ip()) || args.any(|a| needs_pod_ip(a))
    }
}

/// Builds the plan for a pod that references no ConfigMap or Secret. `pause_image` is the image
/// the pause runs; `manifest` is the file the pod came from (recorded in a label).
pub(crate) fn plan(pod: &Pod, pause_image: &str, manifest: &str) -> Plan {
    plan_with(pod, &PodObjects::default(), pause_image, manifest)
}

/// Builds the plan for `pod`, taking env values and volume contents from `objects`.
pub(crate) fn plan_with(
    pod: &Pod,
    objects: &PodObjects,
    pause_image: &str,
    manifest: &str,
) -> Plan {
    let name = pod.metadata.name.clone();
    let spec = &pod.spec;
    let grace = spec
        .termination_grace_period_seconds
        .unwrap_or(DEFAULT_GRACE_SECONDS)
        .max(0);
    let mut notes = Vec::new();

    let mut common = BTreeMap::new();
    for (k, v) in &pod.metadata.labels {
        common.insert(k.clone(), v.clone());
    }
    common.insert(labels::POD.to_string(), name.clone());
    common.insert(labels::GRACE_SECONDS.to_string(), grace.to_string());

    let volumes = volumes::plan_volumes(pod, objects, &mut notes);
    let ctx = MemberContext {
        pod,
        objects,
        volumes: &volumes,
        common: &common,
    };
    let mut init: Vec<MemberSpec> = spec
        .init_containers
        .iter()
        .enumerate()
        .map(|(index, c)| {
            let role = match c.restart_policy {
                Some(ContainerRestartPolicy::Always) => MemberRole::Sidecar,
                None => MemberRole::Init,
            };
            member(&ctx, index, c, role, &mut notes)
        })
        .collect();
    let mut members: Vec<MemberSpec> = spec
        .containers
        .iter()
        .enumerate()
        .map(|(index, c)| member(&ctx, index, c, MemberRole::App, &mut notes))
        .collect();

    let host_network = spec.host_network == Some(true);
    // Sidecars' ports are published like the members'.
    let publishing: Vec<&Container> = spec
        .init_containers
        .iter()
        .filter(|c| c.restart_policy.is_some())
        .chain(&spec.containers)
        .collect();
    let (dns, dns_search, dns_options) = settings::dns(spec.dns_config.as_ref());
    let mut pause_labels = common.clone();
    pause_labels.insert(labels::ROLE.to_string(), labels::ROLE_PAUSE.to_string());
    let mut pause = PauseSpec {
        docker_name: labels::pause_name(&name),
        image: pause_image.to_string(),
        // Kubernetes' default hostname is the pod name.
        hostname: spec.hostname.clone().unwrap_or_else(|| name.clone()),
        ports: match host_network {
            true => Vec::new(),
            false => published_ports(&publishing),
        },
        labels: pause_labels,
        host_network,
        host_pid: spec.host_pid == Some(true),
        host_ipc: spec.host_ipc == Some(true),
        extra_hosts: settings::extra_hosts(&spec.host_aliases),
        dns,
        dns_search,
        dns_options,
        sysctls: settings::sysctls(spec.security_context.as_ref()),
        mounts: volumes::pause_mounts(&volumes),
    };
    // The pause's hash covers what only a rebuild can change: what the pause owns, the init
    // sequence and the volumes (their contents included). Each member carries its own.
    let init_hashed = hash::hashed_members(&init, &spec.init_containers);
    let pause_hash = hash(&(&pause, &init_hashed, &volumes));
    // Probes and restartPolicy live in the supervisor's spec, not in any container's
    // configuration, so the whole pod takes part in the pod's hash; the resolved members and
    // volumes bring in what the pod takes from its ConfigMaps and Secrets.
    let members_hashed = hash::hashed_members(&members, &spec.containers);
    let config_hash = hash(&(&pause_hash, &members_hashed, pod));
    pause
        .labels
        .insert(labels::CONFIG_HASH.to_string(), pause_hash);
    // Added after hashing: the same pod run from another path is still the same pod.
    let all_labels = std::iter::once(&mut pause.labels)
        .chain(init.iter_mut().map(|m| &mut m.labels))
        .chain(members.iter_mut().map(|m| &mut m.labels));
    for set in all_labels {
        set.insert(labels::MANIFEST.to_string(), manifest.to_string());
    }
    for m in init.iter_mut().chain(members.iter_mut()) {
        if let Some(check) = &m.hooks.pre_stop {
            let json = serde_json::to_string(check).expect("checks always serialize");
            m.labels.insert(labels::PRE_STOP.to_string(), json);
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    notes.retain(|n| seen.insert(n.clone()));

    let all_containers: Vec<&Container> = spec
        .init_containers
        .iter()
        .chain(&spec.containers)
        .collect();
    Plan {
        images: image_requests(&all_containers),
        pod: name,
        pause,
        init,
        members,
        volumes,
        grace: Duration::from_secs(grace as u64),
        restart_policy: spec.restart_policy,
        config_hash,
        notes,
        pull_credentials: pull::pull_credentials(pod, objects),
    }
}

/// What every container of the pod is planned from.
struct MemberContext<'a> {
    pod: &'a Pod,
    objects: &'a PodObjects,
    volumes: &'a [VolumePlan],
    common: &'a BTreeMap<String, String>,
}

/// Docker's Entrypoint and Cmd for `c`, their `$(VAR)` references expanded against `env`.
/// Kubernetes: command replaces ENTRYPOINT and drops the image's CMD; args replace CMD.
pub(crate) fn entrypoint_and_cmd(
    c: &Container,
    env: &[EnvVarSpec],
) -> (Option<Vec<String>>, Option<Vec<String>>) {
    let entrypoint = (!c.command.is_empty()).then(|| env::expand_args(&c.command, env));
    let cmd = if !c.args.is_empty() {
        Some(env::expand_args(&c.args, env))
    } else if entrypoint.is_some() {
        Some(Vec::new())
    } else {
        None
    };
    (entrypoint, cmd)
}

fn member(
    ctx: &MemberContext,
    index: usize,
    c: &Container,
    role: MemberRole,
    notes: &mut Vec<String>,
) -> MemberSpec {
    let spec = &ctx.pod.spec;
    let pod = &ctx.pod.metadata.name;
    let mut labels = ctx.common.clone();
    labels.insert(labels::ROLE.to_string(), role.label().to_string());
    labels.insert(labels::CONTAINER.to_string(), c.name.clone());
    labels.insert(labels::INDEX.to_string(), index.to_string());
    labels.insert(labels::PORTS.to_string(), ports_label(&c.ports));
    let env = env::resolve(ctx.pod, c, ctx.objects, notes);
    let (entrypoint, cmd) = entrypoint_and_cmd(c, &env);
    let mut member = MemberSpec {
        name: c.name.clone(),
        docker_name: labels::member_name(pod, &c.name),
        image: c.image.clone(),
        role,
        entrypoint,
        cmd,
        env,
        working_dir: c.working_dir.clone(),
        share_pid: spec.share_process_namespace != Some(false),
        host_pid: spec.host_pid == Some(true),
        host_ipc: spec.host_ipc == Some(true),
        resources: settings::resources(c.resources.as_ref()),
        security: settings::security(spec.security_context.as_ref(), c),
        stdin: c.stdin,
        tty: c.tty,
        mounts: volumes::mounts(c, ctx.volumes, &spec.volumes),
        probes: Probes::of(c),
        hooks: Hooks::of(c),
        labels,
    };
    let member_hash = hash(&hash::HashedMember::new(&member, c));
    member
        .labels
        .insert(labels::CONFIG_HASH.to_string(), member_hash);
    member
}

/// Only ports with a hostPort are published, all of them on the pause.
fn published_ports(containers: &[&Container]) -> Vec<PublishedPort> {
    let mut ports: Vec<PublishedPort> = containers
        .iter()
        .flat_map(|c| &c.ports)
        .filter_map(|p| {
            Some(PublishedPort {
                container_port: p.container_port as u16,
                protocol: p.protocol.docker_name().to_string(),
                host_ip: p.host_ip.clone(),
                host_port: p.host_port? as u16,
            })
        })
        .collect();
    ports.sort();
    ports
}

/// The member's declared ports as one label value, for `podc ps`.
pub(crate) fn ports_label(ports: &[ContainerPort]) -> String {
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
fn image_requests(containers: &[&Container]) -> Vec<ImageRequest> {
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

#[cfg(test)]
mod tests;
