//! The manifest step of the pipeline: YAML text -> located schema check -> typed objects.
//!
//! A file holds one or more documents separated by `---`: Pods, and the ConfigMaps and
//! Secrets they use. [`load_manifest_str`] parses the text into a located tree (`tree.rs`),
//! walks each document against the Kubernetes field tables (`schema.rs`, `schema/fields.rs`), runs
//! the semantic checks (`validate.rs`) and the checks across documents (`refs.rs`) and, only
//! when nothing is wrong, deserializes the typed [`Pod`]s, [`ConfigMap`]s and [`Secret`]s with
//! serde_yaml. Every problem is reported at once, each with its file, line and column.
//! [`check_str`] runs the same checks and reports, field by field, what podc does with the
//! file (`podc check`).
//!
//! [`load_str`] / [`load_file`] are the single-Pod entry points: exactly one Pod document
//! (a second document is refused, as before multi-document files existed).
pub mod lifecycle;
pub mod model;
pub mod objects;
pub mod quantity;
pub mod report;
pub mod settings;
pub mod volumes;
pub use lifecycle::*;
pub use model::*;
pub use objects::*;
pub use report::{DocumentInfo, FieldLine, Report, Status};
pub use settings::*;
pub use volumes::*;

mod de;
mod refs;
mod schema;
mod tree;
mod validate;

/// Pod names are DNS-1123 subdomains; `podc down NAME` checks a name the same way.
pub use validate::dns_subdomain;

use schema::DocKind;
use serde::Deserialize;
use std::fmt;
use std::path::Path;
use tree::{Node, Pos, Problem};

/// A manifest problem or warning with its place in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based; 0 when the problem is about the whole file (it could not be read).
    pub line: usize,
    /// 1-based; 0 when the problem is about the whole file.
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)?;
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// A manifest that passed every check, and the warnings about what podc ignores in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub pod: Pod,
    pub warnings: Vec<Diagnostic>,
}

/// Every error found in a manifest, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestError {
    pub file: String,
    pub errors: Vec<Diagnostic>,
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in &self.errors {
            writeln!(f, "{e}")?;
        }
        let n = self.errors.len();
        let noun = if n == 1 { "error" } else { "errors" };
        write!(f, "{n} {noun} in {}", self.file)
    }
}

impl std::error::Error for ManifestError {}

/// Every Pod, ConfigMap and Secret of a file that passed every check, and the warnings about
/// what podc ignores in it or what it exposes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Manifest {
    /// In file order.
    pub pods: Vec<Pod>,
    pub config_maps: Vec<ConfigMap>,
    pub secrets: Vec<Secret>,
    pub warnings: Vec<Diagnostic>,
}

impl Manifest {
    /// The ConfigMap of this name.
    pub fn config_map(&self, name: &str) -> Option<&ConfigMap> {
        self.config_maps.iter().find(|c| c.metadata.name == name)
    }

    /// The Secret of this name.
    pub fn secret(&self, name: &str) -> Option<&Secret> {
        self.secrets.iter().find(|s| s.metadata.name == name)
    }
}

/// A field the schema walk or a check said something about, for `podc check`.
#[derive(Debug)]
pub(crate) struct FieldEntry {
    pub doc: usize,
    pub pos: Pos,
    pub path: String,
    pub status: Status,
    pub note: String,
}

/// Errors and warnings collected by the checks, before they get a file name, and what podc
/// does with each field.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    pub errors: Vec<Problem>,
    /// Every warning.
    pub warnings: Vec<Problem>,
    /// The warnings that are not about an ignored field (risks, duplicates).
    pub notes: Vec<Problem>,
    pub fields: Vec<FieldEntry>,
    /// The document being checked (its index among the file's non-empty documents).
    pub doc: usize,
}

impl Findings {
    pub fn error(&mut self, pos: Pos, message: String, hint: Option<String>) {
        self.errors.push(Problem { pos, message, hint });
    }

