//! The kinds of document podc reads (Pod, ConfigMap, Secret), their `apiVersion` and `kind`
//! headers, and what to do instead with the kinds people put next to a Pod.

use super::super::tree::{shorten, Node};
use super::super::Findings;
use super::at_value;
use super::fields;
use super::vocabulary::ObjectType;

/// The kinds of document podc reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DocKind {
    Pod,
    ConfigMap,
    Secret,
}

impl DocKind {
    pub(crate) const ALL: [DocKind; 3] = [DocKind::Pod, DocKind::ConfigMap, DocKind::Secret];

    pub(crate) fn name(self) -> &'static str {
        match self {
            DocKind::Pod => "Pod",
            DocKind::ConfigMap => "ConfigMap",
            DocKind::Secret => "Secret",
        }
    }

    /// The table of the document's top-level fields.
    pub(super) fn object(self) -> &'static ObjectType {
        match self {
            DocKind::Pod => &fields::POD,
            DocKind::ConfigMap => &fields::CONFIG_MAP,
            DocKind::Secret => &fields::SECRET,
        }
    }
}

/// What podc reads: said in every "kind is not supported" message.
const READS: &str = "podc runs Pods and the ConfigMaps and Secrets they use";

/// Kinds people put next to a Pod, and exactly what to do with each instead.
const KIND_ADVICE: &[(&str, &str, Option<&str>)] = &[
    (
        "Deployment",
        "for a Deployment, run its spec.template as a Pod",
        Some(TEMPLATE_HINT),
    ),
    (
        "ReplicaSet",
        "for a ReplicaSet, run its spec.template as a Pod",
        Some(TEMPLATE_HINT),
    ),
    (
        "ReplicationController",
        "for a ReplicationController, run its spec.template as a Pod",
        Some(TEMPLATE_HINT),
    ),
    (
        "StatefulSet",
        "for a StatefulSet, run its spec.template as a Pod",
        Some(TEMPLATE_HINT),
    ),
    (
        "DaemonSet",
        "for a DaemonSet, run its spec.template as a Pod",
        Some(TEMPLATE_HINT),
    ),
    (
        "Job",
        "for a Job, run its spec.template as a Pod",
        Some(TEMPLATE_HINT),
    ),
    (
        "CronJob",
        "for a CronJob, run its spec.jobTemplate.spec.template as a Pod",
        Some("copy `spec.jobTemplate.spec.template`'s `metadata` and `spec` into a document with `apiVersion: v1` and `kind: Pod`"),
    ),
    (
        "PodTemplate",
        "for a PodTemplate, run its template as a Pod",
        Some("copy `template`'s `metadata` and `spec` into a document with `apiVersion: v1` and `kind: Pod`"),
    ),
    (
        "Service",
        "for a Service, publish the ports it exposes with `hostPort` in the containers' `ports`, and remove the Service",
        None,
    ),
    (
        "PersistentVolumeClaim",
        "remove the PersistentVolumeClaim: podc keeps a `persistentVolumeClaim` volume in a Docker volume named after its claimName",
        None,
    ),
    (
        "Namespace",
        "remove the Namespace: podc has no namespaces",
        None,
    ),
    (
        "List",
        "put each of its `items` in a document of its own, separated by `---`",
        None,
    ),
];

const TEMPLATE_HINT: &str = "copy `spec.template`'s `metadata` and `spec` into a document with `apiVersion: v1` and `kind: Pod`";

/// The kind a document declares, when it can be read at all (for `podc check` labels).
pub(crate) fn declared_kind(root: &Node) -> Option<&str> {
    root.get("kind").and_then(|(_, v)| v.as_str())
}

/// `apiVersion: v1`, the only one podc reads.
pub(super) fn check_api_version(root: &Node, kind: DocKind, out: &mut Findings) {
    let kind = kind.name();
    let hint = Some("write `apiVersion: v1`".to_string());
    match root.get("apiVersion") {
        None => out.error(
            root.pos,
            format!("missing `apiVersion`: podc runs `apiVersion: v1` with `kind: {kind}`"),
            Some("add `apiVersion: v1` at the top of the document".to_string()),
        ),
        Some((_, v)) if v.as_str() == Some("v1") => {}
        Some((k, v)) => match v.as_str() {
            Some(other) => out.error(
                v.pos,
                format!(
                    "apiVersion `{}` is not supported: podc runs `apiVersion: v1` with `kind: {kind}`",
                    shorten(other)
                ),
                hint,
            ),
            None => out.error(
                at_value(k.pos, v),
                format!("apiVersion must be `v1`, found {}", v.describe()),
                hint,
            ),
        },
    }
}

/// The kind of a document; None when podc does not read it (with the error that says so).
pub(super) fn check_kind(root: &Node, out: &mut Findings) -> Option<DocKind> {
    let Some((k, v)) = root.get("kind") else {
        out.error(
            root.pos,
            "missing `kind`: podc runs `kind: Pod` (apiVersion v1)".to_string(),
            Some("add `kind: Pod` at the top of the document".to_string()),
        );
        return Some(DocKind::Pod);
    };
    let Some(text) = v.as_str() else {
        out.error(
            at_value(k.pos, v),
            format!("kind must be `Pod`, found {}", v.describe()),
            Some("write `kind: Pod`".to_string()),
        );
        return None;
    };
    if let Some(kind) = DocKind::ALL.into_iter().find(|d| d.name() == text) {
        return Some(kind);
    }
    // A misspelt kind podc reads is still meant as one: check the rest of it too.
    if let Some(kind) = DocKind::ALL
        .into_iter()
        .find(|d| d.name().eq_ignore_ascii_case(text))
    {
        out.error(
            v.pos,
            format!("kind `{}` is not supported: {READS}", shorten(text)),
            Some(format!("did you mean `{}`?", kind.name())),
        );
        return Some(kind);
    }
    let (advice, hint) = KIND_ADVICE
        .iter()
        .find(|(kind, _, _)| *kind == text)
        .map_or(("remove this document from the file", None), |(_, a, h)| {
            (*a, *h)
        });
    out.error(
        v.pos,
        format!(
            "kind `{}` is not supported: {READS}; {advice}",
            shorten(text)
        ),
        hint.map(str::to_string),
    );
    None
}
