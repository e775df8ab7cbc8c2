//! The containers of a pod (app containers, init containers and sidecars): unique valid names,
//! an image, an absolute working directory, a container's own `restartPolicy`, what init
//! containers may not have, and the checks each container gets from the other files.

use super::super::tree::{shorten, Pos};
use super::super::Findings;
use super::member::Member;
use super::names::{dns_label, label_hint, show_char};
use super::ports::{HostPortClaim, PodPorts};
use super::{at, env, hooks, probes, security, volumes, PodContext};
use std::collections::HashMap;

/// Every check on the pod's containers, in file order; returns the host ports they publish.
pub(super) fn check_containers(
    members: &[Member],
    ctx: &PodContext,
    out: &mut Findings,
) -> Vec<HostPortClaim> {
    let mut names: HashMap<&str, Pos> = HashMap::new();
    let mut ports = PodPorts::default();
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
            env::check_env(env, &who, path, out);
        }
        if let Some(items) = c.get("envFrom").and_then(|(_, v)| v.as_seq()) {
            env::check_env_from(items, &who, path, out);
        }
        if m.init && !m.sidecar {
            check_init_only(m, out);
        } else {
            probes::check_probes(c, &who, path, out);
            hooks::check_lifecycle(c, &who, path, ctx.grace_seconds, out);
        }
        security::check_resources(c, path, out);
        security::check_container_security(c, &who, path, ctx.security, out);
        volumes::check_mounts(c, &who, path, &ctx.volumes, &ctx.dropped_volumes, out);
        ports.check_member(i, m, ctx.host_network, out);
    }
    ports.finish(ctx.host_network, out)
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
