//! Typed container and pod settings beyond the basics: resources, security contexts, stdin/tty,
//! host aliases, DNS, host namespaces.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `resources`: Kubernetes quantities as written (`500m`, `1.5`, `64Mi`, `1G`); parsed by
/// `quantity.rs` when applied.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
pub struct Resources {
    #[serde(default, deserialize_with = "super::de::quantity_map")]
    pub limits: BTreeMap<String, String>,
    #[serde(default, deserialize_with = "super::de::quantity_map")]
    pub requests: BTreeMap<String, String>,
}

/// A container's `securityContext`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityContext {
    pub run_as_user: Option<i64>,
    pub run_as_group: Option<i64>,
    pub run_as_non_root: Option<bool>,
    pub read_only_root_filesystem: Option<bool>,
    pub privileged: Option<bool>,
    pub allow_privilege_escalation: Option<bool>,
    pub capabilities: Option<Capabilities>,
    // Left out when unset, so the spec of a pod without them (and its hash) stays as it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seccomp_profile: Option<Profile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_armor_profile: Option<Profile>,
}

/// A `seccompProfile` or `appArmorProfile`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    #[serde(rename = "type")]
    pub kind: ProfileKind,
    pub localhost_profile: Option<String>,
}

/// A profile's `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum ProfileKind {
    /// Docker's default profile (what the container gets without any).
    RuntimeDefault,
    Unconfined,
    /// A profile of the host's, named by `localhostProfile` (AppArmor only: checked).
    Localhost,
}

/// `capabilities.add` / `drop`, as Kubernetes spells them (`NET_ADMIN`, `ALL`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
pub struct Capabilities {
    #[serde(default)]
    pub add: Vec<String>,
    #[serde(default)]
    pub drop: Vec<String>,
}

/// The pod's `securityContext` (defaults for every container, plus sysctls on the pause).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodSecurityContext {
    pub run_as_user: Option<i64>,
    pub run_as_group: Option<i64>,
    pub run_as_non_root: Option<bool>,
    #[serde(default)]
    pub sysctls: Vec<Sysctl>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seccomp_profile: Option<Profile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_armor_profile: Option<Profile>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supplemental_groups: Vec<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fs_group: Option<i64>,
}

/// `sysctls[]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Sysctl {
    pub name: String,
    pub value: String,
}

/// `hostAliases[]`: extra /etc/hosts lines (on the pause, which owns /etc/hosts).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct HostAlias {
    pub ip: String,
    #[serde(default)]
    pub hostnames: Vec<String>,
}

/// `dnsConfig` (on the pause, which owns /etc/resolv.conf).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
pub struct DnsConfig {
    #[serde(default)]
    pub nameservers: Vec<String>,
    #[serde(default)]
    pub searches: Vec<String>,
    #[serde(default)]
    pub options: Vec<DnsOption>,
}

/// `dnsConfig.options[]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct DnsOption {
    pub name: String,
    pub value: Option<String>,
}
