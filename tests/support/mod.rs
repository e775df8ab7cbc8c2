//! Shared helpers of the integration tests: they drive the real `podc` binary against the real
//! Docker daemon and observe the result with the docker CLI. Nothing here fakes Docker.
//!
//! Every test file says `mod support;` and uses only some of these helpers.
#![allow(dead_code)]

use std::fmt;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The longest any single podc or docker command may take before the test calls it hung.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(180);

/// The repository root (where Cargo.toml is).
pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The podc binary cargo built for these tests.
pub fn podc_bin() -> &'static str {
    env!("CARGO_BIN_EXE_podc")
}

// ---------------------------------------------------------------------------------------------
// Running commands

/// What a finished command did.
#[derive(Debug, Clone)]
pub struct Ran {
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
    pub fn success(&self) -> bool {
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
pub fn run_command(mut cmd: Command, timeout: Duration) -> Result<Ran, String> {
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
pub fn wait_with_timeout(child: &mut Child, timeout: Duration) -> (Option<ExitStatus>, bool) {
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
pub fn run_or_panic(cmd: Command) -> Ran {
    let ran = run_command(cmd, COMMAND_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert!(!ran.timed_out, "{ran}");
    ran
}

// ---------------------------------------------------------------------------------------------
// podc

/// One run of the podc binary.
#[derive(Debug, Clone)]
pub struct PodcRun {
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
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "expected exit code {code}, got {:?}\n{self}",
            self.code
        );
        self
    }

    #[track_caller]
    pub fn expect_ok(&self) -> &Self {
        self.expect_code(0)
    }

    #[track_caller]
    pub fn expect_stdout_contains(&self, needle: &str) -> &Self {
        assert!(
            self.stdout.contains(needle),
            "expected stdout to contain {needle:?}\n{self}"
        );
        self
    }

    #[track_caller]
    pub fn expect_stderr_contains(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "expected stderr to contain {needle:?}\n{self}"
        );
        self
    }
}

/// `podc ARGS`, with `-o plain` unless the arguments pick an output format themselves.
pub fn podc(args: &[&str]) -> PodcRun {
    podc_env(args, &[])
}

/// The `Command` `podc` runs (for tests that spawn podc themselves).
pub fn podc_command(args: &[&str]) -> Command {
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
pub fn ps_json(pod: &str) -> Option<serde_json::Value> {
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
pub fn exec_ok(pod: &str, container: &str, command: &[&str]) -> String {
    let mut args = vec!["exec", pod, "-c", container, "--"];
    args.extend_from_slice(command);
    let run = podc(&args);
    run.expect_ok();
    run.stdout
}

// ---------------------------------------------------------------------------------------------
// The daemon and the images

/// Fails the test loudly when no Docker daemon answers.
#[track_caller]
pub fn require_docker() {
    static INFO: OnceLock<Result<(), String>> = OnceLock::new();
    let result = INFO.get_or_init(|| {
        let mut cmd = Command::new("docker");
        cmd.args(["info", "--format", "{{.ServerVersion}}"]);
        match run_command(cmd, Duration::from_secs(60)) {
            Ok(ran) if ran.success() => Ok(()),
            Ok(ran) => Err(format!("{}{}", ran.stderr.trim(), ran.stdout.trim())),
            Err(e) => Err(e),
        }
    });
    if let Err(why) = result {
        panic!("these tests need a running Docker daemon (docker info failed: {why})");
    }
}

/// Builds the local images once per test binary (images/build.sh), serialised across test
/// processes with a lock file.
#[track_caller]
pub fn ensure_images() {
    static BUILT: OnceLock<Result<(), String>> = OnceLock::new();
    let result = BUILT.get_or_init(|| {
        let mut cmd = Command::new("flock");
        cmd.arg("/tmp/podc-test-images.lock")
            .arg(repo_root().join("images/build.sh"))
            .current_dir(repo_root());
        match run_command(cmd, Duration::from_secs(600)) {
            Ok(ran) if ran.success() => Ok(()),
            Ok(ran) => Err(ran.to_string()),
            Err(e) => Err(e),
        }
    });
    if let Err(why) = result {
        panic!("images/build.sh failed (run tests/prepare.sh to see why):\n{why}");
    }
}

/// Every test that talks to Docker starts with this.
#[track_caller]
pub fn setup() {
    require_docker();
    ensure_images();
}

// ---------------------------------------------------------------------------------------------
// The docker CLI, to observe

/// `docker ARGS`, whatever it exits with.
pub fn docker(args: &[&str]) -> Ran {
    let mut cmd = Command::new("docker");
    cmd.args(args);
    run_or_panic(cmd)
}

/// `docker ARGS`, which must succeed; its stdout.
#[track_caller]
pub fn docker_ok(args: &[&str]) -> String {
    let ran = docker(args);
    assert!(ran.success(), "{ran}");
    ran.stdout
}

/// Names of every container (any state) labelled `io.podc.pod=<pod>`, sorted.
#[track_caller]
pub fn containers_of(pod: &str) -> Vec<String> {
    let filter = format!("label=io.podc.pod={pod}");
    let out = docker_ok(&["ps", "-a", "--filter", &filter, "--format", "{{.Names}}"]);
    let mut names: Vec<String> = out.lines().map(str::to_string).collect();
    names.sort();
    names
}

/// Fails the test when any container of `pod` exists.
#[track_caller]
pub fn assert_nothing_left(pod: &str, context: &dyn fmt::Display) {
    let left = containers_of(pod);
    assert!(
        left.is_empty(),
        "containers of pod {pod} are left over: {left:?}\n{context}"
    );
}

/// Fails the test unless the pause and each of `members` exist for `pod` (other containers
/// podc may add to a pod are not counted).
#[track_caller]
pub fn assert_pod_has(pod: &str, members: &[&str]) {
    let found = containers_of(pod);
    let wanted =
        std::iter::once(format!("{pod}_POD")).chain(members.iter().map(|m| format!("{pod}_{m}")));
    for name in wanted {
        assert!(
            found.contains(&name),
            "pod {pod} has no container {name}; it has {found:?}"
        );
    }
}

/// The state word of a container (`running`, `exited`...), or None when it does not exist.
pub fn container_state(name: &str) -> Option<String> {
    let ran = docker(&["inspect", "--format", "{{.State.Status}}", name]);
    ran.success().then(|| ran.stdout.trim().to_string())
}

// ---------------------------------------------------------------------------------------------
// Guards: cleanup that runs even when the test fails

/// Tears the pod down when dropped (errors ignored). Create it BEFORE `podc up`.
pub struct PodGuard(pub String);

impl PodGuard {
    pub fn new(pod: &str) -> PodGuard {
        PodGuard(pod.to_string())
    }
}

impl Drop for PodGuard {
    fn drop(&mut self) {
        let _ = run_command(podc_command(&["down", &self.0]), Duration::from_secs(120));
    }
}

/// Force-removes a plain container the test started when dropped.
pub struct ContainerGuard(pub String);

impl Drop for ContainerGuard {
    fn drop(&mut self) {
        let mut cmd = Command::new("docker");
        cmd.args(["rm", "-f", &self.0]);
        let _ = run_command(cmd, Duration::from_secs(60));
    }
}

/// Removes an image tag the test made when dropped.
pub struct ImageGuard(pub String);

impl Drop for ImageGuard {
    fn drop(&mut self) {
        let mut cmd = Command::new("docker");
        cmd.args(["image", "rm", &self.0]);
        let _ = run_command(cmd, Duration::from_secs(60));
    }
}

/// A child process the test spawned, killed (by its own handle) and reaped when dropped.
pub struct ChildGuard(pub Child);

impl ChildGuard {
    pub fn id(&self) -> u32 {
        self.0.id()
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
        }
        let _ = self.0.wait();
    }
}

// ---------------------------------------------------------------------------------------------
// Files, ports, HTTP, waiting

/// A fresh temporary directory, removed when dropped.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("podc-it-")
        .tempdir()
        .unwrap_or_else(|e| panic!("cannot create a temporary directory: {e}"))
}

/// Writes `yaml` to `dir/file_name` and returns the path.
#[track_caller]
pub fn write_manifest(dir: &Path, file_name: &str, yaml: &str) -> PathBuf {
    let path = dir.join(file_name);
    std::fs::write(&path, yaml).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    path
}

/// The path as a &str for podc's command line.
pub fn arg(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

/// A host port held by this test until `release` (call that right before `podc up`).
pub struct Port {
    pub port: u16,
    listener: Option<TcpListener>,
}

impl Port {
    /// Binds 127.0.0.1:0 and keeps the listener, so no other test gets this port meanwhile.
    pub fn reserve() -> Port {
        let listener = TcpListener::bind("127.0.0.1:0")
            .unwrap_or_else(|e| panic!("cannot bind a free port on 127.0.0.1: {e}"));
        let port = listener
            .local_addr()
            .expect("a bound listener has an address")
            .port();
        Port {
            port,
            listener: Some(listener),
        }
    }

    /// Frees the port for podc (or whoever the test hands it to).
    pub fn release(&mut self) -> u16 {
        self.listener = None;
        self.port
    }
}

/// `GET path` on 127.0.0.1:port over HTTP/1.0: the whole response (status line, headers,
/// body), or None when nothing answers properly within a few seconds.
pub fn http_get(port: u16, path: &str) -> Option<String> {
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    stream
        .set_write_timeout(Some(Duration::from_secs(5)))
        .ok()?;
    let request =
        format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).ok()?;
    let text = String::from_utf8_lossy(&response).into_owned();
    text.starts_with("HTTP/").then_some(text)
}

/// Polls `condition` every 100 ms until it holds (true) or `timeout` passes (false).
pub fn wait_until(timeout: Duration, mut condition: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if condition() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Seconds since the epoch with nanoseconds, the way `docker events --since/--until` take it.
fn since_epoch() -> Duration {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is after 1970")
}

/// Now, in nanoseconds since 1970 (the daemon's `timeNano`; same clock on this machine).
pub fn unix_nanos() -> i128 {
    since_epoch().as_nanos() as i128
}

pub fn unix_timestamp() -> String {
    let now = since_epoch();
    format!("{}.{:09}", now.as_secs(), now.subsec_nanos())
}

// ---------------------------------------------------------------------------------------------
// Supervision: the pod as `podc ps -o json` shows it, container IDs, the daemon's events

/// The member `name` of a `podc ps -o json` pod object, if it is listed (a member being
/// recreated may briefly not be).
pub fn find_member<'a>(pod: &'a serde_json::Value, name: &str) -> Option<&'a serde_json::Value> {
    pod["containers"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["name"] == name))
}

