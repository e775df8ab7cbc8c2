//! `resources` and the security contexts of the pod and its containers.

use super::super::vocabulary::Presence::{Defaulted, Optional, Required};
use super::super::vocabulary::{read, unsupported, ObjectType, Ty};

/// A Linux user or group ID as Kubernetes accepts it.
const ID: Ty = Ty::Int {
    min: 0,
    max: i32::MAX as i64,
};

/// `resources` (Kubernetes `ResourceRequirements`).
pub(crate) static RESOURCE_REQUIREMENTS: ObjectType = ObjectType {
    name: "ResourceRequirements",
    fields: &[
        unsupported("claims"),
        read("limits", Ty::QuantityMap, Defaulted),
        read("requests", Ty::QuantityMap, Defaulted),
    ],
};

/// A container's `securityContext` (Kubernetes `SecurityContext`).
pub(crate) static SECURITY_CONTEXT: ObjectType = ObjectType {
    name: "SecurityContext",
    fields: &[
        read("allowPrivilegeEscalation", Ty::Bool, Optional),
        read("appArmorProfile", Ty::Object(&APPARMOR_PROFILE), Optional),
        read("capabilities", Ty::Object(&CAPABILITIES), Optional),
        read("privileged", Ty::Bool, Optional),
        unsupported("procMount"),
        read("readOnlyRootFilesystem", Ty::Bool, Optional),
        read("runAsGroup", ID, Optional),
        read("runAsNonRoot", Ty::Bool, Optional),
        read("runAsUser", ID, Optional),
        unsupported("seLinuxOptions"),
        read("seccompProfile", Ty::Object(&SECCOMP_PROFILE), Optional),
        unsupported("windowsOptions"),
    ],
};

/// `securityContext.seccompProfile` (Kubernetes `SeccompProfile`).
pub(crate) static SECCOMP_PROFILE: ObjectType = ObjectType {
    name: "SeccompProfile",
    fields: &[
        read("localhostProfile", Ty::Str, Optional),
        read(
            "type",
            Ty::Enum {
                allowed: &["RuntimeDefault", "Unconfined"],
                refused: &[(
                    "Localhost",
                    "seccomp profiles are not supported by podc: the profile is a file on a cluster's nodes, and Docker needs its JSON",
                )],
            },
            Required("add `type: RuntimeDefault` (Docker's default profile) or `type: Unconfined`"),
        ),
    ],
};

/// `securityContext.appArmorProfile` (Kubernetes `AppArmorProfile`): a Localhost profile is one
/// loaded into the host's kernel, named as Docker names it.
pub(crate) static APPARMOR_PROFILE: ObjectType = ObjectType {
    name: "AppArmorProfile",
    fields: &[
        read("localhostProfile", Ty::Str, Optional),
        read(
            "type",
            Ty::Enum {
                allowed: &["RuntimeDefault", "Unconfined", "Localhost"],
                refused: &[],
            },
            Required("add `type: RuntimeDefault` (Docker's default profile), `Unconfined` or `Localhost`"),
        ),
    ],
};

/// `securityContext.capabilities` (Kubernetes `Capabilities`).
pub(crate) static CAPABILITIES: ObjectType = ObjectType {
    name: "Capabilities",
    fields: &[
        read("add", Ty::StrList, Defaulted),
        read("drop", Ty::StrList, Defaulted),
    ],
};

/// The pod's `securityContext` (Kubernetes `PodSecurityContext`).
pub(crate) static POD_SECURITY_CONTEXT: ObjectType = ObjectType {
    name: "PodSecurityContext",
    fields: &[
        read("appArmorProfile", Ty::Object(&APPARMOR_PROFILE), Optional),
        read("fsGroup", ID, Optional),
        unsupported("fsGroupChangePolicy"),
        read("runAsGroup", ID, Optional),
        read("runAsNonRoot", Ty::Bool, Optional),
        read("runAsUser", ID, Optional),
        unsupported("seLinuxChangePolicy"),
        unsupported("seLinuxOptions"),
        read("seccompProfile", Ty::Object(&SECCOMP_PROFILE), Optional),
        read(
            "supplementalGroups",
            Ty::IntList {
                min: 0,
                max: i32::MAX as i64,
            },
            Defaulted,
        ),
        unsupported("supplementalGroupsPolicy"),
        read("sysctls", Ty::List(&SYSCTL), Defaulted),
        unsupported("windowsOptions"),
    ],
};

/// `securityContext.sysctls[]` (Kubernetes `Sysctl`).
pub(crate) static SYSCTL: ObjectType = ObjectType {
    name: "Sysctl",
    fields: &[
        read(
            "name",
            Ty::Str,
            Required("add `name:`, e.g. `name: net.core.somaxconn`"),
        ),
        read(
            "value",
            Ty::Str,
            Required("add `value:` as a string, e.g. `value: \"1024\"`"),
        ),
    ],
};
