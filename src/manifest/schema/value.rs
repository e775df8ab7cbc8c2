//! One field's value against the type podc expects (`Ty`) and how it may be left out
//! (`Presence`): strings, integers in range, enums, maps, lists, quantities, file modes, and
//! the objects inside, which it hands back for the walk (`walk.rs`) to descend into, so the
//! recursion lives in the walk alone. A Secret's values are never shown.

use super::super::tree::{shorten, Kind, Node, Pos, Value};
use super::super::Findings;
use super::suggest::closest;
use super::vocabulary::{ObjectType, Presence, Ty};
use super::{at_value, join_key};

/// An object found inside a checked value (a mapping, or a list's item), for the walk.
pub(super) struct Nested<'a> {
    pub obj: &'static ObjectType,
    pub node: &'a Node,
    pub path: String,
}

/// Check one applied field's value against its type and presence; the objects inside it go
/// to `nested`, in file order.
pub(super) fn check_field<'a>(
    ty: &Ty,
    presence: Presence,
    key: Pos,
    value: &'a Node,
    path: &str,
    nested: &mut Vec<Nested<'a>>,
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
                check_value(ty, key, value, path, nested, out)
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
    check_value(ty, key, value, path, nested, out);
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

/// Check a value that is there (not null) against its type.
fn check_value<'a>(
    ty: &Ty,
    key: Pos,
    value: &'a Node,
    path: &str,
    nested: &mut Vec<Nested<'a>>,
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
                    nested,
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
                Some(Value::Str(s))
                    if super::super::de::octal_mode(s).is_some_and(|m| m <= 0o777) => {}
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
                let hint = super::super::tree::parse_int(s.trim()).map(|_| {
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
                    nested,
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
                check_value(&each, item.pos, item, &format!("{path}[{i}]"), nested, out);
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
            nested.push(Nested {
                obj,
                node: value,
                path: path.to_string(),
            });
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
                nested.push(Nested {
                    obj,
                    node: item,
                    path: item_path,
                });
            }
        }
    }
}

/// A string: not null, and not a scalar YAML reads as something else.
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
