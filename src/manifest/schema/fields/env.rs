//! A container's environment: `env[]`, its `valueFrom` sources, and `envFrom[]`.

use super::super::vocabulary::Presence::{Defaulted, Optional, Required};
use super::super::vocabulary::{emulated, ignored, read, ObjectType, Ty};

/// `env[]` (Kubernetes `EnvVar`).
pub(crate) static ENV_VAR: ObjectType = ObjectType {
    name: "EnvVar",
    fields: &[
        read(
            "name",
            Ty::Str,
            Required("add `name:` with the variable's name"),
        ),
        read("value", Ty::Str, Defaulted),
        emulated(
            "valueFrom",
            Ty::Object(&ENV_VAR_SOURCE),
            Optional,
            "podc resolves it when it creates the container",
        ),
    ],
};

/// `env[].valueFrom` (Kubernetes `EnvVarSource`).
pub(crate) static ENV_VAR_SOURCE: ObjectType = ObjectType {
    name: "EnvVarSource",
    fields: &[
        read(
            "configMapKeyRef",
            Ty::Object(&CONFIG_MAP_KEY_SELECTOR),
            Optional,
        ),
        read("fieldRef", Ty::Object(&OBJECT_FIELD_SELECTOR), Optional),
        ignored(
            "fileKeyRef",
            "is not supported yet by podc: the variable is left unset",
        ),
        ignored(
            "resourceFieldRef",
            "is not supported yet by podc: the variable is left unset",
        ),
        read("secretKeyRef", Ty::Object(&SECRET_KEY_SELECTOR), Optional),
    ],
};

/// `valueFrom.fieldRef` (Kubernetes `ObjectFieldSelector`).
pub(crate) static OBJECT_FIELD_SELECTOR: ObjectType = ObjectType {
    name: "ObjectFieldSelector",
    fields: &[
        read(
            "apiVersion",
            Ty::Enum {
                allowed: &["v1"],
                refused: &[],
            },
            Optional,
        ),
        read(
            "fieldPath",
            Ty::Str,
            Required("add `fieldPath:`, e.g. `fieldPath: metadata.name`"),
        ),
    ],
};

/// `valueFrom.configMapKeyRef` (Kubernetes `ConfigMapKeySelector`).
pub(crate) static CONFIG_MAP_KEY_SELECTOR: ObjectType = ObjectType {
    name: "ConfigMapKeySelector",
    fields: &[
        read(
            "key",
            Ty::Str,
            Required("add `key:` with the ConfigMap key to read"),
        ),
        read(
            "name",
            Ty::Str,
            Required("add `name:` with the ConfigMap's name"),
        ),
        read("optional", Ty::Bool, Optional),
    ],
};

/// `valueFrom.secretKeyRef` (Kubernetes `SecretKeySelector`).
pub(crate) static SECRET_KEY_SELECTOR: ObjectType = ObjectType {
    name: "SecretKeySelector",
    fields: &[
        read(
            "key",
            Ty::Str,
            Required("add `key:` with the Secret key to read"),
        ),
        read(
            "name",
            Ty::Str,
            Required("add `name:` with the Secret's name"),
        ),
        read("optional", Ty::Bool, Optional),
    ],
};

/// `envFrom[]` (Kubernetes `EnvFromSource`).
pub(crate) static ENV_FROM_SOURCE: ObjectType = ObjectType {
    name: "EnvFromSource",
    fields: &[
        read("configMapRef", Ty::Object(&CONFIG_MAP_ENV_SOURCE), Optional),
        read("prefix", Ty::Str, Optional),
        read("secretRef", Ty::Object(&SECRET_ENV_SOURCE), Optional),
    ],
};

/// `envFrom[].configMapRef` (Kubernetes `ConfigMapEnvSource`).
pub(crate) static CONFIG_MAP_ENV_SOURCE: ObjectType = ObjectType {
    name: "ConfigMapEnvSource",
    fields: &[
        read(
            "name",
            Ty::Str,
            Required("add `name:` with the ConfigMap's name"),
        ),
        read("optional", Ty::Bool, Optional),
    ],
};

/// `envFrom[].secretRef` (Kubernetes `SecretEnvSource`).
pub(crate) static SECRET_ENV_SOURCE: ObjectType = ObjectType {
    name: "SecretEnvSource",
    fields: &[
        read(
            "name",
            Ty::Str,
            Required("add `name:` with the Secret's name"),
        ),
        read("optional", Ty::Bool, Optional),
    ],
};
