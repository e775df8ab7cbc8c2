//! Faults, on the real daemon: podc SIGKILLed at each step of `up -d`; a half-created pod
//! reconciled by the next `up` (an unreachable daemon is the cli tier's). After each, `podc down POD` removes
//! everything (containers and volumes, found by label) and `podc up -d` converges to one
//! healthy pod.

use crate::support::*;
use std::io::{BufRead, BufReader};
use std::sync::mpsc;
use std::time::Duration;

/// Starts `podc up -d -o json FILE` and SIGKILLs it as soon as it printed an event `at`
/// accepts. Returns the events it printed (up to the kill) and whether the kill happened
/// (false: it finished first).
fn up_killed_when(file: &str, at: impl Fn(&serde_json::Value) -> bool) -> (Vec<String>, bool) {
    let mut child = ChildGuard(spawn_podc(&["up", "-d", "-o", "json", file]));
    let stdout = child.0.stdout.take().expect("stdout is piped");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    let mut killed = false;
    while let Ok(line) = rx.recv_timeout(COMMAND_TIMEOUT) {
        let event: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
        seen.push(line);
        if at(&event) {
            // SIGKILL, by the child's own handle.
            let _ = child.0.kill();
            killed = true;
            break;
        }
    }
    let (status, timed_out) = wait_with_timeout(&mut child.0, COMMAND_TIMEOUT);
    assert!(!timed_out, "podc up did not end: {seen:?}");
    if !killed {
        assert_eq!(
            status.and_then(|s| s.code()),
            Some(0),
            "podc up failed before it was killed: {seen:?}"
        );
    }
    (seen, killed)
}

fn container_event(
    suffix: &'static str,
    state: &'static str,
) -> impl Fn(&serde_json::Value) -> bool {
    move |e| {
        e["event"] == "container"
            && e["state"] == state
            && e["container"].as_str().is_some_and(|c| c.ends_with(suffix))
    }
}

/// Waits until `podc ps` shows the pod Running with every member running, its page served,
/// and exactly its containers and its one volume exist.
#[track_caller]
fn assert_one_healthy_pod(pod: &str, port: u16, context: &dyn std::fmt::Display) {
    let (ok, view) = wait_for_pod(pod, Duration::from_secs(60), |p| {
        p["phase"] == "Running"
            && p["containers"]
                .as_array()
                .is_some_and(|cs| cs.len() == 2 && cs.iter().all(|c| c["state"] == "running"))
    });
    assert!(ok, "pod {pod} did not converge: {view:#?}\n{context}");
    let page = wait_until(Duration::from_secs(20), || {
        http_get(port, "/index.html").is_some_and(|r| r.contains(&format!("hello-{pod}")))
    });
    assert!(
        page,
        "pod {pod} does not serve its page on {port}\n{context}"
    );
    assert_eq!(containers_of(pod), full_pod(pod), "{context}");
    assert_eq!(volumes_of(pod), [format!("{pod}_www")], "{context}");
}

/// Kills `up` at the step `at` picks; then either `down` (which must remove everything) and a
/// fresh `up`, or straight a new `up` (which must reconcile the half-created pod).
fn kill_then_recover(pod: &str, at: impl Fn(&serde_json::Value) -> bool, down_first: bool) {
    let _daemon = setup();
    let dir = temp_dir();
    let _guard = PodGuard::new(pod);
    let mut port = Port::reserve();
    let file = write_manifest(dir.path(), "pod.yaml", &served_pod(pod, port.port));
    let port = port.release();
    let (seen, killed) = up_killed_when(arg(&file), at);
    let context = format!(
        "killed: {killed}; events before the kill:\n{}",
        seen.join("\n")
    );
    // A request the dead client had already sent still completes on the daemon.
    std::thread::sleep(Duration::from_millis(500));
    if down_first {
        let down = podc(&["down", pod]);
        down.expect_ok();
        assert_nothing_left(pod, &format!("{context}\n{down}"));
        assert!(
            volumes_of(pod).is_empty(),
            "volumes of {pod} left after down: {:?}\n{context}\n{down}",
            volumes_of(pod)
        );
    }
    let up = podc(&["up", "-d", arg(&file)]);
    up.expect_ok();
    assert_one_healthy_pod(pod, port, &format!("{context}\n{up}"));
    podc(&["down", pod]).expect_ok();
    assert_nothing_left(pod, &context);
    assert!(volumes_of(pod).is_empty(), "{:?}", volumes_of(pod));
}

#[test]
fn sigkill_before_the_pause_exists_then_down_and_up() {
    kill_then_recover("it-fault-k1", container_event("_POD", "creating"), true);
}

#[test]
fn sigkill_after_the_pause_then_down_and_up() {
    kill_then_recover("it-fault-k2", container_event("_POD", "running"), true);
}

#[test]
fn sigkill_mid_members_then_down_and_up() {
    kill_then_recover("it-fault-k3", container_event("_web", "starting"), true);
}

#[test]
fn sigkill_once_the_pod_runs_then_down_and_up() {
    let running = |e: &serde_json::Value| {
        e["event"] == "pod"
            && e["message"]
                .as_str()
                .is_some_and(|m| m.contains("is running"))
    };
    kill_then_recover("it-fault-k4", running, true);
}

#[test]
fn sigkill_before_the_pause_exists_then_up_reconciles() {
    kill_then_recover("it-fault-r1", container_event("_POD", "creating"), false);
}

#[test]
fn sigkill_after_the_pause_then_up_rebuilds_the_half_created_pod() {
    kill_then_recover("it-fault-r2", container_event("_POD", "running"), false);
}

#[test]
fn sigkill_mid_members_then_up_rebuilds_the_half_created_pod() {
    kill_then_recover("it-fault-r3", container_event("_web", "starting"), false);
}

#[test]
fn sigkill_once_the_pod_runs_then_up_completes_the_pod() {
    let running = |e: &serde_json::Value| {
        e["event"] == "pod"
            && e["message"]
                .as_str()
                .is_some_and(|m| m.contains("is running"))
    };
    kill_then_recover("it-fault-r4", running, false);
}

#[test]
fn a_half_created_pod_is_rebuilt_by_up_and_says_why() {
    let _daemon = setup();
    let pod = "it-fault-half";
    let dir = temp_dir();
    let _guard = PodGuard::new(pod);
    let mut port = Port::reserve();
    let file = write_manifest(dir.path(), "pod.yaml", &served_pod(pod, port.port));
    let port = port.release();
    // Pause and web exist, idle and the spec record do not: what a kill mid-members leaves.
    let (seen, killed) = up_killed_when(arg(&file), container_event("_web", "running"));
    std::thread::sleep(Duration::from_millis(500));
    let _ = docker(&["rm", "-f", &format!("{pod}_idle"), &format!("{pod}_SPEC")]);
    let context = format!("killed: {killed}\n{}", seen.join("\n"));
    assert!(
        containers_of(pod).contains(&format!("{pod}_POD")),
        "{:?}\n{context}",
        containers_of(pod)
    );
    let up = podc(&["up", "-d", arg(&file)]);
    up.expect_ok()
        .expect_stdout_contains("rebuilding it: it was left half-created");
    assert_one_healthy_pod(pod, port, &format!("{context}\n{up}"));
}
