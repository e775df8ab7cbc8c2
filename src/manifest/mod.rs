//! The manifest step of the pipeline: YAML text -> located schema check -> typed objects.
//!
//! A file holds one or more documents separated by `---`: Pods, and the ConfigMaps and
//! Secrets they use. [`load_manifest_str`] parses the text into a located tree (`tree.rs`),
//! walks each document against the Kubernetes field tables (`schema.rs`), runs the semantic
//! checks (`validate.rs`) and the checks across documents (`refs.rs`), all in
//! `documents.rs`, collecting into `findings.rs`, and, only when nothing is wrong,
//! deserializes the typed [`Pod`]s, [`ConfigMap`]s and [`Secret`]s with serde_yaml
//! (`typed.rs`). Every problem is reported at once, each with its file, line and column
//! (`diagnostics.rs`).
//! [`check_str`] runs the same checks and reports, field by field, what podc does with the
//! file (`podc check`).
//!
//! [`load_str`] / [`load_file`] are the single-Pod entry points: exactly one Pod document
//! (a second document is refused, as before multi-document files existed).
pub mod lifecycle;
pub mod metadata;
pub mod model;
pub mod objects;
pub mod port_ref;
pub mod quantity;
pub mod report;
pub mod settings;
pub mod volumes;
pub use diagnostics::{Diagnostic, ManifestError};
pub use lifecycle::*;
pub use metadata::*;
pub use model::*;
pub use objects::*;
pub use port_ref::*;
pub use report::{DocumentInfo, FieldLine, Report, Status};
pub use settings::*;
pub use volumes::*;

mod de;
mod diagnostics;
mod documents;
mod findings;
mod refs;
mod schema;
mod tree;
mod typed;
mod validate;

#[cfg(test)]
mod tests;

/// Pod names are DNS-1123 subdomains; `podc down NAME` checks a name the same way.
pub use validate::dns_subdomain;

use diagnostics::{diagnostics, unreadable};
use documents::{check_documents, document_label};
use findings::Findings;
use std::path::Path;
use tree::{Pos, Problem};
use typed::deserialize;

/// A manifest that passed every check, and the warnings about what podc ignores in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub pod: Pod,
    pub warnings: Vec<Diagnostic>,
}

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
