//! Nothing grows without bound, on the real daemon: a member writing logs as fast as it can
//! (with and without newlines) does not grow podc's memory in the foreground or with
//! `logs -f`; a member crash-looping leaks no container, no volume, and no supervisor memory.

use crate::support::*;
use std::io::Read;
use std::process::Child;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// podc's resident memory may be at most this much...
const MAX_RSS_KIB: u64 = 40 * 1024;
/// ...and grow at most this much between the 2 s and the 10 s samples.
const MAX_GROWTH_KIB: u64 = 10 * 1024;

/// Two members flooding their output: one with lines, one with no newline ever.
fn flood_pod(pod: &str) -> String {
    let line = "x".repeat(100);
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod}\nspec:\n  terminationGracePeriodSeconds: 2\n  containers:\n    - name: lines\n      image: podc/busybox:latest\n      command: [\"sh\", \"-c\", \"while true; do echo {line}; done\"]\n    - name: noeol\n      image: podc/busybox:latest\n      command: [\"sh\", \"-c\", \"while true; do printf {line}; done\"]\n"
    )
}

/// Drains the child's stdout in a thread, counting the bytes.
fn count_stdout(child: &mut Child) -> Arc<AtomicU64> {
    let count = Arc::new(AtomicU64::new(0));
    let mut out = child.stdout.take().expect("stdout is piped");
    let counter = count.clone();
    std::thread::spawn(move || {
        let mut buf = vec![0u8; 64 * 1024];
        while let Ok(n) = out.read(&mut buf) {
            if n == 0 {
                break;
            }
            counter.fetch_add(n as u64, Ordering::Relaxed);
        }
    });
    // stderr too, so a chatty podc never blocks on it.
    if let Some(mut err) = child.stderr.take() {
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut err, &mut std::io::sink());
        });
    }
    count
}

/// Once output flows, samples the RSS of `pid` at 2 s and 10 s; asserts both bounds.
fn assert_bounded_while_flooded(what: &str, pid: u32, bytes: &AtomicU64) {
    let flowing = wait_until(Duration::from_secs(90), || {
        bytes.load(Ordering::Relaxed) > 1_000_000
    });
    assert!(flowing, "{what}: no log output reached podc's stdout");
    let start = Instant::now();
    std::thread::sleep(Duration::from_secs(2));
    let early = rss_kib(pid).unwrap_or_else(|| panic!("{what}: podc is gone"));
    std::thread::sleep(Duration::from_secs(10) - start.elapsed());
    let late = rss_kib(pid).unwrap_or_else(|| panic!("{what}: podc is gone"));
    let streamed = bytes.load(Ordering::Relaxed);
    eprintln!("{what}: VmRSS {early} KiB at 2 s, {late} KiB at 10 s, {streamed} bytes streamed");
    assert!(
        streamed > 10_000_000,
        "{what}: only {streamed} bytes streamed"
    );
    assert!(late < MAX_RSS_KIB, "{what}: VmRSS {late} KiB at 10 s");
    assert!(
        late.saturating_sub(early) < MAX_GROWTH_KIB,
        "{what}: VmRSS grew from {early} KiB to {late} KiB"
    );
}

/// Sends SIGTERM to our own child, by its pid.
fn terminate(child: &Child) {
    let mut cmd = std::process::Command::new("kill");
    cmd.args(["-TERM", &child.id().to_string()]);
    run_or_panic(cmd);
}

#[test]
fn a_flooding_member_does_not_grow_foreground_up() {
    let _daemon = setup();
    let pod = "it-leak-fg";
    let dir = temp_dir();
    let _guard = PodGuard::new(pod);
    let file = write_manifest(dir.path(), "pod.yaml", &flood_pod(pod));
    let mut child = ChildGuard(spawn_podc(&["up", arg(&file)]));
    let bytes = count_stdout(&mut child.0);
    assert_bounded_while_flooded("foreground podc up", child.id(), &bytes);
    terminate(&child.0);
    let (status, timed_out) = wait_with_timeout(&mut child.0, COMMAND_TIMEOUT);
    assert!(!timed_out);
    assert_eq!(status.and_then(|s| s.code()), Some(0));
    assert_nothing_left(pod, &"foreground up after SIGTERM");
}

