//! Races between podc processes on one pod, on the real daemon: two `up -d` of the same file at
//! the same moment make one pod (the second waits for the first, then finds it running and
//! unchanged, exit 0); a `down` racing an `up` leaves nothing behind.

use crate::support::*;
use std::io::{BufRead, BufReader};
use std::process::Child;
use std::time::Duration;

/// Waits for a spawned podc; its exit code and output.
fn finish(mut child: Child) -> (Option<i32>, String, String) {
    let out = child.stdout.take();
    let err = child.stderr.take();
    let read = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_string(&mut text);
            }
            text
        })
    };
    let out = read(out.map(|p| Box::new(p) as Box<dyn std::io::Read + Send>));
    let err = read(err.map(|p| Box::new(p) as Box<dyn std::io::Read + Send>));
    let mut guard = ChildGuard(child);
    let (status, timed_out) = wait_with_timeout(&mut guard.0, COMMAND_TIMEOUT);
    assert!(!timed_out, "podc did not finish in time");
    (
        status.and_then(|s| s.code()),
        out.join().unwrap_or_default(),
        err.join().unwrap_or_default(),
    )
}

#[test]
fn two_ups_at_the_same_moment_make_one_pod() {
    let _daemon = setup();
    let pod = "it-race-upup";
    let dir = temp_dir();
    let _guard = PodGuard::new(pod);
    let mut port = Port::reserve();
    let file = write_manifest(dir.path(), "pod.yaml", &served_pod(pod, port.port));
    let port = port.release();
    let a = spawn_podc(&["up", "-d", arg(&file)]);
    let b = spawn_podc(&["up", "-d", arg(&file)]);
    let (a, b) = (finish(a), finish(b));
    let both = format!("--- first ---\n{a:?}\n--- second ---\n{b:?}");
    assert_eq!((a.0, b.0), (Some(0), Some(0)), "{both}");
    let created = [&a, &b]
        .iter()
        .filter(|r| r.1.contains(&format!("pod {pod} is running")))
        .count();
    let unchanged = [&a, &b]
        .iter()
        .filter(|r| r.1.contains("already running and unchanged"))
        .count();
    assert_eq!((created, unchanged), (1, 1), "{both}");
    assert_eq!(containers_of(pod), full_pod(pod), "{both}");
    assert_eq!(volumes_of(pod), [format!("{pod}_www")], "{both}");
    let (ok, view) = wait_for_pod(pod, Duration::from_secs(30), |p| p["phase"] == "Running");
    assert!(ok, "{view:#?}\n{both}");
    assert!(
        wait_until(Duration::from_secs(20), || http_get(port, "/")
            .is_some_and(|r| r.contains(&format!("hello-{pod}")))),
        "{both}"
    );
    podc(&["down", pod]).expect_ok();
    assert_nothing_left(pod, &both);
    assert!(volumes_of(pod).is_empty(), "{:?}", volumes_of(pod));
}

#[test]
fn down_during_up_waits_for_it_and_leaves_nothing() {
    let _daemon = setup();
    let pod = "it-race-updown";
    let dir = temp_dir();
    let _guard = PodGuard::new(pod);
    let mut port = Port::reserve();
    let file = write_manifest(dir.path(), "pod.yaml", &served_pod(pod, port.port));
    port.release();
    let mut up = spawn_podc(&["up", "-d", "-o", "json", arg(&file)]);
    // Read up's progress until its pause runs: the pod is half made.
    let stdout = up.stdout.take().expect("stdout is piped");
    let mut lines = BufReader::new(stdout).lines();
    let mut seen = Vec::new();
    for line in lines.by_ref().map_while(Result::ok) {
        let mid = line.contains(&format!("\"{pod}_POD\"")) && line.contains("\"running\"");
        seen.push(line);
        if mid {
            break;
        }
    }
    let rest = std::thread::spawn(move || lines.map_while(Result::ok).collect::<Vec<_>>());
    let down = podc(&["down", pod]);
    let (code, _, err) = finish(up);
    seen.extend(rest.join().unwrap_or_default());
    let context = format!("up exited {code:?}: {}\n{err}\n{down}", seen.join("\n"));
    down.expect_ok();
    assert_eq!(code, Some(0), "{context}");
    // Nothing left, with no second `down`: this one waited for the `up`.
    assert_nothing_left(pod, &context);
    assert!(
        volumes_of(pod).is_empty(),
        "{:?}\n{context}",
        volumes_of(pod)
    );
}

#[test]
fn down_and_up_at_the_same_moment_leave_no_orphans() {
    let _daemon = setup();
    let pod = "it-race-both";
    let dir = temp_dir();
    let _guard = PodGuard::new(pod);
    let mut port = Port::reserve();
    let file = write_manifest(dir.path(), "pod.yaml", &served_pod(pod, port.port));
    port.release();
    for round in 0..3 {
        let up = spawn_podc(&["up", "-d", arg(&file)]);
        let down = spawn_podc(&["down", pod]);
        let (up, down) = (finish(up), finish(down));
        let context = format!("round {round}\nup: {up:?}\ndown: {down:?}");
        assert_eq!(down.0, Some(0), "{context}");
        assert_eq!(up.0, Some(0), "{context}");
        // Whichever went first, the pod is whole or gone: never a part of it.
        let left = containers_of(pod);
        assert!(
            left.is_empty() || left == full_pod(pod),
            "orphans: {left:?}\n{context}"
        );
        // The documented way to end: one more `down` removes whatever `up` made.
        podc(&["down", pod]).expect_ok();
        assert_nothing_left(pod, &context);
        assert!(
            volumes_of(pod).is_empty(),
            "{:?}\n{context}",
            volumes_of(pod)
        );
    }
}
