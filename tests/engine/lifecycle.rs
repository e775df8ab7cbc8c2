//! The rest of the pod's life, through the real binary: init containers in order, native
//! sidecars around the apps, preStop before SIGTERM, reconciliation of a running pod, and
//! files with several documents.

use crate::support::*;
use std::path::Path;
use std::time::Duration;

/// Lines of the shared log file, trimmed.
fn log_lines(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("order.log"))
        .unwrap_or_default()
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// A busybox container spec writing to /log/order.log (a hostPath of the test's directory).
fn member(name: &str, script: &str, extra: &str) -> String {
    format!(
        "    - name: {name}\n      image: podc/busybox:latest\n      command: [\"sh\", \"-c\", {script:?}]\n      volumeMounts: [{{name: log, mountPath: /log}}]\n{extra}"
    )
}

fn pod_with_log(pod: &str, dir: &Path, init: &[String], apps: &[String]) -> String {
    let mut yaml = format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod}\nspec:\n  terminationGracePeriodSeconds: 10\n  volumes:\n    - name: log\n      hostPath: {{path: {}, type: Directory}}\n",
        dir.display()
    );
    if !init.is_empty() {
        yaml.push_str("  initContainers:\n");
        for c in init {
            yaml.push_str(c);
        }
    }
    yaml.push_str("  containers:\n");
    for c in apps {
        yaml.push_str(c);
    }
    yaml
}

/// Runs forever, logs its start, and logs `stop` on SIGTERM before exiting 0.
fn long_running(tag: &str) -> String {
    format!("echo {tag}-start >> /log/order.log; trap 'echo {tag}-stop >> /log/order.log; exit 0' TERM; touch /tmp/trapped; while true; do sleep 0.1; done")
}

#[track_caller]
fn wait_for_trap(pod: &str, member: &str) {
    let trapped = wait_until(Duration::from_secs(15), || {
        podc(&[
            "exec",
            pod,
            "-c",
            member,
            "--",
            "test",
            "-f",
            "/tmp/trapped",
        ])
        .code
            == Some(0)
    });
    assert!(trapped, "{member} of {pod} never set its trap");
}

#[test]
fn init_containers_run_in_order_to_completion_before_the_apps() {
    let _daemon = setup();
    let pod = "it-life-init";
    let _guard = PodGuard::new(pod);
    let dir = temp_dir();
    let init = [
        member("first", "sleep 0.5; echo first >> /log/order.log", ""),
        member("second", "echo second >> /log/order.log", ""),
    ];
    let apps = [member(
        "app",
        "echo app >> /log/order.log; exec sleep 3600",
        "",
    )];
    let file = write_manifest(
        dir.path(),
        "pod.yaml",
        &pod_with_log(pod, dir.path(), &init, &apps),
    );
    podc(&["up", "-d", arg(&file)]).expect_ok();
    assert!(wait_until(Duration::from_secs(10), || log_lines(
        dir.path()
    )
    .len()
        >= 3));
    assert_eq!(log_lines(dir.path()), ["first", "second", "app"]);
    let pod_json = ps_json(pod).expect("the pod is listed");
    let first = pod_json["containers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "first")
        .cloned()
        .expect("init containers are listed");
    assert_eq!(first["state"], "exited", "{pod_json}");
    assert_eq!(first["exitCode"], 0, "{pod_json}");
}

#[test]
fn a_failing_init_container_under_never_fails_the_pod_with_its_output() {
    let _daemon = setup();
    let pod = "it-life-init-fails";
    let _guard = PodGuard::new(pod);
    let dir = temp_dir();
    let init = [member("broken", "echo cannot-migrate; exit 4", "")];
    let apps = [member("app", "exec sleep 3600", "")];
    let yaml = pod_with_log(pod, dir.path(), &init, &apps)
        .replace("spec:\n", "spec:\n  restartPolicy: Never\n");
    let file = write_manifest(dir.path(), "pod.yaml", &yaml);
    podc(&["up", "-d", arg(&file)])
        .expect_code(1)
        .expect_stderr_contains("init container broken")
        .expect_stderr_contains("exit code 4")
        .expect_stderr_contains("cannot-migrate");
    assert_nothing_left(pod, &"after a failed init container");
}

#[test]
fn a_sidecar_starts_before_and_stops_after_the_apps() {
    let _daemon = setup();
    let pod = "it-life-sidecar";
    let _guard = PodGuard::new(pod);
    let dir = temp_dir();
    let init = [member(
        "proxy",
        &long_running("sidecar"),
        "      restartPolicy: Always\n",
    )];
    let apps = [member("app", &long_running("app"), "")];
    let file = write_manifest(
        dir.path(),
        "pod.yaml",
        &pod_with_log(pod, dir.path(), &init, &apps),
    );
    podc(&["up", "-d", arg(&file)]).expect_ok();
    wait_for_trap(pod, "proxy");
    wait_for_trap(pod, "app");
    podc(&["down", pod]).expect_ok();
    assert_eq!(
        log_lines(dir.path()),
        ["sidecar-start", "app-start", "app-stop", "sidecar-stop"]
    );
}

#[test]
fn pre_stop_runs_before_sigterm() {
    let _daemon = setup();
    let pod = "it-life-prestop";
    let _guard = PodGuard::new(pod);
    let dir = temp_dir();
    let hook = "      lifecycle:\n        preStop:\n          exec:\n            command: [\"sh\", \"-c\", \"echo pre-stop >> /log/order.log\"]\n";
    let apps = [member("app", &long_running("app"), hook)];
    let file = write_manifest(
        dir.path(),
        "pod.yaml",
        &pod_with_log(pod, dir.path(), &[], &apps),
    );
    podc(&["up", "-d", arg(&file)]).expect_ok();
    wait_for_trap(pod, "app");
    podc(&["down", pod]).expect_ok();
    assert_eq!(log_lines(dir.path()), ["app-start", "pre-stop", "app-stop"]);
}

fn two_members(pod: &str, env: &str, host_port: u16) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod}\nspec:\n  terminationGracePeriodSeconds: 2\n  containers:\n    - name: steady\n      image: podc/busybox:latest\n      command: [sleep, \"3600\"]\n      ports: [{{containerPort: 8000, hostPort: {host_port}, hostIP: 127.0.0.1}}]\n    - name: changing\n      image: podc/busybox:latest\n      command: [sleep, \"3600\"]\n      env: [{{name: MODE, value: {env}}}]\n"
    )
}