#[test]
fn a_flooding_member_does_not_grow_logs_follow() {
    let _daemon = setup();
    let pod = "it-leak-logs";
    let dir = temp_dir();
    let _guard = PodGuard::new(pod);
    let file = write_manifest(dir.path(), "pod.yaml", &flood_pod(pod));
    podc(&["up", "-d", arg(&file)]).expect_ok();
    let mut child = ChildGuard(spawn_podc(&["logs", "-f", "--tail", "10", pod]));
    let bytes = count_stdout(&mut child.0);
    assert_bounded_while_flooded("podc logs -f", child.id(), &bytes);
    drop(child);
    podc(&["down", pod]).expect_ok();
    assert_nothing_left(pod, &"logs -f");
}

#[test]
fn a_crash_looping_member_leaks_nothing() {
    let _daemon = setup();
    let pod = "it-leak-crash";
    let dir = temp_dir();
    let _guard = PodGuard::new(pod);
    let yaml = format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod}\nspec:\n  restartPolicy: Always\n  terminationGracePeriodSeconds: 2\n  volumes:\n    - name: scratch\n      emptyDir: {{}}\n  containers:\n    - name: crash\n      image: podc/busybox:latest\n      command: [\"sh\", \"-c\", \"echo boom; exit 3\"]\n      volumeMounts:\n        - {{name: scratch, mountPath: /scratch}}\n    - name: idle\n      image: podc/busybox:latest\n      command: [\"sleep\", \"3600\"]\n"
    );
    let file = write_manifest(dir.path(), "pod.yaml", &yaml);
    podc(&["up", "-d", arg(&file)]).expect_ok();
    let expected: Vec<String> = {
        let mut v: Vec<String> = ["POD", "SPEC", "crash", "idle"]
            .iter()
            .map(|m| format!("{pod}_{m}"))
            .collect();
        v.sort();
        v
    };
    // The host supervisor (shared with the other tests' pods, which only add to its RSS).
    let supervisor = "podc-supervisor";
    let pid: u32 = inspect(supervisor, "{{.State.Pid}}")
        .parse()
        .expect("the supervisor runs");
    std::thread::sleep(Duration::from_secs(3));
    let early = rss_kib(pid).expect("the supervisor runs");
    let volumes = volumes_of(pod);
    assert_eq!(volumes, [format!("{pod}_scratch")]);
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        let found = containers_of(pod);
        assert!(
            found.iter().all(|n| expected.contains(n)) && found.len() <= expected.len(),
            "unexpected containers after {:?}: {found:?}",
            started.elapsed()
        );
        assert_eq!(volumes_of(pod), volumes, "volumes changed");
        std::thread::sleep(Duration::from_secs(2));
    }
    let late = rss_kib(pid).expect("the same supervisor still runs");
    eprintln!("supervisor VmRSS {early} KiB -> {late} KiB");
    assert!(late < MAX_RSS_KIB, "supervisor VmRSS {late} KiB");
    assert!(
        late.saturating_sub(early) < MAX_GROWTH_KIB,
        "supervisor VmRSS grew from {early} KiB to {late} KiB"
    );
    let view = ps_json(pod).expect("the pod is listed");
    // Restarts at once, then after 10 s and 20 s of backoff: at least 3 within the minute
    // (counted by the supervisor: the daemon's event buffer is too short to replay a minute).
    let crash = ps_member(&view, "crash");
    assert!(
        crash["restartCount"].as_u64().unwrap_or(0) >= 3,
        "it did not crash-loop: {view:#}"
    );
    podc(&["down", pod]).expect_ok();
    assert_nothing_left(pod, &"crash loop");
    assert!(volumes_of(pod).is_empty(), "{:?}", volumes_of(pod));
}