    pub fn warn(&mut self, pos: Pos, message: String, hint: Option<String>) {
        let problem = Problem { pos, message, hint };
        self.notes.push(problem.clone());
        self.warnings.push(problem);
    }

    /// A field podc ignores: a warning, and an `ignored` line in the report.
    pub fn ignore(
        &mut self,
        pos: Pos,
        path: &str,
        note: &str,
        message: String,
        hint: Option<String>,
    ) {
        self.warnings.push(Problem { pos, message, hint });
        // "is ignored: podc has no namespaces" -> "podc has no namespaces"; "is not supported
        // yet by podc and is ignored" -> "not supported yet by podc".
        let note = note
            .strip_prefix("is ignored: ")
            .or_else(|| note.strip_prefix("is "))
            .unwrap_or(note);
        let note = note.strip_suffix(" and is ignored").unwrap_or(note);
        self.record(pos, path, Status::Ignored, note);
    }

    /// A line of the report.
    pub fn record(&mut self, pos: Pos, path: &str, status: Status, note: &str) {
        self.fields.push(FieldEntry {
            doc: self.doc,
            pos,
            path: path.to_string(),
            status,
            note: note.to_string(),
        });
    }
}

fn diagnostics(file: &str, mut problems: Vec<Problem>) -> Vec<Diagnostic> {
    problems.sort_by_key(|p| p.pos);
    problems
        .into_iter()
        .map(|p| Diagnostic {
            file: file.to_string(),
            line: p.pos.line,
            column: p.pos.column,
            message: p.message,
            hint: p.hint,
        })
        .collect()
}

fn unreadable(file: &str, err: std::io::Error) -> ManifestError {
    ManifestError {
        errors: vec![Diagnostic {
            file: file.to_string(),
            line: 0,
            column: 0,
            message: format!("cannot read {file}: {err}"),
            hint: None,
        }],
        file: file.to_string(),
    }
}

/// One non-empty document of the file, checked.
struct Doc {
    root: Node,
    start: Pos,
    /// The kind podc reads it as; None for other kinds and roots that are no mapping.
    kind: Option<DocKind>,
}

/// A checked file.
struct Checked {
    docs: Vec<Doc>,
    found: Findings,
}

/// Parse and check the documents; Err is a YAML syntax error or an empty file. With `single`,
/// only the first document is checked and a second one is an error (the single-Pod API).
fn check_documents(file: &str, text: &str, single: bool) -> Result<Checked, Problem> {
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

/// The typed objects of checked documents.
struct Typed {
    pods: Vec<Pod>,
    config_maps: Vec<ConfigMap>,
    secrets: Vec<Secret>,
}

/// Deserialize the checked documents into the typed model.
fn deserialize(text: &str, docs: &[Doc]) -> Result<Typed, Vec<Problem>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // serde_yaml's documents, empty ones left out, pair with the tree's non-empty documents.
    let mut values = Vec::new();
    for doc in serde_yaml::Deserializer::from_str(text) {
        let value =
            serde_yaml::Value::deserialize(doc).map_err(|e| vec![serde_problem(&e, None)])?;
        if !value.is_null() {
            values.push(value);
        }
        if values.len() == docs.len() {
            break;
        }
    }
    let mut typed = Typed {
        pods: Vec::new(),
        config_maps: Vec::new(),
        secrets: Vec::new(),
    };
    let mut problems = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        let Some(value) = values.get(i).cloned() else {
            problems.push(Problem {
                pos: doc.start,
                message: format!("YAML: document {} not found", i + 1),
                hint: None,
            });
            continue;
        };
        let at = Some(doc.start);
        let result = match doc.kind {
            Some(DocKind::Pod) => serde_yaml::from_value::<Pod>(value).map(|mut pod| {
                drop_unset_env(&mut pod);
                drop_api_access(&mut pod);
                typed.pods.push(pod)
            }),
            Some(DocKind::ConfigMap) => {
                serde_yaml::from_value(value).map(|c| typed.config_maps.push(c))
            }
            Some(DocKind::Secret) => serde_yaml::from_value(value).map(|s| typed.secrets.push(s)),
            None => Ok(()),
        };
        if let Err(e) = result {
            problems.push(serde_problem(&e, at));
        }
    }
    if problems.is_empty() {
        Ok(typed)
    } else {
        Err(problems)
    }
}

