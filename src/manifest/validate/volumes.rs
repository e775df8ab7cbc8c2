//! `spec.volumes` (names, exactly one source, each source's own rules, the risky host paths)
//! and the containers' `volumeMounts`.

use super::super::schema::closest;
use super::super::schema::fields::VOLUME;
use super::super::schema::vocabulary::{Support, Ty};
use super::super::tree::{shorten, Node, Pos};
use super::super::{quantity, Findings, Status};
use super::names::{dns_label, dns_subdomain, label_hint};
use super::{and_list, at};
use std::collections::HashMap;

/// Host paths that hand the pod the host: the root, and the Docker socket.
const ROOT_RISK: &str = "mounts the host's whole filesystem: the pod's containers can read and change everything on the host";
const DOCKER_SOCKET_RISK: &str =
    "mounts the Docker socket: the pod's containers control the Docker daemon, and so the host";
const DOCKER_SOCKETS: [&str; 2] = ["/var/run/docker.sock", "/run/docker.sock"];

/// `/a//b/./c/` -> `/a/b/c`: enough to recognise a path, without touching the file system.
fn normalize(path: &str) -> String {
    let parts: Vec<&str> = path
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    format!("/{}", parts.join("/"))
}

/// Whether a path has a `..` component.
fn climbs(path: &str) -> bool {
    path.split('/').any(|p| p == "..")
}

/// Check every volume; returns the declared names and where they are.
pub(super) fn check_volumes<'a>(spec: &'a Node, out: &mut Findings) -> Vec<(&'a str, Pos)> {
    let mut declared: Vec<(&str, Pos)> = Vec::new();
    let Some(items) = spec.get("volumes").and_then(|(_, v)| v.as_seq()) else {
        return declared;
    };
    let sources: Vec<&str> = VOLUME
        .fields
        .iter()
        .filter(|f| {
            matches!(
                f.support,
                Support::Refused { .. }
                    | Support::Ignored(_)
                    | Support::Read {
                        ty: Ty::Object(_),
                        ..
                    }
            )
        })
        .map(|f| f.name)
        .collect();
    for (i, vol) in items.iter().enumerate() {
        if vol.as_map().is_none() {
            continue;
        }
        let vpath = format!("spec.volumes[{i}]");
        let name = vol.get("name").and_then(|(k, v)| Some((k, v, v.as_str()?)));
        let who = match name {
            Some((_, _, n)) => format!("volume `{}`", shorten(n)),
            None => vpath.clone(),
        };
        if let Some((k, v, n)) = name {
            if let Err(why) = dns_label(n) {
                out.error(
                    at(k, v),
                    format!(
                        "volume name `{}` is not a valid DNS-1123 label: {why}",
                        shorten(n)
                    ),
                    Some(label_hint(n)),
                );
            }
            if let Some((_, first)) = declared.iter().find(|(d, _)| *d == n) {
                out.error(
                    at(k, v),
                    format!(
                        "duplicate volume name `{}`: line {} already uses it",
                        shorten(n),
                        first.line
                    ),
                    Some("give every volume its own name".to_string()),
                );
            } else {
                declared.push((n, at(k, v)));
            }
        }
        let found: Vec<String> = sources
            .iter()
            .filter(|s| vol.get(s).is_some_and(|(_, v)| !v.is_null()))
            .map(|s| format!("`{s}`"))
            .collect();
        match found.len() {
            0 => out.error(
                vol.pos,
                format!("{who} has no source: a volume needs exactly one"),
                Some("podc supports emptyDir, hostPath, configMap, secret and persistentVolumeClaim volumes, e.g. `emptyDir: {}`".to_string()),
            ),
            1 => {}
            n => out.error(
                vol.pos,
                format!(
                    "{who} has {n} sources, {}: a volume needs exactly one",
                    and_list(&found)
                ),
                Some("split it into one volume per source".to_string()),
            ),
        }
        check_sources(vol, &vpath, out);
    }
    declared
}

