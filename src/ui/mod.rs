//! The output edge: the only place podc prints. Progress goes to stdout as indicatif bars on a
//! terminal, plain lines otherwise, or JSON lines with `-o json`; warnings and errors go to
//! stderr.

mod event;
mod tty;

pub(crate) use event::{seconds, ContainerState, Event};

use indicatif::MultiProgress;
use std::io::{IsTerminal, Write};
use std::sync::Mutex;

/// How the user asked podc to print (`-o`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Bars on a terminal, plain lines otherwise.
    Auto,
    /// One line per step, never bars.
    Plain,
    /// One JSON object per line (for `ps`: one JSON array).
    Json,
}

/// The printer every command reports through.
pub(crate) struct Ui {
    format: OutputFormat,
    tty: Option<Mutex<tty::Bars>>,
    /// Lines go to stderr: the host supervisor keeps its stdout for status frames.
    to_stderr: bool,
}

impl Ui {
    /// Picks bars only when the format is `auto` and stdout is a terminal.
    pub(crate) fn new(format: OutputFormat) -> Ui {
        let tty = (format == OutputFormat::Auto && std::io::stdout().is_terminal())
            .then(|| Mutex::new(tty::Bars::new(MultiProgress::new())));
        Ui {
            format,
            tty,
            to_stderr: false,
        }
    }

    /// Plain lines on stderr, no bars: the progress of the supervisor's rebuilds, kept apart
    /// from the status frames on its stdout.
    pub(crate) fn on_stderr() -> Ui {
        Ui {
            format: OutputFormat::Plain,
            tty: None,
            to_stderr: true,
        }
    }

    /// The format in force (commands print their data in it).
    pub(crate) fn format(&self) -> OutputFormat {
        self.format
    }

    /// True when stdout is a terminal drawn by indicatif.
    pub(crate) fn is_tty(&self) -> bool {
        self.tty.is_some()
    }

    /// Reports one step of progress.
    pub(crate) fn event(&self, event: Event) {
        match (&self.tty, self.format) {
            (_, OutputFormat::Json) => self.line(&event.to_json()),
            (Some(bars), _) => bars.lock().unwrap_or_else(|e| e.into_inner()).show(&event),
            (None, _) => {
                if let Some(line) = event.plain_line() {
                    self.line(&line)
                }
            }
        }
    }

    /// A warning on stderr (a JSON object on stdout with `-o json`, so scripts see it too).
    pub(crate) fn warn(&self, message: &str) {
        match self.format {
            OutputFormat::Json => self.event(Event::Warning {
                message: message.to_string(),
            }),
            _ => self.suspend(|| eprintln!("warning: {message}")),
        }
    }

    /// A line of data or status on stdout, drawn above the bars when there are bars.
    /// The error a command ended with: `error: ...` on stderr, or with `-o json` one JSON object
    /// on stderr (`{"error": ..., "exitCode": N}`), so stdout keeps only the command's output.
    pub(crate) fn error(&self, message: &str, exit_code: i32) {
        self.finish();
        match self.format {
            OutputFormat::Json => {
                let json = serde_json::json!({ "error": message, "exitCode": exit_code });
                eprintln!("{json}");
            }
            _ => eprintln!("error: {message}"),
        }
    }

    pub(crate) fn line(&self, text: &str) {
        match &self.tty {
            Some(bars) => bars.lock().unwrap_or_else(|e| e.into_inner()).println(text),
            None if self.to_stderr => eprintln!("{text}"),
            None => {
                let mut out = std::io::stdout().lock();
                // A closed pipe (podc ps | head) is not an error worth reporting.
                let _ = writeln!(out, "{text}");
            }
        }
    }

    /// Clears finished bars so what follows (logs, a prompt) starts on a clean line.
    pub(crate) fn finish(&self) {
        if let Some(bars) = &self.tty {
            bars.lock().unwrap_or_else(|e| e.into_inner()).clear();
        }
    }

    fn suspend(&self, f: impl FnOnce()) {
        match &self.tty {
            Some(bars) => bars.lock().unwrap_or_else(|e| e.into_inner()).suspend(f),
            None => f(),
        }
    }
}
