//! A small located YAML tree built from `saphyr-parser` events.
//!
//! serde_yaml gives no source positions for values it parsed successfully, so the schema walk
//! and the semantic checks run on this tree instead: every node and every mapping key keeps the
//! 1-based line and column where it starts.

use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};
use std::collections::HashMap;

/// Deepest nesting of mappings and sequences accepted (keeps every later walk shallow).
pub const MAX_DEPTH: usize = 64;
/// Most nodes that aliases may copy into a document (guards against "billion laughs").
pub const MAX_ALIAS_NODES: usize = 100_000;

/// A place in the file: 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    fn from_span(span: &Span) -> Pos {
        Pos {
            line: span.start.line(),
            column: span.start.col() + 1,
        }
    }
}

/// A mapping key: its text (keys are read as strings, as Kubernetes does) and place.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub text: String,
    pub pos: Pos,
}

/// A YAML node with its place.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: Kind,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Map(Vec<(Key, Node)>),
    Seq(Vec<Node>),
    Scalar(Scalar),
}

/// How a scalar was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Unquoted: resolved by the YAML 1.2 core schema (null, bool, int, float or string).
    Plain,
    /// Quoted or block (`|`, `>`): always a string.
    Quoted,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    pub text: String,
    pub style: Style,
    /// Core-schema tag suffix (`str`, `int`, ...) when the scalar carried one.
    pub tag: Option<String>,
}

/// What a scalar means, resolved the way serde_yaml resolves untagged plain scalars.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Int(i128),
    Float,
    Str(&'a str),
}

impl Scalar {
    pub fn value(&self) -> Value<'_> {
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
pub fn parse_int(text: &str) -> Option<i128> {
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
    pub fn as_map(&self) -> Option<&[(Key, Node)]> {
        match &self.kind {
            Kind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.kind {
            Kind::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn scalar_value(&self) -> Option<Value<'_>> {
        match &self.kind {
            Kind::Scalar(s) => Some(s.value()),
            _ => None,
        }
    }

    /// The text of a node that resolves to a string.
    pub fn as_str(&self) -> Option<&str> {
        match self.scalar_value() {
            Some(Value::Str(s)) => Some(s),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i128> {
        match self.scalar_value() {
            Some(Value::Int(i)) => Some(i),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.scalar_value(), Some(Value::Null))
    }

    /// Null, `{}` or `[]`: a value that sets nothing.
    pub fn is_empty_value(&self) -> bool {
        match &self.kind {
            Kind::Map(entries) => entries.is_empty(),
            Kind::Seq(items) => items.is_empty(),
            Kind::Scalar(_) => self.is_null(),
        }
    }

    /// The first entry of a mapping with this key.
    pub fn get(&self, key: &str) -> Option<(&Key, &Node)> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.text == key)
            .map(|(k, v)| (k, v))
    }

    /// Words for "found ..." in messages: `integer \`8080\``, `a list`, ...
    pub fn describe(&self) -> String {
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
pub fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let cut: String = text.chars().take(MAX).collect();
        format!("{cut}...")
    }
}

/// One YAML document of the stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Where the document starts (its `---`, or its first node).
    pub start: Pos,
    pub root: Node,
}

impl Document {
    /// Nothing but comments, `---` or an empty node.
    pub fn is_empty(&self) -> bool {
        matches!(&self.root.kind, Kind::Scalar(s) if s.text.is_empty() && s.style == Style::Plain && s.tag.is_none())
    }
}

/// A problem found while reading the YAML itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub pos: Pos,
    pub message: String,
    pub hint: Option<String>,
}

/// The stream's documents plus the non-fatal problems (duplicate keys, complex keys, tags).
#[derive(Debug, Default)]
pub struct Stream {
    pub documents: Vec<Document>,
    pub problems: Vec<Problem>,
}

enum Frame {
    Map {
        pos: Pos,
        anchor: usize,
        entries: Vec<(Key, Node)>,
        key: Option<Key>,
    },
    Seq {
        pos: Pos,
        anchor: usize,
        items: Vec<Node>,
    },
}

struct Builder {
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    alias_nodes: usize,
    root: Option<Node>,
    problems: Vec<Problem>,
}

impl Builder {
    fn tag_suffix(
        &mut self,
        tag: Option<&Tag>,
        pos: Pos,
        collection: Option<&str>,
    ) -> Option<String> {
        let tag = tag?;
        let core = tag.is_yaml_core_schema();
        let ok = match collection {
            Some(kind) => core && tag.suffix == kind,
            None => {
                core && matches!(
                    tag.suffix.as_str(),
                    "str" | "int" | "bool" | "null" | "float"
                )
            }
        };
        if !ok {
            self.problems.push(Problem {
                pos,
                message: format!("YAML tag `{tag}` is not supported in a Pod manifest"),
                hint: Some("remove the tag; quote the value if it must be a string".to_string()),
            });
        }
        Some(tag.suffix.clone())
    }

