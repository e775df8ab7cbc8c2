//! Security, through the real binary: Secret values never show up in podc's output, errors or
//! labels; podc's label namespace is refused in manifests; risky settings are warned about.

mod support;

use support::*;

/// A value that appears nowhere else, and its base64 as the manifest carries it.
const SECRET: &str = "Zq8-podc-secret-Vw3";
const SECRET_B64: &str = "WnE4LXBvZGMtc2VjcmV0LVZ3Mw==";
const STRING_SECRET: &str = "Kx5-podc-stringdata-Rt9";

fn secret_pod(pod: &str) -> String {
    format!(
        r#"apiVersion: v1
kind: Secret
metadata:
  name: {pod}-creds
type: Opaque
data:
  password: {SECRET_B64}
stringData:
  token: {STRING_SECRET}
---
apiVersion: v1
kind: Pod
metadata:
  name: {pod}
spec:
  terminationGracePeriodSeconds: 2
  containers:
    - name: app
      image: podc/busybox:latest
      command: ["sleep", "3600"]
      env:
        - name: PASSWORD
          valueFrom:
            secretKeyRef:
              name: {pod}-creds
              key: password
      envFrom:
        - secretRef:
            name: {pod}-creds
          prefix: S_
      volumeMounts:
        - name: creds
          mountPath: /etc/creds
          readOnly: true
  volumes:
    - name: creds
      secret:
        secretName: {pod}-creds
"#
    )
}

#[track_caller]
fn assert_no_secret(what: &str, text: &str) {
    for needle in [SECRET, SECRET_B64, STRING_SECRET] {
        assert!(
            !text.contains(needle),
            "{what} shows the secret value {needle:?}:\n{text}"
        );
    }
}

#[track_caller]
fn assert_run_has_no_secret(what: &str, run: &PodcRun) {
    assert_no_secret(&format!("{what} (stdout)"), &run.stdout);
    assert_no_secret(&format!("{what} (stderr)"), &run.stderr);
}

#[test]
fn secret_values_never_appear_in_output_errors_or_labels() {
    setup();
    let pod = "it-sec-secret";
    let dir = temp_dir();
    let file = write_manifest(dir.path(), "secret.yaml", &secret_pod(pod));
    let _guard = PodGuard::new(pod);

    for args in [
        vec!["check", arg(&file)],
        vec!["check", "-o", "json", arg(&file)],
    ] {
        let run = podc(&args);
        run.expect_ok();
        assert_run_has_no_secret(&args.join(" "), &run);
    }

    let up = podc(&["up", "-d", arg(&file)]);
    up.expect_ok();
    assert_run_has_no_secret("up -d", &up);
    let up_json = podc(&["up", "-d", "-o", "json", arg(&file)]);
    up_json.expect_ok();
    assert_run_has_no_secret("up -d -o json (unchanged)", &up_json);

    // The secret did reach the container (so the test proves something).
    assert_eq!(
        exec_ok(pod, "app", &["sh", "-c", "echo $PASSWORD"]).trim(),
        SECRET
    );
    assert_eq!(
        exec_ok(pod, "app", &["sh", "-c", "echo $S_token"]).trim(),
        STRING_SECRET
    );
    assert_eq!(
        exec_ok(pod, "app", &["cat", "/etc/creds/password"]).trim(),
        SECRET
    );

    for args in [vec!["ps"], vec!["ps", "-o", "json"], vec!["ps", pod]] {
        let run = podc(&args);
        run.expect_ok();
        assert_run_has_no_secret(&args.join(" "), &run);
    }

    let containers = containers_of(pod);
    assert!(containers.len() >= 3, "{containers:?}");
    for c in &containers {
        let labels = inspect(c, "{{json .Config.Labels}}");
        assert!(labels.contains("io.podc.config-hash"), "{c}: {labels}");
        assert_no_secret(&format!("labels of {c}"), &labels);
    }
    for v in volumes_of(pod) {
        let labels = docker_ok(&["volume", "inspect", "-f", "{{json .Labels}}", &v]);
        assert_no_secret(&format!("labels of volume {v}"), &labels);
    }

    let down = podc(&["down", arg(&file)]);
    down.expect_ok();
    assert_run_has_no_secret("down", &down);
    assert_nothing_left(pod, &down);
}

#[test]
fn errors_about_secrets_do_not_show_their_values() {
    setup();
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
    let _guard = PodGuard::new(pod);
    let up = podc(&["up", "-d", arg(&file)]);
    up.expect_code(2).expect_stderr_contains("passwd");
    assert_run_has_no_secret("up of a broken reference", &up);
    assert_nothing_left(pod, &up);
    let check = podc(&["check", arg(&file)]);
    check.expect_code(2);
    assert_run_has_no_secret("check of a broken reference", &check);

    let not_base64 = format!("{SECRET}!!");
    let yaml = secret_pod(pod).replace(SECRET_B64, &not_base64);
    let file = write_manifest(dir.path(), "not-base64.yaml", &yaml);
    let up = podc(&["up", "-d", arg(&file)]);
    up.expect_code(2);
    assert_run_has_no_secret("up of a Secret that is not base64", &up);
    assert_nothing_left(pod, &up);
    let check = podc(&["check", "-o", "json", arg(&file)]);
    check.expect_code(2);
    assert_run_has_no_secret("check of a Secret that is not base64", &check);
}

#[test]
fn labels_and_annotations_in_podcs_namespace_are_refused_before_anything_exists() {
    setup();
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
        let _guard = PodGuard::new(pod);
        let up = podc(&["up", "-d", arg(&file)]);
        up.expect_code(2)
            .expect_stderr_contains(&format!("`{key}` is reserved"))
            .expect_stderr_contains("reserved.yaml:6:5");
        assert_nothing_left(pod, &up);
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
