//! The embedded pause program run for real: its probe modes against local servers.

use super::*;
use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A scratch directory removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "podc-pause-test-{tag}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn written(tag: &str) -> (TempDir, PathBuf) {
    let dir = TempDir::new(tag);
    let path = dir.0.join("pause");
    write_to(&path).unwrap();
    (dir, path)
}

/// Spawns a Command, retrying while the kernel reports ETXTBSY: another test
/// thread may still hold a write descriptor to it inherited across its fork.
fn spawn(cmd: &mut Command) -> Child {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match cmd.spawn() {
            Err(e) if e.raw_os_error() == Some(26) && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20))
            }
            other => return other.unwrap(),
        }
    }
}

fn wait_with_timeout(child: &mut Child, timeout: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("pause did not exit within {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Reads stderr until `needle` shows up (the warning is written before
/// the signals are blocked, so seeing it means pause is about to wait).
fn read_stderr_until(child: &mut Child, needle: &str) -> String {
    let mut stderr = child.stderr.take().unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 256];
    while !String::from_utf8_lossy(&seen).contains(needle) {
        let n = stderr.read(&mut buf).unwrap();
        assert!(
            n > 0,
            "stderr closed early: {:?}",
            String::from_utf8_lossy(&seen)
        );
        seen.extend_from_slice(&buf[..n]);
    }
    child.stderr = Some(stderr);
    String::from_utf8(seen).unwrap()
}

const WARNING: &str =
    "pause: warning: not running as PID 1, orphaned processes will not be reaped\n";

#[test]
fn write_to_makes_an_executable_copy() {
    let (_dir, path) = written("write");
    assert_eq!(std::fs::read(&path).unwrap(), PAUSE_BINARY);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o755);
    // Writing again over an existing file works too.
    write_to(&path).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), PAUSE_BINARY);
}

#[test]
fn version_flag_prints_version_and_exits_zero() {
    let (_dir, path) = written("version");
    let child = spawn(
        Command::new(&path)
            .arg("-v")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
    );
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("pause.podc {}\n", env!("CARGO_PKG_VERSION"))
    );
}

fn runs_until_signal(tag: &str, signal: &str) {
    let (_dir, path) = written(tag);
    let mut child = spawn(
        Command::new(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::piped()),
    );
    assert_eq!(read_stderr_until(&mut child, WARNING), WARNING);

    std::thread::sleep(Duration::from_millis(200));
    assert!(
        child.try_wait().unwrap().is_none(),
        "pause exited on its own"
    );

    let kill = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = wait_with_timeout(&mut child, Duration::from_secs(5));
    assert_eq!(status.code(), Some(0), "{status:?}");
}

#[test]
fn runs_as_a_child_and_exits_zero_on_sigterm() {
    runs_until_signal("term", "TERM");
}

#[test]
fn runs_as_a_child_and_exits_zero_on_sigint() {
    runs_until_signal("int", "INT");
}

/// Runs a probe mode of the pause program; returns its exit code, stdout,
/// stderr and how long it ran.
fn run_probe(path: &Path, args: &[&str]) -> (Option<i32>, String, String, Duration) {
    let (code, stdout, stderr, elapsed) = run_with_input(path, args, None);
    (
        code,
        String::from_utf8_lossy(&stdout).into_owned(),
        stderr,
        elapsed,
    )
}

/// Runs the pause program with `input` on its stdin (closed after it; none without).
fn run_with_input(
    path: &Path,
    args: &[&str],
    input: Option<&[u8]>,
) -> (Option<i32>, Vec<u8>, String, Duration) {
    let start = Instant::now();
    let mut child = spawn(
        Command::new(path)
            .args(args)
            .stdin(match input {
                Some(_) => Stdio::piped(),
                None => Stdio::null(),
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
    );
    if let Some(input) = input {
        // Dropping stdin after the input is the end of input.
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    // The tests' outputs stay below a pipe's capacity, so it cannot fill up while waiting.
    let status = wait_with_timeout(&mut child, Duration::from_secs(10));
    let elapsed = start.elapsed();
    let mut stdout = Vec::new();
    let mut stderr = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_end(&mut stdout)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (status.code(), stdout, stderr, elapsed)
}

/// A one-shot HTTP server on 127.0.0.1: it reads one request head, answers
/// `response` and closes. The thread returns the request head it read.
fn http_server(response: &'static [u8]) -> (u16, std::thread::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        conn.set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut head = Vec::new();
        let mut buf = [0u8; 1024];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = conn.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            head.extend_from_slice(&buf[..n]);
        }
        conn.write_all(response).unwrap();
        String::from_utf8_lossy(&head).into_owned()
    });
    (port, handle)
}