    /// Attach a finished node to the open collection (or make it the document root).
    fn finish(&mut self, node: Node, anchor: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                Some(k) => entries.push((k, node)),
                None => {
                    let text = match &node.kind {
                        Kind::Scalar(s) => s.text.clone(),
                        _ => {
                            self.problems.push(Problem {
                                pos: node.pos,
                                message:
                                    "a mapping key must be a plain name, not a list or a mapping"
                                        .to_string(),
                                hint: None,
                            });
                            String::new()
                        }
                    };
                    *key = Some(Key {
                        text,
                        pos: node.pos,
                    });
                }
            },
        }
    }

    fn open(&mut self, frame: Frame, pos: Pos) -> Result<(), Problem> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(Problem {
                pos,
                message: format!("the YAML nests deeper than {MAX_DEPTH} levels"),
                hint: None,
            });
        }
        self.stack.push(frame);
        Ok(())
    }

    fn close_map(&mut self) {
        if let Some(Frame::Map {
            pos,
            anchor,
            entries,
            ..
        }) = self.stack.pop()
        {
            let mut first: HashMap<&str, Pos> = HashMap::new();
            for (k, _) in &entries {
                if let Some(p) = first.get(k.text.as_str()) {
                    self.problems.push(Problem {
                        pos: k.pos,
                        message: format!(
                            "duplicate key `{}` (first at line {}:{})",
                            shorten(&k.text),
                            p.line,
                            p.column
                        ),
                        hint: Some("remove one of them".to_string()),
                    });
                } else {
                    first.insert(&k.text, k.pos);
                }
            }
            let node = Node {
                kind: Kind::Map(entries),
                pos,
            };
            self.finish(node, anchor);
        }
    }

    fn close_seq(&mut self) {
        if let Some(Frame::Seq { pos, anchor, items }) = self.stack.pop() {
            let node = Node {
                kind: Kind::Seq(items),
                pos,
            };
            self.finish(node, anchor);
        }
    }

    fn alias(&mut self, id: usize, pos: Pos) -> Result<(), Problem> {
        let Some(target) = self.anchors.get(&id) else {
            return Err(Problem {
                pos,
                message: "alias refers to an anchor that is not complete yet".to_string(),
                hint: None,
            });
        };
        self.alias_nodes = self.alias_nodes.saturating_add(target.size());
        if self.alias_nodes > MAX_ALIAS_NODES {
            return Err(Problem {
                pos,
                message: format!("YAML aliases expand to more than {MAX_ALIAS_NODES} nodes"),
                hint: None,
            });
        }
        let mut node = target.clone();
        node.pos = pos;
        self.finish(node, 0);
        Ok(())
    }
}

