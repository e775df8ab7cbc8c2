//! A container's environment, resolved the way the kubelet does it: `envFrom` sources first (a
//! later source wins a key), then `env` (wins over `envFrom`; a later duplicate wins in place).
//! Literal values expand `$(VAR)` references to the variables defined before them, and
//! `command` and `args` to the whole environment (`expand`). Everything is known when planning
//! except `status.podIP`, which `apply` fills in once the pause runs (`POD_IP_MARK`).

use super::PodObjects;
use crate::manifest::{Container, EnvVarSource, FieldRef, Pod, Secret};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// What `fieldRef: spec.nodeName` gives when the pod names no node: podc runs on one engine, and
/// it does not ask the daemon for its host name while planning (planning is pure).
pub(crate) const NODE_NAME: &str = "podc";
/// What `fieldRef: metadata.namespace` gives: podc has no namespaces.
pub(crate) const NAMESPACE: &str = "default";
/// What `fieldRef: spec.serviceAccountName` gives.
pub(super) const SERVICE_ACCOUNT: &str = "default";

/// One `NAME=value` of a container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct EnvVarSpec {
    pub name: String,
    pub value: EnvValue,
}

/// Where `status.podIP` (`status.podIPs`) stands in a value or an argument until the pause runs
/// and `apply` knows its address. A NUL can be in neither an environment variable nor an
/// argument of a process, so no value the user wrote holds this.
pub(crate) const POD_IP_MARK: &str = "\u{0}status.podIP\u{0}";

/// A value; either may hold `POD_IP_MARK`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum EnvValue {
    Literal(String),
    /// From a Secret, or expanded from one: never shown by `Debug` (hashed into the config
    /// hash like everything).
    Secret(String),
}

impl fmt::Debug for EnvValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EnvValue::Literal(v) => f.debug_tuple("Literal").field(v).finish(),
            EnvValue::Secret(_) => f.write_str("Secret(<redacted>)"),
        }
    }
}

/// Whether the pod's IP goes into `text` (a value or an argument) once known.
pub(crate) fn needs_pod_ip(text: &str) -> bool {
    text.contains(POD_IP_MARK)
}

/// `text` with the pod's IP in place of `POD_IP_MARK`.
pub(crate) fn with_pod_ip(text: &str, pod_ip: &str) -> String {
    text.replace(POD_IP_MARK, pod_ip)
}

impl EnvValue {
    pub(crate) fn text(&self) -> &str {
        match self {
            EnvValue::Literal(v) | EnvValue::Secret(v) => v,
        }
    }

    fn into_text(self) -> String {
        match self {
            EnvValue::Literal(v) | EnvValue::Secret(v) => v,
        }
    }

    /// Whether the pod's IP goes into this value once known.
    pub(crate) fn needs_pod_ip(&self) -> bool {
        needs_pod_ip(self.text())
    }

    /// The value with the pod's IP in place of `POD_IP_MARK`.
    pub(crate) fn with_pod_ip(&self, pod_ip: &str) -> EnvValue {
        let filled = with_pod_ip(self.text(), pod_ip);
        match self {
            EnvValue::Literal(_) => EnvValue::Literal(filled),
            EnvValue::Secret(_) => EnvValue::Secret(filled),
        }
    }
}

impl EnvVarSpec {
    /// `NAME=value` for Docker, with the pod's IP filled in.
    pub(crate) fn render(&self, pod_ip: &str) -> String {
        format!("{}={}", self.name, self.value.with_pod_ip(pod_ip).text())
    }
}

/// `text` with its `$(VAR)` references to `env` expanded; a Secret's value taken into it makes
/// it a Secret too.
fn expand_value(text: &str, env: &[EnvVarSpec]) -> EnvValue {
    let mut secret = false;
    let expanded = super::expand::expand(text, |name| {
        let found = env.iter().find(|e| e.name == name)?;
        secret |= matches!(found.value, EnvValue::Secret(_));
        Some(found.value.text())
    });
    match secret {
        true => EnvValue::Secret(expanded),
        false => EnvValue::Literal(expanded),
    }
}

/// `command` or `args` with their `$(VAR)` references to the container's environment expanded.
pub(super) fn expand_args(args: &[String], env: &[EnvVarSpec]) -> Vec<String> {
    args.iter()
        .map(|arg| expand_value(arg, env).into_text())
        .collect()
}

/// Kubernetes' rule for names taken from `envFrom` keys (a C identifier, plus `-` and `.`).
pub(super) fn is_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '-' || c == '.');
    first_ok && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
}

