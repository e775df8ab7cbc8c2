//! What a manifest check says: a problem or warning at its place in the file
//! ([`Diagnostic`]), and every error of a file that cannot be loaded ([`ManifestError`]).

use super::tree::Problem;
use std::fmt;

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

/// Problems as diagnostics of `file`, in file order.
pub(super) fn diagnostics(file: &str, mut problems: Vec<Problem>) -> Vec<Diagnostic> {
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

/// The error for a file that cannot be read.
pub(super) fn unreadable(file: &str, err: std::io::Error) -> ManifestError {
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
