//! `podc check [FILE]`: a compatibility report, without Docker. For each field the file sets,
//! whether podc applies it (maps it onto Docker), emulates it (does it itself) or ignores it,
//! then the warnings, the errors and a summary. Exit 0 without errors, 2 with.

use super::args::CheckArgs;
use crate::error::{Result, EXIT_BAD_INPUT};
use crate::manifest;
use crate::ui::{OutputFormat, Ui};

/// Prints the report on `args.file`; `-o json` prints it as one JSON array.
pub(crate) fn check(args: &CheckArgs, ui: &Ui) -> Result<i32> {
    let report = manifest::check_file(&args.file);
    match ui.format() {
        OutputFormat::Json => ui
            .line(&serde_json::to_string_pretty(&report.to_json()).unwrap_or_else(|_| "[]".into())),
        _ => {
            for line in report.plain_lines() {
                ui.line(&line);
            }
        }
    }
    Ok(if report.errors.is_empty() {
        0
    } else {
        EXIT_BAD_INPUT
    })
}
