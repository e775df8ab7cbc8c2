//! Name syntax Kubernetes and Docker accept: DNS-1123 labels and subdomains, qualified names
//! (label and annotation keys), label values, IANA service names (port names) and HTTP header
//! names; each check says why a name is refused, and `label_hint` suggests a fixed one.

use super::super::tree::shorten;

fn is_lower_alnum(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// Why `s` is not a DNS-1123 label (lowercase alphanumerics and '-', alphanumeric at both
/// ends, at most 63 characters), if it is not.
pub(super) fn dns_label(s: &str) -> Result<(), String> {
    dns_part(s, 63)
}

fn dns_part(s: &str, max: usize) -> Result<(), String> {
    if s.is_empty() {
        return Err("it is empty".to_string());
    }
    let len = s.chars().count();
    if len > max {
        return Err(format!("it is {len} characters long, the limit is {max}"));
    }
    if let Some(c) = s.chars().find(|c| !is_lower_alnum(*c) && *c != '-') {
        return Err(if c.is_ascii_uppercase() {
            "it contains uppercase letters".to_string()
        } else {
            format!("it contains {}", show_char(c))
        });
    }
    if s.starts_with('-') || s.ends_with('-') {
        return Err("it must start and end with a lowercase letter or digit".to_string());
    }
    Ok(())
}

/// Why `s` is not a DNS-1123 subdomain (dot-separated labels, at most 253 characters).
pub fn dns_subdomain(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("it is empty".to_string());
    }
    let len = s.chars().count();
    if len > 253 {
        return Err(format!("it is {len} characters long, the limit is 253"));
    }
    for part in s.split('.') {
        if part.is_empty() {
            return Err("it has an empty part between dots (or a dot at an end)".to_string());
        }
        dns_part(part, 253)?;
    }
    Ok(())
}

/// A character for messages: spaces and control characters by name.
pub(super) fn show_char(c: char) -> String {
    if c == ' ' {
        "a space".to_string()
    } else if c.is_control() {
        format!("the control character {:?}", c)
    } else {
        format!("`{c}`")
    }
}

/// A lowercase, dash-separated version of `s` to suggest.
pub(super) fn sanitize(s: &str, max: usize) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        if is_lower_alnum(c) {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let cut: String = out.trim_matches('-').chars().take(max).collect();
    cut.trim_end_matches('-').to_string()
}

/// The rule for a DNS-1123 label, with a fixed version of `s` when there is one.
pub(super) fn label_hint(s: &str) -> String {
    let rule = "use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit";
    match sanitize(s, 63) {
        fixed if !fixed.is_empty() && fixed != s => format!("{rule}, e.g. `{fixed}`"),
        _ => rule.to_string(),
    }
}

/// Why `s` is not a Kubernetes qualified name (label and annotation keys):
/// `[prefix/]name`, the prefix a DNS subdomain, the name at most 63 of `[A-Za-z0-9_.-]`
/// with alphanumerics at both ends.
pub(super) fn qualified_name(s: &str) -> Result<(), String> {
    let (prefix, name) = match s.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, s),
    };
    if let Some(p) = prefix {
        dns_subdomain(p)
            .map_err(|why| format!("its prefix `{}` is not a DNS subdomain: {why}", shorten(p)))?;
    }
    if name.is_empty() {
        return Err("its name part is empty".to_string());
    }
    if name.contains('/') {
        return Err("it has more than one `/`".to_string());
    }
    label_value(name).map_err(|why| format!("its name part {why}"))
}

/// Why `s` is not a valid label value: empty, or at most 63 of `[A-Za-z0-9_.-]` with
/// alphanumerics at both ends.
pub(super) fn label_value(s: &str) -> Result<(), String> {
    let len = s.chars().count();
    if len > 63 {
        return Err(format!("is {len} characters long, the limit is 63"));
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(format!("contains {}", show_char(c)));
    }
    let edge_ok = |c: Option<char>| c.is_none_or(|c| c.is_ascii_alphanumeric());
    if !edge_ok(s.chars().next()) || !edge_ok(s.chars().last()) {
        return Err("must start and end with a letter or digit".to_string());
    }
    Ok(())
}

/// Why `s` is not an IANA service name (port names): at most 15 lowercase alphanumerics and
/// '-', at least one letter, no '-' at either end or twice in a row.
pub(super) fn iana_svc_name(s: &str) -> Result<(), String> {
    let len = s.chars().count();
    if len == 0 {
        return Err("it is empty".to_string());
    }
    if len > 15 {
        return Err(format!("it is {len} characters long, the limit is 15"));
    }
    if let Some(c) = s.chars().find(|c| !is_lower_alnum(*c) && *c != '-') {
        return Err(if c.is_ascii_uppercase() {
            "it contains uppercase letters".to_string()
        } else {
            format!("it contains {}", show_char(c))
        });
    }
    if !s.chars().any(|c| c.is_ascii_lowercase()) {
        return Err("it must contain at least one letter".to_string());
    }
    if s.starts_with('-') || s.ends_with('-') || s.contains("--") {
        return Err("it may not start or end with '-' or have two '-' in a row".to_string());
    }
    Ok(())
}

/// Why `s` is not an HTTP header name as Kubernetes accepts it (`[-A-Za-z0-9]+`).
pub(super) fn http_header_name(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("it is empty".to_string());
    }
    match s.chars().find(|c| !c.is_ascii_alphanumeric() && *c != '-') {
        Some(c) => Err(format!("it contains {}", show_char(c))),
        None => Ok(()),
    }
}
