//! The podc binary: one run (`PodcRun`) and its expectations, podc as a child process, and the
//! pod as `podc ps -o json` shows it.

use super::*;

/// One run of the podc binary.
#[derive(Debug, Clone)]
pub(crate) struct PodcRun {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
    ran: Ran,
}

impl fmt::Display for PodcRun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.ran.fmt(f)
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

/// `podc ARGS`, with `-o plain` unless the arguments pick an output format themselves.
pub(crate) fn podc(args: &[&str]) -> PodcRun {
    podc_env(args, &[])
}

/// The `Command` `podc` runs (for tests that spawn podc themselves).
pub(crate) fn podc_command(args: &[&str]) -> Command {
    let own = args.iter().take_while(|a| **a != "--");
    let picks_format = own
        .clone()
        .any(|a| *a == "-o" || *a == "--output" || a.starts_with("--output="));
    let mut cmd = Command::new(podc_bin());
    if !picks_format {
        cmd.args(["-o", "plain"]);
    }
    cmd.args(args).current_dir(repo_root());
    cmd
}

/// `podc ps -o json POD`: the pod's JSON object, or None when podc lists no such pod.
#[track_caller]
pub(crate) fn ps_json(pod: &str) -> Option<serde_json::Value> {
    let run = podc(&["ps", "-o", "json", pod]);
    run.expect_ok();
    let value: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("podc ps -o json printed no JSON ({e})\n{run}"));
    let pods = value
        .as_array()
        .unwrap_or_else(|| panic!("podc ps -o json printed no array\n{run}"));
    pods.iter().find(|p| p["name"] == pod).cloned()
}

/// `podc exec POD -c CONTAINER -- ARGS...`, which must succeed; its stdout.
#[track_caller]
pub(crate) fn exec_ok(pod: &str, container: &str, command: &[&str]) -> String {
    let mut args = vec!["exec", pod, "-c", container, "--"];
    args.extend_from_slice(command);
    let run = podc(&args);
    run.expect_ok();
    run.stdout
}

/// The member `name` of a `podc ps -o json` pod object, if it is listed (a member being
/// recreated may briefly not be).
pub(crate) fn find_member<'a>(
    pod: &'a serde_json::Value,
    name: &str,
) -> Option<&'a serde_json::Value> {
    pod["containers"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["name"] == name))
}

/// The member `name` of a `podc ps -o json` pod object; fails the test when it is not listed.
#[track_caller]
pub(crate) fn ps_member<'a>(pod: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    find_member(pod, name)
        .unwrap_or_else(|| panic!("podc ps -o json shows no container {name}:\n{pod:#}"))
}

/// Polls `podc ps -o json POD` (every 200 ms) until `condition` holds for the pod's object or
/// `timeout` passes. Returns whether it held and the last object seen (None: never listed).
pub(crate) fn wait_for_pod(
    pod: &str,
    timeout: Duration,
    mut condition: impl FnMut(&serde_json::Value) -> bool,
) -> (bool, Option<serde_json::Value>) {
    let deadline = Instant::now() + timeout;
    loop {
        let view = ps_json(pod);
        if view.as_ref().is_some_and(&mut condition) {
            return (true, view);
        }
        if Instant::now() >= deadline {
            return (false, view);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// `podc ARGS` started as a child (stdin closed, stdout and stderr piped), not waited for.
#[track_caller]
pub(crate) fn spawn_podc(args: &[&str]) -> Child {
    podc_command(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start podc {args:?}: {e}"))
}

/// `podc ARGS` with extra environment variables (e.g. a temporary `DOCKER_CONFIG`).
pub(crate) fn podc_env(args: &[&str], env: &[(&str, &str)]) -> PodcRun {
    let mut cmd = podc_command(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let ran = run_or_panic(cmd);
    PodcRun {
        code: ran.code,
        stdout: ran.stdout.clone(),
        stderr: ran.stderr.clone(),
        elapsed: ran.elapsed,
        ran,
    }
}
