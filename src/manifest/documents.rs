//! The checks on a file's documents, in order: parse into a located tree, the schema walk on
//! each document, the semantic checks on each Pod, ConfigMap and Secret, and the checks across
//! documents (unique names, host ports, references).

use super::findings::Findings;
use super::schema::{self, DocKind};
use super::tree::{self, Node, Pos, Problem};
use super::{refs, validate};

/// One non-empty document of the file, checked.
pub(super) struct Doc {
    pub(super) root: Node,
    pub(super) start: Pos,
    /// The kind podc reads it as; None for other kinds and roots that are no mapping.
    pub(super) kind: Option<DocKind>,
}

/// A checked file.
pub(super) struct Checked {
    pub(super) docs: Vec<Doc>,
    pub(super) found: Findings,
}

/// Parse and check the documents; Err is a YAML syntax error or an empty file. With `single`,
/// only the first document is checked and a second one is an error (the single-Pod API).
pub(super) fn check_documents(file: &str, text: &str, single: bool) -> Result<Checked, Problem> {
    // A byte-order mark (Windows editors write one) is not content; libyaml would read it as such.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // serde_yaml has no spans, so the checks run on a located tree from saphyr-parser's events.
    let stream = tree::parse(text)?;
    let mut found = Findings {
        errors: stream.problems,
        ..Findings::default()
    };
    let mut roots: Vec<(Node, Pos)> = stream
        .documents
        .into_iter()
        .filter(|d| !d.is_empty())
        .map(|d| (d.root, d.start))
        .collect();
    if roots.is_empty() {
        return Err(Problem {
            pos: Pos { line: 1, column: 1 },
            message: format!("{file} is empty: expected a Kubernetes v1 Pod"),
            hint: None,
        });
    }
    let several = roots.len() > 1;
    if single && several {
        found.error(
            roots[1].1,
            "multiple documents are not supported yet; put one Pod per file".to_string(),
            None,
        );
        roots.truncate(1);
    }
    let mut docs = Vec::new();
    for (i, (root, start)) in roots.into_iter().enumerate() {
        found.doc = i;
        let kind = schema::check(&root, &mut found);
        docs.push(Doc { root, start, kind });
    }
    let mut claims = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        found.doc = i;
        match doc.kind {
            Some(DocKind::Pod) => {
                let ports = validate::validate_pod(&doc.root, &mut found);
                let name = refs::doc_name(&doc.root).map_or("", |(n, _)| n);
                claims.push((name, ports));
            }
            Some(kind) => validate::validate_object(&doc.root, kind, &mut found),
            None => {}
        }
    }
    let known: Vec<(DocKind, &Node)> = docs
        .iter()
        .filter_map(|d| Some((d.kind?, &d.root)))
        .collect();
    refs::check_unique_names(&known, &mut found);
    refs::check_host_ports(&claims, &mut found);
    let objects = refs::objects(&known);
    for (kind, root) in &known {
        if *kind == DocKind::Pod {
            refs::check_references(root, &objects, &mut found);
        }
    }
    // Said only when it is the whole story: not next to an unsupported kind, nor to the
    // single-Pod API's refusal of a second document.
    let every_kind_known = docs.iter().all(|d| d.kind.is_some());
    let refused_several = single && several;
    if every_kind_known && !refused_several && !known.iter().any(|(k, _)| *k == DocKind::Pod) {
        found.error(
            docs[0].start,
            format!("{file} has no Pod: podc runs the Pods of a file, with the ConfigMaps and Secrets they use"),
            Some("add a document with `apiVersion: v1`, `kind: Pod`, `metadata` and `spec`".to_string()),
        );
    }
    Ok(Checked { docs, found })
}

/// `pod/blog`, `configmap/app-config`; `pod (document 2)` without a readable name.
pub(super) fn document_label(doc: &Doc, index: usize) -> String {
    let kind = match doc.kind {
        Some(kind) => kind.name().to_lowercase(),
        None => match schema::declared_kind(&doc.root) {
            Some(k) if !k.is_empty() && k.len() <= 60 => k.to_lowercase(),
            _ => "document".to_string(),
        },
    };
    match refs::doc_name(&doc.root) {
        Some((name, _)) if !name.is_empty() => format!("{kind}/{}", tree::shorten(name)),
        _ => format!("{kind} (document {})", index + 1),
    }
}
