//! The manifest step of the pipeline: YAML text -> located schema check -> typed `Pod`.
//!
//! [`load_str`] parses the text into a located tree (`tree.rs`), walks it against the
//! Kubernetes field tables (`schema.rs`), runs the semantic checks (`validate.rs`) and, only when
//! nothing is wrong, deserializes the typed [`Pod`] with serde_yaml. Every problem is reported
//! at once, each with its file, line and column.
pub mod lifecycle;
pub mod model;
pub mod objects;
pub mod settings;
pub mod volumes;
pub use lifecycle::*;
pub use model::*;
pub use objects::*;
pub use settings::*;
pub use volumes::*;

mod schema;
mod tree;
mod validate;

/// Pod names are DNS-1123 subdomains; `podc down NAME` checks a name the same way.
pub use validate::dns_subdomain;

use serde::Deserialize;
use std::fmt;
use std::path::Path;
use tree::{Pos, Problem};

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

/// Errors and warnings collected by the checks, before they get a file name.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

impl Findings {
    pub fn error(&mut self, pos: Pos, message: String, hint: Option<String>) {
        self.errors.push(Problem { pos, message, hint });
    }

    pub fn warn(&mut self, pos: Pos, message: String, hint: Option<String>) {
        self.warnings.push(Problem { pos, message, hint });
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

/// Read and check a manifest file.
pub fn load_file(path: &Path) -> Result<Loaded, ManifestError> {
    let file = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => load_str(&file, &text),
        Err(err) => Err(ManifestError {
            errors: vec![Diagnostic {
                file: file.clone(),
                line: 0,
                column: 0,
                message: format!("cannot read {file}: {err}"),
                hint: None,
            }],
            file,
        }),
    }
}

/// Check a manifest's text; `file` names it in the diagnostics.
pub fn load_str(file: &str, text: &str) -> Result<Loaded, ManifestError> {
    let fail = |problems: Vec<Problem>| ManifestError {
        file: file.to_string(),
        errors: diagnostics(file, problems),
    };
    // A byte-order mark (Windows editors write one) is not content; libyaml would read it as such.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // serde_yaml has no spans, so the checks run on a located tree from saphyr-parser's events.
    let stream = tree::parse(text).map_err(|p| fail(vec![p]))?;
    let mut found = Findings {
        errors: stream.problems,
        warnings: Vec::new(),
    };
    let mut docs = stream
        .documents
        .iter()
        .enumerate()
        .filter(|(_, d)| !d.is_empty());
    let Some((index, doc)) = docs.next() else {
        return Err(fail(vec![Problem {
            pos: Pos { line: 1, column: 1 },
            message: format!("{file} is empty: expected a Kubernetes v1 Pod"),
            hint: None,
        }]));
    };
    if let Some((_, second)) = docs.next() {
        found.error(
            second.start,
            "multiple documents are not supported yet; put one Pod per file".to_string(),
            None,
        );
    }
    if schema::check(&doc.root, &mut found) {
        validate::validate(&doc.root, &mut found);
    }
    if !found.errors.is_empty() {
        return Err(fail(found.errors));
    }
    let mut pod = deserialize(text, index).map_err(|p| fail(vec![p]))?;
    drop_unset_env(&doc.root, &mut pod);
    Ok(Loaded {
        pod,
        warnings: diagnostics(file, found.warnings),
    })
}

/// Deserialize document `index` of the stream into the typed model.
fn deserialize(text: &str, index: usize) -> Result<Pod, Problem> {
    let doc = serde_yaml::Deserializer::from_str(text)
        .nth(index)
        .ok_or_else(|| Problem {
            pos: Pos { line: 1, column: 1 },
            message: format!("YAML: document {} not found", index + 1),
            hint: None,
        })?;
    Pod::deserialize(doc).map_err(|e| {
        let pos = e.location().map_or(Pos { line: 1, column: 1 }, |l| Pos {
            line: l.line().max(1),
            column: l.column().max(1),
        });
        Problem {
            pos,
            message: format!("YAML: {}", without_places(&e.to_string())),
            hint: None,
        }
    })
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

/// Remove the `env[]` entries that only have a `valueFrom` (warned about and not applied), so
/// they do not reach the container as empty variables. serde_yaml keeps list order, so the
/// tree's indexes are the model's.
fn drop_unset_env(root: &tree::Node, pod: &mut Pod) {
    let Some(containers) = root
        .get("spec")
        .and_then(|(_, s)| s.get("containers"))
        .and_then(|(_, c)| c.as_seq())
    else {
        return;
    };
    for (node, container) in containers.iter().zip(pod.spec.containers.iter_mut()) {
        let Some(env) = node.get("env").and_then(|(_, e)| e.as_seq()) else {
            continue;
        };
        let unset: Vec<usize> = env
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                e.get("valueFrom").is_some_and(|(_, v)| !v.is_empty_value())
                    && e.get("value").is_none_or(|(_, v)| v.is_empty_value())
            })
            .map(|(i, _)| i)
            .collect();
        for i in unset.into_iter().rev() {
            if i < container.env.len() {
                container.env.remove(i);
            }
        }
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
