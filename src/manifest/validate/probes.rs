//! Probes: exactly one handler each (shared with the hooks), a command to run, ports that
//! exist, header names, and Kubernetes' threshold rules per probe kind.

use super::super::tree::{shorten, Key, Node};
use super::super::Findings;
use super::names::{http_header_name, iana_svc_name};
use super::{and_list, at};

/// The probe fields of a container, and the kind's name for messages.
const PROBES: [(&str, &str); 3] = [
    ("livenessProbe", "liveness"),
    ("readinessProbe", "readiness"),
    ("startupProbe", "startup"),
];

/// The handler fields of a probe, in Kubernetes' order.
const HANDLERS: [&str; 4] = ["exec", "httpGet", "tcpSocket", "grpc"];

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

/// The names the container gives its ports (what a probe's or hook's named port may use).
pub(super) fn port_names(c: &Node) -> Vec<&str> {
    c.get("ports")
        .and_then(|(_, v)| v.as_seq())
        .unwrap_or_default()
        .iter()
        .filter_map(|p| p.get("name").and_then(|(_, v)| v.as_str()))
        .collect()
}

/// A container's liveness, readiness and startup probes.
pub(super) fn check_probes(c: &Node, who: &str, path: &str, out: &mut Findings) {
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

/// What each of a probe's handlers needs: a command, a port that exists, valid header names.
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

/// A port number from 1 to 65535.
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
pub(super) fn check_probe_port(
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
        let hint = match super::super::tree::parse_int(name.trim()) {
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
