//! Security of a running pod, through the real binary: Secret values never show up in podc's
//! output or in the labels of its containers and volumes. (Errors about Secrets, reserved labels
//! and risky settings are the cli tier's.)

use crate::support::*;

use crate::secret_pod::*;

#[track_caller]
fn assert_run_has_no_secret(what: &str, run: &PodcRun) {
    assert_no_secret(&format!("{what} (stdout)"), &run.stdout);
    assert_no_secret(&format!("{what} (stderr)"), &run.stderr);
}

#[test]
fn secret_values_never_appear_in_output_errors_or_labels() {
    let _daemon = setup();
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
