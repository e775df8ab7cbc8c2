//! The walk over one object of the tree against its field table: unknown fields (with a "did
//! you mean"), fields podc does not apply, ignores or refuses, missing required fields, and
//! the `podc check` line of each field it reads; it descends into the objects inside a value.

use super::super::report::Status;
use super::super::tree::{shorten, Kind, Node, Pos};
use super::super::Findings;
use super::fields;
use super::join;
use super::suggest::closest;
use super::value::check_field;
use super::vocabulary::{ObjectType, Presence, Report, Support, UNSUPPORTED_NOTE};

/// Where an object is, for messages: its path, or the top level of the document.
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
pub(super) fn walk_object(
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
                let mut nested = Vec::new();
                check_field(ty, *presence, key.pos, value, &field_path, &mut nested, out);
                for inside in nested {
                    walk_object(inside.obj, inside.node, &inside.path, inner, out);
                }
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
