//! The Kubernetes v1 Pod field names as data, and the walk that checks a located tree
//! against them: unknown fields (errors with a "did you mean" hint), Kubernetes fields podc
//! does not apply (warnings), and the type of every field podc does apply (errors).
//!
//! Each object podc descends into lists ALL the fields Kubernetes defines for it (as of
//! Kubernetes v1.34), so a valid Kubernetes manifest never gets an "unknown field" error.

use super::tree::{shorten, Kind, Node, Pos, Value};
use super::Findings;

/// One object type of the Kubernetes API.
pub struct ObjectType {
    /// The Kubernetes type name, for messages (`Container`, `PodSpec`, ...).
    pub name: &'static str,
    /// Every field Kubernetes defines for it, sorted by name.
    pub fields: &'static [Field],
}

/// One field of an object type.
pub struct Field {
    pub name: &'static str,
    pub support: Support,
}

/// What podc does with a field.
pub enum Support {
    /// podc applies it: its value is type-checked.
    Applied(Ty, Presence),
    /// Kubernetes defines it but podc does not apply it: a warning, the value is not read.
    Unsupported,
    /// Kubernetes defines it and podc ignores it on purpose: a warning with this reason.
    Ignored(&'static str),
    /// `apiVersion` and `kind`: checked by [`check`] itself.
    Header,
}

/// The type podc expects for an applied field.
pub enum Ty {
    Str,
    /// An integer from `min` to `max`.
    Int {
        min: i64,
        max: i64,
    },
    /// A Kubernetes `IntOrString` port: a number or a port name (checked by `validate.rs`).
    PortRef,
    Bool,
    /// One of `allowed`; the `refused` ones are Kubernetes values podc cannot run, with why.
    Enum {
        allowed: &'static [&'static str],
        refused: &'static [(&'static str, &'static str)],
    },
    /// A mapping of string to string (labels, annotations).
    StrMap,
    /// A list of strings (command, args).
    StrList,
    Object(&'static ObjectType),
    List(&'static ObjectType),
}

/// How a field may be left out, which follows the typed model's serde shape.
#[derive(Clone, Copy)]
pub enum Presence {
    /// Must be there with a value; the text is the hint when it is not.
    Required(&'static str),
    /// An `Option` in the model: absent and null are both "not set".
    Optional,
    /// A defaulted `Vec`/`Map`/`String` in the model: may be absent or written empty, but an
    /// explicit `~`/`null` is refused (serde_yaml would read it as the text "~" or fail).
    Defaulted,
}

const fn f(name: &'static str, support: Support) -> Field {
    Field { name, support }
}

const fn unsupported(name: &'static str) -> Field {
    f(name, Support::Unsupported)
}

const fn applied(name: &'static str, ty: Ty, presence: Presence) -> Field {
    f(name, Support::Applied(ty, presence))
}

use Presence::{Defaulted, Optional, Required};

/// Any integer: the range is checked by `validate.rs`, with a better message.
const ANY_INT: Ty = Ty::Int {
    min: i64::MIN,
    max: i64::MAX,
};

/// A Kubernetes `int32` field that must not be negative.
const NON_NEGATIVE_INT32: Ty = Ty::Int {
    min: 0,
    max: i32::MAX as i64,
};

/// The top level of a manifest (a `Pod` object).
pub static POD: ObjectType = ObjectType {
    name: "Pod",
    fields: &[
        f("apiVersion", Support::Header),
        f("kind", Support::Header),
        applied(
            "metadata",
            Ty::Object(&OBJECT_META),
            Required("add `metadata:` with the pod's `name:`"),
        ),
        applied(
            "spec",
            Ty::Object(&POD_SPEC),
            Required("add `spec:` with the pod's `containers:`"),
        ),
        f(
            "status",
            Support::Ignored("is written by a cluster, not by you; podc ignores it"),
        ),
    ],
};

/// `metadata` (Kubernetes `ObjectMeta`).
pub static OBJECT_META: ObjectType = ObjectType {
    name: "ObjectMeta",
    fields: &[
        applied("annotations", Ty::StrMap, Defaulted),
        unsupported("creationTimestamp"),
        unsupported("deletionGracePeriodSeconds"),
        unsupported("deletionTimestamp"),
        unsupported("finalizers"),
        unsupported("generateName"),
        unsupported("generation"),
        applied("labels", Ty::StrMap, Defaulted),
        unsupported("managedFields"),
        applied(
            "name",
            Ty::Str,
            Required("add `name:` under `metadata:`: podc names the pod's containers after it"),
        ),
        f(
            "namespace",
            Support::Ignored("is ignored: podc has no namespaces"),
        ),
        unsupported("ownerReferences"),
        unsupported("resourceVersion"),
        unsupported("selfLink"),
        unsupported("uid"),
    ],
};

/// `spec` (Kubernetes `PodSpec`).
pub static POD_SPEC: ObjectType = ObjectType {
    name: "PodSpec",
    fields: &[
        unsupported("activeDeadlineSeconds"),
        unsupported("affinity"),
        unsupported("automountServiceAccountToken"),
        applied(
            "containers",
            Ty::List(&CONTAINER),
            Required("add `containers:` with at least one `- name: ...` and `image: ...`"),
        ),
        unsupported("dnsConfig"),
        unsupported("dnsPolicy"),
        unsupported("enableServiceLinks"),
        unsupported("ephemeralContainers"),
        unsupported("hostAliases"),
        unsupported("hostIPC"),
        unsupported("hostNetwork"),
        unsupported("hostPID"),
        unsupported("hostUsers"),
        applied("hostname", Ty::Str, Optional),
        unsupported("hostnameOverride"),
        unsupported("imagePullSecrets"),
        unsupported("initContainers"),
        unsupported("nodeName"),
        unsupported("nodeSelector"),
        unsupported("os"),
        unsupported("overhead"),
        unsupported("preemptionPolicy"),
        unsupported("priority"),
        unsupported("priorityClassName"),
        unsupported("readinessGates"),
        unsupported("resourceClaims"),
        unsupported("resources"),
        applied(
            "restartPolicy",
            Ty::Enum {
                allowed: &["Always", "OnFailure", "Never"],
                refused: &[],
            },
            Defaulted,
        ),
        unsupported("runtimeClassName"),
        unsupported("schedulerName"),
        unsupported("schedulingGates"),
        unsupported("securityContext"),
        unsupported("serviceAccount"),
        unsupported("serviceAccountName"),
        unsupported("setHostnameAsFQDN"),
        applied("shareProcessNamespace", Ty::Bool, Optional),
        unsupported("subdomain"),
        applied(
            "terminationGracePeriodSeconds",
            Ty::Int {
                min: 0,
                max: i64::MAX,
            },
            Optional,
        ),
        unsupported("tolerations"),
        unsupported("topologySpreadConstraints"),
        unsupported("volumes"),
    ],
};

/// `spec.containers[]` (Kubernetes `Container`).
pub static CONTAINER: ObjectType = ObjectType {
    name: "Container",
    fields: &[
        applied("args", Ty::StrList, Defaulted),
        applied("command", Ty::StrList, Defaulted),
        applied("env", Ty::List(&ENV_VAR), Defaulted),
        unsupported("envFrom"),
        applied(
            "image",
            Ty::Str,
            Required("add `image:` with the image to run, e.g. `image: nginx:1.27`"),
        ),
        applied(
            "imagePullPolicy",
            Ty::Enum {
                allowed: &["Always", "IfNotPresent", "Never"],
                refused: &[],
            },
            Optional,
        ),
        unsupported("lifecycle"),
        applied("livenessProbe", Ty::Object(&PROBE), Optional),
        applied(
            "name",
            Ty::Str,
            Required("add `name:`: every container needs a name unique in the pod"),
        ),
        applied("ports", Ty::List(&CONTAINER_PORT), Defaulted),
        applied("readinessProbe", Ty::Object(&PROBE), Optional),
        unsupported("resizePolicy"),
        unsupported("resources"),
        unsupported("restartPolicy"),
        unsupported("restartPolicyRules"),
        unsupported("securityContext"),
        applied("startupProbe", Ty::Object(&PROBE), Optional),
        unsupported("stdin"),
        unsupported("stdinOnce"),
        unsupported("terminationMessagePath"),
        unsupported("terminationMessagePolicy"),
        unsupported("tty"),
        unsupported("volumeDevices"),
        unsupported("volumeMounts"),
        applied("workingDir", Ty::Str, Optional),
    ],
};

/// `ports[]` (Kubernetes `ContainerPort`).
pub static CONTAINER_PORT: ObjectType = ObjectType {
    name: "ContainerPort",
    fields: &[
        applied(
            "containerPort",
            ANY_INT,
            Required("add `containerPort:` with the port the container listens on"),
        ),
        applied("hostIP", Ty::Str, Optional),
        applied("hostPort", ANY_INT, Optional),
        applied("name", Ty::Str, Optional),
        applied(
            "protocol",
            Ty::Enum {
                allowed: &["TCP", "UDP"],
                refused: &[(
                    "SCTP",
                    "is not supported by podc: Docker publishes only TCP and UDP ports",
                )],
            },
            Defaulted,
        ),
    ],
};

/// `env[]` (Kubernetes `EnvVar`).
pub static ENV_VAR: ObjectType = ObjectType {
    name: "EnvVar",
    fields: &[
        applied(
            "name",
            Ty::Str,
            Required("add `name:` with the variable's name"),
        ),
        applied("value", Ty::Str, Defaulted),
        f(
            "valueFrom",
            Support::Ignored("is not supported yet by podc: the variable is left unset"),
        ),
    ],
};

/// `livenessProbe`, `readinessProbe`, `startupProbe` (Kubernetes `Probe`).
pub static PROBE: ObjectType = ObjectType {
    name: "Probe",
    fields: &[
        applied("exec", Ty::Object(&EXEC_ACTION), Optional),
        applied("failureThreshold", NON_NEGATIVE_INT32, Optional),
        applied("grpc", Ty::Object(&GRPC_ACTION), Optional),
        applied("httpGet", Ty::Object(&HTTP_GET_ACTION), Optional),
        applied("initialDelaySeconds", NON_NEGATIVE_INT32, Optional),
        applied("periodSeconds", NON_NEGATIVE_INT32, Optional),
        applied("successThreshold", NON_NEGATIVE_INT32, Optional),
        applied("tcpSocket", Ty::Object(&TCP_SOCKET_ACTION), Optional),
        unsupported("terminationGracePeriodSeconds"),
        applied("timeoutSeconds", NON_NEGATIVE_INT32, Optional),
    ],
};

/// A probe's `exec` (Kubernetes `ExecAction`).
pub static EXEC_ACTION: ObjectType = ObjectType {
    name: "ExecAction",
    fields: &[applied(
        "command",
        Ty::StrList,
        Required("add `command:` with the command to run, e.g. `command: [cat, /tmp/healthy]`"),
    )],
};

/// A probe's `httpGet` (Kubernetes `HTTPGetAction`).
pub static HTTP_GET_ACTION: ObjectType = ObjectType {
    name: "HTTPGetAction",
    fields: &[
        applied("host", Ty::Str, Optional),
        applied("httpHeaders", Ty::List(&HTTP_HEADER), Defaulted),
        applied("path", Ty::Str, Optional),
        applied(
            "port",
            Ty::PortRef,
            Required(
                "add `port:` with the port number or the name of one of the container's ports",
            ),
        ),
        applied(
            "scheme",
            Ty::Enum {
                allowed: &["HTTP"],
                refused: &[("HTTPS", "probes are not supported yet")],
            },
            Optional,
        ),
    ],
};

/// `httpGet.httpHeaders[]` (Kubernetes `HTTPHeader`).
pub static HTTP_HEADER: ObjectType = ObjectType {
    name: "HTTPHeader",
    fields: &[
        applied(
            "name",
            Ty::Str,
            Required("add `name:` with the header's name"),
        ),
        applied("value", Ty::Str, Defaulted),
    ],
};

/// A probe's `tcpSocket` (Kubernetes `TCPSocketAction`).
pub static TCP_SOCKET_ACTION: ObjectType = ObjectType {
    name: "TCPSocketAction",
    fields: &[
        applied("host", Ty::Str, Optional),
        applied(
            "port",
            Ty::PortRef,
            Required(
                "add `port:` with the port number or the name of one of the container's ports",
            ),
        ),
    ],
};

/// A probe's `grpc` (Kubernetes `GRPCAction`).
pub static GRPC_ACTION: ObjectType = ObjectType {
    name: "GRPCAction",
    fields: &[
        applied(
            "port",
            ANY_INT,
            Required("add `port:` with the port number of the gRPC health service"),
        ),
        applied("service", Ty::Str, Optional),
    ],
};

/// Workload kinds whose pod template can be copied into a Pod manifest, and where it is.
const TEMPLATE_KINDS: &[(&str, &str)] = &[
    ("Deployment", "spec.template"),
    ("ReplicaSet", "spec.template"),
    ("ReplicationController", "spec.template"),
    ("StatefulSet", "spec.template"),
    ("DaemonSet", "spec.template"),
    ("Job", "spec.template"),
    ("CronJob", "spec.jobTemplate.spec.template"),
    ("PodTemplate", "template"),
];

/// Check a document root. Returns whether it is a Pod podc should look inside (`kind: Pod`,
/// or no kind at all), so the semantic checks can skip documents of other kinds.
pub fn check(root: &Node, out: &mut Findings) -> bool {
    if root.as_map().is_none() {
        out.error(
            root.pos,
            format!(
                "expected a Kubernetes v1 Pod (a mapping with `apiVersion`, `kind`, `metadata` and `spec`), found {}",
                root.describe()
            ),
            None,
        );
        return false;
    }
    check_api_version(root, out);
    let is_pod = check_kind(root, out);
    walk_object(&POD, root, "", is_pod, out);
    is_pod
}

fn check_api_version(root: &Node, out: &mut Findings) {
    let hint = Some("write `apiVersion: v1`".to_string());
    match root.get("apiVersion") {
        None => out.error(
            root.pos,
            "missing `apiVersion`: podc runs `apiVersion: v1` with `kind: Pod`".to_string(),
            Some("add `apiVersion: v1` at the top of the file".to_string()),
        ),
        Some((_, v)) if v.as_str() == Some("v1") => {}
        Some((k, v)) => match v.as_str() {
            Some(other) => out.error(
                v.pos,
                format!(
                    "apiVersion `{}` is not supported: podc runs `apiVersion: v1` with `kind: Pod`",
                    shorten(other)
                ),
                hint,
            ),
            None => out.error(
                at_value(k.pos, v),
                format!("apiVersion must be `v1`, found {}", v.describe()),
                hint,
            ),
        },
    }
}

fn check_kind(root: &Node, out: &mut Findings) -> bool {
    match root.get("kind") {
        None => {
            out.error(
                root.pos,
                "missing `kind`: podc runs `kind: Pod` (apiVersion v1)".to_string(),
                Some("add `kind: Pod` at the top of the file".to_string()),
            );
            true
        }
        Some((_, v)) if v.as_str() == Some("Pod") => true,
        // A misspelt `Pod` is still meant as a Pod: check the rest of it too.
        Some((k, v)) => {
            match v.as_str() {
                Some(other) => {
                    let hint = if other.eq_ignore_ascii_case("pod") {
                        Some("did you mean `Pod`?".to_string())
                    } else {
                        TEMPLATE_KINDS
                            .iter()
                            .find(|(kind, _)| *kind == other)
                            .map(|(kind, path)| {
                                format!(
                                    "a {kind}'s pods are described by its `{path}`: copy that template's `metadata` and `spec` into a file with `apiVersion: v1` and `kind: Pod`"
                                )
                            })
                    };
                    out.error(
                        v.pos,
                        format!(
                            "kind `{}` is not supported: podc runs `kind: Pod` (apiVersion v1)",
                            shorten(other)
                        ),
                        hint,
                    );
                    return other.eq_ignore_ascii_case("pod");
                }
                None => out.error(
                    at_value(k.pos, v),
                    format!("kind must be `Pod`, found {}", v.describe()),
                    Some("write `kind: Pod`".to_string()),
                ),
            }
            false
        }
    }
}

/// Where to point at a value: the value itself, or its key when the value is empty.
fn at_value(key: Pos, value: &Node) -> Pos {
    match &value.kind {
        Kind::Scalar(s) if s.text.is_empty() => key,
        _ => value.pos,
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// A map entry's path: `metadata.labels.app`, or `metadata.labels["app.kubernetes.io/name"]`.
fn join_key(path: &str, key: &str) -> String {
    let simple = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if simple {
        join(path, key)
    } else {
        format!("{path}[{:?}]", shorten(key))
    }
}

fn describe_object(path: &str) -> String {
    if path.is_empty() {
        "at the top level of the Pod".to_string()
    } else {
        format!("in {path}")
    }
}

fn walk_object(obj: &ObjectType, node: &Node, path: &str, into_spec: bool, out: &mut Findings) {
    let Some(entries) = node.as_map() else {
        return;
    };
    // Fields an unknown key was probably meant to be: not reported missing as well.
    let mut meant: Vec<&str> = Vec::new();
    for (key, value) in entries {
        let field_path = join(path, &key.text);
        let Some(field) = obj.fields.iter().find(|f| f.name == key.text) else {
            meant.extend(unknown_field(obj, &key.text, key.pos, path, out));
            continue;
        };
        match &field.support {
            Support::Header => {}
            Support::Unsupported => {
                if !value.is_empty_value() {
                    out.warn(
                        key.pos,
                        format!("`{field_path}` is not supported yet by podc and is ignored"),
                        None,
                    );
                }
            }
            Support::Ignored(why) => {
                if !value.is_empty_value() {
                    out.warn(key.pos, format!("`{field_path}` {why}"), None);
                }
            }
            Support::Applied(ty, presence) => {
                if field.name == "spec" && !into_spec {
                    continue;
                }
                check_field(ty, *presence, key.pos, value, &field_path, out);
            }
        }
    }
    for field in obj.fields {
        if let Support::Applied(_, Presence::Required(hint)) = field.support {
            let absent = node.get(field.name).is_none() && !meant.contains(&field.name);
            if absent && (field.name != "spec" || into_spec) {
                out.error(
                    node.pos,
                    format!("missing required field `{}`", join(path, field.name)),
                    Some(hint.to_string()),
                );
            }
        }
    }
}

/// Report an unknown field; returns the field it probably meant, if any.
fn unknown_field(
    obj: &ObjectType,
    name: &str,
    pos: Pos,
    path: &str,
    out: &mut Findings,
) -> Option<&'static str> {
    let names: Vec<&'static str> = obj.fields.iter().map(|f| f.name).collect();
    let best = closest(name, &names);
    let (message, hint) = if name == "<<" {
        (
            format!(
                "YAML merge keys (`<<`) are not supported {}",
                describe_object(path)
            ),
            "write the fields out in full".to_string(),
        )
    } else {
        let hint = match best {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!(
                "a Kubernetes {} has these fields: {}",
                obj.name,
                names.join(", ")
            ),
        };
        (
            format!(
                "unknown field `{}` {}",
                shorten(name),
                describe_object(path)
            ),
            hint,
        )
    };
    out.error(pos, message, Some(hint));
    best
}

/// Check one applied field's value against its type and presence.
fn check_field(
    ty: &Ty,
    presence: Presence,
    key: Pos,
    value: &Node,
    path: &str,
    out: &mut Findings,
) {
    if value.is_null() {
        let spelled_out = matches!(&value.kind, Kind::Scalar(s) if !s.text.is_empty());
        match presence {
            Presence::Optional => {}
            Presence::Required(hint) => out.error(
                key,
                format!("`{path}` has no value"),
                Some(hint.to_string()),
            ),
            Presence::Defaulted if matches!(ty, Ty::Enum { .. }) => {
                check_value(ty, key, value, path, out)
            }
            Presence::Defaulted if spelled_out => out.error(
                value.pos,
                format!("`{path}` is null"),
                Some(format!("{}, or remove the line", empty_spelling(ty, path))),
            ),
            Presence::Defaulted => {}
        }
        return;
    }
    check_value(ty, key, value, path, out);
}

/// How to write an empty value of a type, for hints.
fn empty_spelling(ty: &Ty, path: &str) -> String {
    let name = path.rsplit('.').next().unwrap_or(path);
    match ty {
        Ty::StrMap | Ty::Object(_) => format!("write `{name}: {{}}` for an empty mapping"),
        Ty::StrList | Ty::List(_) => format!("write `{name}: []` for an empty list"),
        _ => format!("write `{name}: \"\"` for an empty value"),
    }
}

/// `quote it` hint for a plain scalar that YAML read as a non-string.
fn quote_hint(path: &str, value: &Node) -> Option<String> {
    let Kind::Scalar(s) = &value.kind else {
        return None;
    };
    let name = path.rsplit('.').next().unwrap_or(path);
    Some(if name.ends_with(']') {
        format!("quote it: `\"{}\"`", shorten(&s.text))
    } else {
        format!("quote it: `{name}: \"{}\"`", shorten(&s.text))
    })
}

fn check_value(ty: &Ty, key: Pos, value: &Node, path: &str, out: &mut Findings) {
    let pos = at_value(key, value);
    match ty {
        Ty::Str => check_str(value, key, path, out),
        Ty::Int { min, max } => match value.scalar_value() {
            Some(Value::Int(i)) => match i64::try_from(i) {
                Ok(i) if (*min..=*max).contains(&i) => {}
                Ok(i) if i < *min => out.error(
                    pos,
                    format!("`{path}` must be {min} or more, found {i}"),
                    None,
                ),
                Ok(_) => out.error(
                    pos,
                    format!("`{path}` must be {max} or less, found {i}"),
                    None,
                ),
                Err(_) => out.error(pos, format!("`{path}` is too large: {i}"), None),
            },
            Some(Value::Str(s)) => {
                let hint = super::tree::parse_int(s.trim()).map(|_| {
                    let name = path.rsplit('.').next().unwrap_or(path);
                    format!("remove the quotes: `{name}: {}`", s.trim())
                });
                out.error(
                    pos,
                    format!("`{path}` must be an integer, found {}", value.describe()),
                    hint,
                );
            }
            _ => out.error(
                pos,
                format!("`{path}` must be an integer, found {}", value.describe()),
                None,
            ),
        },
        Ty::PortRef => match value.scalar_value() {
            Some(Value::Int(_) | Value::Str(_)) => {}
            _ => out.error(
                pos,
                format!(
                    "`{path}` must be a port number or a port name, found {}",
                    value.describe()
                ),
                None,
            ),
        },
        Ty::Bool => match value.scalar_value() {
            Some(Value::Bool(_)) => {}
            other => {
                let hint = match other {
                    Some(Value::Str(s)) if s == "true" || s == "false" => {
                        Some("remove the quotes".to_string())
                    }
                    _ => Some("write `true` or `false`".to_string()),
                };
                out.error(
                    pos,
                    format!("`{path}` must be true or false, found {}", value.describe()),
                    hint,
                );
            }
        },
        Ty::Enum { allowed, refused } => {
            let found = value.as_str();
            match found {
                Some(s) if allowed.contains(&s) => {}
                Some(s) if refused.iter().any(|(r, _)| *r == s) => {
                    let why = refused.iter().find(|(r, _)| *r == s).map_or("", |(_, w)| w);
                    out.error(
                        pos,
                        format!("`{path}`: {s} {why}"),
                        Some(format!("use {}", allowed.join(" or "))),
                    );
                }
                _ => {
                    let hint = found
                        .and_then(|s| closest(s, allowed))
                        .map(|best| format!("did you mean `{best}`?"));
                    out.error(
                        pos,
                        format!(
                            "`{path}` must be one of {}; found {}",
                            allowed.join(", "),
                            value.describe()
                        ),
                        hint,
                    );
                }
            }
        }
        Ty::StrMap => {
            let Some(entries) = value.as_map() else {
                out.error(
                    pos,
                    format!(
                        "`{path}` must be a mapping of names to strings, found {}",
                        value.describe()
                    ),
                    None,
                );
                return;
            };
            for (k, v) in entries {
                check_field(
                    &Ty::Str,
                    Presence::Defaulted,
                    k.pos,
                    v,
                    &join_key(path, &k.text),
                    out,
                );
            }
        }
        Ty::StrList => {
            let Some(items) = value.as_seq() else {
                out.error(
                    pos,
                    format!(
                        "`{path}` must be a list of strings, found {}",
                        value.describe()
                    ),
                    Some(format!(
                        "write it as a list: `{}: [\"...\", \"...\"]`",
                        path.rsplit('.').next().unwrap_or(path)
                    )),
                );
                return;
            };
            for (i, item) in items.iter().enumerate() {
                let item_path = format!("{path}[{i}]");
                if item.is_null() {
                    out.error(
                        item.pos,
                        format!("`{item_path}` is null"),
                        Some("write `\"\"` for an empty argument, or remove the item".to_string()),
                    );
                } else {
                    check_str(item, item.pos, &item_path, out);
                }
            }
        }
        Ty::Object(obj) => {
            if value.as_map().is_none() {
                out.error(
                    pos,
                    format!("`{path}` must be a mapping, found {}", value.describe()),
                    None,
                );
                return;
            }
            walk_object(obj, value, path, true, out);
        }
        Ty::List(obj) => {
            let Some(items) = value.as_seq() else {
                out.error(
                    pos,
                    format!("`{path}` must be a list, found {}", value.describe()),
                    Some("start each item with `- `".to_string()),
                );
                return;
            };
            if items.is_empty() && path == "spec.containers" {
                out.error(
                    pos,
                    "`spec.containers` is empty: a pod needs at least one container".to_string(),
                    Some("add `- name: ...` and `image: ...` under `containers:`".to_string()),
                );
            }
            for (i, item) in items.iter().enumerate() {
                let item_path = format!("{path}[{i}]");
                if item.as_map().is_none() {
                    out.error(
                        item.pos,
                        format!(
                            "`{item_path}` must be a mapping (a Kubernetes {}), found {}",
                            obj.name,
                            item.describe()
                        ),
                        None,
                    );
                    continue;
                }
                walk_object(obj, item, &item_path, true, out);
            }
        }
    }
}

fn check_str(value: &Node, key: Pos, path: &str, out: &mut Findings) {
    match value.scalar_value() {
        Some(Value::Str(_)) => {}
        Some(Value::Null) => out.error(
            at_value(key, value),
            format!("`{path}` must be a string, found null"),
            Some("write `\"\"` for an empty string".to_string()),
        ),
        Some(_) => out.error(
            value.pos,
            format!("`{path}` must be a string, found {}", value.describe()),
            quote_hint(path, value),
        ),
        None => out.error(
            value.pos,
            format!("`{path}` must be a string, found {}", value.describe()),
            None,
        ),
    }
}

/// The candidate closest to `name`: an exact match ignoring case, `_` and `-` first, then the
/// smallest edit distance (at most 3, and at most a third of the name), then a name that
/// starts with it.
pub fn closest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect()
    };
    let wanted = norm(name);
    if let Some(c) = candidates.iter().find(|c| norm(c) == wanted) {
        return Some(c);
    }
    let len = wanted.chars().count();
    if len > 64 {
        // No field name is this long; spare the quadratic distance table.
        return None;
    }
    let limit = (name.chars().count() / 3).clamp(1, 3);
    let best = candidates
        .iter()
        .map(|c| (edit_distance(&wanted, &norm(c)), *c))
        .min_by_key(|(d, _)| *d);
    if let Some((d, c)) = best {
        if d <= limit {
            return Some(c);
        }
    }
    if len >= 4 {
        let mut starts = candidates.iter().filter(|c| norm(c).starts_with(&wanted));
        if let (Some(c), None) = (starts.next(), starts.next()) {
            return Some(c);
        }
    }
    None
}

/// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two
/// neighbouring characters each cost 1.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // rows[i][j]: distance between the first i chars of a and the first j chars of b.
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = d;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(obj: &ObjectType) -> Vec<&'static str> {
        obj.fields.iter().map(|f| f.name).collect()
    }

