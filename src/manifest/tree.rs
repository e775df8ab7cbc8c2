//! A small located YAML tree: nodes and mapping keys with their places, and scalars resolved
//! as serde_yaml resolves them. `parse.rs` builds it from `saphyr-parser` events.
//!
//! serde_yaml gives no source positions for values it parsed successfully, so the schema walk
//! and the semantic checks run on this tree instead: every node and every mapping key keeps the
//! 1-based line and column where it starts.

mod parse;

#[cfg(test)]
mod tests;

pub(super) use parse::parse;

/// A place in the file: 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub(super) struct Pos {
    pub line: usize,
    pub column: usize,
}

/// A mapping key: its text (keys are read as strings, as Kubernetes does) and place.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Key {
    pub text: String,
    pub pos: Pos,
}

/// A YAML node with its place.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Node {
    pub kind: Kind,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Kind {
    Map(Vec<(Key, Node)>),
    Seq(Vec<Node>),
    Scalar(Scalar),
}

/// How a scalar was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Style {
    /// Unquoted: resolved by the YAML 1.2 core schema (null, bool, int, float or string).
    Plain,
    /// Quoted or block (`|`, `>`): always a string.
    Quoted,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Scalar {
    pub text: String,
    pub style: Style,
    /// Core-schema tag suffix (`str`, `int`, ...) when the scalar carried one.
    pub tag: Option<String>,
}

/// What a scalar means, resolved the way serde_yaml resolves untagged plain scalars.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value<'a> {
    Null,
    Bool(bool),
    Int(i128),
    Float,
    Str(&'a str),
}

impl Scalar {
    pub(super) fn value(&self) -> Value<'_> {
        match self.tag.as_deref() {
            Some("str") => return Value::Str(&self.text),
            Some("null") => return Value::Null,
            Some("bool") => {
                return resolve_bool(&self.text).map_or(Value::Str(&self.text), Value::Bool)
            }
            Some("int") => return parse_int(&self.text).map_or(Value::Str(&self.text), Value::Int),
            Some("float") => return Value::Float,
            _ => {}
        }
        if self.style == Style::Quoted {
            return Value::Str(&self.text);
        }
        resolve_plain(&self.text)
    }
}

fn resolve_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

/// `0123`, `-007`: YAML 1.2 reads digits with a leading zero as a string, not a number.
fn leading_zero_digits(text: &str) -> bool {
    let t = text.strip_prefix(['+', '-']).unwrap_or(text);
    t.len() > 1 && t.starts_with('0') && t.bytes().all(|b| b.is_ascii_digit())
}

/// Integers as the core schema (and serde_yaml) read them: decimal, `0x`, `0o`, `0b`, one sign.
pub(super) fn parse_int(text: &str) -> Option<i128> {
    let (negative, rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest.starts_with(['+', '-']) || leading_zero_digits(text) {
        return None;
    }
    let (radix, digits) = if let Some(d) = rest.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = rest.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = rest.strip_prefix("0b") {
        (2, d)
    } else {
        (10, rest)
    };
    if digits.is_empty() || digits.starts_with(['+', '-']) {
        return None;
    }
    let magnitude = i128::from_str_radix(digits, radix).ok()?;
    Some(if negative { -magnitude } else { magnitude })
}

fn is_float(text: &str) -> bool {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(text, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    if unsigned.starts_with(['+', '-']) || leading_zero_digits(text) {
        return false;
    }
    unsigned.parse::<f64>().is_ok_and(f64::is_finite)
}

fn resolve_plain(text: &str) -> Value<'_> {
    if is_null(text) {
        Value::Null
    } else if let Some(b) = resolve_bool(text) {
        Value::Bool(b)
    } else if let Some(i) = parse_int(text) {
        Value::Int(i)
    } else if is_float(text) {
        Value::Float
    } else {
        Value::Str(text)
    }
}

impl Node {
    pub(super) fn as_map(&self) -> Option<&[(Key, Node)]> {
        match &self.kind {
            Kind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub(super) fn as_seq(&self) -> Option<&[Node]> {
        match &self.kind {
            Kind::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub(super) fn scalar_value(&self) -> Option<Value<'_>> {
        match &self.kind {
            Kind::Scalar(s) => Some(s.value()),
            _ => None,
        }
    }

    /// The text of a node that resolves to a string.
    pub(super) fn as_str(&self) -> Option<&str> {
        match self.scalar_value() {
            Some(Value::Str(s)) => Some(s),
            _ => None,
        }
    }

    pub(super) fn as_int(&self) -> Option<i128> {
        match self.scalar_value() {
            Some(Value::Int(i)) => Some(i),
            _ => None,
        }
    }

    pub(super) fn is_null(&self) -> bool {
        matches!(self.scalar_value(), Some(Value::Null))
    }

    /// Null, `{}` or `[]`: a value that sets nothing.
    pub(super) fn is_empty_value(&self) -> bool {
        match &self.kind {
            Kind::Map(entries) => entries.is_empty(),
            Kind::Seq(items) => items.is_empty(),
            Kind::Scalar(_) => self.is_null(),
        }
    }

    /// The first entry of a mapping with this key.
    pub(super) fn get(&self, key: &str) -> Option<(&Key, &Node)> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.text == key)
            .map(|(k, v)| (k, v))
    }

    /// Words for "found ..." in messages: `integer \`8080\``, `a list`, ...
    pub(super) fn describe(&self) -> String {
        match &self.kind {
            Kind::Map(_) => "a mapping".to_string(),
            Kind::Seq(_) => "a list".to_string(),
            Kind::Scalar(s) => match s.value() {
                Value::Null => "null".to_string(),
                Value::Bool(_) => format!("boolean `{}`", s.text),
                Value::Int(_) => format!("integer `{}`", s.text),
                Value::Float => format!("number `{}`", s.text),
                Value::Str(t) => format!("string \"{}\"", shorten(t)),
            },
        }
    }

    fn size(&self) -> usize {
        match &self.kind {
            Kind::Map(entries) => 1 + entries.iter().map(|(_, v)| 1 + v.size()).sum::<usize>(),
            Kind::Seq(items) => 1 + items.iter().map(Node::size).sum::<usize>(),
            Kind::Scalar(_) => 1,
        }
    }
}

/// Cut long text for messages.
pub(super) fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let cut: String = text.chars().take(MAX).collect();
        format!("{cut}...")
    }
}

/// A problem found while reading the YAML itself.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Problem {
    pub pos: Pos,
    pub message: String,
    pub hint: Option<String>,
}