fn check_sources(vol: &Node, vpath: &str, out: &mut Findings) {
    if let Some((k, projected)) = vol.get("projected") {
        let sources = projected
            .get("sources")
            .and_then(|(_, v)| v.as_seq())
            .unwrap_or_default();
        // Only the cluster's API access is left out; anything else projected would be missing.
        if !sources
            .iter()
            .any(|s| s.get("serviceAccountToken").is_some())
        {
            out.error(
                k.pos,
                format!("`{vpath}.projected` without a serviceAccountToken source is not supported by podc"),
                Some("write its ConfigMap and Secret sources as configMap and secret volumes".to_string()),
            );
        }
    }
    if let Some((_, v)) = vol.get("emptyDir").and_then(|(_, e)| e.get("sizeLimit")) {
        if let Some(text) = super::quantity_text(v) {
            match quantity::bytes(text) {
                Ok(n) if n < 0 => out.error(
                    v.pos,
                    format!(
                        "`{vpath}.emptyDir.sizeLimit` {} must not be negative",
                        shorten(text)
                    ),
                    None,
                ),
                Ok(_) => {}
                Err(why) => out.error(
                    v.pos,
                    format!(
                        "`{vpath}.emptyDir.sizeLimit` `{}` is not a Kubernetes quantity: {why}",
                        shorten(text)
                    ),
                    Some("e.g. `64Mi` or `1Gi`".to_string()),
                ),
            }
        }
    }
    if let Some((k, v)) = vol.get("hostPath").and_then(|(_, h)| h.get("path")) {
        if let Some(path) = v.as_str() {
            let ppath = format!("{vpath}.hostPath.path");
            if !path.starts_with('/') {
                out.error(
                    at(k, v),
                    format!("`{ppath}` `{}` must be an absolute path", shorten(path)),
                    Some(format!(
                        "e.g. `path: /{}`",
                        shorten(path.trim_start_matches("./"))
                    )),
                );
            } else if climbs(path) {
                out.error(
                    v.pos,
                    format!("`{ppath}` `{}` must not contain `..`", shorten(path)),
                    Some("write the path without `..`".to_string()),
                );
            } else {
                let normal = normalize(path);
                let risk = if normal == "/" {
                    Some(ROOT_RISK)
                } else if DOCKER_SOCKETS.contains(&normal.as_str()) {
                    Some(DOCKER_SOCKET_RISK)
                } else {
                    None
                };
                if let Some(risk) = risk {
                    out.warn(
                        v.pos,
                        format!("`{ppath}` `{}` {risk}", shorten(path)),
                        Some("mount only the directory or file the pod needs".to_string()),
                    );
                }
            }
        }
    }
    for source in ["configMap", "secret"] {
        let items = vol
            .get(source)
            .and_then(|(_, s)| s.get("items"))
            .and_then(|(_, v)| v.as_seq())
            .unwrap_or_default();
        for (i, item) in items.iter().enumerate() {
            let ipath = format!("{vpath}.{source}.items[{i}]");
            if let Some((k, v)) = item.get("key") {
                if v.as_str().is_some_and(str::is_empty) {
                    out.error(
                        k.pos,
                        format!("`{ipath}.key` is empty"),
                        Some("name the key to write".to_string()),
                    );
                }
            }
            if let Some((k, v)) = item.get("path") {
                if let Some(p) = v.as_str() {
                    check_relative(k, v, p, &format!("{ipath}.path"), out);
                }
            }
        }
    }
    if let Some((k, v)) = vol
        .get("persistentVolumeClaim")
        .and_then(|(_, p)| p.get("claimName"))
    {
        if let Some(claim) = v.as_str() {
            if let Err(why) = dns_subdomain(claim) {
                out.error(
                    at(k, v),
                    format!(
                        "`{vpath}.persistentVolumeClaim.claimName` `{}` is not a valid claim name: {why}",
                        shorten(claim)
                    ),
                    Some("use lowercase letters, digits, '-' and '.'".to_string()),
                );
            }
        }
    }
}

