//! Resources and security contexts as Docker numbers and flags, and the pod-wide settings the
//! pause owns (host aliases, DNS, sysctls).

use crate::manifest::{
    quantity, Container, DnsConfig, HostAlias, PodSecurityContext, Profile, ProfileKind, Resources,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Kubernetes' smallest CPU weight (`MinShares`).
pub(super) const MIN_CPU_SHARES: i64 = 2;

/// A container's resources in Docker's terms; None leaves Docker's default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ResourceSpec {
    /// `limits.cpu` -> HostConfig.NanoCpus.
    pub nano_cpus: Option<i64>,
    /// `requests.cpu` -> HostConfig.CpuShares (millicores * 1024 / 1000, at least 2).
    pub cpu_shares: Option<i64>,
    /// `limits.memory` -> HostConfig.Memory (and MemorySwap the same: no swap beyond it).
    pub memory: Option<i64>,
    /// `requests.memory` -> HostConfig.MemoryReservation.
    pub memory_reservation: Option<i64>,
}

/// The effective security settings of one container (its own over the pod's).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SecuritySpec {
    /// Docker's `User` (`uid` or `uid:gid`) when runAsUser decides it; with only runAsGroup
    /// it is completed from the image's user when applied (`SecuritySpec::docker_user`).
    pub user: Option<String>,
    pub run_as_user: Option<i64>,
    pub run_as_group: Option<i64>,
    /// Checked against the image's user before anything is created.
    pub run_as_non_root: bool,
    pub read_only_root_filesystem: bool,
    pub privileged: bool,
    /// `allowPrivilegeEscalation: false` -> SecurityOpt `no-new-privileges`.
    pub no_new_privileges: bool,
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    /// seccomp and AppArmor profiles as Docker's SecurityOpt (`seccomp=unconfined`,
    /// `apparmor=NAME`); empty for Docker's defaults (RuntimeDefault).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profiles: Vec<String>,
    /// `fsGroup` and `supplementalGroups` -> HostConfig.GroupAdd.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group_add: Vec<String>,
}

impl SecuritySpec {
    /// Docker's SecurityOpt: no-new-privileges, then the profiles.
    pub(crate) fn security_opt(&self) -> Vec<String> {
        let escalation = self
            .no_new_privileges
            .then(|| "no-new-privileges".to_string());
        escalation
            .into_iter()
            .chain(self.profiles.clone())
            .collect()
    }

    /// Docker's `User`: `uid` or `uid:gid`. With only a group, the image's user (`image_user`,
    /// its Config.User; root when empty) runs with that group. None: the image's own user.
    pub(crate) fn docker_user(&self, image_user: &str) -> Option<String> {
        match (self.run_as_user, self.run_as_group) {
            (Some(uid), Some(gid)) => Some(format!("{uid}:{gid}")),
            (Some(uid), None) => Some(uid.to_string()),
            (None, Some(gid)) => {
                let user = image_user.split(':').next().unwrap_or("");
                let user = if user.is_empty() { "0" } else { user };
                Some(format!("{user}:{gid}"))
            }
            (None, None) => None,
        }
    }

    /// Why this container may not run as `image_user` (the image's Config.User), in the
    /// kubelet's words, or None when runAsNonRoot is off or satisfied.
    pub(crate) fn non_root_violation(&self, image_user: &str) -> Option<String> {
        if !self.run_as_non_root {
            return None;
        }
        if let Some(uid) = self.run_as_user {
            return (uid == 0).then(|| "its runAsUser 0 breaks the non-root policy".to_string());
        }
        let user = image_user.split(':').next().unwrap_or("").trim();
        match user {
            "" | "root" => Some("container has runAsNonRoot and image will run as root".into()),
            _ => match user.parse::<i64>() {
                Ok(0) => Some("container has runAsNonRoot and image will run as root".into()),
                Ok(_) => None,
                Err(_) => Some(format!(
                    "container has runAsNonRoot and image has non-numeric user ({user}), cannot verify user is non-root"
                )),
            },
        }
    }
}

/// Resources from a container's `resources`. A request that is not given defaults to the limit,
/// as the API server defaults it. Quantities were checked by validation; one that still does not
/// parse is left to Docker's default.
pub(super) fn resources(r: Option<&Resources>) -> ResourceSpec {
    let Some(r) = r else {
        return ResourceSpec::default();
    };
    let cpu = |q: Option<&String>| q.and_then(|q| number(quantity::cpu_nanos(q)));
    let mem = |q: Option<&String>| q.and_then(|q| number(quantity::bytes(q)));
    let cpu_limit = cpu(r.limits.get("cpu"));
    let cpu_request = cpu(r.requests.get("cpu")).or(cpu_limit);
    let memory = mem(r.limits.get("memory"));
    ResourceSpec {
        nano_cpus: cpu_limit,
        cpu_shares: cpu_request.map(cpu_shares),
        memory,
        memory_reservation: mem(r.requests.get("memory")).or(memory),
    }
}

