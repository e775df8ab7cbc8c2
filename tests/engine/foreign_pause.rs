//! A foreign `--pause-image` (not podc's own, so without the pause program's probe and relay
//! modes): a sidecar's startup wait and the app's postStart and preStop hooks still reach the
//! pod, from the host through the pause's bridge address, as the supervisor's probes do.

use crate::support::*;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::Duration;

/// The foreign pause: BusyBox alone on an empty base, no podc label, ending on SIGTERM.
const FOREIGN_PAUSE: &str = "podc-test/foreign-pause:1";

/// Builds `FOREIGN_PAUSE` from the local busybox image (nothing pulled).
#[track_caller]
fn build_foreign_pause() {
    let dir = temp_dir();
    // A shell as PID 1 ignores SIGTERM unless it traps it; `sleep` is not a shell builtin.
    let dockerfile = r#"FROM podc/busybox:latest AS busybox
FROM scratch
COPY --from=busybox /bin/busybox /bin/busybox
ENTRYPOINT ["/bin/busybox", "sh", "-c", "trap 'exit 0' TERM; while true; do /bin/busybox sleep 1; done"]
"#;
    write_manifest(dir.path(), "Dockerfile", dockerfile);
    docker_ok(&["build", "-q", "-t", FOREIGN_PAUSE, arg(dir.path())]);
    let labels = inspect(FOREIGN_PAUSE, "{{json .Config.Labels}}");
    assert!(
        !labels.contains("io.podc"),
        "{FOREIGN_PAUSE} carries podc's labels: {labels}"
    );
}

/// nginx (`https.conf`: plain HTTP on 8080, `/healthz` 200) as a native sidecar waited for by
/// a tcpSocket startup probe; an app whose hooks call the sidecar's `/healthz`.
fn pod_with_network_hooks(pod: &str) -> String {
    format!(
        r#"apiVersion: v1
kind: Pod
metadata:
  name: {pod}
spec:
  terminationGracePeriodSeconds: 2
  initContainers:
    - name: proxy
      image: podc/nginx:latest
      command: ["nginx", "-c", "/etc/nginx/https.conf"]
      restartPolicy: Always
      startupProbe:
        tcpSocket:
          port: 8080
        periodSeconds: 1
        failureThreshold: 20
  containers:
    - name: app
      image: podc/busybox:latest
      command: ["sleep", "3600"]
      lifecycle:
        postStart:
          httpGet:
            path: /healthz?from=poststart
            port: 8080
        preStop:
          httpGet:
            path: /healthz?from=prestop
            port: 8080
"#
    )
}

/// Whether nginx's access log (`log`) holds a 200 for the hook `from`.
fn answered(log: &str, from: &str) -> bool {
    let request = format!("GET /healthz?from={from} HTTP/1.1\" 200");
    log.lines().any(|l| l.contains(&request))
}

#[test]
fn hooks_and_sidecar_waits_work_with_a_foreign_pause_image() {
    let _daemon = setup();
    build_foreign_pause();
    // Declared first, dropped last: after the pod that uses it is gone.
    let _image = ImageGuard(FOREIGN_PAUSE.to_string());
    let pod = "it-foreign-pause";
    let dir = temp_dir();
    let file = write_manifest(dir.path(), "pod.yaml", &pod_with_network_hooks(pod));
    let _guard = PodGuard::new(pod);

    let recorder = EventRecorder::start(pod);
    let up = podc(&[
        "up",
        "-d",
        "--wait",
        "--timeout",
        "60",
        "--pause-image",
        FOREIGN_PAUSE,
        arg(&file),
    ]);
    up.expect_ok();
    assert_eq!(
        inspect(&format!("{pod}_POD"), "{{.Config.Image}}"),
        FOREIGN_PAUSE
    );
    let view = ps_json(pod).unwrap_or_else(|| panic!("podc ps does not list pod {pod}\n{up}"));
    for member in ["proxy", "app"] {
        assert_eq!(ps_member(&view, member)["state"], "running", "{view:#}");
    }
    let proxy = format!("{pod}_proxy");
    let log = docker_ok(&["logs", &proxy]);
    assert!(
        answered(&log, "poststart"),
        "nginx answered no postStart call:\n{log}\n{up}"
    );
    // The foreign image has no pause program: nothing may have asked it to run one.
    let events = recorder.lines();
    let in_pause: Vec<&String> = events
        .iter()
        .filter(|e| e.starts_with("exec_start: /pause"))
        .collect();
    assert!(
        in_pause.is_empty(),
        "podc ran its pause program's modes in a foreign pause: {in_pause:#?}"
    );

    // The preStop call reaches nginx while it still runs (sidecars stop after the apps); its
    // log is followed until the container ends, since `down` removes it.
    let mut follow = Command::new("docker")
        .args(["logs", "-f", &proxy])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("docker logs starts");
    let mut stdout = follow.stdout.take().expect("piped stdout");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let mut follow = ChildGuard(follow);
    let down = podc(&["down", pod]);
    down.expect_ok();
    let (_, timed_out) = wait_with_timeout(&mut follow.0, Duration::from_secs(10));
    assert!(!timed_out, "docker logs -f {proxy} did not end after down");
    let log = reader.join().unwrap_or_default();
    assert!(
        answered(&log, "prestop"),
        "nginx answered no preStop call:\n{log}\n{down}"
    );
    assert!(
        !down.stderr.contains("hook failed"),
        "down reported a failed hook\n{down}"
    );
    assert_nothing_left(pod, &down);
    let volumes = volumes_of(pod);
    assert!(volumes.is_empty(), "volumes left: {volumes:?}\n{down}");
}