/// A port on 127.0.0.1 that nothing listens on (bound once, then released).
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn probe_tcp_connects_to_a_listener() {
    let (_dir, path) = written("tcp-ok");
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let (code, stdout, stderr, _) = run_probe(&path, &["probe-tcp", "127.0.0.1", &port, "2000"]);
    assert_eq!(code, Some(0), "stdout {stdout:?} stderr {stderr:?}");
    // No "not PID 1" warning (or anything else) in probe modes.
    assert_eq!((stdout.as_str(), stderr.as_str()), ("", ""));
}

#[test]
fn probe_tcp_reports_connection_refused() {
    let (_dir, path) = written("tcp-refused");
    let port = closed_port().to_string();
    let (code, stdout, stderr, _) = run_probe(&path, &["probe-tcp", "127.0.0.1", &port, "2000"]);
    assert_eq!(code, Some(1), "stdout {stdout:?} stderr {stderr:?}");
    assert_eq!(
        stderr,
        format!("tcp 127.0.0.1:{port}: connection refused\n")
    );
    assert_eq!(stdout, "");
}

#[test]
fn probe_tcp_times_out_when_the_accept_queue_is_full() {
    use socket2::{Domain, Socket, Type};

    let (_dir, path) = written("tcp-timeout");
    // A backlog of 0 (std listens with a large one): one pending connection fills the
    // accept queue and later SYNs are dropped.
    let listener = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    let bind: std::net::SocketAddr = "127.0.0.1:0".parse().unwrap();
    listener.bind(&bind.into()).unwrap();
    listener.listen(0).unwrap();
    let addr = listener.local_addr().unwrap().as_socket().unwrap();
    let _filler = TcpStream::connect(addr).unwrap();
    // Let the listener take in the filler's handshake before probing.
    std::thread::sleep(Duration::from_millis(100));

    let port = addr.port().to_string();
    let (code, stdout, stderr, elapsed) =
        run_probe(&path, &["probe-tcp", "127.0.0.1", &port, "300"]);
    assert_eq!(code, Some(1), "stdout {stdout:?} stderr {stderr:?}");
    assert_eq!(
        stderr,
        format!("tcp 127.0.0.1:{port}: timed out after 300 ms\n")
    );
    assert!(
        elapsed >= Duration::from_millis(250) && elapsed < Duration::from_secs(5),
        "took {elapsed:?}"
    );
}

