//! Running the real podc binary with no Docker daemon to reach: `DOCKER_HOST` names a socket
//! that does not exist, so a run that ends with a manifest error (exit 2) proves podc refused
//! the manifest before it could create anything.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A Docker socket nobody serves: every podc of this tier gets it as `DOCKER_HOST`.
pub(crate) const NO_DAEMON: &str = "unix:///nonexistent/podc-test.sock";

/// With no daemon podc has nothing to wait for; a run this long is a hang.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);

/// One finished run of the podc binary.
pub(crate) struct PodcRun {
    /// The command line, for messages.
    command: String,
    /// The exit code; None when a signal (or the timeout) ended it.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl fmt::Display for PodcRun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ended = match self.code {
            Some(code) => format!("exited with code {code}"),
            None => "was ended by a signal or the timeout".to_string(),
        };
        write!(
            f,
            "`{}` {ended}\n--- stdout ---\n{}\n--- stderr ---\n{}\n--------------",
            self.command,
            self.stdout.trim_end(),
            self.stderr.trim_end()
        )
    }
}

impl PodcRun {
    /// Fails the test, showing the whole run, unless podc exited with `code`.
    #[track_caller]
    pub(crate) fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "expected exit code {code}, got {:?}\n{self}",
            self.code
        );
        self
    }

    #[track_caller]
    pub(crate) fn expect_ok(&self) -> &Self {
        self.expect_code(0)
    }

    #[track_caller]
    pub(crate) fn expect_stdout_contains(&self, needle: &str) -> &Self {
        assert!(
            self.stdout.contains(needle),
            "expected stdout to contain {needle:?}\n{self}"
        );
        self
    }

    #[track_caller]
    pub(crate) fn expect_stderr_contains(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "expected stderr to contain {needle:?}\n{self}"
        );
        self
    }
}

/// The `Command` for `podc ARGS` (`-o plain` unless the arguments pick a format), run from the
/// repository root with `DOCKER_HOST` set to `NO_DAEMON`.
pub(crate) fn podc_command(args: &[&str]) -> Command {
    let picks_format = args
        .iter()
        .any(|a| *a == "-o" || *a == "--output" || a.starts_with("--output="));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_podc"));
    if !picks_format {
        cmd.args(["-o", "plain"]);
    }
    cmd.args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("DOCKER_HOST", NO_DAEMON);
    cmd
}

/// `podc ARGS` (see `podc_command`), run to its end.
#[track_caller]
pub(crate) fn podc(args: &[&str]) -> PodcRun {
    run(podc_command(args))
}

/// Runs `cmd` to its end (stdin closed, output captured); a run that cannot start or does not
/// end within `COMMAND_TIMEOUT` fails the test.
#[track_caller]
pub(crate) fn run(mut cmd: Command) -> PodcRun {
    let command = cmd
        .get_args()
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run podc {command}: {e}"));
    // Read both pipes while podc runs, so a full pipe never blocks it.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_string(&mut text);
            }
            text
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let deadline = Instant::now() + COMMAND_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let ran = PodcRun {
        command: format!("podc {command}"),
        code: status.and_then(|s| s.code()),
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    };
    assert!(status.is_some(), "podc did not finish in time\n{ran}");
    ran
}

/// A fresh temporary directory, removed when dropped.
pub(crate) fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("podc-cli-")
        .tempdir()
        .unwrap_or_else(|e| panic!("cannot create a temporary directory: {e}"))
}

/// Writes `yaml` to `dir/file_name` and returns the path.
#[track_caller]
pub(crate) fn write_manifest(dir: &Path, file_name: &str, yaml: &str) -> PathBuf {
    let path = dir.join(file_name);
    std::fs::write(&path, yaml).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    path
}

/// The path as a &str for podc's command line.
pub(crate) fn arg(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}