/// A serde_yaml error as a problem at its place (or `fallback`, or the file's start).
fn serde_problem(e: &serde_yaml::Error, fallback: Option<Pos>) -> Problem {
    let pos = e
        .location()
        .map(|l| Pos {
            line: l.line().max(1),
            column: l.column().max(1),
        })
        .or(fallback)
        .unwrap_or(Pos { line: 1, column: 1 });
    Problem {
        pos,
        message: format!("YAML: {}", without_places(&e.to_string())),
        hint: None,
    }
}

/// Read and check a file of Pods, ConfigMaps and Secrets.
pub fn load_manifest_file(path: &Path) -> Result<Manifest, ManifestError> {
    let file = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => load_manifest_str(&file, &text),
        Err(err) => Err(unreadable(&file, err)),
    }
}

/// Check a file's text of Pods, ConfigMaps and Secrets; `file` names it in the diagnostics.
pub fn load_manifest_str(file: &str, text: &str) -> Result<Manifest, ManifestError> {
    let fail = |problems: Vec<Problem>| ManifestError {
        file: file.to_string(),
        errors: diagnostics(file, problems),
    };
    let checked = check_documents(file, text, false).map_err(|p| fail(vec![p]))?;
    if !checked.found.errors.is_empty() {
        return Err(fail(checked.found.errors));
    }
    let typed = deserialize(text, &checked.docs).map_err(fail)?;
    Ok(Manifest {
        pods: typed.pods,
        config_maps: typed.config_maps,
        secrets: typed.secrets,
        warnings: diagnostics(file, checked.found.warnings),
    })
}

/// Read and check a manifest file of exactly one Pod.
pub fn load_file(path: &Path) -> Result<Loaded, ManifestError> {
    let file = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => load_str(&file, &text),
        Err(err) => Err(unreadable(&file, err)),
    }
}

/// Check a manifest's text of exactly one Pod; `file` names it in the diagnostics. A second
/// document is an error (use [`load_manifest_str`] for files of several documents), and so is
/// a reference to a ConfigMap or Secret, which such a file cannot hold.
pub fn load_str(file: &str, text: &str) -> Result<Loaded, ManifestError> {
    let fail = |problems: Vec<Problem>| ManifestError {
        file: file.to_string(),
        errors: diagnostics(file, problems),
    };
    let checked = check_documents(file, text, true).map_err(|p| fail(vec![p]))?;
    if !checked.found.errors.is_empty() {
        return Err(fail(checked.found.errors));
    }
    let mut typed = deserialize(text, &checked.docs).map_err(fail)?;
    // check_documents refused anything but one Pod.
    let pod = typed.pods.pop().ok_or_else(|| {
        fail(vec![Problem {
            pos: Pos { line: 1, column: 1 },
            message: format!("{file} has no Pod"),
            hint: None,
        }])
    })?;
    Ok(Loaded {
        pod,
        warnings: diagnostics(file, checked.found.warnings),
    })
}

/// `pod/blog`, `configmap/app-config`; `pod (document 2)` without a readable name.
fn document_label(doc: &Doc, index: usize) -> String {
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

/// The `podc check` report on a file.
pub fn check_file(path: &Path) -> Report {
    let file = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => check_str(&file, &text),
        Err(err) => Report {
            errors: unreadable(&file, err).errors,
            file,
            documents: Vec::new(),
            fields: Vec::new(),
            warnings: Vec::new(),
        },
    }
}