/// The container's environment in order. Notes (for the user, never with a value) go to `notes`.
pub(super) fn resolve(
    pod: &Pod,
    c: &Container,
    objects: &PodObjects,
    notes: &mut Vec<String>,
) -> Vec<EnvVarSpec> {
    let mut out: Vec<EnvVarSpec> = Vec::new();
    let set = |out: &mut Vec<EnvVarSpec>, name: String, value: EnvValue| match out
        .iter_mut()
        .find(|e| e.name == name)
    {
        Some(slot) => slot.value = value,
        None => out.push(EnvVarSpec { name, value }),
    };
    for source in &c.env_from {
        let prefix = source.prefix.clone().unwrap_or_default();
        let entries: Vec<(String, EnvValue)> = if let Some(r) = &source.config_map_ref {
            match objects.config_map(&r.name) {
                Some(cm) => cm
                    .data
                    .iter()
                    .map(|(k, v)| (k.clone(), EnvValue::Literal(v.clone())))
                    .collect(),
                None => continue,
            }
        } else if let Some(r) = &source.secret_ref {
            match objects.secret(&r.name) {
                Some(secret) => secret_strings(secret, notes)
                    .into_iter()
                    .map(|(k, v)| (k, EnvValue::Secret(v)))
                    .collect(),
                None => continue,
            }
        } else {
            continue;
        };
        let mut skipped = Vec::new();
        for (key, value) in entries {
            let name = format!("{prefix}{key}");
            if is_env_name(&name) {
                set(&mut out, name, value);
            } else {
                skipped.push(name);
            }
        }
        if !skipped.is_empty() {
            let from = match (&source.config_map_ref, &source.secret_ref) {
                (Some(r), _) => format!("ConfigMap {}", r.name),
                (_, Some(r)) => format!("Secret {}", r.name),
                _ => String::new(),
            };
            notes.push(format!(
                "container {}: envFrom {from}: skipped keys that are not valid environment variable names: {}",
                c.name,
                skipped.join(", ")
            ));
        }
    }
    for e in &c.env {
        let value = match &e.value_from {
            // As in the kubelet: expanded against the variables set so far, in order.
            None => Some(expand_value(&e.value, &out)),
            Some(source) => value_from(pod, c, &e.name, source, objects, notes),
        };
        if let Some(value) = value {
            set(&mut out, e.name.clone(), value);
        }
    }
    out
}

/// A `valueFrom`; None when the variable is not set at all (an optional key that is missing).
fn value_from(
    pod: &Pod,
    c: &Container,
    var: &str,
    source: &EnvVarSource,
    objects: &PodObjects,
    notes: &mut Vec<String>,
) -> Option<EnvValue> {
    if let Some(field) = &source.field_ref {
        return field_value(pod, c, var, field, notes);
    }
    if let Some(r) = &source.config_map_key_ref {
        let value = objects.config_map(&r.name)?.data.get(&r.key)?;
        return Some(EnvValue::Literal(value.clone()));
    }
    if let Some(r) = &source.secret_key_ref {
        let secret = objects.secret(&r.name)?;
        let value = secret_strings(secret, notes).remove(&r.key)?;
        return Some(EnvValue::Secret(value));
    }
    None
}

fn field_value(
    pod: &Pod,
    c: &Container,
    var: &str,
    field: &FieldRef,
    notes: &mut Vec<String>,
) -> Option<EnvValue> {
    let path = field.field_path.as_str();
    let literal = |v: &str| Some(EnvValue::Literal(v.to_string()));
    match path {
        "metadata.name" => return literal(&pod.metadata.name),
        "metadata.namespace" => return literal(NAMESPACE),
        "spec.nodeName" => {
            return literal(pod.spec.node_name.as_deref().unwrap_or(NODE_NAME));
        }
        "spec.serviceAccountName" => return literal(SERVICE_ACCOUNT),
        "status.podIP" | "status.podIPs" => return literal(POD_IP_MARK),
        _ => {}
    }
    // A missing label or annotation is an empty value, as in Kubernetes.
    if let Some(key) = subscript(path, "metadata.labels") {
        return literal(pod.metadata.labels.get(key).map_or("", String::as_str));
    }
    if let Some(key) = subscript(path, "metadata.annotations") {
        return literal(pod.metadata.annotations.get(key).map_or("", String::as_str));
    }
    notes.push(format!(
        "container {}: env {var}: fieldRef {path} is not known to podc; the variable is not set",
        c.name
    ));
    None
}

/// `metadata.labels['key']` (or with double quotes) -> `key`.
fn subscript<'a>(path: &'a str, field: &str) -> Option<&'a str> {
    let inner = path
        .strip_prefix(field)?
        .strip_prefix('[')?
        .strip_suffix(']')?;
    ['\'', '"']
        .iter()
        .find_map(|q| inner.strip_prefix(*q)?.strip_suffix(*q))
}

/// A Secret's values as bytes: `data` base64-decoded, `stringData` as written (wins a key).
pub(super) fn secret_bytes(secret: &Secret, notes: &mut Vec<String>) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for key in secret.keys() {
        match secret.value(key) {
            Some(bytes) => {
                out.insert(key.to_string(), bytes);
            }
            None => notes.push(format!(
                "Secret {}: data.{key} is not valid base64 and is left out",
                secret.metadata.name
            )),
        }
    }
    out
}

/// Secret values as text for the environment; a value that is not UTF-8 cannot be one.
fn secret_strings(secret: &Secret, notes: &mut Vec<String>) -> BTreeMap<String, String> {
    secret_bytes(secret, notes)
        .into_iter()
        .filter_map(|(key, bytes)| match String::from_utf8(bytes) {
            Ok(text) => Some((key, text)),
            Err(_) => {
                notes.push(format!(
                    "Secret {}: {key} is not UTF-8 text and cannot be an environment variable",
                    secret.metadata.name
                ));
                None
            }
        })
        .collect()
}
