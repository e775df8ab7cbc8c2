//! What a container is to podc, typed; converted to and from the `io.podc.role` label only here.

use crate::labels;
use crate::plan::MemberRole;
use serde::{Serialize, Serializer};
use std::fmt;

/// The `io.podc.role` of a container podc made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Role {
    /// `<pod>_POD`: owns the namespaces and the published ports.
    Pause,
    /// An app container (`spec.containers`; label `container`).
    App,
    /// An init container.
    Init,
    /// A native sidecar (an init container with `restartPolicy: Always`).
    Sidecar,
    /// `<pod>_SPEC`: never started; holds the plan for the host supervisor.
    Spec,
    /// A per-pod supervisor of podc before the host-wide one (`down` still ends such a one).
    PodSupervisor,
    /// `podc-supervisor`, one per engine.
    HostSupervisor,
    /// Holds the pod's memory-backed volumes while the pod is rebuilt.
    Holder,
    /// The short-lived container that fills the pod's volumes.
    Volumes,
}

impl Role {
    /// Every role, for the label round trip.
    pub(crate) const ALL: [Role; 9] = [
        Role::Pause,
        Role::App,
        Role::Init,
        Role::Sidecar,
        Role::Spec,
        Role::PodSupervisor,
        Role::HostSupervisor,
        Role::Holder,
        Role::Volumes,
    ];

    /// The label value.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Role::Pause => labels::ROLE_PAUSE,
            Role::App => labels::ROLE_MEMBER,
            Role::Init => labels::ROLE_INIT,
            Role::Sidecar => labels::ROLE_SIDECAR,
            Role::Spec => labels::ROLE_SPEC,
            Role::PodSupervisor => labels::ROLE_SUPERVISOR,
            Role::HostSupervisor => labels::ROLE_HOST_SUPERVISOR,
            Role::Holder => labels::ROLE_HOLDER,
            Role::Volumes => labels::ROLE_VOLUMES,
        }
    }

    /// The role a label value names; `None` for a value podc never writes.
    pub(crate) fn from_label(value: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.label() == value)
    }

    /// The role in a container's labels (`None`: none, or one this podc never writes).
    pub(crate) fn of(labels: &std::collections::HashMap<String, String>) -> Option<Role> {
        Role::from_label(labels.get(labels::ROLE)?)
    }

    /// A container of the pod's manifest (app, init or sidecar).
    pub(crate) fn is_member(self) -> bool {
        matches!(self, Role::App | Role::Init | Role::Sidecar)
    }
}

impl From<MemberRole> for Role {
    fn from(role: MemberRole) -> Role {
        match role {
            MemberRole::App => Role::App,
            MemberRole::Init => Role::Init,
            MemberRole::Sidecar => Role::Sidecar,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl Serialize for Role {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_label() {
        for role in Role::ALL {
            assert_eq!(Role::from_label(role.label()), Some(role));
        }
        assert_eq!(Role::from_label("container"), Some(Role::App));
        assert_eq!(Role::from_label("nonsense"), None);
    }

    #[test]
    fn member_roles_map_to_their_labels() {
        assert_eq!(Role::from(MemberRole::App).label(), "container");
        assert_eq!(Role::from(MemberRole::Sidecar).label(), "sidecar");
        assert!(Role::Init.is_member() && !Role::Pause.is_member());
    }
}
