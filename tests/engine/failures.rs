//! Failures a user meets at run time: a taken host port and a missing image (exit 1, a
//! message that names the culprit, nothing left). Broken manifests are the cli tier's.

use crate::support::*;
use std::net::TcpListener;

/// A pod named `pod` whose `containers:` list is `containers`.
fn pod(pod: &str, containers: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod}\nspec:\n  containers:\n{containers}"
    )
}

#[test]
fn taken_host_port_rolls_the_pod_back() {
    let _daemon = setup();
    let pod_name = "it-port-taken";
    let holder = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    let port = holder.local_addr().expect("bound").port();
    let dir = temp_dir();
    let file = write_manifest(
        dir.path(),
        "port-taken.yaml",
        &pod(
            pod_name,
            &format!("    - name: blog\n      image: podc/blog:latest\n      ports:\n        - containerPort: 2368\n          hostPort: {port}\n          hostIP: 127.0.0.1\n"),
        ),
    );
    let _guard = PodGuard::new(pod_name);

    let run = podc(&["up", "-d", arg(&file)]);
    run.expect_code(1)
        .expect_stderr_contains(&format!("{pod_name}_POD"))
        .expect_stderr_contains(&format!("127.0.0.1:{port}"))
        .expect_stderr_contains("free it or change hostPort");
    assert!(
        run.stderr.contains("address already in use")
            || run.stderr.contains("port is already allocated"),
        "stderr does not say the port is taken\n{run}"
    );
    assert_nothing_left(pod_name, &run);
    drop(holder);
}

/// A pod whose second member uses an image that exists nowhere.
fn missing_image_pod(pod_name: &str, policy: &str) -> String {
    pod(
        pod_name,
        &format!("    - name: idle\n      image: podc/busybox:latest\n      command: [\"sleep\", \"3600\"]\n    - name: ghost\n      image: podc/does-not-exist:1\n{policy}"),
    )
}

#[test]
fn missing_image_with_pull_policy_never_fails_and_leaves_nothing() {
    let _daemon = setup();
    let pod_name = "it-image-never";
    let dir = temp_dir();
    let file = write_manifest(
        dir.path(),
        "image-never.yaml",
        &missing_image_pod(pod_name, "      imagePullPolicy: Never\n"),
    );
    let _guard = PodGuard::new(pod_name);

    let run = podc(&["up", "-d", arg(&file)]);
    run.expect_code(1)
        .expect_stderr_contains("podc/does-not-exist:1")
        .expect_stderr_contains("ghost")
        .expect_stderr_contains("Never");
    assert_nothing_left(pod_name, &run);
}

#[test]
fn missing_image_that_cannot_be_pulled_fails_and_leaves_nothing() {
    let _daemon = setup();
    let pod_name = "it-image-pull";
    let dir = temp_dir();
    let file = write_manifest(
        dir.path(),
        "image-pull.yaml",
        &missing_image_pod(pod_name, ""),
    );
    let _guard = PodGuard::new(pod_name);

    let run = podc(&["up", "-d", arg(&file)]);
    run.expect_code(1)
        .expect_stderr_contains("podc/does-not-exist:1");
    assert!(
        run.stderr.contains("pull"),
        "stderr does not say the pull failed\n{run}"
    );
    assert_nothing_left(pod_name, &run);
}
