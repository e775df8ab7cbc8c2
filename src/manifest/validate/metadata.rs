//! A document's `metadata`: its name, and the syntax of its label and annotation keys and
//! values (with podc's reserved label keys refused on Pods).

use super::super::tree::{shorten, Node};
use super::super::Findings;
use super::at;
use super::names::{dns_subdomain, label_value, qualified_name, sanitize};
use crate::labels::RESERVED_PREFIX;

/// `metadata` of a document: `kind` names it in messages (`pod`, `ConfigMap`); `reserved`
/// refuses podc's own label keys (on Pods, whose labels podc copies onto containers).
pub(super) fn check_metadata(meta: &Node, kind: &str, reserved: bool, out: &mut Findings) {
    if let Some((k, v)) = meta.get("name") {
        if let Some(name) = v.as_str() {
            if let Err(why) = dns_subdomain(name) {
                let fixed = sanitize(name, 253);
                let mut hint = "use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit".to_string();
                if !fixed.is_empty() && fixed != name {
                    hint.push_str(&format!(", e.g. `{fixed}`"));
                }
                out.error(
                    at(k, v),
                    format!(
                        "{kind} name `{}` is not a valid DNS-1123 subdomain: {why}",
                        shorten(name)
                    ),
                    Some(hint),
                );
            }
        }
    }
    for (field, what) in [("labels", "label"), ("annotations", "annotation")] {
        let Some(entries) = meta.get(field).and_then(|(_, v)| v.as_map()) else {
            continue;
        };
        let mut total = 0usize;
        for (k, v) in entries {
            let key = &k.text;
            if reserved && key.starts_with(RESERVED_PREFIX) {
                out.error(
                    k.pos,
                    format!(
                        "{what} key `{}` is reserved: podc uses `{RESERVED_PREFIX}*` keys to track the containers it creates",
                        shorten(key)
                    ),
                    Some(format!("rename the {what}")),
                );
            } else if let Err(why) = qualified_name(key) {
                out.error(
                    k.pos,
                    format!("{what} key `{}` is not valid: {why}", shorten(key)),
                    Some("keys are `name` or `prefix/name`: the name at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit; the prefix a lowercase DNS name".to_string()),
                );
            }
            if let Some(value) = v.as_str() {
                total = total.saturating_add(key.len() + value.len());
                if what == "label" {
                    if let Err(why) = label_value(value) {
                        out.error(
                            at(k, v),
                            format!("label `{}` value `{}` {why}", shorten(key), shorten(value)),
                            Some("label values are at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit; put free text in an annotation".to_string()),
                        );
                    }
                }
            }
        }
        if what == "annotation" && total > 256 * 1024 {
            if let Some((k, _)) = meta.get(field) {
                out.error(
                    k.pos,
                    format!("`metadata.annotations` total {total} bytes; the limit is 262144"),
                    None,
                );
            }
        }
    }
}
