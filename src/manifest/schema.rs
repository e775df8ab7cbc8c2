//! The schema walk: a located tree checked against the Kubernetes field tables. The tables
//! (`fields.rs`, under `fields/`) are data written in a small vocabulary (`vocabulary.rs`);
//! the walk reads them in one direction: the kinds of document and their headers
//! (`kinds.rs`), the walk over each object's fields (`walk.rs`), each value against its type
//! (`value.rs`), and "did you mean" for unknown names (`suggest.rs`). It reports unknown
//! fields (errors with a "did you mean" hint), Kubernetes fields podc does not apply
//! (warnings), fields podc refuses (errors), and the type of every field podc reads (errors).
//! On the way it records, for `podc check`, what podc does with each field the file sets.
//!
//! Each object podc descends into lists ALL the fields Kubernetes defines for it (as of
//! Kubernetes v1.34), so a valid Kubernetes manifest never gets an "unknown field" error.

pub(super) mod fields;
mod kinds;
mod suggest;
mod value;
pub(super) mod vocabulary;
mod walk;

pub(super) use kinds::{declared_kind, DocKind};
pub(crate) use suggest::closest;

use super::tree::{shorten, Kind, Node, Pos};
use super::Findings;

/// Check a document root. Returns its kind when podc reads documents of that kind, so the
/// semantic checks can look inside; None for other kinds and for roots that are no mapping.
pub(super) fn check(root: &Node, out: &mut Findings) -> Option<DocKind> {
    if root.as_map().is_none() {
        out.error(
            root.pos,
            format!(
                "expected a Kubernetes v1 Pod (a mapping with `apiVersion`, `kind`, `metadata` and `spec`), found {}",
                root.describe()
            ),
            None,
        );
        return None;
    }
    let kind = kinds::check_kind(root, out)?;
    kinds::check_api_version(root, kind, out);
    walk::walk_object(kind.object(), root, "", None, out);
    Some(kind)
}

/// Where to point at a value: the value itself, or its key when the value is empty.
fn at_value(key: Pos, value: &Node) -> Pos {
    match &value.kind {
        Kind::Scalar(s) if s.text.is_empty() => key,
        _ => value.pos,
    }
}

/// A field's path: `spec.containers`, or `spec` at the top.
fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// A map entry's path: `metadata.labels.app`, or `metadata.labels["app.kubernetes.io/name"]`.
pub(super) fn join_key(path: &str, key: &str) -> String {
    let simple = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if simple {
        join(path, key)
    } else {
        format!("{path}[{:?}]", shorten(key))
    }
}