/// Parse the whole stream into located documents. Err is a YAML syntax error (the first one).
pub fn parse(text: &str) -> Result<Stream, Problem> {
    let mut b = Builder {
        stack: Vec::new(),
        anchors: HashMap::new(),
        alias_nodes: 0,
        root: None,
        problems: Vec::new(),
    };
    let mut documents = Vec::new();
    let mut doc_start = Pos::default();
    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| Problem {
            pos: Pos {
                line: e.marker().line(),
                column: e.marker().col() + 1,
            },
            message: format!("YAML syntax error: {}", e.info()),
            hint: None,
        })?;
        let pos = Pos::from_span(&span);
        match event {
            Event::DocumentStart(_) => {
                doc_start = pos;
                b.stack.clear();
                b.anchors.clear();
                b.root = None;
            }
            Event::DocumentEnd => {
                if let Some(root) = b.root.take() {
                    documents.push(Document {
                        start: doc_start,
                        root,
                    });
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                let tag = b.tag_suffix(tag.as_deref(), pos, None);
                let style = match style {
                    ScalarStyle::Plain => Style::Plain,
                    _ => Style::Quoted,
                };
                let node = Node {
                    kind: Kind::Scalar(Scalar {
                        text: value.into_owned(),
                        style,
                        tag,
                    }),
                    pos,
                };
                b.finish(node, anchor);
            }
            Event::MappingStart(anchor, tag) => {
                b.tag_suffix(tag.as_deref(), pos, Some("map"));
                let frame = Frame::Map {
                    pos,
                    anchor,
                    entries: Vec::new(),
                    key: None,
                };
                b.open(frame, pos)?;
            }
            Event::SequenceStart(anchor, tag) => {
                b.tag_suffix(tag.as_deref(), pos, Some("seq"));
                let frame = Frame::Seq {
                    pos,
                    anchor,
                    items: Vec::new(),
                };
                b.open(frame, pos)?;
            }
            Event::MappingEnd => b.close_map(),
            Event::SequenceEnd => b.close_seq(),
            Event::Alias(id) => b.alias(id, pos)?,
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
    }
    Ok(Stream {
        documents,
        problems: b.problems,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(text: &str) -> Node {
        let mut s = parse(text).unwrap();
        assert!(s.problems.is_empty(), "{:?}", s.problems);
        s.documents.remove(0).root
    }

    #[test]
    fn positions_are_one_based() {
        let n = root("a:\n  b: [1, x]\n");
        let (k, v) = n.get("a").unwrap();
        assert_eq!(k.pos, Pos { line: 1, column: 1 });
        let (k, v) = v.get("b").unwrap();
        assert_eq!(k.pos, Pos { line: 2, column: 3 });
        let items = v.as_seq().unwrap();
        assert_eq!(
            items[1].pos,
            Pos {
                line: 2,
                column: 10
            }
        );
        assert_eq!(items[0].as_int(), Some(1));
        assert_eq!(items[1].as_str(), Some("x"));
    }

    #[test]
    fn core_schema_resolution_matches_serde_yaml() {
        for (text, expect) in [
            ("", Value::Null),
            ("~", Value::Null),
            ("NULL", Value::Null),
            ("True", Value::Bool(true)),
            ("yes", Value::Str("yes")),
            ("8080", Value::Int(8080)),
            ("+80", Value::Int(80)),
            ("-0x10", Value::Int(-16)),
            ("0o17", Value::Int(15)),
            ("0b11", Value::Int(3)),
            ("0123", Value::Str("0123")),
            ("++1", Value::Str("++1")),
            ("0x+1", Value::Str("0x+1")),
            ("1.5", Value::Float),
            ("1e3", Value::Float),
            (".inf", Value::Float),
            ("inf", Value::Str("inf")),
            ("nan", Value::Str("nan")),
            ("127.0.0.1", Value::Str("127.0.0.1")),
        ] {
            let s = Scalar {
                text: text.to_string(),
                style: Style::Plain,
                tag: None,
            };
            assert_eq!(s.value(), expect, "{text}");
            // serde_yaml must read the same plain scalar the same way.
            let v: serde_yaml::Value = serde_yaml::from_str(&format!("k: {text}\n")).unwrap();
            let v = &v["k"];
            let same = match expect {
                Value::Null => v.is_null(),
                Value::Bool(b) => v.as_bool() == Some(b),
                Value::Int(i) => v.as_i64().map(i128::from) == Some(i),
                Value::Float => v.is_f64(),
                Value::Str(t) => v.as_str() == Some(t),
            };
            assert!(same, "serde_yaml reads `{text}` as {v:?}");
        }
    }

    #[test]
    fn quoted_and_tagged_scalars_are_strings() {
        let n = root("a: \"80\"\nb: !!str 80\nc: |\n  x\n");
        assert_eq!(n.get("a").unwrap().1.as_str(), Some("80"));
        assert_eq!(n.get("b").unwrap().1.as_str(), Some("80"));
        assert_eq!(n.get("c").unwrap().1.as_str(), Some("x\n"));
    }

    #[test]
    fn aliases_copy_the_anchored_node() {
        let n = root("a: &x {k: v}\nb: *x\n");
        let (_, b) = n.get("b").unwrap();
        assert_eq!(b.get("k").unwrap().1.as_str(), Some("v"));
        assert_eq!(b.pos, Pos { line: 2, column: 4 });
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("aliases expand"), "{}", err.message);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = "[".repeat(10_000);
        assert!(parse(&text).is_err());
        let text = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("nests deeper"), "{}", err.message);
    }

    #[test]
    fn duplicate_keys_are_problems() {
        let s = parse("a: 1\nb: 2\na: 3\n").unwrap();
        assert_eq!(s.problems.len(), 1);
        assert_eq!(s.problems[0].pos, Pos { line: 3, column: 1 });
        assert_eq!(
            s.problems[0].message,
            "duplicate key `a` (first at line 1:1)"
        );
    }

    #[test]
    fn documents_are_counted() {
        let s = parse("a: 1\n---\nb: 2\n---\n").unwrap();
        assert_eq!(s.documents.len(), 3);
        assert!(!s.documents[1].is_empty());
        assert_eq!(s.documents[1].start, Pos { line: 2, column: 1 });
        assert!(s.documents[2].is_empty());
        assert!(parse("# only a comment\n").unwrap().documents.is_empty());
    }
}
