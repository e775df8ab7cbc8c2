//! Failures a user meets: a broken manifest (exit 2, file:line:column, nothing created), a taken
//! host port and a missing image (exit 1, a message that names the culprit, nothing left).

mod support;

use std::net::TcpListener;
use std::path::Path;
use support::*;

/// Every `<path>:LINE:COLUMN:` location in `text`.
fn locations(text: &str, path: &Path) -> Vec<(u32, u32)> {
    let prefix = format!("{}:", path.display());
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(&prefix) {
        rest = &rest[at + prefix.len()..];
        let mut parts = rest.splitn(3, ':');
        let line = parts.next().and_then(|l| l.parse().ok());
        let column = parts.next().and_then(|c| c.parse().ok());
        if let (Some(line), Some(column), Some(_)) = (line, column, parts.next()) {
            found.push((line, column));
        }
    }
    found
}

/// `podc up -d` of `yaml` (saved as `<case>.yaml`) must exit 2, report `location` (or some
/// location when None) in that file, say every phrase, and leave no container of `pod`.
#[track_caller]
fn rejected(case: &str, pod: &str, yaml: &str, location: Option<(u32, u32)>, phrases: &[&str]) {
    setup();
    let dir = temp_dir();
    let file = write_manifest(dir.path(), &format!("{case}.yaml"), yaml);
    let _guard = PodGuard::new(pod);
    let run = podc(&["up", "-d", arg(&file)]);
    assert_eq!(
        run.code,
        Some(2),
        "case {case}: expected exit code 2 for a bad manifest\n{run}"
    );
    let found = locations(&run.stderr, &file);
    match location {
        Some(want) => assert!(
            found.contains(&want),
            "case {case}: expected {}:{}:{}: in stderr, found locations {found:?}\n{run}",
            file.display(),
            want.0,
            want.1
        ),
        None => assert!(
            !found.is_empty(),
            "case {case}: expected {}:LINE:COLUMN: in stderr\n{run}",
            file.display()
        ),
    }
    for phrase in phrases {
        assert!(
            run.stderr.contains(phrase),
            "case {case}: expected stderr to say {phrase:?}\n{run}"
        );
    }
    assert_nothing_left(pod, &format!("case {case}\n{run}"));
}

/// A pod named `pod` whose `containers:` list is `containers`.
fn pod(pod: &str, containers: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod}\nspec:\n  containers:\n{containers}"
    )
}

const ONE_MEMBER: &str = "    - name: web\n      image: podc/busybox:latest\n";

#[test]
fn bad_manifest_yaml_syntax_error() {
    let yaml = pod(
        "it-bad-syntax",
        "    - name: web\n      image: podc/busybox:latest\n      command: [\"sleep\", \"1\"\n",
    );
    rejected(
        "syntax",
        "it-bad-syntax",
        &yaml,
        None,
        &["YAML syntax error"],
    );
}

#[test]
fn bad_manifest_wrong_kind() {
    let yaml = pod("it-bad-kind", ONE_MEMBER).replace("kind: Pod", "kind: Deployment");
    rejected(
        "kind",
        "it-bad-kind",
        &yaml,
        Some((2, 7)),
        &["kind `Deployment` is not supported", "kind: Pod"],
    );
}

#[test]
fn bad_manifest_wrong_api_version() {
    let yaml = pod("it-bad-api", ONE_MEMBER).replace("apiVersion: v1", "apiVersion: v2");
    rejected(
        "api-version",
        "it-bad-api",
        &yaml,
        Some((1, 13)),
        &["apiVersion `v2` is not supported", "apiVersion: v1"],
    );
}

#[test]
fn bad_manifest_empty_file() {
    rejected(
        "empty",
        "it-bad-empty",
        "",
        Some((1, 1)),
        &["is empty", "expected a Kubernetes v1 Pod"],
    );
}

#[test]
fn bad_manifest_bad_pod_name() {
    rejected(
        "pod-name",
        "Blog_1",
        &pod("Blog_1", ONE_MEMBER),
        Some((4, 9)),
        &["pod name `Blog_1` is not a valid DNS-1123 subdomain"],
    );
}

#[test]
fn bad_manifest_bad_container_name() {
    let yaml = pod("it-bad-cname", ONE_MEMBER).replace("name: web", "name: Web_1");
    rejected(
        "container-name",
        "it-bad-cname",
        &yaml,
        Some((7, 13)),
        &["container name `Web_1` is not a valid DNS-1123 label"],
    );
}

#[test]
fn bad_manifest_duplicate_container_names() {
    let yaml = pod("it-bad-dup", &format!("{ONE_MEMBER}{ONE_MEMBER}"));
    rejected(
        "duplicate",
        "it-bad-dup",
        &yaml,
        Some((9, 13)),
        &["duplicate container name `web`", "line 7"],
    );
}

#[test]
fn bad_manifest_container_port_out_of_range() {
    let yaml = pod(
        "it-bad-port",
        &format!("{ONE_MEMBER}      ports:\n        - containerPort: 70000\n"),
    );
    rejected(
        "port-range",
        "it-bad-port",
        &yaml,
        Some((10, 26)),
        &["containerPort", "70000", "out of range 1..65535"],
    );
}

#[test]
fn bad_manifest_same_host_port_twice() {
    let yaml = pod(
        "it-bad-hostport",
        "    - name: web\n      image: podc/busybox:latest\n      ports:\n        - containerPort: 80\n          hostPort: 18080\n    - name: api\n      image: podc/busybox:latest\n      ports:\n        - containerPort: 81\n          hostPort: 18080\n",
    );
    rejected(
        "host-port",
        "it-bad-hostport",
        &yaml,
        Some((16, 21)),
        &["hostPort 18080/TCP of container `api` is already claimed by container `web`"],
    );
}

#[test]
fn bad_manifest_same_container_port_twice() {
    let yaml = pod(
        "it-bad-cport",
        "    - name: web\n      image: podc/busybox:latest\n      ports:\n        - containerPort: 80\n    - name: api\n      image: podc/busybox:latest\n      ports:\n        - containerPort: 80\n",
    );
    rejected(
        "container-port",
        "it-bad-cport",
        &yaml,
        Some((14, 26)),
        &[
            "containerPort 80/TCP is declared by both container `web`",
            "`api`",
        ],
    );
}

#[test]
fn bad_manifest_unknown_field() {
    let yaml = pod("it-bad-field", ONE_MEMBER).replace("image:", "imagee:");
    rejected(
        "unknown-field",
        "it-bad-field",
        &yaml,
        Some((8, 7)),
        &["unknown field `imagee`", "did you mean `image`?"],
    );
}

#[test]
fn taken_host_port_rolls_the_pod_back() {
    setup();
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
    setup();
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
    setup();
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
