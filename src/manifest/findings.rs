//! What the checks collect while they run: errors, warnings and, for `podc check`, what podc
//! does with each field, before the problems get a file name.

use super::report::Status;
use super::tree::{Pos, Problem};

/// A field the schema walk or a check said something about, for `podc check`.
#[derive(Debug)]
pub(super) struct FieldEntry {
    pub doc: usize,
    pub pos: Pos,
    pub path: String,
    pub status: Status,
    pub note: String,
}

/// Errors and warnings collected by the checks, before they get a file name, and what podc
/// does with each field.
#[derive(Debug, Default)]
pub(super) struct Findings {
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
    pub(super) fn error(&mut self, pos: Pos, message: String, hint: Option<String>) {
        self.errors.push(Problem { pos, message, hint });
    }

    pub(super) fn warn(&mut self, pos: Pos, message: String, hint: Option<String>) {
        let problem = Problem { pos, message, hint };
        self.notes.push(problem.clone());
        self.warnings.push(problem);
    }

    /// A field podc ignores: a warning, and an `ignored` line in the report.
    pub(super) fn ignore(
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
    pub(super) fn record(&mut self, pos: Pos, path: &str, status: Status, note: &str) {
        self.fields.push(FieldEntry {
            doc: self.doc,
            pos,
            path: path.to_string(),
            status,
            note: note.to_string(),
        });
    }
}
