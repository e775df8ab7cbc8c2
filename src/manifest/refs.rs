//! The checks across the documents of a file: unique names per kind, host ports no two pods
//! share, and every ConfigMap and Secret a Pod refers to present in the file with the keys it
//! reads, unless the reference is `optional: true`. Only key names are ever shown.

use super::schema::{closest, DocKind};
use super::tree::{shorten, Node, Pos, Value};
use super::validate::{and_list, ips_overlap, HostPortClaim};
use super::Findings;
use std::collections::HashMap;

/// A ConfigMap or Secret of the file, as the references need it.
pub(super) struct Object<'a> {
    pub kind: DocKind,
    pub name: &'a str,
    /// The keys a pod can read (`data`, and a Secret's `stringData`).
    pub keys: Vec<&'a str>,
    /// A ConfigMap's `binaryData` keys: volumes read them, the environment cannot.
    pub binary_keys: Vec<&'a str>,
}

/// The name in a document's `metadata.name`, and where it is written.
pub(super) fn doc_name(root: &Node) -> Option<(&str, Pos)> {
    let (_, v) = root.get("metadata")?.1.get("name")?;
    Some((v.as_str()?, v.pos))
}

fn keys_of<'a>(root: &'a Node, field: &str) -> Vec<&'a str> {
    root.get(field)
        .and_then(|(_, v)| v.as_map())
        .unwrap_or_default()
        .iter()
        .map(|(k, _)| k.text.as_str())
        .collect()
}

/// The ConfigMaps and Secrets among the documents.
pub(super) fn objects<'a>(docs: &[(DocKind, &'a Node)]) -> Vec<Object<'a>> {
    docs.iter()
        .filter(|(kind, _)| *kind != DocKind::Pod)
        .filter_map(|(kind, root)| {
            let (name, _) = doc_name(root)?;
            let mut keys = keys_of(root, "data");
            let mut binary_keys = Vec::new();
            match kind {
                DocKind::Secret => keys.extend(keys_of(root, "stringData")),
                _ => binary_keys = keys_of(root, "binaryData"),
            }
            keys.sort_unstable();
            keys.dedup();
            Some(Object {
                kind: *kind,
                name,
                keys,
                binary_keys,
            })
        })
        .collect()
}

/// Two documents of one kind with one name.
pub(super) fn check_unique_names(docs: &[(DocKind, &Node)], out: &mut Findings) {
    let mut seen: HashMap<(&str, &str), Pos> = HashMap::new();
    for (kind, root) in docs {
        let Some((name, pos)) = doc_name(root) else {
            continue;
        };
        if let Some(first) = seen.get(&(kind.name(), name)) {
            let (message, hint) = match kind {
                DocKind::Pod => (
                    format!(
                        "duplicate pod name `{}`: the Pod at line {} has it too",
                        shorten(name),
                        first.line
                    ),
                    "podc names containers after their pod: give every Pod in the file its own name",
                ),
                _ => (
                    format!(
                        "duplicate {} `{}`: the {} at line {} has this name too",
                        kind.name(),
                        shorten(name),
                        kind.name(),
                        first.line
                    ),
                    "give each one its own name, or merge their keys into one",
                ),
            };
            out.error(pos, message, Some(hint.to_string()));
        } else {
            seen.insert((kind.name(), name), pos);
        }
    }
}

/// Host ports two pods of the file both publish: they run on one Docker Engine.
pub(super) fn check_host_ports(pods: &[(&str, Vec<HostPortClaim>)], out: &mut Findings) {
    for (i, (pod, claims)) in pods.iter().enumerate() {
        for (earlier, earlier_claims) in &pods[..i] {
            for b in claims {
                let clash = earlier_claims.iter().find(|a| {
                    a.port == b.port && a.protocol == b.protocol && ips_overlap(a.ip, b.ip)
                });
                if let Some(a) = clash {
                    out.error(
                        b.pos,
                        format!(
                            "hostPort {}/{} of {} in pod `{}` is already claimed by {} in pod `{}` (line {}): the pods of a file share one Docker Engine",
                            b.port,
                            b.protocol,
                            b.who,
                            shorten(pod),
                            a.who,
                            shorten(earlier),
                            a.pos.line
                        ),
                        Some("use a different hostPort, or bind each to a different hostIP".to_string()),
                    );
                }
            }
        }
    }
}