fn ids(pod: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = containers_of(pod)
        .into_iter()
        .map(|name| {
            let id = docker_ok(&["inspect", "-f", "{{.Id}}", &name]);
            (name, id.trim().to_string())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn changing_one_members_env_recreates_only_that_member() {
    let _daemon = setup();
    let pod = "it-life-reconcile";
    let _guard = PodGuard::new(pod);
    let dir = temp_dir();
    let port = Port::reserve().release();
    let file = write_manifest(dir.path(), "pod.yaml", &two_members(pod, "a", port));
    podc(&["up", "-d", arg(&file)]).expect_ok();
    let before = ids(pod);
    write_manifest(dir.path(), "pod.yaml", &two_members(pod, "b", port));
    podc(&["up", "-d", arg(&file)])
        .expect_ok()
        .expect_stdout_contains("recreating changing");
    let after = ids(pod);
    let id_of = |list: &[(String, String)], name: &str| {
        list.iter()
            .find(|(n, _)| n == name)
            .map(|(_, id)| id.clone())
    };
    assert_eq!(
        id_of(&before, &format!("{pod}_POD")),
        id_of(&after, &format!("{pod}_POD")),
        "the pause is kept"
    );
    assert_eq!(
        id_of(&before, &format!("{pod}_steady")),
        id_of(&after, &format!("{pod}_steady")),
        "the unchanged member is kept"
    );
    assert_ne!(
        id_of(&before, &format!("{pod}_changing")),
        id_of(&after, &format!("{pod}_changing")),
        "the changed member is new"
    );
    assert_eq!(
        exec_ok(pod, "changing", &["sh", "-c", "echo $MODE"]).trim(),
        "b"
    );
    podc(&["up", "-d", arg(&file)])
        .expect_ok()
        .expect_stdout_contains("already running and unchanged");
}

#[test]
fn changing_a_port_rebuilds_the_pod() {
    let _daemon = setup();
    let pod = "it-life-rebuild";
    let _guard = PodGuard::new(pod);
    let dir = temp_dir();
    let (first, second) = (Port::reserve().release(), Port::reserve().release());
    let file = write_manifest(dir.path(), "pod.yaml", &two_members(pod, "a", first));
    podc(&["up", "-d", arg(&file)]).expect_ok();
    let before = ids(pod);
    write_manifest(dir.path(), "pod.yaml", &two_members(pod, "a", second));
    podc(&["up", "-d", arg(&file)])
        .expect_ok()
        .expect_stdout_contains("rebuilding");
    let after = ids(pod);
    for (name, id) in &before {
        if name.ends_with("_SPEC") {
            continue;
        }
        assert!(
            after.iter().all(|(_, other)| other != id),
            "{name} survived a port change\nbefore {before:?}\nafter {after:?}"
        );
    }
    let published = docker_ok(&["port", &format!("{pod}_POD")]);
    assert!(
        published.contains(&format!("127.0.0.1:{second}")),
        "{published}"
    );
}

#[test]
fn a_file_with_two_pods_and_a_config_map_brings_up_both() {
    let _daemon = setup();
    let dir = temp_dir();
    let (a, b) = ("it-life-multi-a", "it-life-multi-b");
    let _guards = (PodGuard::new(a), PodGuard::new(b));
    let pod = |name: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}}}\nspec:\n  containers:\n    - name: app\n      image: podc/busybox:latest\n      command: [sleep, \"3600\"]\n      env:\n        - name: GREETING\n          valueFrom: {{configMapKeyRef: {{name: settings, key: greeting}}}}\n"
        )
    };
    let yaml = format!(
        "{}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: settings}}\ndata: {{greeting: hello}}\n---\n{}",
        pod(a),
        pod(b)
    );
    let file = write_manifest(dir.path(), "pods.yaml", &yaml);
    podc(&["up", "-d", arg(&file)]).expect_ok();
    for name in [a, b] {
        assert_eq!(
            exec_ok(name, "app", &["sh", "-c", "echo $GREETING"]).trim(),
            "hello",
            "pod {name}"
        );
    }
    podc(&["down", arg(&file)]).expect_ok();
    assert_nothing_left(a, &"after down of the file");
    assert_nothing_left(b, &"after down of the file");
}

