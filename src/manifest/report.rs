//! `podc check`'s compatibility report: for each field a file sets, whether podc applies it
//! (maps it onto Docker), emulates it (does it itself) or ignores it (with a warning), grouped
//! by document, followed by the warnings about risks and the errors.

use super::{Diagnostic, ManifestError};
use serde::Serialize;
use std::fmt;

/// What podc does with a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// podc maps it onto Docker.
    Applied,
    /// podc does it itself (probes, restarts, init order, hooks, configMap/secret volumes,
    /// env sources).
    Emulated,
    /// podc ignores it, with a warning.
    Ignored,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Applied => "applied",
            Status::Emulated => "emulated",
            Status::Ignored => "ignored",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One field the file sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldLine {
    /// The document: `pod/blog`, `configmap/blog-config`, `secret/blog-db`.
    pub document: String,
    /// The field's path in the document: `spec.containers[0].livenessProbe`.
    pub path: String,
    pub status: Status,
    /// What podc does with it, briefly.
    pub note: String,
    pub line: usize,
    pub column: usize,
}

/// A document of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentInfo {
    /// `pod/blog`; `pod (document 2)` when it has no readable name.
    pub label: String,
    /// Where it starts.
    pub line: usize,
}

/// The whole report on one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub file: String,
    pub documents: Vec<DocumentInfo>,
    /// Grouped by document, in file order.
    pub fields: Vec<FieldLine>,
    /// Warnings that are not about an ignored field: the risks of `privileged`, host
    /// namespaces and host paths, duplicate variables.
    pub warnings: Vec<Diagnostic>,
    pub errors: Vec<Diagnostic>,
}

impl Report {
    /// How many fields have this status.
    pub fn count(&self, status: Status) -> usize {
        self.fields.iter().filter(|f| f.status == status).count()
    }

    /// `12 applied, 5 emulated, 2 ignored, 0 errors`.
    pub fn summary(&self) -> String {
        format!(
            "{} applied, {} emulated, {} ignored, {} {}",
            self.count(Status::Applied),
            self.count(Status::Emulated),
            self.count(Status::Ignored),
            self.errors.len(),
            if self.errors.len() == 1 {
                "error"
            } else {
                "errors"
            }
        )
    }

    /// The document a diagnostic is in (by line), if any.
    pub fn document_of(&self, d: &Diagnostic) -> Option<&str> {
        self.documents
            .iter()
            .rev()
            .find(|doc| doc.line <= d.line)
            .map(|doc| doc.label.as_str())
    }

    /// The errors as `podc up` reports them, if there are any.
    pub fn error(&self) -> Option<ManifestError> {
        (!self.errors.is_empty()).then(|| ManifestError {
            file: self.file.clone(),
            errors: self.errors.clone(),
        })
    }
}

impl Report {
    /// The report as `podc check` prints it: one line per field, aligned and grouped by
    /// document (a blank line between documents), then the warnings, the errors as `podc up`
    /// prints them, and the summary.
    pub fn plain_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        // Two documents may have one label (a duplicate name): group by where they start.
        let doc_of = |f: &FieldLine| self.documents.iter().rposition(|d| d.line <= f.line);
        let mut start = 0;
        while start < self.fields.len() {
            let doc = doc_of(&self.fields[start]);
            let end = self.fields[start..]
                .iter()
                .position(|f| doc_of(f) != doc)
                .map_or(self.fields.len(), |n| start + n);
            let group = &self.fields[start..end];
            let heads: Vec<String> = group
                .iter()
                .map(|f| format!("{}: {} {}", self.file, f.document, f.path))
                .collect();
            let width = heads.iter().map(|h| h.chars().count()).max().unwrap_or(0);
            if start > 0 {
                lines.push(String::new());
            }
            for (head, f) in heads.iter().zip(group) {
                lines.push(format!(
                    "{head:<width$}  {:<8}  {}",
                    f.status.as_str(),
                    f.note
                ));
            }
            start = end;
        }
        if !lines.is_empty() && (!self.warnings.is_empty() || !self.errors.is_empty()) {
            lines.push(String::new());
        }
        let mut text = Vec::new();
        for w in &self.warnings {
            text.push(format!("warning: {w}"));
        }
        if let Some(error) = self.error() {
            text.push(format!("error: {error}"));
        }
        // Hints and the errors' lines are lines of their own.
        lines.extend(text.iter().flat_map(|t| t.lines()).map(str::to_string));
        lines.push(self.summary());
        lines
    }

    /// The same as a JSON array of `{document, path, status, note, line, column}`: the fields,
    /// then the warnings and errors (`path` empty, `status` `warning` or `error`, with `hint`).
    pub fn to_json(&self) -> serde_json::Value {
        let mut items: Vec<serde_json::Value> = self
            .fields
            .iter()
            .map(|f| {
                serde_json::json!({
                    "document": f.document,
                    "path": f.path,
                    "status": f.status,
                    "note": f.note,
                    "line": f.line,
                    "column": f.column,
                })
            })
            .collect();
        for (status, list) in [("warning", &self.warnings), ("error", &self.errors)] {
            for d in list {
                items.push(serde_json::json!({
                    "document": self.document_of(d).unwrap_or(""),
                    "path": "",
                    "status": status,
                    "note": d.message,
                    "hint": d.hint,
                    "line": d.line,
                    "column": d.column,
                }));
            }
        }
        serde_json::Value::Array(items)
    }
}
