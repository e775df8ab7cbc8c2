//! This machine: temporary files, a reserved port, plain HTTP, polling, clocks, a process's memory.

use super::*;

/// A fresh temporary directory, removed when dropped.
pub(crate) fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("podc-it-")
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

/// A host port held by this test until `release` (call that right before `podc up`).
pub(crate) struct Port {
    pub port: u16,
    listener: Option<TcpListener>,
}

impl Port {
    /// Binds 127.0.0.1:0 and keeps the listener, so no other test gets this port meanwhile.
    pub(crate) fn reserve() -> Port {
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
    pub(crate) fn release(&mut self) -> u16 {
        self.listener = None;
        self.port
    }
}

/// `GET path` on 127.0.0.1:port over HTTP/1.0: the whole response (status line, headers,
/// body), or None when nothing answers properly within a few seconds.
pub(crate) fn http_get(port: u16, path: &str) -> Option<String> {
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
pub(crate) fn wait_until(timeout: Duration, mut condition: impl FnMut() -> bool) -> bool {
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
pub(crate) fn unix_nanos() -> i128 {
    since_epoch().as_nanos() as i128
}

pub(crate) fn unix_timestamp() -> String {
    let now = since_epoch();
    format!("{}.{:09}", now.as_secs(), now.subsec_nanos())
}

/// The resident memory (VmRSS) of process `pid` in KiB, or None when it is gone.
pub(crate) fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
