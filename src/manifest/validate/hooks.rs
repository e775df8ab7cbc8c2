//! `lifecycle.postStart` / `preStop`: exactly one handler, a command to run, a port that
//! exists, and a sleep that fits in the grace period.

use super::super::tree::Node;
use super::super::Findings;
use super::probes::{
    check_header_names, check_probe_port, exactly_one_handler, port_names, Handlers,
};

/// The handlers of a hook; `tcpSocket` is refused by the schema walk but still counts.
const HOOK_HANDLERS: [&str; 4] = ["exec", "httpGet", "sleep", "tcpSocket"];

pub(super) fn check_lifecycle(c: &Node, who: &str, path: &str, grace: i64, out: &mut Findings) {
    let Some((_, lifecycle)) = c.get("lifecycle") else {
        return;
    };
    let port_names = port_names(c);
    for hook in ["postStart", "preStop"] {
        let Some((key, handler)) = lifecycle.get(hook) else {
            continue;
        };
        if handler.as_map().is_none() {
            continue;
        }
        let hpath = format!("{path}.lifecycle.{hook}");
        exactly_one_handler(
            (key, handler),
            &hpath,
            who,
            Handlers {
                what: "hook",
                names: &HOOK_HANDLERS,
                offered: &["exec", "httpGet", "sleep"],
                example: "e.g. `exec: {command: [nginx, -s, quit]}`",
                several_hint: "keep one of them",
            },
            out,
        );
        if let Some((_, command)) = handler
            .get("exec")
            .and_then(|(_, e)| e.get("command"))
            .filter(|(_, v)| v.as_seq().is_some_and(<[Node]>::is_empty))
        {
            out.error(
                command.pos,
                format!("`{hpath}.exec.command` is empty: an exec hook needs a command to run"),
                Some("e.g. `command: [nginx, -s, quit]`".to_string()),
            );
        }
        if let Some((_, http)) = handler.get("httpGet") {
            if let Some((k, v)) = http.get("port") {
                check_probe_port(
                    k,
                    v,
                    &format!("{hpath}.httpGet.port"),
                    who,
                    &port_names,
                    out,
                );
            }
            check_header_names(http, &format!("{hpath}.httpGet"), "X-Hook", out);
        }
        if let Some((_, v)) = handler.get("sleep").and_then(|(_, s)| s.get("seconds")) {
            if let Some(n) = v.as_int().filter(|n| *n > i128::from(grace)) {
                out.error(
                    v.pos,
                    format!("`{hpath}.sleep.seconds` {n} is longer than the pod's terminationGracePeriodSeconds ({grace}): the container would be killed first"),
                    Some("sleep less, or raise `spec.terminationGracePeriodSeconds`".to_string()),
                );
            }
        }
    }
}
