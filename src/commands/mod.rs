//! One file per command: each wires the pipeline steps together for one user action.

mod args;
mod check;
mod down;
mod exec;
mod foreground;
mod logs;
mod ps;
pub(crate) mod signals;
mod supervise;
mod up;

pub(crate) use args::{CheckArgs, DownArgs, ExecArgs, LogsArgs, PauseBinaryArgs, PsArgs, UpArgs};
pub(crate) use check::check;
pub(crate) use down::down;
pub(crate) use exec::exec;
pub(crate) use logs::logs;
pub(crate) use ps::ps;
pub(crate) use supervise::supervise;
pub(crate) use up::up;

use crate::error::{Error, Result};
use crate::ui::Ui;
use std::path::Path;

/// `podc pause-binary PATH`.
pub(crate) fn pause_binary(path: &Path, ui: &Ui) -> Result<i32> {
    crate::pause_binary::write_to(path).map_err(|e| {
        Error::Runtime(format!(
            "cannot write the pause binary to {}: {e}",
            path.display()
        ))
    })?;
    ui.line(&format!(
        "wrote {} ({} bytes)",
        path.display(),
        crate::pause_binary::PAUSE_BINARY.len()
    ));
    Ok(0)
}
