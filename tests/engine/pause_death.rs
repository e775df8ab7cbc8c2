//! The host supervisor: it rebuilds the whole pod when the pause dies, and `podc up` of a
//! running pod that lost its spec record writes a new one, and the supervisor takes the pod
//! over without touching the members.

use crate::support::*;
use std::time::{Duration, Instant};

/// busybox httpd serving `marker` on port 8080 in the pod, published on 127.0.0.1:`port`, and
/// an idle sidecar.
fn served_pod(pod: &str, port: u16, marker: &str) -> String {
    format!(
        r#"apiVersion: v1
kind: Pod
metadata:
  name: {pod}
spec:
  terminationGracePeriodSeconds: 1
  containers:
    - name: web
      image: podc/busybox:latest
      command: ["sh", "-c", "mkdir -p /www && echo {marker} > /www/index.html && exec httpd -f -p 8080 -h /www"]
      ports:
        - containerPort: 8080
          hostPort: {port}
          hostIP: 127.0.0.1
    - name: side
      image: podc/busybox:latest
      command: ["sleep", "3600"]
"#
    )
}

fn serves(port: u16, marker: &str) -> bool {
    http_get(port, "/").is_some_and(|r| r.contains(marker))
}

#[test]
fn killed_pause_rebuilds_the_pod_serving_again_with_new_containers() {
    // Alone: it expects the whole rebuild (every member) done once `web` serves again, which
    // other tests' load delayed past that moment when they ran beside it.
    let _daemon = setup_alone();
    let pod = "it-pause-death";
    let marker = format!("{pod}-marker-{}", std::process::id());
    let dir = temp_dir();
    let mut port = Port::reserve();
    let file = write_manifest(dir.path(), "pod.yaml", &served_pod(pod, port.port, &marker));
    let _guard = PodGuard::new(pod);
    let port = port.release();

    let up = podc(&["up", "-d", arg(&file)]);
    up.expect_ok();
    assert!(
        wait_until(Duration::from_secs(10), || serves(port, &marker)),
        "the pod never served on 127.0.0.1:{port}\n{up}"
    );
    let names = ["POD", "web", "side"].map(|n| format!("{pod}_{n}"));
    let before: Vec<String> = names
        .iter()
        .map(|n| container_id(n).unwrap_or_else(|| panic!("no container {n}\n{up}")))
        .collect();

    docker_ok(&["kill", &names[0]]);
    let killed = Instant::now();
    let back = wait_until(Duration::from_secs(20), || {
        container_id(&names[0]).is_some_and(|id| id != before[0]) && serves(port, &marker)
    });
    let took = killed.elapsed();
    let view = ps_json(pod);
    assert!(
        back,
        "20s after `docker kill {}` the pod does not serve on 127.0.0.1:{port} from a new pause; \
         containers: {:?}\n{view:#?}",
        names[0],
        containers_of(pod)
    );
    let view = view.unwrap_or_else(|| panic!("podc ps does not list pod {pod}"));

    for (name, old) in names.iter().zip(&before) {
        let now = container_id(name);
        assert!(
            now.as_deref().is_some_and(|id| id != old),
            "{name} was not recreated by the rebuild: {old} before, {now:?} after\n{view:#}"
        );
        assert_eq!(
            container_state(name).as_deref(),
            Some("running"),
            "{name}\n{view:#}"
        );
    }
    assert_eq!(view["podRestarts"], 1, "{view:#}");
    assert_eq!(view["phase"], "Running", "{view:#}");
    let expected: Vec<String> = ["POD", "SPEC", "side", "web"]
        .iter()
        .map(|n| format!("{pod}_{n}"))
        .collect();
    assert_eq!(
        containers_of(pod),
        expected,
        "after the rebuild ({took:?}) the pod has other containers than one of each"
    );
}