#[test]
fn probe_http_200_succeeds_and_sends_the_expected_request() {
    let (_dir, path) = written("http-200");
    let (port, server) = http_server(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    let port_s = port.to_string();
    let (code, stdout, stderr, _) = run_probe(
        &path,
        &[
            "probe-http",
            "127.0.0.1",
            &port_s,
            "/healthz?x=1",
            "2000",
            "X-Probe:yes",
        ],
    );
    assert_eq!(code, Some(0), "stdout {stdout:?} stderr {stderr:?}");
    // Joined only now: had the probe not connected, accept would still wait.
    let request = server.join().unwrap();
    assert_eq!(stdout, "HTTP/1.1 200 OK\n");
    assert_eq!(stderr, "");

    let mut lines = request.split("\r\n");
    let request_line = lines.next().unwrap();
    assert!(
        request_line == "GET /healthz?x=1 HTTP/1.1" || request_line == "GET /healthz?x=1 HTTP/1.0",
        "{request:?}"
    );
    let headers: Vec<&str> = lines.take_while(|l| !l.is_empty()).collect();
    for expected in [
        format!("Host: 127.0.0.1:{port}"),
        "User-Agent: kube-probe/podc".to_string(),
        "Accept: */*".to_string(),
        "X-Probe: yes".to_string(),
    ] {
        assert!(
            headers.contains(&expected.as_str()),
            "{expected:?} missing: {request:?}"
        );
    }
}

#[test]
fn probe_http_503_fails_with_the_kubernetes_message() {
    let (_dir, path) = written("http-503");
    let (port, server) = http_server(b"HTTP/1.1 503 Service Unavailable\r\n\r\n");
    let port = port.to_string();
    let (code, stdout, stderr, _) =
        run_probe(&path, &["probe-http", "127.0.0.1", &port, "/", "2000"]);
    assert_eq!(code, Some(1), "stdout {stdout:?} stderr {stderr:?}");
    server.join().unwrap();
    assert_eq!(stdout, "HTTP probe failed with statuscode: 503\n");
}

#[test]
fn probe_http_redirect_counts_as_success() {
    let (_dir, path) = written("http-301");
    let (port, server) =
        http_server(b"HTTP/1.0 301 Moved Permanently\r\nLocation: http://elsewhere/\r\n\r\n");
    let port = port.to_string();
    let (code, stdout, stderr, _) =
        run_probe(&path, &["probe-http", "127.0.0.1", &port, "/", "2000"]);
    assert_eq!(code, Some(0), "stdout {stdout:?} stderr {stderr:?}");
    server.join().unwrap();
    assert_eq!(stdout, "HTTP/1.0 301 Moved Permanently\n");
}

#[test]
fn probe_http_fails_on_a_garbage_response() {
    let (_dir, path) = written("http-garbage");
    let (port, server) = http_server(b"SSH-2.0-OpenSSH_9.6\r\n");
    let port = port.to_string();
    let (code, stdout, stderr, _) =
        run_probe(&path, &["probe-http", "127.0.0.1", &port, "/", "2000"]);
    assert_eq!(code, Some(1), "stdout {stdout:?} stderr {stderr:?}");
    server.join().unwrap();
    assert_eq!(
        stderr,
        format!("http://127.0.0.1:{port}/: malformed HTTP status line: SSH-2.0-OpenSSH_9.6\n")
    );
    assert_eq!(stdout, "");
}

#[test]
fn probe_http_times_out_on_a_silent_server() {
    let (_dir, path) = written("http-silent");
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    // Accept, then say nothing until the probe gives up and closes.
    let server = std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        conn.set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut sink = Vec::new();
        let _ = conn.read_to_end(&mut sink);
    });
    let (code, stdout, stderr, elapsed) =
        run_probe(&path, &["probe-http", "127.0.0.1", &port, "/", "300"]);
    assert_eq!(code, Some(1), "stdout {stdout:?} stderr {stderr:?}");
    server.join().unwrap();
    assert_eq!(
        stderr,
        format!("http://127.0.0.1:{port}/: timed out after 300 ms\n")
    );
    assert!(
        elapsed >= Duration::from_millis(250) && elapsed < Duration::from_secs(5),
        "took {elapsed:?}"
    );
}

#[test]
fn probe_http_reports_connection_refused() {
    let (_dir, path) = written("http-refused");
    let port = closed_port().to_string();
    let (code, _, stderr, _) = run_probe(
        &path,
        &["probe-http", "127.0.0.1", &port, "healthz", "2000"],
    );
    assert_eq!(code, Some(1), "{stderr:?}");
    assert_eq!(
        stderr,
        format!("http://127.0.0.1:{port}/healthz: connection refused\n")
    );
}

/// Runs `pause relay` to `port` with `input` on its stdin.
fn run_relay(path: &Path, port: &str, ms: &str, input: &[u8]) -> (Option<i32>, Vec<u8>, String) {
    let args = ["relay", "127.0.0.1", port, ms];
    let (code, stdout, stderr, _) = run_with_input(path, &args, Some(input));
    (code, stdout, stderr)
}

#[test]
fn relay_copies_both_ways_and_passes_on_the_end_of_input() {
    let (_dir, path) = written("relay-echo");
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    // Answers only once the request ended (the relay half-closed), with every byte value
    // and more than the relay's 4096-byte buffer.
    let server = std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        let mut request = Vec::new();
        conn.read_to_end(&mut request).unwrap();
        let mut reply = b"got ".to_vec();
        reply.extend_from_slice(&request);
        reply.extend((0..=255u8).cycle().take(10_000));
        conn.write_all(&reply).unwrap();
        reply
    });
    let input: Vec<u8> = (0..=255u8).rev().cycle().take(9_000).collect();
    let (code, stdout, stderr) = run_relay(&path, &port, "5000", &input);
    let reply = server.join().unwrap();
    assert_eq!(code, Some(0), "stderr {stderr:?}");
    assert_eq!(stderr, "");
    assert_eq!(&reply[4..4 + input.len()], &input[..]);
    assert!(
        stdout == reply,
        "the relay's stdout differs from what the server sent"
    );
}

