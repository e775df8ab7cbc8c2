//! `resources` (Kubernetes quantities, requests within limits, what Docker accepts) and the
//! security contexts (Kubernetes' rules, and warnings naming what a setting exposes).

use super::super::quantity;
use super::super::schema::{closest, join_key};
use super::super::tree::{shorten, Key, Node, Pos, Value};
use super::super::Findings;
use super::quantity_text;

/// Docker refuses memory limits below 6 MiB.
const DOCKER_MIN_MEMORY: i64 = 6 * 1024 * 1024;
/// Docker refuses CPU limits below 0.01 CPU.
const DOCKER_MIN_NANO_CPUS: i64 = 10_000_000;

/// What podc does with a resource name.
enum Resource {
    Cpu,
    Memory,
    /// A Kubernetes resource podc does not apply (ephemeral-storage, hugepages-*, a vendor's).
    NotApplied,
    Unknown,
}

fn resource(name: &str) -> Resource {
    match name {
        "cpu" => Resource::Cpu,
        "memory" => Resource::Memory,
        "ephemeral-storage" => Resource::NotApplied,
        n if n.starts_with("hugepages-") || n.contains('/') => Resource::NotApplied,
        _ => Resource::Unknown,
    }
}

/// One parsed cpu or memory quantity: its value and where it is written.
struct Amount<'a> {
    value: i64,
    text: &'a str,
    pos: Pos,
}

pub(super) fn check_resources(c: &Node, path: &str, out: &mut Findings) {
    let Some((_, resources)) = c.get("resources") else {
        return;
    };
    let mut parsed: [[Option<Amount>; 2]; 2] = Default::default();
    for (side, field) in ["limits", "requests"].into_iter().enumerate() {
        let Some(entries) = resources.get(field).and_then(|(_, v)| v.as_map()) else {
            continue;
        };
        for (k, v) in entries {
            let rpath = join_key(&format!("{path}.resources.{field}"), &k.text);
            if let Some(a) = check_quantity(k, v, &rpath, out) {
                match resource(&k.text) {
                    Resource::Cpu => parsed[side][0] = Some(a),
                    Resource::Memory => parsed[side][1] = Some(a),
                    _ => {}
                }
            }
        }
    }
    let [limits, requests] = parsed;
    for (i, (limit, request)) in limits.iter().zip(requests.iter()).enumerate() {
        let name = ["cpu", "memory"][i];
        if let (Some(l), Some(r)) = (limit, request) {
            if r.value > l.value {
                out.error(
                    r.pos,
                    format!(
                        "`{path}.resources.requests.{name}` {} is more than its limit {}",
                        shorten(r.text),
                        shorten(l.text)
                    ),
                    Some(
                        "lower the request or raise the limit: a request must fit in the limit"
                            .to_string(),
                    ),
                );
            }
        }
        let Some(l) = limit else {
            continue;
        };
        let (min, min_text) = match name {
            "cpu" => (DOCKER_MIN_NANO_CPUS, "10m"),
            _ => (DOCKER_MIN_MEMORY, "6Mi"),
        };
        if l.value > 0 && l.value < min {
            out.error(
                l.pos,
                format!(
                    "`{path}.resources.limits.{name}` {} is below {min_text}, the smallest {name} limit Docker accepts",
                    shorten(l.text)
                ),
                Some(format!("use at least {min_text}")),
            );
        }
    }
}

/// Check one `limits`/`requests` entry; the parsed amount when it is cpu or memory.
fn check_quantity<'a>(k: &Key, v: &'a Node, rpath: &str, out: &mut Findings) -> Option<Amount<'a>> {
    let name = k.text.as_str();
    let kind = resource(name);
    if let Resource::Unknown = kind {
        let hint = match closest(name, &["cpu", "memory", "ephemeral-storage"]) {
            Some(best) => format!("did you mean `{best}`?"),
            None => "podc applies `cpu` and `memory`; other resources are written `hugepages-<size>`, `ephemeral-storage` or with a domain, e.g. `example.com/gpu`".to_string(),
        };
        out.error(
            k.pos,
            format!(
                "`{rpath}`: `{}` is not a Kubernetes resource name",
                shorten(name)
            ),
            Some(hint),
        );
        return None;
    }
    let text = quantity_text(v)?;
    let value = match kind {
        Resource::Cpu => quantity::cpu_nanos(text),
        _ => quantity::bytes(text),
    };
    let value = match value {
        Ok(n) if n < 0 => {
            out.error(
                v.pos,
                format!("`{rpath}` {} must not be negative", shorten(text)),
                None,
            );
            return None;
        }
        Ok(n) => n,
        Err(why) => {
            let example = match kind {
                Resource::Cpu => "e.g. `500m` (half a CPU) or `2`",
                _ => "e.g. `64Mi`, `1Gi` or `500M`",
            };
            out.error(
                v.pos,
                format!(
                    "`{rpath}` `{}` is not a Kubernetes quantity: {why}",
                    shorten(text)
                ),
                Some(example.to_string()),
            );
            return None;
        }
    };
    match kind {
        Resource::NotApplied => {
            out.ignore(
                k.pos,
                rpath,
                "is not applied by podc: it applies only cpu and memory",
                format!("`{rpath}` is not applied by podc: it applies only cpu and memory"),
                None,
            );
            None
        }
        _ => Some(Amount {
            value,
            text,
            pos: v.pos,
        }),
    }
}

