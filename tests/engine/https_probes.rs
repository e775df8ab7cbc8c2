//! `httpGet` with `scheme: HTTPS`, as the kubelet runs it (TLS, the server's certificate not
//! verified): a sidecar's startup probe, a postStart hook and a readiness probe reach nginx's
//! self-signed TLS port through the pause's relay; a TLS probe of a plain HTTP port, of a port
//! nothing listens on and a 503 fail with the reason.

use crate::support::*;
use std::time::Duration;

/// nginx serving `https.conf` (TLS on 8443, plain HTTP on 8080) as a native sidecar, and a
/// busybox app whose hook and probes (`app_lines`, under the container) hit it.
fn pod_with_tls_sidecar(pod: &str, app_lines: &str) -> String {
    format!(
        r#"apiVersion: v1
kind: Pod
metadata:
  name: {pod}
spec:
  terminationGracePeriodSeconds: 1
  initContainers:
    - name: tls
      image: podc/nginx:latest
      command: ["nginx", "-c", "/etc/nginx/https.conf"]
      restartPolicy: Always
      startupProbe:
        httpGet:
          path: /healthz?from=startup
          port: 8443
          scheme: HTTPS
        periodSeconds: 1
        failureThreshold: 20
  containers:
    - name: app
      image: podc/busybox:latest
      command: ["sleep", "3600"]
{app_lines}"#
    )
}

#[test]
fn https_startup_probe_hook_and_readiness_reach_a_self_signed_server_through_the_pause() {
    let _daemon = setup();
    let pod = "it-https-ok";
    let dir = temp_dir();
    let file = write_manifest(
        dir.path(),
        "https.yaml",
        &pod_with_tls_sidecar(
            pod,
            r#"      lifecycle:
        postStart:
          httpGet:
            path: /healthz?from=poststart
            port: 8443
            scheme: HTTPS
      readinessProbe:
        httpGet:
          path: /healthz?from=readiness
          port: 8443
          scheme: HTTPS
          httpHeaders:
            - name: User-Agent
              value: podc-https-test
        periodSeconds: 1
"#,
        ),
    );
    let _guard = PodGuard::new(pod);

    let recorder = EventRecorder::start(pod);
    let up = podc(&["up", "-d", "--wait", "--timeout", "40", arg(&file)]);
    up.expect_ok();
    let view = ps_json(pod).unwrap_or_else(|| panic!("podc ps does not list pod {pod}\n{up}"));
    let app = ps_member(&view, "app");
    assert_eq!(app["state"], "running", "{view:#}");
    assert_eq!(app["ready"], true, "{view:#}");

    // nginx logged each request it answered over TLS: the startup probe's and the hook's with
    // the kubelet-like default User-Agent, the readiness probe's with the one it set.
    let tls_log = docker_ok(&["logs", &format!("{pod}_tls")]);
    for (from, agent) in [
        ("startup", "kube-probe/podc"),
        ("poststart", "kube-probe/podc"),
        ("readiness", "podc-https-test"),
    ] {
        assert!(
            tls_log.lines().any(|l| l.contains(&format!("GET /healthz?from={from} HTTP/1.1\" 200"))
                && l.contains(agent)),
            "nginx logged no TLS request from the {from} handler with User-Agent {agent}:\n{tls_log}"
        );
    }
    // Every HTTPS call went through `/pause relay` in the pause, none ran in a member.
    let events = recorder.lines();
    assert_ran_in_pause(&events, pod, "relay", 8443);
    assert_no_exec_in_members(&events, pod);
}

#[test]
fn https_probes_fail_on_a_plain_http_port_and_on_a_503_with_the_reason() {
    // Alone: beside other tests, `ps` once showed the pod without the supervisor's report
    // (`supervised: false`) at the moment `sick` had restarted.
    let _daemon = setup_alone();
    let pod = "it-https-fail";
    let dir = temp_dir();
    let file = write_manifest(
        dir.path(),
        "https-fail.yaml",
        &pod_with_tls_sidecar(
            pod,
            r#"      readinessProbe:
        httpGet:
          path: /healthz
          port: 8080
          scheme: HTTPS
        periodSeconds: 1
    - name: unserved
      image: podc/busybox:latest
      command: ["sleep", "3600"]
      readinessProbe:
        httpGet:
          path: /
          port: 9443
          scheme: HTTPS
        periodSeconds: 1
    - name: sick
      image: podc/busybox:latest
      command: ["sleep", "3600"]
      livenessProbe:
        httpGet:
          path: /unhealthy
          port: 8443
          scheme: HTTPS
        periodSeconds: 1
        failureThreshold: 1
"#,
        ),
    );
    let _guard = PodGuard::new(pod);

    // 8080 speaks plain HTTP: the TLS handshake fails and `--wait` says so.
    let up = podc(&["up", "-d", "--wait", "--timeout", "8", arg(&file)]);
    up.expect_code(1);
    up.expect_stderr_contains("app")
        .expect_stderr_contains("readiness probe failed")
        .expect_stderr_contains("https://127.0.0.1:8080/healthz: TLS handshake failed");

    // The 503 over TLS fails the liveness probe: `sick` is restarted, with the kubelet's reason.
    let mut last = serde_json::Value::Null;
    let restarted = wait_until(Duration::from_secs(20), || {
        last = ps_json(pod).unwrap_or_default();
        let sick = find_member(&last, "sick").cloned().unwrap_or_default();
        sick["restartCount"].as_u64().unwrap_or(0) >= 1
            && sick["lastReason"]
                .as_str()
                .is_some_and(|r| r.contains("HTTP probe failed with statuscode: 503"))
    });
    assert!(
        restarted,
        "within 20s podc ps shows no restart of `sick` for its HTTPS 503:\n{last:#}"
    );
    let app = ps_member(&last, "app");
    assert_eq!(app["ready"], false, "{last:#}");
    // Nothing listens on 9443: the relay's refused connection is the reason shown.
    let unserved = ps_member(&last, "unserved");
    assert_eq!(unserved["ready"], false, "{last:#}");
    assert_eq!(
        unserved["lastProbeFailure"],
        "readiness probe failed: https://127.0.0.1:9443/: connection refused",
        "{last:#}"
    );
}