#[test]
fn relay_reports_connection_refused_and_gives_up_at_its_deadline() {
    let (_dir, path) = written("relay-fail");
    let port = closed_port().to_string();
    let (code, stdout, stderr) = run_relay(&path, &port, "2000", b"");
    assert_eq!(code, Some(1), "{stderr:?}");
    assert!(stdout.is_empty());
    assert_eq!(
        stderr,
        format!("tcp 127.0.0.1:{port}: connection refused\n")
    );

    // A server that never answers nor closes: the relay ends at its deadline.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let started = Instant::now();
    let (code, _, stderr) = run_relay(&path, &port, "300", b"hello");
    assert_eq!(code, Some(1), "{stderr:?}");
    assert_eq!(
        stderr,
        format!("tcp 127.0.0.1:{port}: timed out after 300 ms\n")
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    drop(listener);
}

#[test]
fn probe_bad_usage_exits_2() {
    let (_dir, path) = written("probe-usage");
    let too_long = format!("/{}", "x".repeat(5000));
    let cases: &[&[&str]] = &[
        &["probe-tcp"],
        &["probe-tcp", "127.0.0.1", "80"],
        &["probe-tcp", "127.0.0.1", "80", "1000", "extra"],
        &["probe-tcp", "localhost", "80", "1000"],
        &["probe-tcp", "127.0.0.256", "80", "1000"],
        &["probe-tcp", "127.0.0", "80", "1000"],
        &["probe-tcp", "127.0.0.1.1", "80", "1000"],
        &["probe-tcp", "127.0.0.01", "80", "1000"],
        &["relay"],
        &["relay", "127.0.0.1", "80"],
        &["relay", "127.0.0.1", "80", "1000", "extra"],
        &["relay", "127.0.0.1", "0", "1000"],
        &["probe-tcp", "127.0.0.1", "0", "1000"],
        &["probe-tcp", "127.0.0.1", "65536", "1000"],
        &["probe-tcp", "127.0.0.1", "http", "1000"],
        &["probe-tcp", "127.0.0.1", "80", "0"],
        &["probe-tcp", "127.0.0.1", "80", "-5"],
        &["probe-tcp", "127.0.0.1", "80", "99999999999"],
        &["probe-http", "127.0.0.1", "80", "/"],
        &["probe-http", "127.0.0.1", "80", "/", "1s"],
        &["probe-http", "127.0.0.1", "80", "/", "1000", "NoColon"],
        &["probe-http", "127.0.0.1", "80", "/", "1000", ":value"],
        &["probe-http", "127.0.0.1", "80", "/", "1000", "Bad Name:v"],
        &[
            "probe-http",
            "127.0.0.1",
            "80",
            "/",
            "1000",
            "X-A:b\r\nX-B:c",
        ],
        &["probe-http", "127.0.0.1", "80", &too_long, "1000"],
    ];
    for args in cases {
        let (code, stdout, stderr, _) = run_probe(&path, args);
        assert_eq!(
            code,
            Some(2),
            "{args:?}: stdout {stdout:?} stderr {stderr:?}"
        );
        assert!(
            stderr.contains("usage: pause") || stderr.contains("does not fit"),
            "{args:?}: {stderr:?}"
        );
        assert!(!stderr.contains("PID 1"), "{args:?}: {stderr:?}");
    }
}

#[test]
fn binary_is_small_and_static() {
    let elf = PAUSE_BINARY;
    assert!(elf.len() < 16 * 1024, "pause is {} bytes", elf.len());
    assert_eq!(&elf[..4], b"\x7fELF");
    assert_eq!(elf[4], 2, "expected a 64-bit ELF");
    assert_eq!(elf[5], 1, "expected little-endian");
    let u16_at = |off: usize| u16::from_le_bytes([elf[off], elf[off + 1]]) as usize;
    let u32_at = |off: usize| u32::from_le_bytes(elf[off..off + 4].try_into().unwrap());
    let u64_at = |off: usize| u64::from_le_bytes(elf[off..off + 8].try_into().unwrap());

    // ET_EXEC: a fixed-address executable, not a PIE that needs relocating.
    assert_eq!(u16_at(16), 2, "e_type");
    let phoff = u64_at(32) as usize;
    let phentsize = u16_at(54);
    let phnum = u16_at(56);
    assert!(phnum > 0);
    const PT_LOAD: u32 = 1;
    const PT_DYNAMIC: u32 = 2;
    const PT_INTERP: u32 = 3;
    let types: Vec<u32> = (0..phnum).map(|i| u32_at(phoff + i * phentsize)).collect();
    assert!(types.contains(&PT_LOAD), "{types:?}");
    assert!(
        !types.contains(&PT_INTERP),
        "pause has a dynamic loader: {types:?}"
    );
    assert!(
        !types.contains(&PT_DYNAMIC),
        "pause is dynamically linked: {types:?}"
    );
}
