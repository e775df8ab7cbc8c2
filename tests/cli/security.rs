//! Security of podc's answers to bad input, through the real binary with no daemon: Secret
//! values never show up in its errors; podc's label namespace is refused in manifests; risky
//! settings are warned about.

use crate::run::*;
use crate::secret_pod::*;

#[track_caller]
fn assert_run_has_no_secret(what: &str, run: &PodcRun) {
    assert_no_secret(&format!("{what} (stdout)"), &run.stdout);
    assert_no_secret(&format!("{what} (stderr)"), &run.stderr);
}

#[test]
fn errors_about_secrets_do_not_show_their_values() {
    let pod = "it-sec-broken";
    let dir = temp_dir();
    // A reference to a key the Secret does not have, and a value that is not base64.
    let yaml = secret_pod(pod)
        .replace("key: password", "key: passwd")
        .replace(
            &format!("token: {STRING_SECRET}"),
            &format!("token: {STRING_SECRET}\n  other: {STRING_SECRET}"),
        );
    let file = write_manifest(dir.path(), "broken.yaml", &yaml);
    let up = podc(&["up", "-d", arg(&file)]);
    up.expect_code(2).expect_stderr_contains("passwd");
    assert_run_has_no_secret("up of a broken reference", &up);
    // Nothing left in Docker: with no daemon to reach, exit 2 proves nothing was created.
    let check = podc(&["check", arg(&file)]);
    check.expect_code(2);
    assert_run_has_no_secret("check of a broken reference", &check);

    let not_base64 = format!("{SECRET}!!");
    let yaml = secret_pod(pod).replace(SECRET_B64, &not_base64);
    let file = write_manifest(dir.path(), "not-base64.yaml", &yaml);
    let up = podc(&["up", "-d", arg(&file)]);
    up.expect_code(2);
    assert_run_has_no_secret("up of a Secret that is not base64", &up);
    // Nothing left: as above, no daemon could have been reached.
    let check = podc(&["check", "-o", "json", arg(&file)]);
    check.expect_code(2);
    assert_run_has_no_secret("check of a Secret that is not base64", &check);
}

#[test]
fn labels_and_annotations_in_podcs_namespace_are_refused_before_anything_exists() {
    let pod = "it-sec-reserved";
    let dir = temp_dir();
    for (field, key) in [
        ("labels", "io.podc.pod"),
        ("labels", "io.podc.role"),
        ("annotations", "io.podc.config-hash"),
    ] {
        let yaml = format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod}\n  {field}:\n    {key}: other-pod\nspec:\n  containers:\n    - name: app\n      image: podc/busybox:latest\n      command: [\"sleep\", \"3600\"]\n"
        );
        let file = write_manifest(dir.path(), "reserved.yaml", &yaml);
        let up = podc(&["up", "-d", arg(&file)]);
        up.expect_code(2)
            .expect_stderr_contains(&format!("`{key}` is reserved"))
            .expect_stderr_contains("reserved.yaml:6:5");
        // "Before anything exists": exit 2 with no daemon to reach is the proof.
        podc(&["check", arg(&file)])
            .expect_code(2)
            .expect_stdout_contains("is reserved");
    }
}

#[test]
fn risky_settings_are_warned_about_naming_the_risk() {
    let dir = temp_dir();
    let yaml = r#"apiVersion: v1
kind: Pod
metadata:
  name: risky
spec:
  hostNetwork: true
  hostPID: true
  hostIPC: true
  containers:
    - name: agent
      image: podc/busybox:latest
      securityContext:
        privileged: true
      volumeMounts:
        - {name: root, mountPath: /host}
        - {name: sock, mountPath: /var/run/docker.sock}
  volumes:
    - name: root
      hostPath: {path: /}
    - name: sock
      hostPath: {path: /var/run/docker.sock, type: Socket}
"#;
    let file = write_manifest(dir.path(), "risky.yaml", yaml);
    let check = podc(&["check", arg(&file)]);
    check.expect_ok();
    let all = format!("{}{}", check.stdout, check.stderr);
    for risk in [
        "is privileged (`spec.containers[0].securityContext.privileged: true`): it gets every capability and every host device, so it can take over the host",
        "`spec.hostNetwork: true` puts the pod on the host's network",
        "`spec.hostPID: true` shares the host's process namespace",
        "`spec.hostIPC: true` shares the host's IPC namespace",
        "`spec.volumes[0].hostPath.path` `/` mounts the host's whole filesystem",
        "`spec.volumes[1].hostPath.path` `/var/run/docker.sock` mounts the Docker socket",
    ] {
        assert!(all.contains(risk), "no warning {risk:?}\n{check}");
    }
    let warnings = all.lines().filter(|l| l.contains("warning")).count();
    assert!(warnings >= 6, "{check}");
}
