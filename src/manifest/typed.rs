//! The typed model of checked documents: serde_yaml deserializes them once the checks found
//! nothing wrong, and what podc leaves out (unresolved env sources, the cluster's API-access
//! volume) is dropped.

use super::documents::Doc;
use super::schema::DocKind;
use super::tree::{Pos, Problem};
use super::{ConfigMap, Pod, Secret};
use serde::Deserialize;

/// The typed objects of checked documents.
pub(super) struct Typed {
    pub(super) pods: Vec<Pod>,
    pub(super) config_maps: Vec<ConfigMap>,
    pub(super) secrets: Vec<Secret>,
}

/// Deserialize the checked documents into the typed model.
pub(super) fn deserialize(text: &str, docs: &[Doc]) -> Result<Typed, Vec<Problem>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // serde_yaml's documents, empty ones left out, pair with the tree's non-empty documents.
    let mut values = Vec::new();
    for doc in serde_yaml::Deserializer::from_str(text) {
        let value =
            serde_yaml::Value::deserialize(doc).map_err(|e| vec![serde_problem(&e, None)])?;
        if !value.is_null() {
            values.push(value);
        }
        if values.len() == docs.len() {
            break;
        }
    }
    let mut typed = Typed {
        pods: Vec::new(),
        config_maps: Vec::new(),
        secrets: Vec::new(),
    };
    let mut problems = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        let Some(value) = values.get(i).cloned() else {
            problems.push(Problem {
                pos: doc.start,
                message: format!("YAML: document {} not found", i + 1),
                hint: None,
            });
            continue;
        };
        let at = Some(doc.start);
        let result = match doc.kind {
            Some(DocKind::Pod) => serde_yaml::from_value::<Pod>(value).map(|mut pod| {
                drop_unset_env(&mut pod);
                drop_api_access(&mut pod);
                typed.pods.push(pod)
            }),
            Some(DocKind::ConfigMap) => {
                serde_yaml::from_value(value).map(|c| typed.config_maps.push(c))
            }
            Some(DocKind::Secret) => serde_yaml::from_value(value).map(|s| typed.secrets.push(s)),
            None => Ok(()),
        };
        if let Err(e) = result {
            problems.push(serde_problem(&e, at));
        }
    }
    if problems.is_empty() {
        Ok(typed)
    } else {
        Err(problems)
    }
}

/// A serde_yaml error as a problem at its place (or `fallback`, or the file's start).
pub(super) fn serde_problem(e: &serde_yaml::Error, fallback: Option<Pos>) -> Problem {
    let pos = e
        .location()
        .map(|l| Pos {
            line: l.line().max(1),
            column: l.column().max(1),
        })
        .or(fallback)
        .unwrap_or(Pos { line: 1, column: 1 });
    Problem {
        pos,
        message: format!("YAML: {}", without_places(&e.to_string())),
        hint: None,
    }
}

/// serde_yaml's message without its " at line L column C" parts (the diagnostic has the place).
fn without_places(message: &str) -> String {
    let mut out = String::new();
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let tail = &after[digits..];
        match tail.strip_prefix(" column ") {
            Some(col) if digits > 0 => {
                rest = col.trim_start_matches(|c: char| c.is_ascii_digit());
            }
            _ => {
                out.push_str(" at line ");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Remove the `env[]` entries whose only source podc does not resolve (`resourceFieldRef`,
/// `fileKeyRef`: warned about), so they do not reach the container as empty variables.
fn drop_unset_env(pod: &mut Pod) {
    for c in pod.spec.all_containers_mut() {
        c.env.retain(|e| {
            e.value_from.as_ref().is_none_or(|s| {
                s.field_ref.is_some()
                    || s.config_map_key_ref.is_some()
                    || s.secret_key_ref.is_some()
            })
        });
    }
}

/// The cluster's API-access volume (`projected`, accepted only with a service account token)
/// and the mounts of it: podc has no API server, and the validation warned about it.
fn drop_api_access(pod: &mut Pod) {
    let spec = &mut pod.spec;
    let dropped: Vec<String> = spec
        .volumes
        .iter()
        .filter(|v| v.projected.is_some())
        .map(|v| v.name.clone())
        .collect();
    spec.volumes.retain(|v| v.projected.is_none());
    for c in spec.all_containers_mut() {
        c.volume_mounts.retain(|m| !dropped.contains(&m.name));
    }
}

#[cfg(test)]
mod tests;