/// Kubernetes' `MilliCPUToShares`: millicores * 1024 / 1000, never below 2.
pub(crate) fn cpu_shares(nano_cpus: i64) -> i64 {
    let millis = nano_cpus / 1_000_000;
    (millis * 1024 / 1000).max(MIN_CPU_SHARES)
}

/// A parsed quantity as i64, whatever integer and error types the parser uses.
pub(super) fn number<T, E>(parsed: Result<T, E>) -> Option<i64>
where
    T: TryInto<i64>,
{
    parsed.ok()?.try_into().ok()
}

/// The container's securityContext over the pod's (user, group, runAsNonRoot come from either).
pub(super) fn security(pod: Option<&PodSecurityContext>, c: &Container) -> SecuritySpec {
    let own = c.security_context.clone().unwrap_or_default();
    let pod = pod.cloned().unwrap_or_default();
    let caps = own.capabilities.unwrap_or_default();
    let mut spec = SecuritySpec {
        user: None,
        run_as_user: own.run_as_user.or(pod.run_as_user),
        run_as_group: own.run_as_group.or(pod.run_as_group),
        run_as_non_root: own.run_as_non_root.or(pod.run_as_non_root) == Some(true),
        read_only_root_filesystem: own.read_only_root_filesystem == Some(true),
        privileged: own.privileged == Some(true),
        no_new_privileges: own.allow_privilege_escalation == Some(false),
        cap_add: caps.add,
        cap_drop: caps.drop,
        profiles: profile_opts(
            own.seccomp_profile
                .as_ref()
                .or(pod.seccomp_profile.as_ref()),
            own.app_armor_profile
                .as_ref()
                .or(pod.app_armor_profile.as_ref()),
        ),
        // The kubelet adds fsGroup to every container's groups, before supplementalGroups.
        group_add: pod
            .fs_group
            .iter()
            .chain(&pod.supplemental_groups)
            .map(|g| g.to_string())
            .collect(),
    };
    if spec.run_as_user.is_some() {
        spec.user = spec.docker_user("");
    }
    spec
}

/// The container's seccomp and AppArmor profiles (its own, else the pod's) as SecurityOpt.
/// RuntimeDefault is what Docker does anyway; a Localhost seccomp profile was refused by the
/// checks.
fn profile_opts(seccomp: Option<&Profile>, apparmor: Option<&Profile>) -> Vec<String> {
    let mut opts = Vec::new();
    if seccomp.map(|p| p.kind) == Some(ProfileKind::Unconfined) {
        opts.push("seccomp=unconfined".to_string());
    }
    match apparmor {
        Some(Profile {
            kind: ProfileKind::Unconfined,
            ..
        }) => opts.push("apparmor=unconfined".to_string()),
        Some(Profile {
            kind: ProfileKind::Localhost,
            localhost_profile: Some(name),
        }) => opts.push(format!("apparmor={name}")),
        _ => {}
    }
    opts
}

/// `hostAliases` as Docker's ExtraHosts: `hostname:ip`, one per hostname, in manifest order.
pub(super) fn extra_hosts(aliases: &[HostAlias]) -> Vec<String> {
    aliases
        .iter()
        .flat_map(|a| a.hostnames.iter().map(move |h| format!("{h}:{}", a.ip)))
        .collect()
}

/// `dnsConfig` as Docker's Dns, DnsSearch and DnsOptions (`name:value` or `name`).
pub(super) fn dns(config: Option<&DnsConfig>) -> (Vec<String>, Vec<String>, Vec<String>) {
    let Some(config) = config else {
        return Default::default();
    };
    let options = config
        .options
        .iter()
        .map(|o| match &o.value {
            Some(v) => format!("{}:{v}", o.name),
            None => o.name.clone(),
        })
        .collect();
    (config.nameservers.clone(), config.searches.clone(), options)
}

/// The pod's sysctls, set on the pause: they live in the namespaces it owns.
pub(super) fn sysctls(pod: Option<&PodSecurityContext>) -> BTreeMap<String, String> {
    pod.map(|p| {
        p.sysctls
            .iter()
            .map(|s| (s.name.clone(), s.value.clone()))
            .collect()
    })
    .unwrap_or_default()
}
