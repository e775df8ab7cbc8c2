//! A container's environment: `env[]` names (set once, no `=`), one `valueFrom` source each
//! with a field path podc resolves, and one source per `envFrom[]` item.

use super::super::tree::{shorten, Node, Pos};
use super::super::Findings;
use super::names::qualified_name;
use super::{and_list, at};
use std::collections::HashMap;

/// `env[]`: every variable named, without `=`, and set once (a warning names the second).
pub(super) fn check_env(env: &[Node], who: &str, path: &str, out: &mut Findings) {
    let mut seen: HashMap<&str, Pos> = HashMap::new();
    for (i, e) in env.iter().enumerate() {
        check_value_from(e, &format!("{path}.env[{i}]"), out);
        let Some((k, v)) = e.get("name") else {
            continue;
        };
        let Some(name) = v.as_str() else {
            continue;
        };
        if name.is_empty() {
            out.error(
                k.pos,
                format!("`{path}.env[{i}].name` is empty"),
                Some("give the variable a name".to_string()),
            );
            continue;
        }
        if name.contains('=') {
            out.error(
                v.pos,
                format!(
                    "environment variable name `{}` in {who} contains `=`",
                    shorten(name)
                ),
                Some("put the value in `value:`".to_string()),
            );
            continue;
        }
        if let Some(first) = seen.get(name) {
            out.warn(
                v.pos,
                format!(
                    "environment variable `{}` is set twice in {who} (first at line {}); the last one wins",
                    shorten(name),
                    first.line
                ),
                Some("remove one of them".to_string()),
            );
        }
        seen.insert(name, v.pos);
    }
}

/// The sources of `env[].valueFrom`, in Kubernetes' order; podc ignores the last two.
const ENV_SOURCES: [&str; 5] = [
    "fieldRef",
    "configMapKeyRef",
    "secretKeyRef",
    "resourceFieldRef",
    "fileKeyRef",
];

/// The `fieldRef.fieldPath`s podc resolves (besides `metadata.labels['KEY']` and
/// `metadata.annotations['KEY']`).
const FIELD_PATHS: [&str; 6] = [
    "metadata.name",
    "metadata.namespace",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.podIP",
    "status.podIPs",
];

const FIELD_PATHS_HINT: &str = "podc resolves metadata.name, metadata.namespace, metadata.labels['KEY'], metadata.annotations['KEY'], status.podIP and spec.nodeName";

/// One `env[]` entry's `valueFrom`: exactly one source, not next to a `value`, and a field
/// path podc can resolve.
fn check_value_from(e: &Node, epath: &str, out: &mut Findings) {
    let Some((key, vf)) = e.get("valueFrom") else {
        return;
    };
    if vf.as_map().is_none() {
        return;
    }
    if let Some((vk, value)) = e.get("value") {
        if value.as_str().is_some_and(|s| !s.is_empty()) {
            out.error(
                vk.pos,
                format!("`{epath}` sets both `value` and `valueFrom`: a variable takes its value from one of them"),
                Some("remove one of them".to_string()),
            );
        }
    }
    let found: Vec<String> = ENV_SOURCES
        .iter()
        .filter(|s| vf.get(s).is_some_and(|(_, v)| !v.is_null()))
        .map(|s| format!("`{s}`"))
        .collect();
    match found.len() {
        0 => out.error(
            key.pos,
            format!("`{epath}.valueFrom` has no source: it needs exactly one of `fieldRef`, `configMapKeyRef` or `secretKeyRef`"),
            Some("e.g. `fieldRef: {fieldPath: metadata.name}`".to_string()),
        ),
        1 => {}
        n => out.error(
            key.pos,
            format!(
                "`{epath}.valueFrom` has {n} sources, {}: it needs exactly one",
                and_list(&found)
            ),
            Some("keep one of them".to_string()),
        ),
    }
    let Some((k, v)) = vf.get("fieldRef").and_then(|(_, f)| f.get("fieldPath")) else {
        return;
    };
    let Some(field_path) = v.as_str() else {
        return;
    };
    if let Err(why) = field_path_ok(field_path) {
        out.error(
            at(k, v),
            format!(
                "`{epath}.valueFrom.fieldRef.fieldPath` `{}` {why}",
                shorten(field_path)
            ),
            Some(FIELD_PATHS_HINT.to_string()),
        );
    }
}

/// Whether podc can resolve a `fieldRef.fieldPath`, and why not.
fn field_path_ok(path: &str) -> Result<(), String> {
    if FIELD_PATHS.contains(&path) {
        return Ok(());
    }
    for map in ["metadata.labels", "metadata.annotations"] {
        let Some(rest) = path.strip_prefix(map) else {
            continue;
        };
        if rest.is_empty() {
            return Err(format!(
                "is not supported by podc: name one key, as in `{map}['KEY']`"
            ));
        }
        let key = rest
            .strip_prefix("['")
            .and_then(|r| r.strip_suffix("']"))
            .ok_or_else(|| {
                format!("is not valid: write the key as `{map}['KEY']`, in single quotes")
            })?;
        return qualified_name(key).map_err(|why| format!("names a key that is not valid: {why}"));
    }
    Err("is not supported by podc".to_string())
}

/// `envFrom[]`: exactly one of `configMapRef` and `secretRef` each.
pub(super) fn check_env_from(items: &[Node], who: &str, path: &str, out: &mut Findings) {
    for (i, item) in items.iter().enumerate() {
        if item.as_map().is_none() {
            continue;
        }
        let found: Vec<String> = ["configMapRef", "secretRef"]
            .iter()
            .filter(|s| item.get(s).is_some_and(|(_, v)| !v.is_null()))
            .map(|s| format!("`{s}`"))
            .collect();
        let message = match found.len() {
            0 => format!("`{path}.envFrom[{i}]` in {who} has no source: it needs one of `configMapRef` or `secretRef`"),
            1 => continue,
            _ => format!("`{path}.envFrom[{i}]` in {who} has both `configMapRef` and `secretRef`: it needs exactly one"),
        };
        out.error(
            item.pos,
            message,
            Some("write one source per `envFrom` item".to_string()),
        );
    }
}