/// The member `name` of a `podc ps -o json` pod object; fails the test when it is not listed.
#[track_caller]
pub fn ps_member<'a>(pod: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    find_member(pod, name)
        .unwrap_or_else(|| panic!("podc ps -o json shows no container {name}:\n{pod:#}"))
}

/// Polls `podc ps -o json POD` (every 200 ms) until `condition` holds for the pod's object or
/// `timeout` passes. Returns whether it held and the last object seen (None: never listed).
pub fn wait_for_pod(
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

/// The full ID of the container `name`, or None when it does not exist.
pub fn container_id(name: &str) -> Option<String> {
    let ran = docker(&["inspect", "--format", "{{.Id}}", name]);
    ran.success().then(|| ran.stdout.trim().to_string())
}

/// A live `docker events` subscription for one pod's containers, opened before the action it
/// watches. dockerd keeps only its last 256 events for `--since` replays, which a busy suite
/// (probes exec every second) overruns; a subscription loses nothing.
pub struct EventRecorder {
    child: Child,
}

impl EventRecorder {
    /// Subscribes, and waits until the subscription is live.
    #[track_caller]
    pub fn start(pod: &str) -> EventRecorder {
        let child = Command::new("docker")
            .args(["events", "--filter", &format!("label=io.podc.pod={pod}")])
            .args(["--filter", "type=container"])
            .args(["--format", "{{.Action}} @ {{.Actor.Attributes.name}}"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("docker events starts");
        // The CLI has no "subscribed" signal; its request is sent within milliseconds.
        std::thread::sleep(Duration::from_millis(300));
        EventRecorder { child }
    }

    /// Every `ACTION @ NAME` line seen so far (the subscription ends).
    pub fn lines(mut self) -> Vec<String> {
        // Events of the last moment are still on their way.
        std::thread::sleep(Duration::from_millis(500));
        let _ = self.child.kill();
        let mut out = String::new();
        if let Some(mut stdout) = self.child.stdout.take() {
            let _ = std::io::Read::read_to_string(&mut stdout, &mut out);
        }
        let _ = self.child.wait();
        out.lines().map(str::to_string).collect()
    }

    /// How many times Docker started the container `docker_name`.
    pub fn starts(self, docker_name: &str) -> usize {
        let wanted = format!("start @ {docker_name}");
        self.lines().iter().filter(|l| l.trim() == wanted).count()
    }
}

/// Fails unless the recorded `events` hold an `exec_start` in `pod`'s pause whose command starts
/// with `/pause MODE` and has PORT as a whole word.
#[track_caller]
pub fn assert_ran_in_pause(events: &[String], pod: &str, mode: &str, port: u16) {
    let pause = format!("@ {pod}_POD");
    let found = events.iter().any(|e| {
        e.starts_with(&format!("exec_start: /pause {mode} "))
            && e.contains(&format!(" {port} "))
            && e.ends_with(&pause)
    });
    assert!(
        found,
        "no `/pause {mode}` for port {port} in {pod}_POD; events:\n{}",
        events.join("\n")
    );
}

/// Fails when any exec of the recorded `events` ran in a member of `pod` rather than its
/// pause: network probes and hooks belong to the pause.
#[track_caller]
pub fn assert_no_exec_in_members(events: &[String], pod: &str) {
    let pause = format!("@ {pod}_POD");
    let in_members: Vec<&String> = events
        .iter()
        .filter(|e| e.starts_with("exec_") && !e.ends_with(&pause))
        .collect();
    assert!(
        in_members.is_empty(),
        "network probes ran inside members: {in_members:#?}"
    );
}

impl Drop for EventRecorder {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------------
// Volumes

/// Names of every Docker volume labelled `io.podc.pod=<pod>`, sorted.
#[track_caller]
pub fn volumes_of(pod: &str) -> Vec<String> {
    let filter = format!("label=io.podc.pod={pod}");
    let out = docker_ok(&["volume", "ls", "-q", "--filter", &filter]);
    let mut names: Vec<String> = out.lines().map(str::to_string).collect();
    names.sort();
    names
}

/// Whether the Docker volume `name` exists.
pub fn volume_exists(name: &str) -> bool {
    docker(&["volume", "inspect", name]).success()
}

/// Tears the pod down with `podc down --volumes` when dropped (claims go too). Create it BEFORE
/// `podc up`.
pub struct PodVolumesGuard(pub String);

impl Drop for PodVolumesGuard {
    fn drop(&mut self) {
        let _ = run_command(
            podc_command(&["down", "--volumes", &self.0]),
            Duration::from_secs(120),
        );
    }
}

/// `docker inspect --format FORMAT NAME`, which must succeed; its trimmed output.
#[track_caller]
pub fn inspect(name: &str, format: &str) -> String {
    docker_ok(&["inspect", "--format", format, name])
        .trim()
        .to_string()
}

// ---------------------------------------------------------------------------------------------
// Faults: podc as a child process, its memory

/// `podc ARGS` started as a child (stdin closed, stdout and stderr piped), not waited for.
#[track_caller]
pub fn spawn_podc(args: &[&str]) -> Child {
    podc_command(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start podc {args:?}: {e}"))
}

/// The resident memory (VmRSS) of process `pid` in KiB, or None when it is gone.
pub fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

// ---------------------------------------------------------------------------------------------
// Security: podc with extra environment (a temporary DOCKER_CONFIG, PATH)

/// `podc ARGS` with extra environment variables (e.g. a temporary `DOCKER_CONFIG`).
pub fn podc_env(args: &[&str], env: &[(&str, &str)]) -> PodcRun {
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

// ---------------------------------------------------------------------------------------------
// A registry on loopback

/// A `docker-registry serve` (Debian's) on a free 127.0.0.1 port, with htpasswd auth when a
/// login is given; killed and reaped when dropped.
pub struct LocalRegistry {
    pub port: u16,
    _process: ChildGuard,
    log: PathBuf,
    pub dir: tempfile::TempDir,
    repository: String,
    login: Option<(String, String)>,
}

impl LocalRegistry {
    /// Starts it and waits until `/v2/` answers (200, or 401 with auth on).
    #[track_caller]
    pub fn start(repository: &str, login: Option<(&str, &str)>) -> LocalRegistry {
        let tools: &[&str] = if login.is_some() {
            &["docker-registry", "htpasswd"]
        } else {
            &["docker-registry"]
        };
        for tool in tools {
            let found = Command::new("sh")
                .args(["-c", &format!("command -v {tool}")])
                .output()
                .expect("sh runs");
            assert!(
                found.status.success(),
                "{tool} is not installed: run tests/prepare.sh"
            );
        }
        let dir = temp_dir();
        let mut auth = String::new();
        if let Some((user, password)) = login {
            let made = Command::new("htpasswd")
                .args(["-Bbn", user, password])
                .output()
                .expect("htpasswd runs");
            assert!(made.status.success(), "htpasswd failed: {made:?}");
            let htpasswd = dir.path().join("htpasswd");
            std::fs::write(&htpasswd, &made.stdout).expect("write htpasswd");
            auth = format!(
                "auth:\n  htpasswd:\n    realm: podc-tests\n    path: {}\n",
                htpasswd.display()
            );
        }
        let mut reserved = Port::reserve();
        let config = dir.path().join("config.yml");
        let yaml = format!(
            "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: {}\nhttp:\n  addr: 127.0.0.1:{}\n  secret: podc-tests\n{auth}",
            dir.path().join("data").display(),
            reserved.port
        );
        std::fs::write(&config, yaml).expect("write the registry config");
        let log = dir.path().join("registry.log");
        let log_file = std::fs::File::create(&log).expect("create the registry log");
        let port = reserved.release();
        let child = Command::new("docker-registry")
            .arg("serve")
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("clone the log handle"))
            .stderr(log_file)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start docker-registry: {e}"));
        let registry = LocalRegistry {
            port,
            _process: ChildGuard(child),
            log,
            dir,
            repository: repository.to_string(),
            login: login.map(|(u, p)| (u.to_string(), p.to_string())),
        };
        let ready = if registry.login.is_some() {
            " 401 "
        } else {
            " 200 "
        };
        let up = wait_until(Duration::from_secs(10), || {
            http_get(port, "/v2/").is_some_and(|r| {
                r.lines()
                    .next()
                    .is_some_and(|status| status.contains(ready))
            })
        });
        assert!(
            up,
            "docker-registry never answered{ready}on /v2/ at 127.0.0.1:{port}; its log:\n{}",
            registry.log_text()
        );
        registry
    }

    /// `127.0.0.1:PORT`.
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// `127.0.0.1:PORT/<repository>:TAG`.
    pub fn image(&self, tag: &str) -> String {
        format!("{}/{}:{tag}", self.host(), self.repository)
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Pushes podc/busybox:latest as `image(tag)` (logged in with a temporary DOCKER_CONFIG
    /// when the registry has auth: the machine's own docker login is never touched) and removes
    /// the local tag again.
    #[track_caller]
    pub fn push_busybox(&self, tag: &str) {
        let config = self.dir.path().join("push-config");
        std::fs::create_dir_all(&config).expect("create the push config");
        let config = config.to_str().expect("a UTF-8 temp path").to_string();
        if let Some((user, password)) = &self.login {
            let mut child = Command::new("docker")
                .args([
                    "--config",
                    &config,
                    "login",
                    &self.host(),
                    "-u",
                    user,
                    "--password-stdin",
                ])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("docker login starts");
            child
                .stdin
                .take()
                .expect("piped stdin")
                .write_all(password.as_bytes())
                .expect("write the password");
            let (status, timed_out) = wait_with_timeout(&mut child, Duration::from_secs(60));
            assert!(
                !timed_out && status.is_some_and(|s| s.success()),
                "docker login {} failed; registry log:\n{}",
                self.host(),
                self.log_text()
            );
        }
        let image = self.image(tag);
        docker_ok(&["tag", "podc/busybox:latest", &image]);
        let _untag = ImageGuard(image.clone());
        let pushed = docker(&["--config", &config, "push", &image]);
        assert!(
            pushed.success(),
            "{pushed}\nregistry log:\n{}",
            self.log_text()
        );
    }
}

/// A one-member pod running `image`.
pub fn pod_using(pod: &str, image: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod}\nspec:\n  terminationGracePeriodSeconds: 2\n  containers:\n    - name: idle\n      image: {image}\n      command: [\"sleep\", \"3600\"]\n"
    )
}

/// Whether the daemon has `image` locally.
pub fn image_exists(image: &str) -> bool {
    docker(&["image", "inspect", image]).success()
}

// ---------------------------------------------------------------------------------------------
// A small served pod (faults and races)

/// A pod serving a page from an emptyDir on `port` (127.0.0.1), next to an idle member.
pub fn served_pod(pod: &str, port: u16) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod}\nspec:\n  terminationGracePeriodSeconds: 2\n  volumes:\n    - name: www\n      emptyDir: {{}}\n  containers:\n    - name: web\n      image: podc/busybox:latest\n      command: [\"sh\", \"-c\", \"echo hello-{pod} > /www/index.html; exec httpd -f -p {port} -h /www\"]\n      ports:\n        - containerPort: {port}\n          hostPort: {port}\n          hostIP: 127.0.0.1\n      volumeMounts:\n        - {{name: www, mountPath: /www}}\n    - name: idle\n      image: podc/busybox:latest\n      command: [\"sleep\", \"3600\"]\n"
    )
}

/// Every container a `served_pod` has once `up` finished, sorted.
pub fn full_pod(pod: &str) -> Vec<String> {
    let mut names: Vec<String> = ["POD", "SPEC", "idle", "web"]
        .iter()
        .map(|m| format!("{pod}_{m}"))
        .collect();
    names.sort();
    names
}
