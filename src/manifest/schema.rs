//! The walk that checks a located tree against the Kubernetes field tables (`fields.rs`):
//! unknown fields (errors with a "did you mean" hint), Kubernetes fields podc does not apply
//! (warnings), fields podc refuses (errors), and the type of every field podc reads (errors).
//! On the way it records, for `podc check`, what podc does with each field the file sets.
//!
//! Each object podc descends into lists ALL the fields Kubernetes defines for it (as of
//! Kubernetes v1.34), so a valid Kubernetes manifest never gets an "unknown field" error.

use super::fields;
use super::report::Status;
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
    /// podc reads it: its value is type-checked; `report` is its line in `podc check`.
    Read {
        ty: Ty,
        presence: Presence,
        report: Report,
    },
    /// Kubernetes defines it but podc does not apply it yet: a warning, the value is not read.
    Unsupported,
    /// Kubernetes defines it and podc ignores it on purpose: a warning with this reason.
    Ignored(&'static str),
    /// Kubernetes defines it and podc cannot run it: an error. `{path}` and `{name}` in the
    /// message are replaced by the field's path and name.
    Refused {
        message: &'static str,
        hint: &'static str,
    },
    /// `apiVersion` and `kind`: checked by [`check`] itself.
    Header,
}

/// A read field's line in the `podc check` report.
pub enum Report {
    /// No line of its own (`metadata`, `spec`, a volume's name): the fields inside have theirs.
    Silent,
    /// One line for the field and everything inside it that has the same status.
    Whole(Status, &'static str),
    /// One line for the field, and one for each field inside it (`initContainers`).
    Heading(Status, &'static str),
}

/// The type podc expects for a field it reads.
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
    /// A mapping of string to string (labels, annotations, a ConfigMap's data).
    StrMap,
    /// A Secret's `data` / `stringData`: a mapping of string to string whose values are never
    /// shown in a message.
    SecretMap,
    /// A list of strings (command, args).
    StrList,
    /// A list of integers from `min` to `max` (supplementalGroups).
    IntList {
        min: i64,
        max: i64,
    },
    /// A Kubernetes quantity (`500m`, `64Mi`, `1`): a string or a number, parsed by
    /// `validate.rs` with `quantity.rs`.
    Quantity,
    /// A mapping of resource names to quantities (`limits`, `requests`).
    QuantityMap,
    /// A file mode from 0 to 0777: a number, or octal digits with a leading zero (`0644`).
    Mode,
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

/// A field podc reads and maps onto Docker.
pub const fn applied(name: &'static str, ty: Ty, presence: Presence, note: &'static str) -> Field {
    let report = Report::Whole(Status::Applied, note);
    Field {
        name,
        support: Support::Read {
            ty,
            presence,
            report,
        },
    }
}

/// A field podc reads and does itself.
pub const fn emulated(name: &'static str, ty: Ty, presence: Presence, note: &'static str) -> Field {
    let report = Report::Whole(Status::Emulated, note);
    Field {
        name,
        support: Support::Read {
            ty,
            presence,
            report,
        },
    }
}

/// A field podc reads that has no line of its own in the report.
pub const fn read(name: &'static str, ty: Ty, presence: Presence) -> Field {
    Field {
        name,
        support: Support::Read {
            ty,
            presence,
            report: Report::Silent,
        },
    }
}

/// A field with a line of its own and a line for each field inside it.
pub const fn heading(
    name: &'static str,
    ty: Ty,
    presence: Presence,
    status: Status,
    note: &'static str,
) -> Field {
    Field {
        name,
        support: Support::Read {
            ty,
            presence,
            report: Report::Heading(status, note),
        },
    }
}

pub const fn unsupported(name: &'static str) -> Field {
    Field {
        name,
        support: Support::Unsupported,
    }
}

pub const fn ignored(name: &'static str, why: &'static str) -> Field {
    Field {
        name,
        support: Support::Ignored(why),
    }
}

pub const fn refused(name: &'static str, message: &'static str, hint: &'static str) -> Field {
    Field {
        name,
        support: Support::Refused { message, hint },
    }
}

pub const fn header(name: &'static str) -> Field {
    Field {
        name,
        support: Support::Header,
    }
}

/// What `podc check` says about a field Kubernetes defines and podc does not apply yet.
pub const UNSUPPORTED_NOTE: &str = "is not supported yet by podc and is ignored";

// ---------------------------------------------------------------------------------------------
// Documents and their kinds

/// The kinds of document podc reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Pod,
    ConfigMap,
    Secret,
}

impl DocKind {
    pub const ALL: [DocKind; 3] = [DocKind::Pod, DocKind::ConfigMap, DocKind::Secret];

