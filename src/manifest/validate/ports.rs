//! Container ports: their ranges, names and host IPs, the conflicts in the pod's one network
//! namespace, and the host ports the pod publishes (checked across the pods of a file).

use super::super::tree::{shorten, Node, Pos};
use super::super::Findings;
use super::at;
use super::member::Member;
use super::names::iana_svc_name;
use std::collections::HashMap;
use std::net::IpAddr;

/// A host port a pod publishes, for the check across the pods of a file.
#[derive(Debug, Clone)]
pub(crate) struct HostPortClaim {
    pub port: i64,
    pub protocol: String,
    pub ip: Option<IpAddr>,
    pub pos: Pos,
    /// Who publishes it, e.g. container `web`.
    pub who: String,
}

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

/// The ports of a pod's containers, gathered container by container.
#[derive(Default)]
pub(super) struct PodPorts<'a> {
    entries: Vec<PortEntry<'a>>,
    /// Port names and who uses them: names are unique in the pod.
    names: HashMap<&'a str, (String, Pos)>,
}

impl<'a> PodPorts<'a> {
    /// Check the `ports` of the container at index `i` and gather them.
    pub(super) fn check_member(
        &mut self,
        i: usize,
        m: &Member<'a>,
        host_network: bool,
        out: &mut Findings,
    ) {
        let c = m.node;
        let who = m.who.clone();
        let path = m.path.as_str();
        let Some((ports_key, ports_node)) = c.get("ports") else {
            return;
        };
        let Some(entries) = ports_node.as_seq() else {
            return;
        };
        if !m.runs_alongside() {
            if !entries.is_empty() {
                out.error(
                    ports_key.pos,
                    format!("`{path}.ports`: {who} may not declare ports: Kubernetes allows ports only on sidecars (`restartPolicy: Always`), which keep running"),
                    Some("remove them, or add `restartPolicy: Always` to make it a sidecar".to_string()),
                );
            }
            return;
        }
        for (j, p) in entries.iter().enumerate() {
            if p.as_map().is_none() {
                continue;
            }
            let ppath = format!("{path}.ports[{j}]");
            let container_port = port_number(p, "containerPort", &ppath, &who, out);
            let host_port = port_number(p, "hostPort", &ppath, &who, out);
            if host_network {
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
                    } else if let Some((first_who, first)) = self.names.get(name) {
                        out.error(
                            v.pos,
                            format!(
                                "port name `{name}` in {who} is already used by {first_who} (line {}): port names must be unique in the pod",
                                first.line
                            ),
                            Some("rename one of the ports".to_string()),
                        );
                    } else {
                        self.names.insert(name, (who.clone(), v.pos));
                    }
                }
            }
            if let Some(protocol) = protocol {
                self.entries.push(PortEntry {
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

    /// The conflicts between the gathered ports; returns the host ports the pod publishes.
    pub(super) fn finish(self, host_network: bool, out: &mut Findings) -> Vec<HostPortClaim> {
        check_port_conflicts(&self.entries, out);
        self.entries
            .iter()
            .filter_map(|p| {
                // With hostNetwork, every containerPort is a port on the host.
                let (port, pos) = match (p.host_port, host_network) {
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

/// Whether two host IPs (None: every address) can take the same port.
pub(crate) fn ips_overlap(a: Option<IpAddr>, b: Option<IpAddr>) -> bool {
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