/// A user setting and where it is written.
fn int_field(sc: Option<&Node>, field: &str) -> Option<(i128, Pos)> {
    let (_, v) = sc?.get(field)?;
    Some((v.as_int()?, v.pos))
}

fn bool_field(sc: Option<&Node>, field: &str) -> Option<(bool, Pos)> {
    let (k, v) = sc?.get(field)?;
    match v.scalar_value() {
        Some(Value::Bool(b)) => Some((b, k.pos)),
        _ => None,
    }
}

pub(super) fn check_container_security(
    c: &Node,
    who: &str,
    path: &str,
    pod: Option<&Node>,
    out: &mut Findings,
) {
    let own = c.get("securityContext").map(|(_, v)| v);
    // runAsNonRoot with user 0: the kubelet refuses to start the container. Reported here
    // when the container sets one of the two; the pod-level check covers the rest.
    let user = int_field(own, "runAsUser");
    let non_root = bool_field(own, "runAsNonRoot");
    if user.is_some() || non_root.is_some() {
        let user = user.or_else(|| int_field(pod, "runAsUser"));
        let non_root = non_root.or_else(|| bool_field(pod, "runAsNonRoot"));
        if let (Some((0, pos)), Some((true, _))) = (user, non_root) {
            out.error(
                pos,
                format!("{who} runs as user 0 (root) but `runAsNonRoot` is true: Kubernetes refuses to start it"),
                Some("set `runAsUser` to a user other than 0, or remove `runAsNonRoot`".to_string()),
            );
        }
    }
    let Some(sc) = own else {
        return;
    };
    check_profiles(sc, &format!("{path}.securityContext"), out);
    let privileged = bool_field(Some(sc), "privileged");
    let escalation = bool_field(Some(sc), "allowPrivilegeEscalation");
    if let Some((true, pos)) = privileged {
        out.warn(
            pos,
            format!("{who} is privileged (`{path}.securityContext.privileged: true`): it gets every capability and every host device, so it can take over the host"),
            Some("remove it, and add only the capabilities the container needs with `capabilities.add`".to_string()),
        );
        if let Some((false, epos)) = escalation {
            out.error(
                epos,
                format!("`{path}.securityContext`: `allowPrivilegeEscalation: false` cannot go with `privileged: true`"),
                Some("remove one of them".to_string()),
            );
        }
    }
    if let Some((false, epos)) = escalation {
        let adds = sc
            .get("capabilities")
            .and_then(|(_, v)| v.get("add"))
            .and_then(|(_, v)| v.as_seq())
            .unwrap_or_default();
        if adds
            .iter()
            .filter_map(Node::as_str)
            .any(|cap| matches!(cap, "SYS_ADMIN" | "CAP_SYS_ADMIN"))
        {
            out.error(
                epos,
                format!("`{path}.securityContext`: `allowPrivilegeEscalation: false` cannot go with adding CAP_SYS_ADMIN"),
                Some("remove one of them".to_string()),
            );
        }
    }
}

/// Sysctls that live in the namespaces a pod owns (Docker refuses the others): their prefix,
/// and the host setting that would make them the host's own.
const NAMESPACED_SYSCTLS: [(&str, &str); 5] = [
    ("net.", "hostNetwork"),
    ("kernel.shm", "hostIPC"),
    ("kernel.msg", "hostIPC"),
    ("kernel.sem", "hostIPC"),
    ("fs.mqueue.", "hostIPC"),
];