#[test]
fn up_takes_over_a_pod_whose_spec_record_was_lost() {
    let _daemon = setup();
    let pod = "it-pause-takeover";
    let marker = format!("{pod}-marker-{}", std::process::id());
    let dir = temp_dir();
    let mut port = Port::reserve();
    let file = write_manifest(dir.path(), "pod.yaml", &served_pod(pod, port.port, &marker));
    let _guard = PodGuard::new(pod);
    port.release();

    podc(&["up", "-d", arg(&file)]).expect_ok();
    let record = format!("{pod}_SPEC");
    assert_eq!(
        container_state(&record).as_deref(),
        Some("created"),
        "podc up -d wrote no spec record {record}; pod: {:?}",
        containers_of(pod)
    );
    let supervised = |view: &serde_json::Value| view["supervised"].as_bool();
    let (reported, view) = wait_for_pod(pod, Duration::from_secs(10), |p| {
        supervised(p) == Some(true)
    });
    assert!(
        reported,
        "the supervisor never reported on the pod: {view:#?}"
    );
    let old_record = container_id(&record).expect("it exists");
    let names = ["POD", "web", "side"].map(|n| format!("{pod}_{n}"));
    let before: Vec<Option<String>> = names.iter().map(|n| container_id(n)).collect();

    // The record is lost: nobody supervises the pod, and `ps` says so; `up` of the same file
    // writes a new one and the supervisor takes the same pod in hand.
    docker_ok(&["rm", "-f", &record]);
    assert_eq!(container_state(&record), None, "docker rm -f failed");
    let view = ps_json(pod).expect("the pod is listed");
    assert_eq!(supervised(&view), Some(false), "{view:#}");
    let listed = podc(&["ps", pod]);
    listed
        .expect_ok()
        .expect_stdout_contains("run `podc up` again to supervise it");
    let again = podc(&["up", "-d", arg(&file)]);
    again
        .expect_ok()
        .expect_stdout_contains(&format!("pod {pod}: updating its supervisor"));
    let new_record = container_id(&record);
    assert!(
        new_record.as_deref().is_some_and(|id| id != old_record),
        "podc up did not write {record} again: {new_record:?}\n{again}"
    );
    let view = ps_json(pod).expect("the pod is listed");
    assert_eq!(
        supervised(&view),
        Some(true),
        "up returned before the supervisor reported: {view:#}"
    );
    let after: Vec<Option<String>> = names.iter().map(|n| container_id(n)).collect();
    assert_eq!(
        after, before,
        "podc up recreated the pod's containers instead of taking it over\n{again}"
    );

    // The new supervisor is in charge: a member killed now is restarted by it.
    let side = &names[2];
    docker_ok(&["kill", side]);
    let (restarted, view) = wait_for_pod(pod, Duration::from_secs(15), |p| {
        find_member(p, "side").and_then(|m| m["restartCount"].as_u64()) >= Some(1)
            && container_id(side).is_some_and(|id| Some(&id) != before[2].as_ref())
            && container_state(side).as_deref() == Some("running")
    });
    assert!(
        restarted,
        "the new supervisor did not restart {side} after it was killed:\n{view:#?}"
    );

    let down = podc(&["down", pod]);
    down.expect_ok();
    assert_nothing_left(pod, &down);
}

/// A memory-backed emptyDir lives as long as the pod, as in Kubernetes: its tmpfs is held
/// while the supervisor replaces every container of a pod whose pause died.
#[test]
fn a_memory_empty_dir_keeps_its_contents_across_a_rebuild() {
    let _daemon = setup();
    let pod = "it-pause-memory";
    let dir = temp_dir();
    let yaml = format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod}\nspec:\n  terminationGracePeriodSeconds: 1\n  volumes:\n    - name: fast\n      emptyDir: {{medium: Memory}}\n  containers:\n    - name: a\n      image: podc/busybox:latest\n      command: [\"sleep\", \"3600\"]\n      volumeMounts:\n        - {{name: fast, mountPath: /data}}\n"
    );
    let file = write_manifest(dir.path(), "pod.yaml", &yaml);
    let _guard = PodGuard::new(pod);
    podc(&["up", "-d", arg(&file)]).expect_ok();
    exec_ok(pod, "a", &["sh", "-c", "echo kept > /data/note"]);
    let member = format!("{pod}_a");
    let before = container_id(&member).expect("the member runs");
    let holder = container_id(&format!("{pod}_HOLDER")).expect("up started the holder");

    docker_ok(&["kill", &format!("{pod}_POD")]);
    let (rebuilt, view) = wait_for_pod(pod, Duration::from_secs(20), |p| {
        p["podRestarts"] == 1
            && container_id(&member).is_some_and(|id| id != before)
            && container_state(&member).as_deref() == Some("running")
    });
    assert!(rebuilt, "the pod was not rebuilt: {view:#?}");
    let note = exec_ok(pod, "a", &["cat", "/data/note"]);
    assert_eq!(
        note.trim(),
        "kept",
        "the tmpfs lost its contents in the rebuild"
    );
    // The holder is the pod's own: the one that held the volume through the rebuild.
    let expected: Vec<String> = ["HOLDER", "POD", "SPEC", "a"]
        .iter()
        .map(|n| format!("{pod}_{n}"))
        .collect();
    assert_eq!(containers_of(pod), expected);
    assert_eq!(container_id(&format!("{pod}_HOLDER")), Some(holder));
}