/// A reference to a ConfigMap or Secret, as written in a pod.
struct Reference<'a> {
    kind: DocKind,
    /// Path of the field holding the name.
    path: String,
    name: &'a str,
    name_pos: Pos,
    /// Keys it reads, with their path and place.
    keys: Vec<(String, &'a str, Pos)>,
    /// A volume's: it reads a ConfigMap's `binaryData` keys too.
    reads_binary: bool,
}

fn is_optional(source: &Node) -> bool {
    source
        .get("optional")
        .is_some_and(|(_, v)| v.scalar_value() == Some(Value::Bool(true)))
}

/// The reference in `source` (a mapping with its name in `name_field`), unless optional.
fn reference<'a>(
    kind: DocKind,
    source: &'a Node,
    name_field: &str,
    path: String,
) -> Option<Reference<'a>> {
    if is_optional(source) {
        return None;
    }
    let (_, v) = source.get(name_field)?;
    Some(Reference {
        kind,
        path: format!("{path}.{name_field}"),
        name: v.as_str()?,
        name_pos: v.pos,
        keys: Vec::new(),
        reads_binary: false,
    })
}

/// The `key`s of `items[]` of a volume source.
fn item_keys<'a>(source: &'a Node, path: &str) -> Vec<(String, &'a str, Pos)> {
    source
        .get("items")
        .and_then(|(_, v)| v.as_seq())
        .unwrap_or_default()
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let (_, v) = item.get("key")?;
            Some((format!("{path}.items[{i}].key"), v.as_str()?, v.pos))
        })
        .collect()
}

fn references(spec: &Node) -> Vec<Reference<'_>> {
    let mut out = Vec::new();
    let volumes = spec
        .get("volumes")
        .and_then(|(_, v)| v.as_seq())
        .unwrap_or_default();
    for (i, vol) in volumes.iter().enumerate() {
        for (field, kind, name_field) in [
            ("configMap", DocKind::ConfigMap, "name"),
            ("secret", DocKind::Secret, "secretName"),
        ] {
            let Some((_, source)) = vol.get(field) else {
                continue;
            };
            let path = format!("spec.volumes[{i}].{field}");
            if let Some(mut r) = reference(kind, source, name_field, path.clone()) {
                r.keys = item_keys(source, &path);
                r.reads_binary = true;
                out.push(r);
            }
        }
    }
    for list in ["initContainers", "containers"] {
        let containers = spec
            .get(list)
            .and_then(|(_, v)| v.as_seq())
            .unwrap_or_default();
        for (i, c) in containers.iter().enumerate() {
            let cpath = format!("spec.{list}[{i}]");
            let env = c
                .get("env")
                .and_then(|(_, v)| v.as_seq())
                .unwrap_or_default();
            for (j, e) in env.iter().enumerate() {
                let Some((_, vf)) = e.get("valueFrom") else {
                    continue;
                };
                for (field, kind) in [
                    ("configMapKeyRef", DocKind::ConfigMap),
                    ("secretKeyRef", DocKind::Secret),
                ] {
                    let Some((_, source)) = vf.get(field) else {
                        continue;
                    };
                    let path = format!("{cpath}.env[{j}].valueFrom.{field}");
                    if let Some(mut r) = reference(kind, source, "name", path.clone()) {
                        if let Some((_, k)) = source.get("key") {
                            if let Some(key) = k.as_str() {
                                r.keys.push((format!("{path}.key"), key, k.pos));
                            }
                        }
                        out.push(r);
                    }
                }
            }
            let env_from = c
                .get("envFrom")
                .and_then(|(_, v)| v.as_seq())
                .unwrap_or_default();
            for (j, item) in env_from.iter().enumerate() {
                for (field, kind) in [
                    ("configMapRef", DocKind::ConfigMap),
                    ("secretRef", DocKind::Secret),
                ] {
                    if let Some((_, source)) = item.get(field) {
                        let path = format!("{cpath}.envFrom[{j}].{field}");
                        out.extend(reference(kind, source, "name", path));
                    }
                }
            }
        }
    }
    out
}