#[test]
fn env_from_a_secret_survives_a_restart_and_a_rebuild() {
    let _daemon = setup();
    let pod = "it-life-secret-env";
    let _guard = PodGuard::new(pod);
    let dir = temp_dir();
    let yaml = format!(
        "apiVersion: v1\nkind: Secret\nmetadata: {{name: creds}}\nstringData: {{password: s3cret}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {{name: {pod}}}\nspec:\n  containers:\n    - name: app\n      image: podc/busybox:latest\n      command: [sleep, \"3600\"]\n      env:\n        - name: PASSWORD\n          valueFrom: {{secretKeyRef: {{name: creds, key: password}}}}\n"
    );
    let file = write_manifest(dir.path(), "pod.yaml", &yaml);
    let up = podc(&["up", "-d", arg(&file)]);
    up.expect_ok();
    assert!(
        !up.stdout.contains("s3cret") && !up.stderr.contains("s3cret"),
        "a Secret's value was printed\n{up}"
    );
    let password = || {
        podc(&["exec", pod, "-c", "app", "--", "sh", "-c", "echo $PASSWORD"])
            .stdout
            .trim()
            .to_string()
    };
    assert_eq!(password(), "s3cret");

    let member = format!("{pod}_app");
    let first = docker_ok(&["inspect", "-f", "{{.Id}}", &member]);
    docker_ok(&["kill", &member]);
    let restarted = wait_until(Duration::from_secs(20), || {
        docker(&["inspect", "-f", "{{.Id}} {{.State.Running}}", &member])
            .stdout
            .trim()
            .split_once(' ')
            .is_some_and(|(id, running)| id != first.trim() && running == "true")
    });
    assert!(restarted, "{member} was not restarted");
    assert_eq!(password(), "s3cret", "after a member restart");

    docker_ok(&["kill", &format!("{pod}_POD")]);
    let rebuilt = wait_until(Duration::from_secs(20), || {
        ps_json(pod)
            .is_some_and(|p| p["podRestarts"] == 1 && p["containers"][0]["state"] == "running")
    });
    assert!(rebuilt, "pod {pod} was not rebuilt");
    assert!(
        wait_until(Duration::from_secs(10), || password() == "s3cret"),
        "after a pod rebuild"
    );
    podc(&["up", "-d", arg(&file)])
        .expect_ok()
        .expect_stdout_contains("already running and unchanged");
}

#[test]
fn a_secret_volume_keeps_its_files_when_the_pod_is_rebuilt() {
    let _daemon = setup();
    let pod = "it-life-secret-volume";
    let _guard = PodGuard::new(pod);
    let dir = temp_dir();
    let yaml = format!(
        "apiVersion: v1\nkind: Secret\nmetadata: {{name: tls}}\nstringData: {{key.pem: very-secret}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {{name: {pod}}}\nspec:\n  volumes:\n    - name: tls\n      secret: {{secretName: tls}}\n  containers:\n    - name: app\n      image: podc/busybox:latest\n      command: [sleep, \"3600\"]\n      volumeMounts: [{{name: tls, mountPath: /tls}}]\n"
    );
    let file = write_manifest(dir.path(), "pod.yaml", &yaml);
    podc(&["up", "-d", arg(&file)]).expect_ok();
    let key = || podc(&["exec", pod, "-c", "app", "--", "cat", "/tls/key.pem"]).stdout;
    assert_eq!(key(), "very-secret");
    docker_ok(&["kill", &format!("{pod}_POD")]);
    let rebuilt = wait_until(Duration::from_secs(20), || {
        ps_json(pod)
            .is_some_and(|p| p["podRestarts"] == 1 && p["containers"][0]["state"] == "running")
    });
    assert!(rebuilt, "pod {pod} was not rebuilt");
    let kept = wait_until(Duration::from_secs(20), || key() == "very-secret");
    assert!(
        kept,
        "the secret volume lost its files in the rebuild: {:?}",
        key()
    );
    podc(&["up", "-d", arg(&file)])
        .expect_ok()
        .expect_stdout_contains("already running and unchanged");
}
