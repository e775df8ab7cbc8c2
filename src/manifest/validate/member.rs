//! A container of the pod as the checks see it: its node, its path and how messages name it.

use super::super::tree::{shorten, Node};

/// A container of the pod: an app container, an init container or a sidecar (an init
/// container with `restartPolicy: Always`).
pub(super) struct Member<'a> {
    pub(super) node: &'a Node,
    /// `spec.containers[0]`, `spec.initContainers[1]`.
    pub(super) path: String,
    /// For messages: container `web`, init container `setup`, sidecar `proxy`.
    pub(super) who: String,
    pub(super) init: bool,
    pub(super) sidecar: bool,
}

impl<'a> Member<'a> {
    pub(super) fn new(node: &'a Node, path: String, init: bool) -> Member<'a> {
        let sidecar = init
            && node
                .get("restartPolicy")
                .is_some_and(|(_, v)| v.as_str() == Some("Always"));
        let what = match (init, sidecar) {
            (false, _) => "container",
            (true, false) => "init container",
            (true, true) => "sidecar",
        };
        let who = match node.get("name").and_then(|(_, v)| v.as_str()) {
            Some(name) => format!("{what} `{}`", shorten(name)),
            None => path.clone(),
        };
        Member {
            node,
            path,
            who,
            init,
            sidecar,
        }
    }

    /// Runs next to the app containers (shares their ports and lifetime).
    pub(super) fn runs_alongside(&self) -> bool {
        !self.init || self.sidecar
    }
}
