//! `spec.volumes[]` and their sources, and the containers' `volumeMounts[]`.

use super::super::vocabulary::Presence::{Defaulted, Optional, Required};
use super::super::vocabulary::{
    applied, emulated, ignored, read, refused, unsupported, Field, ObjectType, Ty,
};

const VOLUME_SOURCE_REFUSED: &str = "volume source `{name}` is not supported by podc";
const VOLUME_SOURCES_HINT: &str =
    "podc supports emptyDir, hostPath, configMap, secret and persistentVolumeClaim volumes";

const fn other_source(name: &'static str) -> Field {
    refused(name, VOLUME_SOURCE_REFUSED, VOLUME_SOURCES_HINT)
}

/// Why the cluster's API-access volume (`kube-api-access-*`) is dropped, not refused.
const PROJECTED_IGNORED: &str = "is left out, with its volumeMounts: its service account token is for a cluster's API server, and podc has none";

/// The volume sources podc supports, in the table's order.
#[cfg(test)]
pub(crate) const SUPPORTED_VOLUME_SOURCES: [&str; 5] = [
    "configMap",
    "emptyDir",
    "hostPath",
    "persistentVolumeClaim",
    "secret",
];

/// `spec.volumes[]` (Kubernetes `Volume`): a name and exactly one source.
pub(crate) static VOLUME: ObjectType = ObjectType {
    name: "Volume",
    fields: &[
        other_source("awsElasticBlockStore"),
        other_source("azureDisk"),
        other_source("azureFile"),
        other_source("cephfs"),
        other_source("cinder"),
        emulated(
            "configMap",
            Ty::Object(&CONFIG_MAP_VOLUME_SOURCE),
            Optional,
            "podc writes the ConfigMap's keys as files into a Docker volume",
        ),
        other_source("csi"),
        other_source("downwardAPI"),
        applied(
            "emptyDir",
            Ty::Object(&EMPTY_DIR_VOLUME_SOURCE),
            Optional,
            "a Docker volume removed with the pod (medium Memory: a tmpfs)",
        ),
        other_source("ephemeral"),
        other_source("fc"),
        other_source("flexVolume"),
        other_source("flocker"),
        other_source("gcePersistentDisk"),
        other_source("gitRepo"),
        other_source("glusterfs"),
        applied(
            "hostPath",
            Ty::Object(&HOST_PATH_VOLUME_SOURCE),
            Optional,
            "a bind mount of the host path",
        ),
        other_source("image"),
        other_source("iscsi"),
        read(
            "name",
            Ty::Str,
            Required("add `name:`: containers mount a volume by its name"),
        ),
        other_source("nfs"),
        applied(
            "persistentVolumeClaim",
            Ty::Object(&PVC_VOLUME_SOURCE),
            Optional,
            "a named Docker volume that outlives the pod",
        ),
        other_source("photonPersistentDisk"),
        other_source("portworxVolume"),
        // `kubectl get pod -o yaml` shows the cluster's API access as a projected volume; any
        // other projected volume is refused by validate/volumes.rs.
        ignored("projected", PROJECTED_IGNORED),
        other_source("quobyte"),
        other_source("rbd"),
        other_source("scaleIO"),
        emulated(
            "secret",
            Ty::Object(&SECRET_VOLUME_SOURCE),
            Optional,
            "podc writes the Secret's keys as files on a tmpfs",
        ),
        other_source("storageos"),
        other_source("vsphereVolume"),
    ],
};

/// `emptyDir` (Kubernetes `EmptyDirVolumeSource`).
pub(crate) static EMPTY_DIR_VOLUME_SOURCE: ObjectType = ObjectType {
    name: "EmptyDirVolumeSource",
    fields: &[
        read(
            "medium",
            Ty::Enum {
                allowed: &["", "Memory"],
                refused: &[(
                    "HugePages",
                    "is not supported by podc: Docker has no huge-page volumes",
                )],
            },
            Optional,
        ),
        read("sizeLimit", Ty::Quantity, Optional),
    ],
};

/// `hostPath` (Kubernetes `HostPathVolumeSource`).
pub(crate) static HOST_PATH_VOLUME_SOURCE: ObjectType = ObjectType {
    name: "HostPathVolumeSource",
    fields: &[
        read(
            "path",
            Ty::Str,
            Required("add `path:` with the absolute path on the host"),
        ),
        read(
            "type",
            Ty::Enum {
                allowed: &[
                    "",
                    "DirectoryOrCreate",
                    "Directory",
                    "FileOrCreate",
                    "File",
                    "Socket",
                    "CharDevice",
                    "BlockDevice",
                ],
                refused: &[],
            },
            Optional,
        ),
    ],
};

/// `configMap` (Kubernetes `ConfigMapVolumeSource`).
pub(crate) static CONFIG_MAP_VOLUME_SOURCE: ObjectType = ObjectType {
    name: "ConfigMapVolumeSource",
    fields: &[
        read("defaultMode", Ty::Mode, Optional),
        read("items", Ty::List(&KEY_TO_PATH), Defaulted),
        read(
            "name",
            Ty::Str,
            Required("add `name:` with the name of a ConfigMap in this file"),
        ),
        read("optional", Ty::Bool, Optional),
    ],
};

/// `secret` (Kubernetes `SecretVolumeSource`).
pub(crate) static SECRET_VOLUME_SOURCE: ObjectType = ObjectType {
    name: "SecretVolumeSource",
    fields: &[
        read("defaultMode", Ty::Mode, Optional),
        read("items", Ty::List(&KEY_TO_PATH), Defaulted),
        read("optional", Ty::Bool, Optional),
        read(
            "secretName",
            Ty::Str,
            Required("add `secretName:` with the name of a Secret in this file"),
        ),
    ],
};

/// `items[]` (Kubernetes `KeyToPath`).
pub(crate) static KEY_TO_PATH: ObjectType = ObjectType {
    name: "KeyToPath",
    fields: &[
        read("key", Ty::Str, Required("add `key:` with the key to write")),
        read("mode", Ty::Mode, Optional),
        read(
            "path",
            Ty::Str,
            Required("add `path:` with the file's path inside the volume"),
        ),
    ],
};

/// `persistentVolumeClaim` (Kubernetes `PersistentVolumeClaimVolumeSource`).
pub(crate) static PVC_VOLUME_SOURCE: ObjectType = ObjectType {
    name: "PersistentVolumeClaimVolumeSource",
    fields: &[
        read(
            "claimName",
            Ty::Str,
            Required("add `claimName:`: podc keeps the data in a Docker volume of that name"),
        ),
        read("readOnly", Ty::Bool, Optional),
    ],
};

/// `volumeMounts[]` (Kubernetes `VolumeMount`).
pub(crate) static VOLUME_MOUNT: ObjectType = ObjectType {
    name: "VolumeMount",
    fields: &[
        read(
            "mountPath",
            Ty::Str,
            Required("add `mountPath:` with the absolute path inside the container"),
        ),
        unsupported("mountPropagation"),
        read(
            "name",
            Ty::Str,
            Required("add `name:` with the name of one of `spec.volumes`"),
        ),
        read("readOnly", Ty::Bool, Optional),
        unsupported("recursiveReadOnly"),
        read("subPath", Ty::Str, Optional),
        unsupported("subPathExpr"),
    ],
};
