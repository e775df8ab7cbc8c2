//! Pod settings about the host: the host namespaces (and their risks), `hostAliases` and
//! `dnsConfig`.

use super::super::tree::{shorten, Node, Value};
use super::super::Findings;
use super::names::dns_subdomain;
use super::{at, flag};
use std::net::IpAddr;

/// Kubernetes' limits on `dnsConfig`.
const MAX_NAMESERVERS: usize = 3;
const MAX_SEARCHES: usize = 32;

/// What each host namespace hands the pod, for the warning.
const HOST_NAMESPACES: [(&str, &str); 3] = [
    (
        "hostNetwork",
        "puts the pod on the host's network: its containers reach every service listening on the host and can bind any host port",
    ),
    (
        "hostPID",
        "shares the host's process namespace: the pod's containers see every process on the host and, as root, can signal or trace them",
    ),
    (
        "hostIPC",
        "shares the host's IPC namespace: the pod's containers can read and write the host's shared memory",
    ),
];

pub(super) fn check_host_namespaces(spec: &Node, out: &mut Findings) {
    for (field, risk) in HOST_NAMESPACES {
        if let Some((k, v)) = spec.get(field) {
            if v.scalar_value() == Some(Value::Bool(true)) {
                out.warn(
                    k.pos,
                    format!("`spec.{field}: true` {risk}"),
                    Some(format!(
                        "remove `{field}` unless the pod must run in the host's namespace"
                    )),
                );
            }
        }
    }
    if flag(spec, "hostPID") && flag(spec, "shareProcessNamespace") {
        if let Some((k, _)) = spec.get("shareProcessNamespace") {
            out.error(
                k.pos,
                "`spec.shareProcessNamespace` and `spec.hostPID` cannot both be true".to_string(),
                Some("remove one of them".to_string()),
            );
        }
    }
}

pub(super) fn check_host_aliases(spec: &Node, out: &mut Findings) {
    let Some(items) = spec.get("hostAliases").and_then(|(_, v)| v.as_seq()) else {
        return;
    };
    for (i, alias) in items.iter().enumerate() {
        if alias.as_map().is_none() {
            continue;
        }
        let apath = format!("spec.hostAliases[{i}]");
        if let Some((k, v)) = alias.get("ip") {
            if let Some(ip) = v.as_str() {
                if ip.parse::<IpAddr>().is_err() {
                    out.error(
                        at(k, v),
                        format!("`{apath}.ip` `{}` is not an IP address", shorten(ip)),
                        Some("write an address such as `10.0.0.5` or `fd00::5`".to_string()),
                    );
                }
            }
        }
        match alias.get("hostnames") {
            Some((_, v)) if v.as_seq().is_some_and(|h| !h.is_empty()) => {
                for (j, h) in v.as_seq().unwrap_or_default().iter().enumerate() {
                    let Some(name) = h.as_str() else {
                        continue;
                    };
                    if let Err(why) = dns_subdomain(name) {
                        out.error(
                            h.pos,
                            format!(
                                "`{apath}.hostnames[{j}]` `{}` is not a valid host name: {why}",
                                shorten(name)
                            ),
                            Some("use lowercase letters, digits, '-' and '.'".to_string()),
                        );
                    }
                }
            }
            Some((_, v)) if v.as_seq().is_none() && !v.is_null() => {}
            found => out.error(
                found.map_or(alias.pos, |(k, _)| k.pos),
                format!("`{apath}` has no hostnames: an alias names at least one host"),
                Some("add `hostnames: [db.local]`".to_string()),
            ),
        }
    }
}

pub(super) fn check_dns_config(spec: &Node, out: &mut Findings) {
    let Some((_, dns)) = spec.get("dnsConfig") else {
        return;
    };
    if let Some((k, v)) = dns.get("nameservers") {
        let servers = v.as_seq().unwrap_or_default();
        if servers.len() > MAX_NAMESERVERS {
            out.error(
                k.pos,
                format!(
                    "`spec.dnsConfig.nameservers` lists {} servers: the limit is {MAX_NAMESERVERS}",
                    servers.len()
                ),
                Some("keep at most 3: the resolver reads no more".to_string()),
            );
        }
        for (i, s) in servers.iter().enumerate() {
            if let Some(ip) = s.as_str() {
                if ip.parse::<IpAddr>().is_err() {
                    out.error(
                        s.pos,
                        format!(
                            "`spec.dnsConfig.nameservers[{i}]` `{}` is not an IP address",
                            shorten(ip)
                        ),
                        Some("name servers are addresses such as `1.1.1.1`".to_string()),
                    );
                }
            }
        }
    }
    if let Some((k, v)) = dns.get("searches") {
        let searches = v.as_seq().unwrap_or_default();
        if searches.len() > MAX_SEARCHES {
            out.error(
                k.pos,
                format!(
                    "`spec.dnsConfig.searches` lists {} domains: the limit is {MAX_SEARCHES}",
                    searches.len()
                ),
                None,
            );
        }
        for (i, s) in searches.iter().enumerate() {
            let Some(domain) = s.as_str() else {
                continue;
            };
            // A trailing dot (a fully qualified name) is allowed.
            let bare = domain.strip_suffix('.').unwrap_or(domain);
            if let Err(why) = dns_subdomain(bare) {
                out.error(
                    s.pos,
                    format!(
                        "`spec.dnsConfig.searches[{i}]` `{}` is not a valid domain: {why}",
                        shorten(domain)
                    ),
                    None,
                );
            }
        }
    }
    let options = dns
        .get("options")
        .and_then(|(_, v)| v.as_seq())
        .unwrap_or_default();
    for (i, o) in options.iter().enumerate() {
        if let Some((k, v)) = o.get("name") {
            if v.as_str().is_some_and(str::is_empty) {
                out.error(
                    k.pos,
                    format!("`spec.dnsConfig.options[{i}].name` is empty"),
                    Some("e.g. `name: ndots`".to_string()),
                );
            }
        }
    }
}
