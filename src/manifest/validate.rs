//! Semantic checks on the located tree, after the schema walk: names Kubernetes and Docker
//! accept, unique container and port names, port ranges and conflicts in the shared network
//! namespace, label syntax and podc's reserved label keys, the probes (one handler each, ports
//! that exist, Kubernetes' threshold rules), init containers and sidecars, env sources, hooks
//! (`hooks.rs`), resources and security settings (`security.rs`), volumes and mounts
//! (`volumes.rs`), host aliases and DNS (`host.rs`), and the ConfigMap and Secret documents
//! (`objects.rs`).
//!
//! Values of the wrong type were already reported by the schema walk; here they are skipped.

mod hooks;
mod host;
mod objects;
mod security;
mod volumes;

pub use objects::validate_object;

use super::tree::{shorten, Key, Node, Pos};
use super::Findings;
use crate::labels::RESERVED_PREFIX;
use std::collections::HashMap;
use std::net::IpAddr;

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

/// A host port a pod publishes, for the check across the pods of a file.
#[derive(Debug, Clone)]
pub struct HostPortClaim {
    pub port: i64,
    pub protocol: String,
    pub ip: Option<IpAddr>,
    pub pos: Pos,
    /// Who publishes it, e.g. container `web`.
    pub who: String,
}

/// The boolean a field is set to (false when absent or of another type).
fn flag(node: &Node, field: &str) -> bool {
    node.get(field)
        .and_then(|(_, v)| v.scalar_value())
        .is_some_and(|v| v == super::tree::Value::Bool(true))
}

