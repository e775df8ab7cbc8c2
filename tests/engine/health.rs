//! Probes, as `podc up -d --wait` and `podc ps` see them: exec readiness in the member,
//! httpGet and tcpSocket readiness run by the pause (so the member's image needs no curl or nc),
//! named ports, and a readiness probe that never passes failing `--wait` with the reason.

use crate::support::*;
use std::time::Duration;

/// A pod of busybox members, each `(name, extra YAML under the container)`; every extra line is
/// indented by the caller relative to the container's keys (6 spaces).
fn busybox_pod(pod: &str, members: &[(&str, &str)]) -> String {
    let mut yaml = format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod}\nspec:\n  terminationGracePeriodSeconds: 1\n  containers:\n"
    );
    for (name, extra) in members {
        yaml.push_str(&format!(
            "    - name: {name}\n      image: podc/busybox:latest\n{extra}"
        ));
    }
    yaml
}

#[test]
fn exec_readiness_holds_up_wait_until_the_probe_passes() {
    let _daemon = setup();
    let pod = "it-health-exec";
    let dir = temp_dir();
    let file = write_manifest(
        dir.path(),
        "exec.yaml",
        &busybox_pod(
            pod,
            &[(
                "slow",
                r#"      command: ["sh", "-c", "sleep 2; touch /tmp/ready; exec sleep 3600"]
      readinessProbe:
        exec:
          command: ["cat", "/tmp/ready"]
        periodSeconds: 1
"#,
            )],
        ),
    );
    let _guard = PodGuard::new(pod);

    let up = podc(&["up", "-d", "--wait", "--timeout", "30", arg(&file)]);
    up.expect_ok();
    assert!(
        up.elapsed >= Duration::from_secs(2),
        "podc up --wait returned after {:?}, before the readiness probe could pass (the file \
         it checks appears 2s after the member starts)\n{up}",
        up.elapsed
    );
    assert!(
        up.elapsed < Duration::from_secs(20),
        "podc up --wait took {:?} for a probe that passes after 2s (period 1s)\n{up}",
        up.elapsed
    );

    let view = ps_json(pod).unwrap_or_else(|| panic!("podc ps does not list pod {pod}\n{up}"));
    let slow = ps_member(&view, "slow");
    assert_eq!(slow["state"], "running", "{view:#}");
    assert_eq!(slow["ready"], true, "{view:#}");
    assert_eq!(view["phase"], "Running", "{view:#}");
}

#[test]
fn http_readiness_on_an_unserved_port_fails_up_wait_naming_the_container() {
    let _daemon = setup();
    let pod = "it-health-refused";
    let dir = temp_dir();
    // Nothing listens on 8089 inside the pod: every probe is refused.
    let file = write_manifest(
        dir.path(),
        "refused.yaml",
        &busybox_pod(
            pod,
            &[(
                "unserved",
                r#"      command: ["sleep", "3600"]
      readinessProbe:
        httpGet:
          path: /healthz
          port: 8089
        periodSeconds: 1
"#,
            )],
        ),
    );
    let _guard = PodGuard::new(pod);

    let up = podc(&["up", "-d", "--wait", "--timeout", "6", arg(&file)]);
    up.expect_code(1);
    assert!(
        up.elapsed >= Duration::from_secs(6) && up.elapsed <= Duration::from_secs(15),
        "podc up --wait --timeout 6 gave up after {:?}, not within 6-15s\n{up}",
        up.elapsed
    );
    up.expect_stderr_contains("unserved")
        .expect_stderr_contains("readiness probe failed")
        .expect_stderr_contains("connection refused");
    // The pod stays (only --wait failed) and shows the same reason.
    let view = ps_json(pod).unwrap_or_else(|| panic!("podc ps does not list pod {pod}\n{up}"));
    let unserved = ps_member(&view, "unserved");
    assert_eq!(unserved["ready"], false, "{view:#}");
    let failure = unserved["lastProbeFailure"].as_str().unwrap_or_default();
    assert!(
        failure.contains("readiness probe failed") && failure.contains("connection refused"),
        "podc ps shows lastProbeFailure {failure:?}\n{view:#}"
    );
}

#[test]
fn http_tcp_and_named_port_probes_run_in_the_pause_and_pass_on_a_busybox_image() {
    let _daemon = setup();
    let pod = "it-health-net";
    let dir = temp_dir();
    // Three busybox httpd servers on the pod's loopback only: the probes must come from inside
    // the pod's network namespace.
    let file = write_manifest(
        dir.path(),
        "net.yaml",
        &busybox_pod(
            pod,
            &[
                (
                    "http",
                    r#"      command: ["httpd", "-f", "-p", "127.0.0.1:8081", "-h", "/etc"]
      readinessProbe:
        httpGet:
          path: /passwd
          port: 8081
        periodSeconds: 1
"#,
                ),
                (
                    "tcp",
                    r#"      command: ["httpd", "-f", "-p", "127.0.0.1:8082", "-h", "/etc"]
      readinessProbe:
        tcpSocket:
          port: 8082
        periodSeconds: 1
"#,
                ),
                (
                    "named",
                    r#"      command: ["httpd", "-f", "-p", "127.0.0.1:8083", "-h", "/etc"]
      ports:
        - name: web
          containerPort: 8083
      readinessProbe:
        httpGet:
          path: /passwd
          port: web
        periodSeconds: 1
"#,
                ),
            ],
        ),
    );
    let _guard = PodGuard::new(pod);

    let recorder = EventRecorder::start(pod);
    let up = podc(&["up", "-d", "--wait", "--timeout", "30", arg(&file)]);
    up.expect_ok();
    let view = ps_json(pod).unwrap_or_else(|| panic!("podc ps does not list pod {pod}\n{up}"));
    for name in ["http", "tcp", "named"] {
        let m = ps_member(&view, name);
        assert_eq!(m["state"], "running", "{view:#}");
        assert_eq!(m["ready"], true, "{view:#}");
    }

    // The network probes were run by the pause program (exec in <pod>_POD), never in a member.
    let events = recorder.lines();
    assert_ran_in_pause(&events, pod, "probe-http", 8081);
    assert_ran_in_pause(&events, pod, "probe-tcp", 8082);
    // The named port `web`, probed as its number.
    assert_ran_in_pause(&events, pod, "probe-http", 8083);
    assert_no_exec_in_members(&events, pod);
}
