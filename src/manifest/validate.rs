//! Semantic checks on the located tree, after the schema walk, one file per concept: name
//! syntax (`names.rs`), a document's metadata (`metadata.rs`), the containers and sidecars
//! (`member.rs`, `containers.rs`), their ports and the conflicts in the shared network
//! namespace (`ports.rs`), probes (`probes.rs`), env sources (`env.rs`), hooks (`hooks.rs`),
//! resources and security settings (`security.rs`), volumes and mounts (`volumes.rs`), host
//! aliases and DNS (`host.rs`), and the ConfigMap and Secret documents (`objects.rs`). This
//! file walks a Pod document and calls them.
//!
//! Values of the wrong type were already reported by the schema walk; here they are skipped.

mod containers;
mod env;
mod hooks;
mod host;
mod member;
mod metadata;
mod names;
mod objects;
mod ports;
mod probes;
mod security;
mod volumes;

#[cfg(test)]
mod tests;

pub use names::dns_subdomain;
pub(crate) use objects::validate_object;
pub(crate) use ports::{ips_overlap, HostPortClaim};

use super::tree::{shorten, Key, Node, Pos};
use super::Findings;
use member::Member;

/// Kubernetes' default `terminationGracePeriodSeconds`.
const DEFAULT_GRACE_SECONDS: i64 = 30;

/// What the container checks need to know about the pod around them.
struct PodContext<'a> {
    host_network: bool,
    grace_seconds: i64,
    /// The declared volumes: name and where.
    volumes: Vec<(&'a str, Pos)>,
    /// The volumes left out (the cluster's API access), whose mounts go with them.
    dropped_volumes: Vec<&'a str>,
    /// The pod's `securityContext`, whose user settings every container inherits.
    security: Option<&'a Node>,
}

/// The boolean a field is set to (false when absent or of another type).
fn flag(node: &Node, field: &str) -> bool {
    node.get(field)
        .and_then(|(_, v)| v.scalar_value())
        .is_some_and(|v| v == super::tree::Value::Bool(true))
}

/// Run every semantic check on a Pod document; returns the host ports it publishes.
pub(crate) fn validate_pod(root: &Node, out: &mut Findings) -> Vec<HostPortClaim> {
    if let Some((_, meta)) = root.get("metadata") {
        metadata::check_metadata(meta, "pod", true, out);
    }
    let Some((_, spec)) = root.get("spec") else {
        return Vec::new();
    };
    if let Some((k, v)) = spec.get("hostname") {
        if let Some(h) = v.as_str() {
            if let Err(why) = names::dns_label(h) {
                out.error(
                    at(k, v),
                    format!(
                        "`spec.hostname` `{}` is not a valid DNS-1123 label: {why}",
                        shorten(h)
                    ),
                    Some(names::label_hint(h)),
                );
            }
        }
    }
    if let Some((k, v)) = spec.get("nodeName") {
        if let Some(name) = v.as_str() {
            if let Err(why) = names::dns_subdomain(name) {
                out.error(
                    at(k, v),
                    format!(
                        "`spec.nodeName` `{}` is not a valid DNS-1123 subdomain: {why}",
                        shorten(name)
                    ),
                    None,
                );
            }
        }
    }
    host::check_host_namespaces(spec, out);
    host::check_host_aliases(spec, out);
    host::check_dns_config(spec, out);
    let security = spec.get("securityContext").map(|(_, v)| v);
    if let Some(sc) = security {
        security::check_pod_security(sc, spec, out);
    }
    let ctx = PodContext {
        host_network: flag(spec, "hostNetwork"),
        grace_seconds: spec
            .get("terminationGracePeriodSeconds")
            .and_then(|(_, v)| v.as_int())
            .and_then(|n| i64::try_from(n).ok())
            .unwrap_or(DEFAULT_GRACE_SECONDS),
        volumes: volumes::check_volumes(spec, out),
        dropped_volumes: volumes::api_access_volumes(spec),
        security,
    };
    let mut members = Vec::new();
    for (field, init) in [("initContainers", true), ("containers", false)] {
        let Some(items) = spec.get(field).and_then(|(_, v)| v.as_seq()) else {
            continue;
        };
        for (i, node) in items.iter().enumerate() {
            if node.as_map().is_none() {
                continue;
            }
            members.push(Member::new(node, format!("spec.{field}[{i}]"), init));
        }
    }
    // In file order, so "line N already uses it" names the earlier one.
    members.sort_by_key(|m| m.node.pos);
    containers::check_containers(&members, &ctx, out)
}

/// The text of a quantity as written (a string, or a YAML number).
fn quantity_text(v: &Node) -> Option<&str> {
    match &v.kind {
        super::tree::Kind::Scalar(s)
            if matches!(
                s.value(),
                super::tree::Value::Str(_) | super::tree::Value::Int(_) | super::tree::Value::Float
            ) =>
        {
            Some(s.text.as_str())
        }
        _ => None,
    }
}

/// Point at the value, or at the key when the value is empty.
fn at(key: &Key, value: &Node) -> Pos {
    if value.as_str().is_some_and(str::is_empty) {
        key.pos
    } else {
        value.pos
    }
}

/// `a`, `a and b`, `a, b and c`.
pub(crate) fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