/// The `podc check` report on a file's text: what podc does with each field, the warnings
/// about risks, and every error `podc up` would refuse the file with.
pub fn check_str(file: &str, text: &str) -> Report {
    let mut report = Report {
        file: file.to_string(),
        documents: Vec::new(),
        fields: Vec::new(),
        warnings: Vec::new(),
        errors: Vec::new(),
    };
    let mut checked = match check_documents(file, text, false) {
        Ok(c) => c,
        Err(p) => {
            report.errors = diagnostics(file, vec![p]);
            return report;
        }
    };
    if checked.found.errors.is_empty() {
        if let Err(problems) = deserialize(text, &checked.docs) {
            checked.found.errors.extend(problems);
        }
    }
    let labels: Vec<String> = checked
        .docs
        .iter()
        .enumerate()
        .map(|(i, d)| document_label(d, i))
        .collect();
    report.documents = checked
        .docs
        .iter()
        .zip(&labels)
        .map(|(d, label)| DocumentInfo {
            label: label.clone(),
            line: d.start.line,
        })
        .collect();
    let mut entries = checked.found.fields;
    entries.sort_by_key(|e| (e.doc, e.pos));
    report.fields = entries
        .into_iter()
        .map(|e| FieldLine {
            document: labels.get(e.doc).cloned().unwrap_or_default(),
            path: e.path,
            status: e.status,
            note: e.note,
            line: e.pos.line,
            column: e.pos.column,
        })
        .collect();
    report.warnings = diagnostics(file, checked.found.notes);
    report.errors = diagnostics(file, checked.found.errors);
    report
}

/// serde_yaml's message without its " at line L column C" parts (the diagnostic has the place).
fn without_places(message: &str) -> String {
    let mut out = String::new();
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let tail = &after[digits..];
        match tail.strip_prefix(" column ") {
            Some(col) if digits > 0 => {
                rest = col.trim_start_matches(|c: char| c.is_ascii_digit());
            }
            _ => {
                out.push_str(" at line ");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Remove the `env[]` entries whose only source podc does not resolve (`resourceFieldRef`,
/// `fileKeyRef`: warned about), so they do not reach the container as empty variables.
fn drop_unset_env(pod: &mut Pod) {
    for c in pod.spec.all_containers_mut() {
        c.env.retain(|e| {
            e.value_from.as_ref().is_none_or(|s| {
                s.field_ref.is_some()
                    || s.config_map_key_ref.is_some()
                    || s.secret_key_ref.is_some()
            })
        });
    }
}

/// The cluster's API-access volume (`projected`, accepted only with a service account token)
/// and the mounts of it: podc has no API server, and the validation warned about it.
fn drop_api_access(pod: &mut Pod) {
    let spec = &mut pod.spec;
    let dropped: Vec<String> = spec
        .volumes
        .iter()
        .filter(|v| v.projected.is_some())
        .map(|v| v.name.clone())
        .collect();
    spec.volumes.retain(|v| v.projected.is_none());
    for c in spec.all_containers_mut() {
        c.volume_mounts.retain(|m| !dropped.contains(&m.name));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_lose_their_places() {
        assert_eq!(
            without_places(
                "did not find expected ',' or '}' at line 6 column 3, while parsing a flow mapping"
            ),
            "did not find expected ',' or '}', while parsing a flow mapping"
        );
        assert_eq!(
            without_places("missing field `spec` at line 1 column 1"),
            "missing field `spec`"
        );
        assert_eq!(without_places("look at line x"), "look at line x");
    }

    #[test]
    fn a_parse_only_libyaml_refuses_is_still_reported_with_its_place() {
        // saphyr-parser accepts a flow mapping's `:` on the next line; libyaml does not.
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: {app\n  : a}\nspec: {containers: [{name: a, image: b}]}\n";
        let err = load_str("t.yaml", text).unwrap_err();
        assert_eq!(err.errors.len(), 1, "{err}");
        let d = &err.errors[0];
        assert!(d.message.starts_with("YAML: "), "{err}");
        assert_eq!(d.line, 6, "{err}");
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let text = "\u{feff}apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: a, image: b}]}\n";
        assert_eq!(load_str("t.yaml", text).unwrap().pod.metadata.name, "a");
    }
}