    pub fn name(self) -> &'static str {
        match self {
            DocKind::Pod => "Pod",
            DocKind::ConfigMap => "ConfigMap",
            DocKind::Secret => "Secret",
        }
    }

    fn object(self) -> &'static ObjectType {
        match self {
            DocKind::Pod => &fields::POD,
            DocKind::ConfigMap => &fields::CONFIG_MAP,
            DocKind::Secret => &fields::SECRET,
        }
    }
}

/// What podc reads: said in every "kind is not supported" message.
const READS: &str = "podc runs Pods and the ConfigMaps and Secrets they use";

/// Kinds people put next to a Pod, and exactly what to do with each instead.
const KIND_ADVICE: &[(&str, &str, Option<&str>)] = &[
    (
        "Deployment",
        "for a Deployment, run its spec.template as a Pod",
        Some(TEMPLATE_HINT),
    ),
    (
        "ReplicaSet",
        "for a ReplicaSet, run its spec.template as a Pod",
        Some(TEMPLATE_HINT),
    ),
    (
        "ReplicationController",
        "for a ReplicationController, run its spec.template as a Pod",
        Some(TEMPLATE_HINT),
    ),
    (
        "StatefulSet",
        "for a StatefulSet, run its spec.template as a Pod",
        Some(TEMPLATE_HINT),
    ),
    (
        "DaemonSet",
        "for a DaemonSet, run its spec.template as a Pod",
        Some(TEMPLATE_HINT),
    ),
    (
        "Job",
        "for a Job, run its spec.template as a Pod",
        Some(TEMPLATE_HINT),
    ),
    (
        "CronJob",
        "for a CronJob, run its spec.jobTemplate.spec.template as a Pod",
        Some("copy `spec.jobTemplate.spec.template`'s `metadata` and `spec` into a document with `apiVersion: v1` and `kind: Pod`"),
    ),
    (
        "PodTemplate",
        "for a PodTemplate, run its template as a Pod",
        Some("copy `template`'s `metadata` and `spec` into a document with `apiVersion: v1` and `kind: Pod`"),
    ),
    (
        "Service",
        "for a Service, publish the ports it exposes with `hostPort` in the containers' `ports`, and remove the Service",
        None,
    ),
    (
        "PersistentVolumeClaim",
        "remove the PersistentVolumeClaim: podc keeps a `persistentVolumeClaim` volume in a Docker volume named after its claimName",
        None,
    ),
    (
        "Namespace",
        "remove the Namespace: podc has no namespaces",
        None,
    ),
    (
        "List",
        "put each of its `items` in a document of its own, separated by `---`",
        None,
    ),
];

const TEMPLATE_HINT: &str = "copy `spec.template`'s `metadata` and `spec` into a document with `apiVersion: v1` and `kind: Pod`";

/// Check a document root. Returns its kind when podc reads documents of that kind, so the
/// semantic checks can look inside; None for other kinds and for roots that are no mapping.
pub fn check(root: &Node, out: &mut Findings) -> Option<DocKind> {
    if root.as_map().is_none() {
        out.error(
            root.pos,
            format!(
                "expected a Kubernetes v1 Pod (a mapping with `apiVersion`, `kind`, `metadata` and `spec`), found {}",
                root.describe()
            ),
            None,
        );
        return None;
    }
    let kind = check_kind(root, out)?;
    check_api_version(root, kind, out);
    walk_object(kind.object(), root, "", None, out);
    Some(kind)
}

/// The kind a document declares, when it can be read at all (for `podc check` labels).
pub fn declared_kind(root: &Node) -> Option<&str> {
    root.get("kind").and_then(|(_, v)| v.as_str())
}