    #[test]
    fn field_tables_are_sorted_and_complete() {
        for obj in [
            &OBJECT_META,
            &POD_SPEC,
            &CONTAINER,
            &CONTAINER_PORT,
            &ENV_VAR,
            &PROBE,
            &EXEC_ACTION,
            &HTTP_GET_ACTION,
            &HTTP_HEADER,
            &TCP_SOCKET_ACTION,
            &GRPC_ACTION,
        ] {
            let n = names(obj);
            let mut sorted = n.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(n, sorted, "{} fields sorted and unique", obj.name);
        }
        assert_eq!(POD_SPEC.fields.len(), 41);
        assert_eq!(CONTAINER.fields.len(), 25);
        assert_eq!(OBJECT_META.fields.len(), 15);
        assert_eq!(PROBE.fields.len(), 10);
        assert_eq!(HTTP_GET_ACTION.fields.len(), 5);
    }

    #[test]
    fn edit_distance_counts_swaps_once() {
        assert_eq!(edit_distance("image", "image"), 0);
        assert_eq!(edit_distance("imagee", "image"), 1);
        assert_eq!(edit_distance("imgae", "image"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn closest_prefers_case_insensitive_matches() {
        let port = names(&CONTAINER_PORT);
        assert_eq!(closest("ContainerPort", &port), Some("containerPort"));
        assert_eq!(closest("container_port", &port), Some("containerPort"));
        assert_eq!(closest("hostIp", &port), Some("hostIP"));
        assert_eq!(closest("prot", &port), Some("protocol"));
        let c = names(&CONTAINER);
        assert_eq!(closest("imagee", &c), Some("image"));
        assert_eq!(closest("comand", &c), Some("command"));
        assert_eq!(closest("xyz", &c), None);
        let spec = names(&POD_SPEC);
        assert_eq!(
            closest("terminationGracePeriod", &spec),
            Some("terminationGracePeriodSeconds")
        );
        assert_eq!(closest("contianers", &spec), Some("containers"));
    }
}
