//! Typed volumes and mounts.

use serde::{Deserialize, Serialize};

/// `spec.volumes[]`: a name and exactly one source (podc supports the five below).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Volume {
    pub name: String,
    pub empty_dir: Option<EmptyDirSource>,
    pub host_path: Option<HostPathSource>,
    pub config_map: Option<ConfigMapSource>,
    pub secret: Option<SecretSource>,
    pub persistent_volume_claim: Option<PvcSource>,
    /// Only the cluster's API access (a service account token): left out with its mounts when
    /// the manifest is loaded, so nothing after that sees it.
    pub projected: Option<ProjectedSource>,
}

/// `projected`: read only to be recognised and dropped (`manifest::drop_api_access`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
pub struct ProjectedSource {}

/// `emptyDir`; `medium: Memory` is one tmpfs shared by every member.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EmptyDirSource {
    pub medium: Option<String>,
    #[serde(default, deserialize_with = "super::de::opt_quantity")]
    pub size_limit: Option<String>,
}

/// `hostPath` with its `type` check (`""`, `DirectoryOrCreate`, `Directory`, `FileOrCreate`,
/// `File`, `Socket`, `CharDevice`, `BlockDevice`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
pub struct HostPathSource {
    pub path: String,
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

/// `configMap` volume: the ConfigMap comes from the same multi-document file.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigMapSource {
    pub name: String,
    #[serde(default)]
    pub items: Vec<KeyToPath>,
    #[serde(default, deserialize_with = "super::de::opt_mode")]
    pub default_mode: Option<u32>,
    pub optional: Option<bool>,
}

/// `secret` volume: the Secret comes from the same multi-document file.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretSource {
    pub secret_name: String,
    #[serde(default)]
    pub items: Vec<KeyToPath>,
    #[serde(default, deserialize_with = "super::de::opt_mode")]
    pub default_mode: Option<u32>,
    pub optional: Option<bool>,
}

/// `items[]`: which key goes to which file.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
pub struct KeyToPath {
    pub key: String,
    pub path: String,
    #[serde(default, deserialize_with = "super::de::opt_mode")]
    pub mode: Option<u32>,
}

/// `persistentVolumeClaim`: a named Docker volume that survives `down` (unless `--volumes`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PvcSource {
    pub claim_name: String,
    pub read_only: Option<bool>,
}

/// A container's `volumeMounts[]`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VolumeMount {
    pub name: String,
    pub mount_path: String,
    pub read_only: Option<bool>,
    pub sub_path: Option<String>,
}