/// `a`, `` `a` and `b` ``: names for a hint.
fn quoted(names: &[&str]) -> String {
    let names: Vec<String> = names.iter().map(|n| format!("`{}`", shorten(n))).collect();
    and_list(&names)
}

/// Every ConfigMap and Secret `pod` refers to is in the file, with the keys it reads.
pub(super) fn check_references(pod: &Node, objects: &[Object], out: &mut Findings) {
    let Some((_, spec)) = pod.get("spec") else {
        return;
    };
    for r in references(spec) {
        let kind = r.kind.name();
        let same_kind: Vec<&str> = objects
            .iter()
            .filter(|o| o.kind == r.kind)
            .map(|o| o.name)
            .collect();
        let Some(object) = objects
            .iter()
            .find(|o| o.kind == r.kind && o.name == r.name)
        else {
            let existing = if same_kind.is_empty() {
                format!("the file has no {kind}s")
            } else {
                format!("the file's {kind}s: {}", quoted(&same_kind))
            };
            let add = format!(
                "add a {kind} named `{}` to the file (a document after `---`), or set `optional: true`",
                shorten(r.name)
            );
            let hint = match closest(r.name, &same_kind) {
                Some(best) => format!("did you mean `{best}`? ({existing}); otherwise {add}"),
                None => format!("{existing}; {add}"),
            };
            let other = objects
                .iter()
                .find(|o| o.kind != r.kind && o.name == r.name)
                .map(|o| format!(" (there is a {} with that name)", o.kind.name()))
                .unwrap_or_default();
            out.error(
                r.name_pos,
                format!(
                    "`{}` refers to {kind} `{}`, which is not in this file{other}",
                    r.path,
                    shorten(r.name)
                ),
                Some(hint),
            );
            continue;
        };
        for (path, key, pos) in &r.keys {
            let binary = object.binary_keys.contains(key);
            if object.keys.contains(key) || binary && r.reads_binary {
                continue;
            }
            let hint = if binary {
                "it is in `binaryData`, which only volumes read (as in Kubernetes): move it to `data`, or set `optional: true`".to_string()
            } else if let Some(best) = closest(key, &object.keys) {
                format!("did you mean `{best}`? Otherwise set `optional: true`")
            } else if object.keys.is_empty() {
                format!(
                    "{kind} `{}` has no keys: add the key, or set `optional: true`",
                    shorten(r.name)
                )
            } else {
                format!(
                    "its keys: {}; add the key, or set `optional: true`",
                    quoted(&object.keys)
                )
            };
            out.error(
                *pos,
                format!(
                    "`{path}` names key `{}`, which {kind} `{}` does not have",
                    shorten(key),
                    shorten(r.name)
                ),
                Some(hint),
            );
        }
    }
    check_pull_secrets(spec, objects, out);
}

/// `imagePullSecrets` that podc cannot use are warned about, not refused: Kubernetes also
/// runs the pod and pulls without them.
fn check_pull_secrets(spec: &Node, objects: &[Object], out: &mut Findings) {
    let Some(items) = spec.get("imagePullSecrets").and_then(|(_, v)| v.as_seq()) else {
        return;
    };
    for (i, item) in items.iter().enumerate() {
        let Some((_, name_node)) = item.get("name") else {
            continue;
        };
        let Some(name) = name_node.as_str() else {
            continue;
        };
        let secret = objects
            .iter()
            .find(|o| o.kind == DocKind::Secret && o.name == name);
        let problem = match secret {
            None => "is not in this file",
            Some(s) if !s.keys.contains(&".dockerconfigjson") => "has no `.dockerconfigjson` key",
            Some(_) => continue,
        };
        out.warn(
            name_node.pos,
            format!(
                "`spec.imagePullSecrets[{i}]`: Secret `{}` {problem}, so podc pulls without it (with the Docker config's credentials)",
                shorten(name)
            ),
            Some("add a Secret of type kubernetes.io/dockerconfigjson with a `.dockerconfigjson` key to the file (`kubectl create secret docker-registry NAME --dry-run=client -o yaml` writes one)".to_string()),
        );
    }
}
