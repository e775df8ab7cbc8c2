//! A broken manifest through the real binary: exit 2, file:line:column, nothing created. podc
//! runs with no daemon to reach (`DOCKER_HOST` names no socket), so exit 2 with the manifest's
//! error proves it refused the file before it could create anything.

use crate::run::*;
use std::path::Path;

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
/// location when None) in that file, and say every phrase.
#[track_caller]
fn rejected(case: &str, yaml: &str, location: Option<(u32, u32)>, phrases: &[&str]) {
    let dir = temp_dir();
    let file = write_manifest(dir.path(), &format!("{case}.yaml"), yaml);
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
    // "Nothing left in Docker" needs no check here: with no daemon to reach, exit 2 with the
    // manifest's error means podc stopped before it could create anything.
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
    rejected("syntax", &yaml, None, &["YAML syntax error"]);
}

#[test]
fn bad_manifest_wrong_kind() {
    let yaml = pod("it-bad-kind", ONE_MEMBER).replace("kind: Pod", "kind: Deployment");
    rejected(
        "kind",
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
        &yaml,
        Some((1, 13)),
        &["apiVersion `v2` is not supported", "apiVersion: v1"],
    );
}

#[test]
fn bad_manifest_empty_file() {
    rejected(
        "empty",
        "",
        Some((1, 1)),
        &["is empty", "expected a Kubernetes v1 Pod"],
    );
}

#[test]
fn bad_manifest_bad_pod_name() {
    rejected(
        "pod-name",
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
        &yaml,
        Some((8, 7)),
        &["unknown field `imagee`", "did you mean `image`?"],
    );
}