/// A path inside a volume: relative, not empty, without `..`.
fn check_relative(k: &super::super::tree::Key, v: &Node, p: &str, path: &str, out: &mut Findings) {
    let why = if p.is_empty() {
        Some("is empty")
    } else if p.starts_with('/') {
        Some("must be a relative path")
    } else if climbs(p) {
        Some("must not contain `..`")
    } else {
        None
    };
    if let Some(why) = why {
        out.error(
            at(k, v),
            format!("`{path}` `{}` {why}", shorten(p)),
            Some("write a path inside the volume, e.g. `conf/app.ini`".to_string()),
        );
    }
}

/// The names of the volumes podc leaves out: `projected` ones (the checks accept only the
/// cluster's API access among them).
pub(super) fn api_access_volumes(spec: &Node) -> Vec<&str> {
    let volumes = spec
        .get("volumes")
        .and_then(|(_, v)| v.as_seq())
        .unwrap_or_default();
    volumes
        .iter()
        .filter(|v| v.get("projected").is_some())
        .filter_map(|v| v.get("name")?.1.as_str())
        .collect()
}

/// Each mount names a declared volume and a path of its own; a mount of a left-out volume
/// (`dropped`) is listed by `podc check` as ignored, so the container's `volumeMounts` line is
/// not all it says of it.
pub(super) fn check_mounts(
    c: &Node,
    who: &str,
    path: &str,
    volumes: &[(&str, Pos)],
    dropped: &[&str],
    out: &mut Findings,
) {
    let Some(mounts) = c.get("volumeMounts").and_then(|(_, v)| v.as_seq()) else {
        return;
    };
    let mut paths: HashMap<String, usize> = HashMap::new();
    for (i, m) in mounts.iter().enumerate() {
        let mpath = format!("{path}.volumeMounts[{i}]");
        if let Some((k, v)) = m.get("name") {
            if let Some(name) = v.as_str() {
                if dropped.contains(&name) {
                    out.record(
                        m.pos,
                        &mpath,
                        Status::Ignored,
                        &format!(
                            "left out with volume `{}`, the cluster's API access",
                            shorten(name)
                        ),
                    );
                }
                if !volumes.iter().any(|(n, _)| *n == name) {
                    let names: Vec<&str> = volumes.iter().map(|(n, _)| *n).collect();
                    let hint = match closest(name, &names) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None if names.is_empty() => format!(
                            "the pod declares no volumes: add one named `{}` under `spec.volumes`",
                            shorten(name)
                        ),
                        None => {
                            let list: Vec<String> =
                                names.iter().map(|n| format!("`{n}`")).collect();
                            format!("the pod's volumes are {}", and_list(&list))
                        }
                    };
                    out.error(
                        at(k, v),
                        format!(
                            "`{mpath}.name` `{}` in {who} is not a volume of the pod",
                            shorten(name)
                        ),
                        Some(hint),
                    );
                }
            }
        }
        if let Some((k, v)) = m.get("mountPath") {
            if let Some(mount) = v.as_str() {
                if !mount.starts_with('/') {
                    out.error(
                        at(k, v),
                        format!(
                            "`{mpath}.mountPath` `{}` must be an absolute path",
                            shorten(mount)
                        ),
                        Some(format!(
                            "e.g. `mountPath: /{}`",
                            shorten(mount.trim_start_matches("./"))
                        )),
                    );
                } else {
                    let normal = normalize(mount);
                    if let Some(first) = paths.get(&normal) {
                        out.error(
                            v.pos,
                            format!(
                                "`{mpath}.mountPath` `{}` is already used by volumeMounts[{first}] of {who}",
                                shorten(mount)
                            ),
                            Some("mount each path once".to_string()),
                        );
                    } else {
                        paths.insert(normal, i);
                    }
                }
            }
        }
        if let Some((k, v)) = m.get("subPath") {
            if let Some(sub) = v.as_str() {
                if !sub.is_empty() {
                    check_relative(k, v, sub, &format!("{mpath}.subPath"), out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalized_for_comparison() {
        assert_eq!(normalize("/"), "/");
        assert_eq!(normalize("//"), "/");
        assert_eq!(
            normalize("/var//run/./docker.sock/"),
            "/var/run/docker.sock"
        );
        assert!(climbs("a/../b"));
        assert!(!climbs("a/..b"));
    }
}
