//! Running a command to its end with a timeout, its output captured: what every podc and docker
//! call of the tests goes through.

use super::*;

/// The longest any single podc or docker command may take before the test calls it hung.
pub(crate) const COMMAND_TIMEOUT: Duration = Duration::from_secs(180);

/// What a finished command did.
#[derive(Debug, Clone)]
pub(crate) struct Ran {
    /// The command line, for messages.
    pub command: String,
    /// The exit code; None when a signal ended it.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
    /// It did not finish in time and was killed.
    pub timed_out: bool,
}

impl Ran {
    pub(crate) fn success(&self) -> bool {
        self.code == Some(0)
    }
}

impl fmt::Display for Ran {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ended = match (self.timed_out, self.code) {
            (true, _) => "was killed: it did not finish in time".to_string(),
            (false, Some(code)) => format!("exited with code {code}"),
            (false, None) => "was ended by a signal".to_string(),
        };
        write!(
            f,
            "`{}` {ended} after {:.2}s\n--- stdout ---\n{}\n--- stderr ---\n{}\n--------------",
            self.command,
            self.elapsed.as_secs_f64(),
            self.stdout.trim_end(),
            self.stderr.trim_end()
        )
    }
}

fn describe_command(cmd: &Command) -> String {
    let mut words = vec![cmd.get_program().to_string_lossy().into_owned()];
    words.extend(cmd.get_args().map(|a| {
        let a = a.to_string_lossy();
        match a.contains(' ') || a.is_empty() {
            true => format!("'{a}'"),
            false => a.into_owned(),
        }
    }));
    words.join(" ")
}

fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut buf);
        }
        buf
    })
}

/// Runs `cmd` to its end (stdin closed, output captured), killing it after `timeout`. Errs only
/// when it cannot be started at all.
pub(crate) fn run_command(mut cmd: Command, timeout: Duration) -> Result<Ran, String> {
    let command = describe_command(&cmd);
    let started = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run `{command}`: {e}"))?;
    let out = drain(child.stdout.take());
    let err = drain(child.stderr.take());
    let (status, timed_out) = wait_with_timeout(&mut child, timeout);
    let stdout = String::from_utf8_lossy(&out.join().unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&err.join().unwrap_or_default()).into_owned();
    Ok(Ran {
        command,
        code: status.and_then(|s| s.code()),
        stdout,
        stderr,
        elapsed: started.elapsed(),
        timed_out,
    })
}

/// Waits for `child` at most `timeout`; kills it (our own child, by its handle) when it is late.
pub(crate) fn wait_with_timeout(
    child: &mut Child,
    timeout: Duration,
) -> (Option<ExitStatus>, bool) {
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return (Some(status), false),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                return (child.wait().ok(), true);
            }
        }
    }
}

/// Like `run_command`, but a command that cannot start or hangs fails the test.
pub(crate) fn run_or_panic(cmd: Command) -> Ran {
    let ran = run_command(cmd, COMMAND_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert!(!ran.timed_out, "{ran}");
    ran
}
