//! The ConfigMap and Secret documents: their names, their keys, and a Secret's base64. No
//! message here ever shows a Secret's value.

use super::super::decode_base64;
use super::super::schema::{join_key, DocKind};
use super::super::tree::{shorten, Node};
use super::super::Findings;
use super::metadata::check_metadata;
use super::names::show_char;

/// Run the checks of a ConfigMap or Secret document.
pub(crate) fn validate_object(root: &Node, kind: DocKind, out: &mut Findings) {
    if let Some((_, meta)) = root.get("metadata") {
        check_metadata(meta, kind.name(), false, out);
    }
    let name = root
        .get("metadata")
        .and_then(|(_, m)| m.get("name"))
        .and_then(|(_, v)| v.as_str())
        .map_or_else(
            || kind.name().to_string(),
            |n| format!("{} `{}`", kind.name(), shorten(n)),
        );
    let maps: &[&str] = match kind {
        DocKind::ConfigMap => &["data", "binaryData"],
        _ => &["data", "stringData"],
    };
    for field in maps {
        let Some(entries) = root.get(field).and_then(|(_, v)| v.as_map()) else {
            continue;
        };
        for (k, v) in entries {
            let path = join_key(field, &k.text);
            if let Err(why) = config_key(&k.text) {
                out.error(
                    k.pos,
                    format!("key `{}` of {name} is not valid: {why}", shorten(&k.text)),
                    Some(
                        "keys are letters, digits, '-', '_' and '.', e.g. `app.properties`"
                            .to_string(),
                    ),
                );
            }
            let in_data_too = || root.get("data").and_then(|(_, d)| d.get(&k.text)).is_some();
            if kind == DocKind::ConfigMap && *field == "binaryData" && in_data_too() {
                out.error(
                    k.pos,
                    format!(
                        "key `{}` of {name} is in both `data` and `binaryData`",
                        shorten(&k.text)
                    ),
                    Some("keep it in one of them".to_string()),
                );
            }
            let base64_hint = match (kind, *field) {
                (DocKind::Secret, "data") => Some("encode the value with `printf %s 'VALUE' | base64 -w0`, or put the plain value under `stringData`"),
                (DocKind::ConfigMap, "binaryData") => Some("encode the file with `base64 -w0 FILE`"),
                _ => None,
            };
            if let (Some(hint), Some(text)) = (base64_hint, v.as_str()) {
                if let Err(why) = decode_base64(text) {
                    out.error(
                        v.pos,
                        format!("`{path}` of {name} is not valid base64: {why}"),
                        Some(hint.to_string()),
                    );
                }
            }
        }
    }
}

/// Why `key` is not a ConfigMap or Secret key (Kubernetes: `[-._a-zA-Z0-9]+`, at most 253
/// characters, not `.` or `..` or starting with `..`).
fn config_key(key: &str) -> Result<(), String> {
    if key.is_empty() {
        return Err("it is empty".to_string());
    }
    let len = key.chars().count();
    if len > 253 {
        return Err(format!("it is {len} characters long, the limit is 253"));
    }
    if let Some(c) = key
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(format!("it contains {}", show_char(c)));
    }
    if key == "." || key.starts_with("..") {
        return Err("it may not be `.` or start with `..`".to_string());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_keys() {
        assert!(config_key("app.properties").is_ok());
        assert!(config_key("LOG_LEVEL").is_ok());
        assert!(config_key(".hidden").is_ok());
        assert_eq!(config_key("a b").unwrap_err(), "it contains a space");
        assert_eq!(config_key("a/b").unwrap_err(), "it contains `/`");
        assert!(config_key("..x").is_err());
        assert!(config_key(".").is_err());
        assert!(config_key("").is_err());
    }
}
