//! The supervisor's status frame is one line on its stdout, and Docker's log driver cuts a line
//! into entries of 16 KiB: a frame of many pods (or of long probe messages) is read back whole,
//! so `podc ps` still shows what the supervisor knows.

use crate::support::*;
use std::time::Duration;

/// Members whose readiness probe fails with a message of about 900 characters each (once: the
/// next try is a minute later, so the test puts little load on the daemon).
fn pod_with_long_probe_messages(pod: &str, members: usize) -> String {
    let mut yaml = format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod}\nspec:\n  terminationGracePeriodSeconds: 1\n  containers:\n"
    );
    for i in 0..members {
        yaml.push_str(&format!(
            "    - name: m{i:02}\n      image: podc/busybox:latest\n      command: [sleep, \"3600\"]\n      readinessProbe:\n        exec: {{command: [sh, -c, \"printf 'not-ready-%0900d' 0; exit 1\"]}}\n        periodSeconds: 60\n"
        ));
    }
    yaml
}

#[test]
fn ps_reads_a_status_frame_longer_than_one_log_entry() {
    let _daemon = setup();
    let pod = "it-frame-long";
    let _guard = PodGuard::new(pod);
    let dir = temp_dir();
    let file = write_manifest(
        dir.path(),
        "long.yaml",
        &pod_with_long_probe_messages(pod, 24),
    );
    podc(&["up", "-d", arg(&file)]).expect_ok();
    let (seen, view) = wait_for_pod(pod, Duration::from_secs(30), |p| {
        p["supervised"] == true
            && p["containers"].as_array().is_some_and(|members| {
                members.len() == 24
                    && members.iter().all(|m| {
                        m["lastProbeFailure"]
                            .as_str()
                            .is_some_and(|f| f.contains("not-ready-000"))
                    })
            })
    });
    let frame = docker_ok(&["logs", "--tail", "1", "podc-supervisor"]);
    assert!(
        seen,
        "podc ps does not show the supervisor's report of a pod whose status is over 16 KiB \
         (the supervisor's last log entry has {} bytes):\n{view:#?}",
        frame.len()
    );
    let view = view.expect("listed");
    assert!(
        view["containers"]
            .as_array()
            .is_some_and(|members| members.iter().all(|m| m["ready"] == false)),
        "members whose readiness fails are not ready\n{view:#}"
    );
}