fn check_api_version(root: &Node, kind: DocKind, out: &mut Findings) {
    let kind = kind.name();
    let hint = Some("write `apiVersion: v1`".to_string());
    match root.get("apiVersion") {
        None => out.error(
            root.pos,
            format!("missing `apiVersion`: podc runs `apiVersion: v1` with `kind: {kind}`"),
            Some("add `apiVersion: v1` at the top of the document".to_string()),
        ),
        Some((_, v)) if v.as_str() == Some("v1") => {}
        Some((k, v)) => match v.as_str() {
            Some(other) => out.error(
                v.pos,
                format!(
                    "apiVersion `{}` is not supported: podc runs `apiVersion: v1` with `kind: {kind}`",
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

fn check_kind(root: &Node, out: &mut Findings) -> Option<DocKind> {
    let Some((k, v)) = root.get("kind") else {
        out.error(
            root.pos,
            "missing `kind`: podc runs `kind: Pod` (apiVersion v1)".to_string(),
            Some("add `kind: Pod` at the top of the document".to_string()),
        );
        return Some(DocKind::Pod);
    };
    let Some(text) = v.as_str() else {
        out.error(
            at_value(k.pos, v),
            format!("kind must be `Pod`, found {}", v.describe()),
            Some("write `kind: Pod`".to_string()),
        );
        return None;
    };
    if let Some(kind) = DocKind::ALL.into_iter().find(|d| d.name() == text) {
        return Some(kind);
    }
    // A misspelt kind podc reads is still meant as one: check the rest of it too.
    if let Some(kind) = DocKind::ALL
        .into_iter()
        .find(|d| d.name().eq_ignore_ascii_case(text))
    {
        out.error(
            v.pos,
            format!("kind `{}` is not supported: {READS}", shorten(text)),
            Some(format!("did you mean `{}`?", kind.name())),
        );
        return Some(kind);
    }
    let (advice, hint) = KIND_ADVICE
        .iter()
        .find(|(kind, _, _)| *kind == text)
        .map_or(("remove this document from the file", None), |(_, a, h)| {
            (*a, *h)
        });
    out.error(
        v.pos,
        format!(
            "kind `{}` is not supported: {READS}; {advice}",
            shorten(text)
        ),
        hint.map(str::to_string),
    );
    None
}

/// Where to point at a value: the value itself, or its key when the value is empty.
fn at_value(key: Pos, value: &Node) -> Pos {
    match &value.kind {
        Kind::Scalar(s) if s.text.is_empty() => key,
        _ => value.pos,
    }
}

pub fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// A map entry's path: `metadata.labels.app`, or `metadata.labels["app.kubernetes.io/name"]`.
pub fn join_key(path: &str, key: &str) -> String {
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

fn describe_object(obj: &ObjectType, path: &str) -> String {
    if path.is_empty() {
        format!("at the top level of the {}", obj.name)
    } else {
        format!("in {path}")
    }
}

/// Whether a read field's value sets anything worth a line in the report: null, an empty list
/// and an empty mapping do not, except a volume's source (`emptyDir: {}` picks a source).
fn sets_something(parent: &ObjectType, value: &Node) -> bool {
    match &value.kind {
        Kind::Scalar(_) => !value.is_null(),
        Kind::Seq(items) => !items.is_empty(),
        Kind::Map(entries) => !entries.is_empty() || std::ptr::eq(parent, &fields::VOLUME),
    }
}

/// Walk one object. `cover` is the status of the nearest enclosing line that covers the fields
/// inside it: a field with that same status gets no line of its own.
fn walk_object(
    obj: &ObjectType,
    node: &Node,
    path: &str,
    cover: Option<Status>,
    out: &mut Findings,
) {
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
                    out.ignore(
                        key.pos,
                        &field_path,
                        UNSUPPORTED_NOTE,
                        format!("`{field_path}` {UNSUPPORTED_NOTE}"),
                        None,
                    );
                }
            }
            Support::Ignored(why) => {
                if !value.is_empty_value() {
                    out.ignore(
                        key.pos,
                        &field_path,
                        why,
                        format!("`{field_path}` {why}"),
                        None,
                    );
                }
            }
            Support::Refused { message, hint } => {
                if !value.is_null() {
                    out.error(
                        key.pos,
                        message
                            .replace("{path}", &field_path)
                            .replace("{name}", &shorten(&key.text)),
                        Some(hint.to_string()),
                    );
                }
            }
            Support::Read {
                ty,
                presence,
                report,
            } => {
                let inner = match report {
                    Report::Silent => cover,
                    Report::Whole(status, note) | Report::Heading(status, note) => {
                        if cover != Some(*status) && sets_something(obj, value) {
                            out.record(key.pos, &field_path, *status, note);
                        }
                        match report {
                            Report::Whole(..) => Some(*status),
                            _ => None,
                        }
                    }
                };
                check_field(ty, *presence, key.pos, value, &field_path, inner, out);
            }
        }
    }
    for field in obj.fields {
        if let Support::Read {
            presence: Presence::Required(hint),
            ..
        } = field.support
        {
            if node.get(field.name).is_none() && !meant.contains(&field.name) {
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
                describe_object(obj, path)
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
                describe_object(obj, path)
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
    cover: Option<Status>,
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
                check_value(ty, key, value, path, cover, out)
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
    check_value(ty, key, value, path, cover, out);
}

/// How to write an empty value of a type, for hints.
fn empty_spelling(ty: &Ty, path: &str) -> String {
    let name = path.rsplit('.').next().unwrap_or(path);
    match ty {
        Ty::StrMap | Ty::SecretMap | Ty::QuantityMap | Ty::Object(_) => {
            format!("write `{name}: {{}}` for an empty mapping")
        }
        Ty::StrList | Ty::IntList { .. } | Ty::List(_) => {
            format!("write `{name}: []` for an empty list")
        }
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

/// `"Always", "Never"`: enum values for messages, the empty one spelt `""`.
fn enum_list(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| if v.is_empty() { "\"\"" } else { v })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A value's kind without its text, for Secret values.
fn describe_hidden(value: &Node) -> &'static str {
    match &value.kind {
        Kind::Map(_) => "a mapping",
        Kind::Seq(_) => "a list",
        Kind::Scalar(s) => match s.value() {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float => "a number",
            Value::Str(_) => "a string",
        },
    }
}

fn check_value(
    ty: &Ty,
    key: Pos,
    value: &Node,
    path: &str,
    cover: Option<Status>,
    out: &mut Findings,
) {
    let pos = at_value(key, value);
    match ty {
        Ty::Quantity => match value.scalar_value() {
            Some(Value::Str(_) | Value::Int(_) | Value::Float) => {}
            _ => out.error(
                pos,
                format!(
                    "`{path}` must be a quantity such as `500m`, `1.5` or `64Mi`, found {}",
                    value.describe()
                ),
                None,
            ),
        },
        Ty::QuantityMap => {
            let Some(entries) = value.as_map() else {
                out.error(
                    pos,
                    format!(
                        "`{path}` must be a mapping of resource names to quantities, found {}",
                        value.describe()
                    ),
                    Some("e.g. `{cpu: 500m, memory: 64Mi}`".to_string()),
                );
                return;
            };
            for (k, v) in entries {
                check_field(
                    &Ty::Quantity,
                    Presence::Required("write a quantity, e.g. `500m` or `64Mi`"),
                    k.pos,
                    v,
                    &join_key(path, &k.text),
                    cover,
                    out,
                );
            }
        }
        Ty::Mode => {
            let hint = Some(
                "write it in octal with a leading 0, e.g. `0644`, or in decimal, e.g. `420`"
                    .to_string(),
            );
            match value.scalar_value() {
                Some(Value::Int(i)) if (0..=0o777).contains(&i) => {}
                Some(Value::Int(i)) => out.error(
                    pos,
                    format!("`{path}` {i} is not a file mode: it must be from 0 to 0777 (511)"),
                    hint,
                ),
                Some(Value::Str(s)) if super::de::octal_mode(s).is_some_and(|m| m <= 0o777) => {}
                _ => out.error(
                    pos,
                    format!(
                        "`{path}` must be a file mode from 0 to 0777, found {}",
                        value.describe()
                    ),
                    hint,
                ),
            }
        }
        Ty::SecretMap => {
            let Some(entries) = value.as_map() else {
                out.error(
                    pos,
                    format!(
                        "`{path}` must be a mapping of keys to strings, found {}",
                        describe_hidden(value)
                    ),
                    None,
                );
                return;
            };
            for (k, v) in entries {
                let entry = join_key(path, &k.text);
                match v.scalar_value() {
                    Some(Value::Str(_)) => {}
                    Some(Value::Null) if !matches!(&v.kind, Kind::Scalar(s) if !s.text.is_empty()) =>
                        {}
                    _ => out.error(
                        at_value(k.pos, v),
                        format!(
                            "`{entry}` must be a string, found {} (Secret values are never shown)",
                            describe_hidden(v)
                        ),
                        Some("quote the value".to_string()),
                    ),
                }
            }
        }
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
                        Some(format!("use {}", enum_list(allowed).replace(", ", " or "))),
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
                            enum_list(allowed),
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
                    cover,
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
        Ty::IntList { min, max } => {
            let Some(items) = value.as_seq() else {
                out.error(
                    pos,
                    format!(
                        "`{path}` must be a list of integers, found {}",
                        value.describe()
                    ),
                    Some(format!(
                        "write it as a list: `{}: [1000, 2000]`",
                        path.rsplit('.').next().unwrap_or(path)
                    )),
                );
                return;
            };
            let each = Ty::Int {
                min: *min,
                max: *max,
            };
            for (i, item) in items.iter().enumerate() {
                check_value(&each, item.pos, item, &format!("{path}[{i}]"), cover, out);
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
            walk_object(obj, value, path, cover, out);
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
                walk_object(obj, item, &item_path, cover, out);
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
    use super::super::fields::*;
    use super::*;

    fn names(obj: &ObjectType) -> Vec<&'static str> {
        obj.fields.iter().map(|f| f.name).collect()
    }

    #[test]
    fn field_tables_are_sorted_and_complete() {
        for obj in fields::ALL {
            let n = names(obj);
            let mut sorted = n.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(n, sorted, "{} fields sorted and unique", obj.name);
        }
        // Kubernetes v1.34's field counts.
        assert_eq!(POD_SPEC.fields.len(), 41);
        assert_eq!(CONTAINER.fields.len(), 25);
        assert_eq!(OBJECT_META.fields.len(), 15);
        assert_eq!(OBJECT_META_OBJECT.fields.len(), 15);
        assert_eq!(PROBE.fields.len(), 10);
        assert_eq!(HTTP_GET_ACTION.fields.len(), 5);
        assert_eq!(VOLUME.fields.len(), 31);
        assert_eq!(SECURITY_CONTEXT.fields.len(), 12);
        assert_eq!(POD_SECURITY_CONTEXT.fields.len(), 13);
        assert_eq!(ENV_VAR_SOURCE.fields.len(), 5);
        assert_eq!(VOLUME_MOUNT.fields.len(), 7);
        assert_eq!(LIFECYCLE.fields.len(), 3);
        assert_eq!(LIFECYCLE_HANDLER.fields.len(), 4);
    }

    #[test]
    fn every_field_podc_reads_says_what_podc_does_with_it() {
        // A line in `podc check` needs a note; headings only where their fields have lines.
        for obj in fields::ALL {
            for field in obj.fields {
                if let Support::Read {
                    report: Report::Whole(_, note) | Report::Heading(_, note),
                    ..
                } = &field.support
                {
                    assert!(!note.is_empty(), "{}.{}", obj.name, field.name);
                }
            }
        }
        let sources: Vec<&str> = VOLUME
            .fields
            .iter()
            .filter(|f| {
                matches!(
                    f.support,
                    Support::Read {
                        report: Report::Whole(..),
                        ..
                    }
                )
            })
            .map(|f| f.name)
            .collect();
        assert_eq!(sources, fields::SUPPORTED_VOLUME_SOURCES);
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