/// Run every semantic check on a Pod document; returns the host ports it publishes.
pub fn validate_pod(root: &Node, out: &mut Findings) -> Vec<HostPortClaim> {
    if let Some((_, meta)) = root.get("metadata") {
        check_metadata(meta, "pod", true, out);
    }
    let Some((_, spec)) = root.get("spec") else {
        return Vec::new();
    };
    if let Some((k, v)) = spec.get("hostname") {
        if let Some(h) = v.as_str() {
            if let Err(why) = dns_label(h) {
                out.error(
                    at(k, v),
                    format!(
                        "`spec.hostname` `{}` is not a valid DNS-1123 label: {why}",
                        shorten(h)
                    ),
                    Some(label_hint(h)),
                );
            }
        }
    }
    if let Some((k, v)) = spec.get("nodeName") {
        if let Some(name) = v.as_str() {
            if let Err(why) = dns_subdomain(name) {
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
    check_containers(&members, &ctx, out)
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

// ---------------------------------------------------------------------------------------------
// Name syntax

fn is_lower_alnum(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// Why `s` is not a DNS-1123 label (lowercase alphanumerics and '-', alphanumeric at both
/// ends, at most 63 characters), if it is not.
pub fn dns_label(s: &str) -> Result<(), String> {
    dns_part(s, 63)
}

fn dns_part(s: &str, max: usize) -> Result<(), String> {
    if s.is_empty() {
        return Err("it is empty".to_string());
    }
    let len = s.chars().count();
    if len > max {
        return Err(format!("it is {len} characters long, the limit is {max}"));
    }
    if let Some(c) = s.chars().find(|c| !is_lower_alnum(*c) && *c != '-') {
        return Err(if c.is_ascii_uppercase() {
            "it contains uppercase letters".to_string()
        } else {
            format!("it contains {}", show_char(c))
        });
    }
    if s.starts_with('-') || s.ends_with('-') {
        return Err("it must start and end with a lowercase letter or digit".to_string());
    }
    Ok(())
}

/// Why `s` is not a DNS-1123 subdomain (dot-separated labels, at most 253 characters).
pub fn dns_subdomain(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("it is empty".to_string());
    }
    let len = s.chars().count();
    if len > 253 {
        return Err(format!("it is {len} characters long, the limit is 253"));
    }
    for part in s.split('.') {
        if part.is_empty() {
            return Err("it has an empty part between dots (or a dot at an end)".to_string());
        }
        dns_part(part, 253)?;
    }
    Ok(())
}

fn show_char(c: char) -> String {
    if c == ' ' {
        "a space".to_string()
    } else if c.is_control() {
        format!("the control character {:?}", c)
    } else {
        format!("`{c}`")
    }
}

/// A lowercase, dash-separated version of `s` to suggest.
fn sanitize(s: &str, max: usize) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        if is_lower_alnum(c) {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let cut: String = out.trim_matches('-').chars().take(max).collect();
    cut.trim_end_matches('-').to_string()
}

fn label_hint(s: &str) -> String {
    let rule = "use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit";
    match sanitize(s, 63) {
        fixed if !fixed.is_empty() && fixed != s => format!("{rule}, e.g. `{fixed}`"),
        _ => rule.to_string(),
    }
}

/// Why `s` is not a Kubernetes qualified name (label and annotation keys):
/// `[prefix/]name`, the prefix a DNS subdomain, the name at most 63 of `[A-Za-z0-9_.-]`
/// with alphanumerics at both ends.
pub fn qualified_name(s: &str) -> Result<(), String> {
    let (prefix, name) = match s.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, s),
    };
    if let Some(p) = prefix {
        dns_subdomain(p)
            .map_err(|why| format!("its prefix `{}` is not a DNS subdomain: {why}", shorten(p)))?;
    }
    if name.is_empty() {
        return Err("its name part is empty".to_string());
    }
    if name.contains('/') {
        return Err("it has more than one `/`".to_string());
    }
    label_value(name).map_err(|why| format!("its name part {why}"))
}

/// Why `s` is not a valid label value: empty, or at most 63 of `[A-Za-z0-9_.-]` with
/// alphanumerics at both ends.
pub fn label_value(s: &str) -> Result<(), String> {
    let len = s.chars().count();
    if len > 63 {
        return Err(format!("is {len} characters long, the limit is 63"));
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(format!("contains {}", show_char(c)));
    }
    let edge_ok = |c: Option<char>| c.is_none_or(|c| c.is_ascii_alphanumeric());
    if !edge_ok(s.chars().next()) || !edge_ok(s.chars().last()) {
        return Err("must start and end with a letter or digit".to_string());
    }
    Ok(())
}

/// Why `s` is not an IANA service name (port names): at most 15 lowercase alphanumerics and
/// '-', at least one letter, no '-' at either end or twice in a row.
pub fn iana_svc_name(s: &str) -> Result<(), String> {
    let len = s.chars().count();
    if len == 0 {
        return Err("it is empty".to_string());
    }
    if len > 15 {
        return Err(format!("it is {len} characters long, the limit is 15"));
    }
    if let Some(c) = s.chars().find(|c| !is_lower_alnum(*c) && *c != '-') {
        return Err(if c.is_ascii_uppercase() {
            "it contains uppercase letters".to_string()
        } else {
            format!("it contains {}", show_char(c))
        });
    }
    if !s.chars().any(|c| c.is_ascii_lowercase()) {
        return Err("it must contain at least one letter".to_string());
    }
    if s.starts_with('-') || s.ends_with('-') || s.contains("--") {
        return Err("it may not start or end with '-' or have two '-' in a row".to_string());
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// metadata

/// `metadata` of a document: `kind` names it in messages (`pod`, `ConfigMap`); `reserved`
/// refuses podc's own label keys (on Pods, whose labels podc copies onto containers).
fn check_metadata(meta: &Node, kind: &str, reserved: bool, out: &mut Findings) {
    if let Some((k, v)) = meta.get("name") {
        if let Some(name) = v.as_str() {
            if let Err(why) = dns_subdomain(name) {
                let fixed = sanitize(name, 253);
                let mut hint = "use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit".to_string();
                if !fixed.is_empty() && fixed != name {
                    hint.push_str(&format!(", e.g. `{fixed}`"));
                }
                out.error(
                    at(k, v),
                    format!(
                        "{kind} name `{}` is not a valid DNS-1123 subdomain: {why}",
                        shorten(name)
                    ),
                    Some(hint),
                );
            }
        }
    }
    for (field, what) in [("labels", "label"), ("annotations", "annotation")] {
        let Some(entries) = meta.get(field).and_then(|(_, v)| v.as_map()) else {
            continue;
        };
        let mut total = 0usize;
        for (k, v) in entries {
            let key = &k.text;
            if reserved && key.starts_with(RESERVED_PREFIX) {
                out.error(
                    k.pos,
                    format!(
                        "{what} key `{}` is reserved: podc uses `{RESERVED_PREFIX}*` keys to track the containers it creates",
                        shorten(key)
                    ),
                    Some(format!("rename the {what}")),
                );
            } else if let Err(why) = qualified_name(key) {
                out.error(
                    k.pos,
                    format!("{what} key `{}` is not valid: {why}", shorten(key)),
                    Some("keys are `name` or `prefix/name`: the name at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit; the prefix a lowercase DNS name".to_string()),
                );
            }
            if let Some(value) = v.as_str() {
                total = total.saturating_add(key.len() + value.len());
                if what == "label" {
                    if let Err(why) = label_value(value) {
                        out.error(
                            at(k, v),
                            format!("label `{}` value `{}` {why}", shorten(key), shorten(value)),
                            Some("label values are at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit; put free text in an annotation".to_string()),
                        );
                    }
                }
            }
        }
        if what == "annotation" && total > 256 * 1024 {
            if let Some((k, _)) = meta.get(field) {
                out.error(
                    k.pos,
                    format!("`metadata.annotations` total {total} bytes; the limit is 262144"),
                    None,
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// containers

/// One `ports[]` entry, with what the conflict checks need.
struct PortEntry<'a> {
    container: String,
    container_index: usize,
    /// `spec.containers[1]`: names the container when two have the same name.
    container_path: String,
    entry_pos: Pos,
    container_port: Option<(i64, Pos)>,
    host_port: Option<(i64, Pos)>,
    host_ip: Option<IpAddr>,
    protocol: &'a str,
}

/// A container of the pod: an app container, an init container or a sidecar (an init
/// container with `restartPolicy: Always`).
struct Member<'a> {
    node: &'a Node,
    /// `spec.containers[0]`, `spec.initContainers[1]`.
    path: String,
    /// For messages: container `web`, init container `setup`, sidecar `proxy`.
    who: String,
    init: bool,
    sidecar: bool,
}

impl<'a> Member<'a> {
    fn new(node: &'a Node, path: String, init: bool) -> Member<'a> {
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
    fn runs_alongside(&self) -> bool {
        !self.init || self.sidecar
    }
}

fn check_containers(
    members: &[Member],
    ctx: &PodContext,
    out: &mut Findings,
) -> Vec<HostPortClaim> {
    let mut names: HashMap<&str, Pos> = HashMap::new();
    let mut ports: Vec<PortEntry> = Vec::new();
    let mut port_names: HashMap<&str, (String, Pos)> = HashMap::new();
    for (i, m) in members.iter().enumerate() {
        let c = m.node;
        let who = m.who.clone();
        let path = m.path.as_str();
        if let Some((k, v)) = c.get("name") {
            if let Some(name) = v.as_str() {
                if let Err(why) = dns_label(name) {
                    out.error(
                        at(k, v),
                        format!(
                            "container name `{}` is not a valid DNS-1123 label: {why}",
                            shorten(name)
                        ),
                        Some(label_hint(name)),
                    );
                }
                if let Some(first) = names.get(name) {
                    out.error(
                        at(k, v),
                        format!(
                            "duplicate container name `{}`: line {} already uses it",
                            shorten(name),
                            first.line
                        ),
                        Some("give every container in the pod its own name".to_string()),
                    );
                } else {
                    names.insert(name, at(k, v));
                }
            }
        }
        if let Some((k, v)) = c.get("image") {
            if let Some(image) = v.as_str() {
                if image.trim().is_empty() {
                    out.error(
                        at(k, v),
                        format!("`{path}.image` is empty: {who} needs an image to run"),
                        Some("e.g. `image: nginx:1.27`".to_string()),
                    );
                } else if let Some(ch) = image.chars().find(|c| c.is_whitespace()) {
                    out.error(
                        v.pos,
                        format!(
                            "`{path}.image` `{}` contains {}: an image reference has no spaces",
                            shorten(image),
                            show_char(ch)
                        ),
                        Some("put the command to run in `command:` and `args:`".to_string()),
                    );
                }
            }
        }
        if let Some((_, v)) = c.get("workingDir") {
            if let Some(dir) = v.as_str() {
                if !dir.starts_with('/') {
                    out.error(
                        v.pos,
                        format!(
                            "`{path}.workingDir` `{}` must be an absolute path (Docker refuses others)",
                            shorten(dir)
                        ),
                        Some(format!("e.g. `workingDir: /{}`", shorten(dir.trim_start_matches("./")))),
                    );
                }
            }
        }
        check_restart_policy(m, out);
        if let Some(env) = c.get("env").and_then(|(_, v)| v.as_seq()) {
            check_env(env, &who, path, out);
        }
        if let Some(items) = c.get("envFrom").and_then(|(_, v)| v.as_seq()) {
            check_env_from(items, &who, path, out);
        }
        if m.init && !m.sidecar {
            check_init_only(m, out);
        } else {
            check_probes(c, &who, path, out);
            hooks::check_lifecycle(c, &who, path, ctx.grace_seconds, out);
        }
        security::check_resources(c, path, out);
        security::check_container_security(c, &who, path, ctx.security, out);
        volumes::check_mounts(c, &who, path, &ctx.volumes, &ctx.dropped_volumes, out);
        let Some((ports_key, ports_node)) = c.get("ports") else {
            continue;
        };
        let Some(entries) = ports_node.as_seq() else {
            continue;
        };
        if !m.runs_alongside() {
            if !entries.is_empty() {
                out.error(
                    ports_key.pos,
                    format!("`{path}.ports`: {who} may not declare ports: Kubernetes allows ports only on sidecars (`restartPolicy: Always`), which keep running"),
                    Some("remove them, or add `restartPolicy: Always` to make it a sidecar".to_string()),
                );
            }
            continue;
        }
        for (j, p) in entries.iter().enumerate() {
            if p.as_map().is_none() {
                continue;
            }
            let ppath = format!("{path}.ports[{j}]");
            let container_port = port_number(p, "containerPort", &ppath, &who, out);
            let host_port = port_number(p, "hostPort", &ppath, &who, out);
            if ctx.host_network {
                if let (Some((cp, _)), Some((hp, hpos))) = (container_port, host_port) {
                    if cp != hp {
                        out.error(
                            hpos,
                            format!("`{ppath}.hostPort` {hp} must equal its containerPort {cp} with `hostNetwork: true`: the container listens on the host's network directly"),
                            Some(format!("remove `hostPort`, or set it to {cp}")),
                        );
                    }
                }
            }
            let host_ip = match p.get("hostIP") {
                Some((k, v)) => match v.as_str() {
                    Some("") | None => None,
                    Some(text) => match text.parse::<IpAddr>() {
                        Ok(ip) => {
                            if host_port.is_none() {
                                out.ignore(
                                    k.pos,
                                    &format!("{ppath}.hostIP"),
                                    "has no effect without a `hostPort`",
                                    format!("`{ppath}.hostIP` has no effect without a `hostPort` and is ignored"),
                                    Some("add `hostPort:` to publish the port on that address".to_string()),
                                );
                            }
                            Some(ip)
                        }
                        Err(_) => {
                            out.error(
                                v.pos,
                                format!(
                                    "`{ppath}.hostIP` `{}` is not an IP address",
                                    shorten(text)
                                ),
                                Some("write an address such as `127.0.0.1`, `0.0.0.0` or `::1` (names are not resolved)".to_string()),
                            );
                            None
                        }
                    },
                },
                None => None,
            };
            let protocol = match p.get("protocol") {
                None => Some("TCP"),
                // Anything else was reported by the schema walk.
                Some((_, v)) => v.as_str().filter(|s| matches!(*s, "TCP" | "UDP")),
            };
            if let Some((k, v)) = p.get("name") {
                if let Some(name) = v.as_str() {
                    if let Err(why) = iana_svc_name(name) {
                        out.error(
                            at(k, v),
                            format!("port name `{}` in {who} is not a valid IANA service name: {why}", shorten(name)),
                            Some("use at most 15 lowercase letters, digits and '-', e.g. `http` or `metrics`".to_string()),
                        );
                    } else if let Some((first_who, first)) = port_names.get(name) {
                        out.error(
                            v.pos,
                            format!(
                                "port name `{name}` in {who} is already used by {first_who} (line {}): port names must be unique in the pod",
                                first.line
                            ),
                            Some("rename one of the ports".to_string()),
                        );
                    } else {
                        port_names.insert(name, (who.clone(), v.pos));
                    }
                }
            }
            if let Some(protocol) = protocol {
                ports.push(PortEntry {
                    container: who.clone(),
                    container_index: i,
                    container_path: m.path.clone(),
                    entry_pos: p.pos,
                    container_port,
                    host_port,
                    host_ip,
                    protocol,
                });
            }
        }
    }
    check_port_conflicts(&ports, out);
    ports
        .iter()
        .filter_map(|p| {
            // With hostNetwork, every containerPort is a port on the host.
            let (port, pos) = match (p.host_port, ctx.host_network) {
                (Some(h), _) => h,
                (None, true) => p.container_port?,
                (None, false) => return None,
            };
            Some(HostPortClaim {
                port,
                protocol: p.protocol.to_string(),
                ip: p.host_ip,
                pos,
                who: p.container.clone(),
            })
        })
        .collect()
}

/// A container's own `restartPolicy`: only `Always`, only on init containers.
fn check_restart_policy(m: &Member, out: &mut Findings) {
    let Some((k, v)) = m.node.get("restartPolicy") else {
        return;
    };
    if v.is_null() {
        return;
    }
    let path = &m.path;
    if !m.init {
        out.error(
            k.pos,
            format!("`{path}.restartPolicy` is only allowed on init containers (`Always` makes a native sidecar); app containers follow `spec.restartPolicy`"),
            Some("remove it, or move the container to `initContainers` to make it a sidecar".to_string()),
        );
    } else if v.as_str() != Some("Always") {
        out.error(
            at(k, v),
            format!(
                "`{path}.restartPolicy` must be `Always` (a native sidecar), found {}",
                v.describe()
            ),
            Some("remove it: an init container without it runs once, to success".to_string()),
        );
    }
}

/// What Kubernetes refuses on an init container that is not a sidecar: it runs to completion
/// before the app containers, so probes and hooks have nothing to watch.
fn check_init_only(m: &Member, out: &mut Findings) {
    for field in [
        "lifecycle",
        "livenessProbe",
        "readinessProbe",
        "startupProbe",
    ] {
        if let Some((k, v)) = m.node.get(field) {
            if !v.is_null() {
                out.error(
                    k.pos,
                    format!(
                        "`{}.{field}` is not allowed on {}: only sidecars (`restartPolicy: Always`) may have probes and lifecycle hooks",
                        m.path, m.who
                    ),
                    Some("remove it, or add `restartPolicy: Always` to make it a sidecar".to_string()),
                );
            }
        }
    }
}

/// Read `containerPort`/`hostPort` of a port entry and check its range.
fn port_number(
    p: &Node,
    field: &str,
    path: &str,
    who: &str,
    out: &mut Findings,
) -> Option<(i64, Pos)> {
    let (k, v) = p.get(field)?;
    let n = i64::try_from(v.as_int()?).ok()?;
    if !(1..=65535).contains(&n) {
        let hint = if field == "hostPort" && n == 0 {
            "leave `hostPort` out to keep the port unpublished"
        } else {
            "ports are 1 to 65535"
        };
        out.error(
            at(k, v),
            format!("`{path}.{field}` {n} in {who} is out of range 1..65535"),
            Some(hint.to_string()),
        );
        return None;
    }
    Some((n, v.pos))
}

pub(super) fn ips_overlap(a: Option<IpAddr>, b: Option<IpAddr>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            a == b || (a.is_ipv4() == b.is_ipv4() && (a.is_unspecified() || b.is_unspecified()))
        }
        _ => true,
    }
}

/// Names for two entries' containers in one message; by path when their names are equal.
fn two_names(a: &PortEntry, b: &PortEntry) -> (String, String) {
    if a.container == b.container && a.container_index != b.container_index {
        (a.container_path.clone(), b.container_path.clone())
    } else {
        (a.container.clone(), b.container.clone())
    }
}

fn check_port_conflicts(ports: &[PortEntry], out: &mut Findings) {
    // Earlier entries by (hostPort, protocol) and by (containerPort, protocol).
    let mut by_host: HashMap<(i64, &str), Vec<&PortEntry>> = HashMap::new();
    let mut by_container: HashMap<(i64, &str), Vec<&PortEntry>> = HashMap::new();
    for b in ports {
        if let Some((hp, pos)) = b.host_port {
            let earlier = by_host.entry((hp, b.protocol)).or_default();
            let clash = earlier
                .iter()
                .find(|a| ips_overlap(a.host_ip, b.host_ip))
                .copied();
            earlier.push(b);
            if let Some(a) = clash {
                let first_line = a.host_port.map_or(a.entry_pos.line, |(_, p)| p.line);
                let (first, second) = two_names(a, b);
                let message = if a.container_index == b.container_index {
                    format!(
                        "hostPort {hp}/{} is claimed twice by {second} (first at line {first_line})",
                        b.protocol
                    )
                } else {
                    format!(
                        "hostPort {hp}/{} of {second} is already claimed by {first} (line {first_line})",
                        b.protocol
                    )
                };
                out.error(
                    pos,
                    message,
                    Some(
                        "use a different hostPort, or bind each to a different hostIP".to_string(),
                    ),
                );
            }
        }
        if let Some((cp, pos)) = b.container_port {
            let earlier = by_container.entry((cp, b.protocol)).or_default();
            let clash = earlier
                .iter()
                .find(|a| {
                    a.container_index != b.container_index
                        || (a.host_port.map(|h| h.0) == b.host_port.map(|h| h.0)
                            && a.host_ip == b.host_ip)
                })
                .copied();
            earlier.push(b);
            if let Some(a) = clash {
                let first_line = a.container_port.map_or(a.entry_pos.line, |(_, p)| p.line);
                if a.container_index == b.container_index {
                    out.error(
                        pos,
                        format!(
                            "containerPort {cp}/{} is declared twice by {} (first at line {first_line})",
                            b.protocol, b.container
                        ),
                        Some("remove the duplicate entry".to_string()),
                    );
                } else {
                    let (first, second) = two_names(a, b);
                    out.error(
                        pos,
                        format!(
                            "containerPort {cp}/{} is declared by both {first} (line {first_line}) and {second}: containers in a pod share one network namespace, so only one of them can listen on it",
                            b.protocol
                        ),
                        Some("change the port one of the containers listens on".to_string()),
                    );
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// probes

/// The probe fields of a container, and the kind's name for messages.
const PROBES: [(&str, &str); 3] = [
    ("livenessProbe", "liveness"),
    ("readinessProbe", "readiness"),
    ("startupProbe", "startup"),
];

/// The handler fields of a probe, in Kubernetes' order.
const HANDLERS: [&str; 4] = ["exec", "httpGet", "tcpSocket", "grpc"];

/// `a`, `a and b`, `a, b and c`.
/// The handler fields a probe or hook may have, and how to talk about them.
pub(super) struct Handlers<'a> {
    pub what: &'a str,
    /// Every handler field that counts (some may be refused elsewhere, e.g. a hook's tcpSocket).
    pub names: &'a [&'a str],
    /// The ones to suggest.
    pub offered: &'a [&'a str],
    pub example: &'a str,
    pub several_hint: &'a str,
}

/// A probe or hook has exactly one handler (a null one does not count): none and several are
/// reported at its key.
pub(super) fn exactly_one_handler(
    (key, node): (&Key, &Node),
    path: &str,
    who: &str,
    handlers: Handlers,
    out: &mut Findings,
) {
    let found: Vec<String> = handlers
        .names
        .iter()
        .filter(|h| node.get(h).is_some_and(|(_, v)| !v.is_null()))
        .map(|h| format!("`{h}`"))
        .collect();
    let what = handlers.what;
    match found.len() {
        0 => {
            let choices: Vec<String> = handlers.offered.iter().map(|h| format!("`{h}`")).collect();
            let choices = match choices.as_slice() {
                [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
                [] => String::new(),
            };
            out.error(
                key.pos,
                format!(
                    "`{path}` in {who} has no handler: a {what} needs exactly one of {choices}"
                ),
                Some(handlers.example.to_string()),
            )
        }
        1 => {}
        n => out.error(
            key.pos,
            format!(
                "`{path}` in {who} has {n} handlers, {}: a {what} needs exactly one",
                and_list(&found)
            ),
            Some(handlers.several_hint.to_string()),
        ),
    }
}

pub(super) fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The names the container gives its ports (what a probe's or hook's named port may use).
pub(super) fn port_names(c: &Node) -> Vec<&str> {
    c.get("ports")
        .and_then(|(_, v)| v.as_seq())
        .unwrap_or_default()
        .iter()
        .filter_map(|p| p.get("name").and_then(|(_, v)| v.as_str()))
        .collect()
}

fn check_probes(c: &Node, who: &str, path: &str, out: &mut Findings) {
    let port_names = port_names(c);
    for (field, kind) in PROBES {
        let Some((key, probe)) = c.get(field) else {
            continue;
        };
        // Null is "no probe"; other non-mappings were reported by the schema walk.
        if probe.as_map().is_none() {
            continue;
        }
        let ppath = format!("{path}.{field}");
        exactly_one_handler(
            (key, probe),
            &ppath,
            who,
            Handlers {
                what: "probe",
                names: &HANDLERS,
                offered: &HANDLERS,
                example: "e.g. `httpGet: {path: /, port: 80}`",
                several_hint: "keep one of them; use another probe kind for another check",
            },
            out,
        );
        if kind != "readiness" {
            if let Some((_, v)) = probe.get("successThreshold") {
                // 0 is Kubernetes' "not set": it becomes 1.
                if let Some(n) = v.as_int().filter(|n| *n > 1) {
                    out.error(
                        v.pos,
                        format!(
                            "`{ppath}.successThreshold` must be 1 for a {kind} probe, found {n}"
                        ),
                        Some(format!("remove it: a {kind} probe passes on one success")),
                    );
                }
            }
        } else if let Some((k, v)) = probe.get("terminationGracePeriodSeconds") {
            if !v.is_null() {
                out.error(
                    k.pos,
                    format!("`{ppath}.terminationGracePeriodSeconds` must not be set for a readiness probe: a failing readiness probe never kills the container"),
                    Some("remove it".to_string()),
                );
            }
        }
        check_handlers(probe, &ppath, who, &port_names, out);
    }
}

fn check_handlers(probe: &Node, ppath: &str, who: &str, port_names: &[&str], out: &mut Findings) {
    if let Some((_, command)) = probe
        .get("exec")
        .and_then(|(_, e)| e.get("command"))
        .filter(|(_, v)| v.as_seq().is_some_and(<[Node]>::is_empty))
    {
        out.error(
            command.pos,
            format!("`{ppath}.exec.command` is empty: an exec probe needs a command to run"),
            Some("e.g. `command: [cat, /tmp/healthy]`".to_string()),
        );
    }
    for handler in ["httpGet", "tcpSocket"] {
        if let Some((k, v)) = probe.get(handler).and_then(|(_, h)| h.get("port")) {
            check_probe_port(
                k,
                v,
                &format!("{ppath}.{handler}.port"),
                who,
                port_names,
                out,
            );
        }
    }
    if let Some((_, grpc)) = probe.get("grpc") {
        if let Some((k, v)) = grpc.get("port") {
            if let Some(n) = v.as_int() {
                check_port_range(k, v, n, &format!("{ppath}.grpc.port"), who, out);
            }
        }
    }
    if let Some((_, http)) = probe.get("httpGet") {
        check_header_names(http, &format!("{ppath}.httpGet"), "X-Probe", out);
    }
}

/// Each `httpHeaders[].name` of a probe's or hook's `httpGet` must be an HTTP header name.
pub(super) fn check_header_names(http: &Node, path: &str, example: &str, out: &mut Findings) {
    let headers = http
        .get("httpHeaders")
        .and_then(|(_, v)| v.as_seq())
        .unwrap_or_default();
    for (i, h) in headers.iter().enumerate() {
        let Some((k, v)) = h.get("name") else {
            continue;
        };
        let Some(name) = v.as_str() else {
            continue;
        };
        if let Err(why) = http_header_name(name) {
            out.error(
                at(k, v),
                format!(
                    "`{path}.httpHeaders[{i}].name` `{}` is not a valid HTTP header name: {why}",
                    shorten(name)
                ),
                Some(format!(
                    "header names are letters, digits and '-', e.g. `{example}`"
                )),
            );
        }
    }
}

/// Why `s` is not an HTTP header name as Kubernetes accepts it (`[-A-Za-z0-9]+`).
pub fn http_header_name(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("it is empty".to_string());
    }
    match s.chars().find(|c| !c.is_ascii_alphanumeric() && *c != '-') {
        Some(c) => Err(format!("it contains {}", show_char(c))),
        None => Ok(()),
    }
}

fn check_port_range(k: &Key, v: &Node, n: i128, path: &str, who: &str, out: &mut Findings) {
    if !(1..=65535).contains(&n) {
        out.error(
            at(k, v),
            format!("`{path}` {n} in {who} is out of range 1..65535"),
            Some("ports are 1 to 65535".to_string()),
        );
    }
}

/// A probe's `port`: a number in range, or the name of one of the same container's ports.
fn check_probe_port(
    k: &Key,
    v: &Node,
    path: &str,
    who: &str,
    port_names: &[&str],
    out: &mut Findings,
) {
    if let Some(n) = v.as_int() {
        check_port_range(k, v, n, path, who, out);
        return;
    }
    let Some(name) = v.as_str() else {
        return;
    };
    if let Err(why) = iana_svc_name(name) {
        let hint = match super::tree::parse_int(name.trim()) {
            Some(_) => format!("remove the quotes: `port: {}`", name.trim()),
            None => {
                "write the port number, or the name of one of the container's ports".to_string()
            }
        };
        out.error(
            at(k, v),
            format!(
                "`{path}` `{}` in {who} is neither a port number nor a valid port name: {why}",
                shorten(name)
            ),
            Some(hint),
        );
    } else if !port_names.contains(&name) {
        let hint = if port_names.is_empty() {
            format!("{who} has no named ports: add `name: {name}` to one of its `ports`, or write the port number")
        } else {
            let names: Vec<String> = port_names.iter().map(|n| format!("`{n}`")).collect();
            format!("the ports of {who} are named {}", and_list(&names))
        };
        out.error(
            v.pos,
            format!("`{path}` names the port `{name}`, but {who} has no port with that name"),
            Some(hint),
        );
    }
}

fn check_env(env: &[Node], who: &str, path: &str, out: &mut Findings) {
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
fn check_env_from(items: &[Node], who: &str, path: &str, out: &mut Findings) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_labels() {
        assert!(dns_label("web").is_ok());
        assert!(dns_label("web-1").is_ok());
        assert!(dns_label("1web").is_ok());
        assert_eq!(
            dns_label("Web").unwrap_err(),
            "it contains uppercase letters"
        );
        assert_eq!(dns_label("web_1").unwrap_err(), "it contains `_`");
        assert_eq!(
            dns_label("-web").unwrap_err(),
            "it must start and end with a lowercase letter or digit"
        );
        assert!(dns_label(&"a".repeat(63)).is_ok());
        assert!(dns_label(&"a".repeat(64)).is_err());
        assert!(dns_label("a.b").is_err());
    }

    #[test]
    fn dns_subdomains() {
        assert!(dns_subdomain("blog").is_ok());
        assert!(dns_subdomain("blog.example-1.com").is_ok());
        assert!(dns_subdomain("blog..x").is_err());
        assert!(dns_subdomain("blog.").is_err());
        assert!(dns_subdomain(&"a".repeat(253)).is_ok());
        assert!(dns_subdomain(&"a".repeat(254)).is_err());
    }

    #[test]
    fn label_syntax() {
        assert!(qualified_name("app").is_ok());
        assert!(qualified_name("app.kubernetes.io/name").is_ok());
        assert!(qualified_name("App_Name.x").is_ok());
        assert!(qualified_name("/x").is_err());
        assert!(qualified_name("a/b/c").is_err());
        assert!(qualified_name("Example.com/x").is_err());
        assert!(qualified_name("x-").is_err());
        assert!(label_value("").is_ok());
        assert!(label_value("v1.2_3-x").is_ok());
        assert!(label_value("has space").is_err());
        assert!(label_value(&"a".repeat(64)).is_err());
    }

    #[test]
    fn iana_names() {
        assert!(iana_svc_name("http").is_ok());
        assert!(iana_svc_name("http-alt2").is_ok());
        assert!(iana_svc_name("8080").is_err());
        assert!(iana_svc_name("http--x").is_err());
        assert!(iana_svc_name("a-very-long-port-name").is_err());
        assert!(iana_svc_name("HTTP").is_err());
    }

    #[test]
    fn http_header_names() {
        assert!(http_header_name("X-Probe-1").is_ok());
        assert_eq!(http_header_name("").unwrap_err(), "it is empty");
        assert_eq!(
            http_header_name("X Probe").unwrap_err(),
            "it contains a space"
        );
        assert_eq!(http_header_name("X:Y").unwrap_err(), "it contains `:`");
    }

    #[test]
    fn and_lists() {
        let s = |v: &[&str]| and_list(&v.iter().map(|x| x.to_string()).collect::<Vec<_>>());
        assert_eq!(s(&[]), "");
        assert_eq!(s(&["a"]), "a");
        assert_eq!(s(&["a", "b"]), "a and b");
        assert_eq!(s(&["a", "b", "c"]), "a, b and c");
    }

    #[test]
    fn sanitized_suggestions() {
        assert_eq!(sanitize("My_Web App", 63), "my-web-app");
        assert_eq!(sanitize("--x--", 63), "x");
        assert_eq!(label_hint("Web_1"), "use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit, e.g. `web-1`");
    }

    #[test]
    fn ip_overlap() {
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        assert!(ips_overlap(None, ip("127.0.0.1")));
        assert!(ips_overlap(ip("0.0.0.0"), ip("127.0.0.1")));
        assert!(!ips_overlap(ip("127.0.0.1"), ip("127.0.0.2")));
        assert!(!ips_overlap(ip("0.0.0.0"), ip("::")));
        assert!(ips_overlap(ip("::"), ip("::1")));
    }
}
