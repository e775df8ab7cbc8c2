//! The located tree built from `saphyr-parser` events: documents, anchors and aliases (with
//! a bound on what aliases may copy), depth limits, and the non-fatal problems on the way
//! (duplicate keys, complex keys, tags).

use super::{shorten, Key, Kind, Node, Pos, Problem, Scalar, Style};
use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};
use std::collections::HashMap;

/// Deepest nesting of mappings and sequences accepted (keeps every later walk shallow).
pub(super) const MAX_DEPTH: usize = 64;
/// Most nodes that aliases may copy into a document (guards against "billion laughs").
pub(super) const MAX_ALIAS_NODES: usize = 100_000;

impl Pos {
    fn from_span(span: &Span) -> Pos {
        Pos {
            line: span.start.line(),
            column: span.start.col() + 1,
        }
    }
}

/// One YAML document of the stream.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Document {
    /// Where the document starts (its `---`, or its first node).
    pub start: Pos,
    pub root: Node,
}

impl Document {
    /// Nothing but comments, `---` or an empty node.
    pub(crate) fn is_empty(&self) -> bool {
        matches!(&self.root.kind, Kind::Scalar(s) if s.text.is_empty() && s.style == Style::Plain && s.tag.is_none())
    }
}

/// The stream's documents plus the non-fatal problems (duplicate keys, complex keys, tags).
#[derive(Debug, Default)]
pub(crate) struct Stream {
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
pub(crate) fn parse(text: &str) -> Result<Stream, Problem> {
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
