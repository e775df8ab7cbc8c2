//! The pod's host settings: `hostAliases` and `dnsConfig`.

use super::super::vocabulary::Presence::{Defaulted, Optional, Required};
use super::super::vocabulary::{read, ObjectType, Ty};

/// `hostAliases[]` (Kubernetes `HostAlias`).
pub(crate) static HOST_ALIAS: ObjectType = ObjectType {
    name: "HostAlias",
    fields: &[
        read("hostnames", Ty::StrList, Defaulted),
        read(
            "ip",
            Ty::Str,
            Required("add `ip:` with the address the hostnames resolve to"),
        ),
    ],
};

/// `dnsConfig` (Kubernetes `PodDNSConfig`).
pub(crate) static POD_DNS_CONFIG: ObjectType = ObjectType {
    name: "PodDNSConfig",
    fields: &[
        read("nameservers", Ty::StrList, Defaulted),
        read("options", Ty::List(&POD_DNS_CONFIG_OPTION), Defaulted),
        read("searches", Ty::StrList, Defaulted),
    ],
};

/// `dnsConfig.options[]` (Kubernetes `PodDNSConfigOption`).
pub(crate) static POD_DNS_CONFIG_OPTION: ObjectType = ObjectType {
    name: "PodDNSConfigOption",
    fields: &[
        read(
            "name",
            Ty::Str,
            Required("add `name:` with the resolver option, e.g. `name: ndots`"),
        ),
        read("value", Ty::Str, Optional),
    ],
};