/// Kubernetes' sysctl name syntax: dot- or slash-separated lowercase segments.
fn sysctl_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.len() > 253 {
        return Err("it must be 1 to 253 characters".to_string());
    }
    for segment in name.split(['.', '/']) {
        let ok_char =
            |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_';
        let alnum =
            |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        if !segment.chars().all(ok_char)
            || !alnum(segment.chars().next())
            || !alnum(segment.chars().last())
        {
            return Err("it must be lowercase segments of letters, digits, '-' and '_', separated by '.' or '/'".to_string());
        }
    }
    Ok(())
}

/// A `seccompProfile` or `appArmorProfile` names a host profile exactly when its type is
/// Localhost, as Kubernetes requires.
fn check_profiles(sc: &Node, path: &str, out: &mut Findings) {
    for field in ["seccompProfile", "appArmorProfile"] {
        let Some((key, profile)) = sc.get(field) else {
            continue;
        };
        let kind = profile.get("type").and_then(|(_, v)| v.as_str());
        match (kind, profile.get("localhostProfile")) {
            (Some("Localhost"), None) => out.error(
                key.pos,
                format!("`{path}.{field}` of type Localhost needs `localhostProfile`"),
                Some("add `localhostProfile:` with the name of an AppArmor profile loaded on this host (`aa-status` lists them)".to_string()),
            ),
            (Some(kind), Some((k, _))) if kind != "Localhost" => out.error(
                k.pos,
                format!("`{path}.{field}.localhostProfile` may only be set with `type: Localhost`, not {kind}"),
                Some("remove `localhostProfile`, or set `type: Localhost`".to_string()),
            ),
            _ => {}
        }
    }
}

pub(super) fn check_pod_security(sc: &Node, spec: &Node, out: &mut Findings) {
    check_profiles(sc, "spec.securityContext", out);
    if let (Some((0, pos)), Some((true, _))) = (
        int_field(Some(sc), "runAsUser"),
        bool_field(Some(sc), "runAsNonRoot"),
    ) {
        out.error(
            pos,
            "the pod runs as user 0 (root) but `runAsNonRoot` is true: Kubernetes refuses to start its containers".to_string(),
            Some("set `runAsUser` to a user other than 0, or remove `runAsNonRoot`".to_string()),
        );
    }
    let sysctls = sc
        .get("sysctls")
        .and_then(|(_, v)| v.as_seq())
        .unwrap_or_default();
    let mut seen: Vec<(&str, Pos)> = Vec::new();
    for (i, s) in sysctls.iter().enumerate() {
        let Some((k, v)) = s.get("name") else {
            continue;
        };
        let Some(name) = v.as_str() else {
            continue;
        };
        let spath = format!("spec.securityContext.sysctls[{i}].name");
        if let Err(why) = sysctl_name(name) {
            out.error(
                super::at(k, v),
                format!("`{spath}` `{}` is not a sysctl name: {why}", shorten(name)),
                Some("e.g. `net.core.somaxconn`".to_string()),
            );
            continue;
        }
        if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
            out.error(
                v.pos,
                format!(
                    "sysctl `{name}` is set twice (first at line {})",
                    first.line
                ),
                Some("remove one of them".to_string()),
            );
        }
        seen.push((name, v.pos));
        let dotted = name.replace('/', ".");
        match NAMESPACED_SYSCTLS
            .iter()
            .find(|(prefix, _)| dotted.starts_with(prefix))
        {
            None => out.error(
                v.pos,
                format!("`{spath}` `{}` is not namespaced: it would change the whole host, and Docker refuses it", shorten(name)),
                Some("a pod may set net.*, kernel.shm*, kernel.msg*, kernel.sem and fs.mqueue.* sysctls".to_string()),
            ),
            Some((_, host_flag)) if super::flag(spec, host_flag) => out.error(
                v.pos,
                format!("`{spath}` `{}` cannot be set with `spec.{host_flag}: true`: it would change the host's own setting", shorten(name)),
                Some(format!("remove the sysctl, or `{host_flag}`")),
            ),
            Some(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sysctl_names() {
        assert!(sysctl_name("net.core.somaxconn").is_ok());
        assert!(sysctl_name("net/ipv4/ip_forward").is_ok());
        assert!(sysctl_name("kernel.shm_rmid_forced").is_ok());
        assert!(sysctl_name("Net.core").is_err());
        assert!(sysctl_name("net..core").is_err());
        assert!(sysctl_name("").is_err());
    }
}
