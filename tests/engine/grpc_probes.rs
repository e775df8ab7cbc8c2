//! `grpc` probes, as the kubelet runs them (grpc.health.v1.Health/Check over HTTP/2 without
//! TLS), against the gRPC health server of `podc/grpc`: SERVING makes a member ready; a
//! NOT_SERVING service fails a liveness probe and restarts its member; an unknown service and a
//! port nothing listens on fail readiness with the reason.

use crate::support::*;
use std::time::Duration;

/// The server serves the whole server ("") and `sick` (NOT_SERVING) on 9090; each busybox member
/// carries one probe (its lines under the container).
fn grpc_pod(pod: &str, members: &[(&str, &str)]) -> String {
    let mut yaml = format!(
        r#"apiVersion: v1
kind: Pod
metadata:
  name: {pod}
spec:
  terminationGracePeriodSeconds: 1
  containers:
    - name: server
      image: podc/grpc:latest
      args: ["9090", "sick=NOT_SERVING"]
      readinessProbe:
        grpc:
          port: 9090
        periodSeconds: 1
"#
    );
    for (name, probe) in members {
        yaml.push_str(&format!(
            "    - name: {name}\n      image: podc/busybox:latest\n      command: [\"sleep\", \"3600\"]\n{probe}"
        ));
    }
    yaml
}

#[test]
fn a_serving_grpc_server_is_ready_through_the_pause() {
    let _daemon = setup();
    let pod = "it-grpc-ok";
    let dir = temp_dir();
    let file = write_manifest(dir.path(), "grpc.yaml", &grpc_pod(pod, &[]));
    let _guard = PodGuard::new(pod);

    let recorder = EventRecorder::start(pod);
    let up = podc(&["up", "-d", "--wait", "--timeout", "30", arg(&file)]);
    up.expect_ok();
    let view = ps_json(pod).unwrap_or_else(|| panic!("podc ps does not list pod {pod}\n{up}"));
    assert_eq!(ps_member(&view, "server")["ready"], true, "{view:#}");

    // The server saw the Check for the whole server, with the kubelet-like User-Agent.
    let log = docker_ok(&["logs", &format!("{pod}_server")]);
    assert!(
        log.contains("/grpc.health.v1.Health/Check service=\"\" user-agent=kube-probe/podc"),
        "the gRPC server logged no health check from podc:\n{log}"
    );
    let events = recorder.lines();
    assert_ran_in_pause(&events, pod, "relay", 9090);
    assert_no_exec_in_members(&events, pod);
}

#[test]
fn grpc_probes_fail_on_not_serving_unknown_services_and_closed_ports_with_the_reason() {
    let _daemon = setup();
    let pod = "it-grpc-fail";
    let dir = temp_dir();
    let file = write_manifest(
        dir.path(),
        "grpc-fail.yaml",
        &grpc_pod(
            pod,
            &[
                (
                    "sick",
                    "      livenessProbe:\n        grpc: {port: 9090, service: sick}\n        periodSeconds: 1\n        failureThreshold: 1\n",
                ),
                (
                    "unknown",
                    "      readinessProbe:\n        grpc: {port: 9090, service: nope}\n        periodSeconds: 1\n",
                ),
                (
                    "closed",
                    "      readinessProbe:\n        grpc: {port: 9091}\n        periodSeconds: 1\n",
                ),
            ],
        ),
    );
    let _guard = PodGuard::new(pod);

    let up = podc(&["up", "-d", arg(&file)]);
    up.expect_ok();
    let expected = [
        (
            "unknown",
            "readiness probe failed: error: health rpc probe failed: rpc error: code = NotFound desc = unknown service",
        ),
        (
            "closed",
            "readiness probe failed: failed to connect service \"127.0.0.1:9091\": connection refused",
        ),
    ];
    let mut last = serde_json::Value::Null;
    let settled = wait_until(Duration::from_secs(20), || {
        last = ps_json(pod).unwrap_or_default();
        let sick = find_member(&last, "sick").cloned().unwrap_or_default();
        sick["restartCount"].as_u64().unwrap_or(0) >= 1
            && expected.iter().all(|(name, failure)| {
                find_member(&last, name).is_some_and(|m| m["lastProbeFailure"] == *failure)
            })
    });
    assert!(
        settled,
        "within 20s podc ps does not show `sick` restarted and {expected:?}:\n{last:#}"
    );
    let reason = ps_member(&last, "sick")["lastReason"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        reason
            .contains("liveness probe failed: service unhealthy (responded with \"NOT_SERVING\")"),
        "lastReason of `sick` does not say the service was not serving: {reason:?}\n{last:#}"
    );
    assert_eq!(ps_member(&last, "server")["ready"], true, "{last:#}");
    for (name, _) in expected {
        assert_eq!(ps_member(&last, name)["ready"], false, "{last:#}");
    }
}
