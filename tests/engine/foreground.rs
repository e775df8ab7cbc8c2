//! `podc up FILE` in the foreground: it streams the members' logs, each line prefixed with its
//! container's name, until SIGINT or SIGTERM, then tears the pod down and exits 0.

use crate::support::*;
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn pod_yaml(pod: &str, marker: &str) -> String {
    format!(
        r#"apiVersion: v1
kind: Pod
metadata:
  name: {pod}
spec:
  terminationGracePeriodSeconds: 5
  containers:
    - name: talker
      image: podc/busybox:latest
      command: ["sh", "-c", 'trap "exit 0" TERM; echo {marker}; while true; do sleep 0.2; done']
    - name: quiet
      image: podc/busybox:latest
      command: ["sh", "-c", 'trap "exit 0" TERM; while true; do sleep 0.2; done']
"#
    )
}

/// Runs `podc up FILE` in the foreground, waits for the marker line, sends `signal` with
/// kill(1), and checks podc tears the pod down and exits 0.
fn foreground_then(signal: &str, pod: &str) {
    let _daemon = setup();
    let marker = format!("{pod}-marker-{}", std::process::id());
    let dir = temp_dir();
    let file = write_manifest(dir.path(), "fg.yaml", &pod_yaml(pod, &marker));
    let _guard = PodGuard::new(pod);

    let mut cmd = podc_command(&["up", arg(&file)]);
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = ChildGuard(cmd.spawn().expect("spawn podc up"));
    let stdout = child.0.stdout.take().expect("piped stdout");
    let mut stderr = child.0.stderr.take().expect("piped stderr");
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let (tx, rx) = mpsc::channel::<String>();
    let reader = {
        let seen = Arc::clone(&seen);
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                seen.lock().unwrap().push(line.clone());
                let _ = tx.send(line);
            }
        })
    };
    let err_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let transcript = |seen: &Arc<Mutex<Vec<String>>>| seen.lock().unwrap().join("\n");

    // The marker, prefixed with its container's name: "talker | <marker>".
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut prefixed = None;
    while prefixed.is_none() && Instant::now() < deadline {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(line) if line.contains(&marker) => prefixed = Some(line),
            Ok(_) | Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    let Some(line) = prefixed else {
        panic!(
            "podc up never printed the marker {marker}; its stdout so far:\n{}",
            transcript(&seen)
        );
    };
    let (name, text) = line
        .split_once(" | ")
        .unwrap_or_else(|| panic!("log line without a container prefix: {line:?}"));
    assert_eq!(name.trim(), "talker", "wrong prefix in {line:?}");
    assert_eq!(
        text, marker,
        "the log line is not the member's output: {line:?}"
    );
    assert_pod_has(pod, &["talker", "quiet"]);

    let pid = child.id().to_string();
    let kill = Command::new("kill")
        .args([signal, &pid])
        .status()
        .expect("run kill");
    assert!(kill.success(), "kill {signal} {pid} failed");

    let (status, timed_out) = wait_with_timeout(&mut child.0, Duration::from_secs(60));
    let _ = reader.join();
    let stderr = err_reader.join().unwrap_or_default();
    let report = format!(
        "--- stdout ---\n{}\n--- stderr ---\n{stderr}",
        transcript(&seen)
    );
    assert!(
        !timed_out,
        "podc up did not exit within 60s of {signal}\n{report}"
    );
    assert_eq!(
        status.and_then(|s| s.code()),
        Some(0),
        "podc up should exit 0 after {signal}, got {status:?}\n{report}"
    );
    assert_nothing_left(pod, &report);
}

#[test]
fn foreground_up_streams_prefixed_logs_and_sigint_tears_down() {
    foreground_then("-INT", "it-fg-int");
}

#[test]
fn foreground_up_streams_prefixed_logs_and_sigterm_tears_down() {
    foreground_then("-TERM", "it-fg-term");
}
