//! The manifest rules, by value: exact messages and places, no Docker.

use podc::manifest::{
    load_file, load_str, Container, ContainerPort, Diagnostic, EnvVar, Loaded, ManifestError,
    Metadata, Pod, PodSpec, PortRef, Probe, ProbeHandler, Protocol, PullPolicy, RestartPolicy,
};
use std::collections::BTreeMap;
use std::path::Path;

const FILE: &str = "pods/t.yaml";

fn fixture(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/manifests")
        .join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn load_fixture(rel: &str) -> Result<Loaded, ManifestError> {
    load_str(rel, &fixture(rel))
}

/// "line:column: message" of every error.
fn errors(text: &str) -> Vec<String> {
    match load_str(FILE, text) {
        Ok(l) => panic!("expected errors, got {:?}", l.pod),
        Err(e) => e.errors.iter().map(short).collect(),
    }
}

fn warnings(text: &str) -> Vec<String> {
    match load_str(FILE, text) {
        Ok(l) => l.warnings.iter().map(short).collect(),
        Err(e) => panic!("expected a pod, got:\n{e}"),
    }
}

fn short(d: &Diagnostic) -> String {
    assert_eq!(d.file, FILE);
    format!("{}:{}: {}", d.line, d.column, d.message)
}

/// The only error, with its hint.
fn only_error(text: &str) -> (String, Option<String>) {
    let err = load_str(FILE, text).expect_err("expected an error");
    assert_eq!(err.errors.len(), 1, "{err}");
    let d = &err.errors[0];
    (short(d), d.hint.clone())
}

/// A valid pod around one container's extra lines (indented for a container item).
fn pod_with(container_lines: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\nspec:\n  containers:\n    - name: web\n      image: nginx\n{container_lines}"
    )
}

// ---------------------------------------------------------------------------------------------
// The canonical example, a full manifest, the unsupported-fields manifest

#[test]
fn blog_example_loads_without_warnings() {
    let loaded = load_fixture("good/blog.yaml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.warnings, vec![]);
    let expected = Pod {
        metadata: Metadata {
            name: "blog".into(),
            labels: BTreeMap::from([("app".into(), "blog".into())]),
            annotations: BTreeMap::new(),
        },
        spec: PodSpec {
            containers: vec![
                Container {
                    name: "web".into(),
                    image: "podc/nginx:latest".into(),
                    command: vec![
                        "nginx".into(),
                        "-c".into(),
                        "/etc/nginx/proxy-blog.conf".into(),
                    ],
                    ports: vec![ContainerPort {
                        container_port: 80,
                        host_port: Some(8080),
                        host_ip: Some("127.0.0.1".into()),
                        protocol: Protocol::Tcp,
                        name: None,
                    }],
                    ..Container::default()
                },
                Container {
                    name: "blog".into(),
                    image: "podc/blog:latest".into(),
                    ports: vec![ContainerPort {
                        container_port: 2368,
                        ..ContainerPort::default()
                    }],
                    ..Container::default()
                },
            ],
            hostname: None,
            termination_grace_period_seconds: Some(10),
            share_process_namespace: None,
            restart_policy: RestartPolicy::Always,
            ..Default::default()
        },
    };
    assert_eq!(loaded.pod, expected);
}

#[test]
fn full_manifest_yields_the_whole_pod() {
    let loaded = load_fixture("good/full.yaml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.warnings, vec![]);
    let env = |name: &str, value: &str| EnvVar {
        name: name.into(),
        value: value.into(),
        ..Default::default()
    };
    let expected = Pod {
        metadata: Metadata {
            name: "shop.example".into(),
            labels: BTreeMap::from([
                ("app".into(), "shop".into()),
                ("app.kubernetes.io/version".into(), "1.4".into()),
                ("tier".into(), "".into()),
            ]),
            annotations: BTreeMap::from([
                (
                    "description".into(),
                    "A small shop: a web front and an API, sharing one network namespace.".into(),
                ),
                ("example.com/owner".into(), "team-a".into()),
            ]),
        },
        spec: PodSpec {
            containers: vec![
                Container {
                    name: "web".into(),
                    image: "nginx:1.27-alpine".into(),
                    command: vec!["nginx".into()],
                    args: vec!["-g".into(), "daemon off;".into()],
                    env: vec![
                        env("API_URL", "http://localhost:9000"),
                        env("EMPTY", ""),
                        env("UNSET", ""),
                    ],
                    working_dir: Some("/usr/share/nginx/html".into()),
                    ports: vec![
                        ContainerPort {
                            container_port: 80,
                            host_port: Some(8080),
                            host_ip: Some("127.0.0.1".into()),
                            protocol: Protocol::Tcp,
                            name: Some("http".into()),
                        },
                        ContainerPort {
                            container_port: 80,
                            host_port: Some(8080),
                            host_ip: Some("::1".into()),
                            protocol: Protocol::Tcp,
                            name: None,
                        },
                    ],
                    image_pull_policy: Some(PullPolicy::IfNotPresent),
                    liveness_probe: None,
                    readiness_probe: None,
                    startup_probe: None,
                    ..Default::default()
                },
                Container {
                    name: "api".into(),
                    image: "registry.example.com/shop/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef".into(),
                    command: vec![],
                    args: vec!["--listen=:9000".into(), "--workers".into(), "4".into()],
                    env: vec![env("LOG_LEVEL", "debug")],
                    working_dir: None,
                    ports: vec![
                        ContainerPort {
                            container_port: 9000,
                            name: Some("api".into()),
                            ..ContainerPort::default()
                        },
                        ContainerPort {
                            container_port: 9125,
                            host_port: Some(9125),
                            host_ip: None,
                            protocol: Protocol::Udp,
                            name: Some("stats".into()),
                        },
                    ],
                    image_pull_policy: Some(PullPolicy::Always),
                    liveness_probe: None,
                    readiness_probe: None,
                    startup_probe: None,
                    ..Default::default()
                },
            ],
            hostname: Some("shop".into()),
            termination_grace_period_seconds: Some(30),
            share_process_namespace: Some(false),
            restart_policy: RestartPolicy::Always,
            ..Default::default()
        },
    };
    assert_eq!(loaded.pod, expected);
}

#[test]
fn unsupported_fields_warn_and_still_yield_a_pod() {
    let loaded = load_fixture("good/unsupported-fields.yaml").unwrap_or_else(|e| panic!("{e}"));
    let got: Vec<String> = loaded
        .warnings
        .iter()
        .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
        .collect();
    assert_eq!(
        got,
        [
            "6:3: `metadata.namespace` is ignored: podc has no namespaces",
            // restartPolicy (line 11) and livenessProbe (line 31) are applied.
            "12:3: `spec.dnsPolicy` is not supported yet by podc and is ignored",
            "13:3: `spec.nodeSelector` is not supported yet by podc and is ignored",
            "15:3: `spec.volumes` is not supported yet by podc and is ignored",
            "24:11: `spec.containers[0].env[0].valueFrom` is not supported yet by podc: the variable is left unset",
            "29:7: `spec.containers[0].resources` is not supported yet by podc and is ignored",
            "34:7: `spec.containers[0].volumeMounts` is not supported yet by podc and is ignored",
            "38:1: `status` is written by a cluster, not by you; podc ignores it",
        ]
    );
    let expected = Pod {
        metadata: Metadata {
            name: "cache".into(),
            labels: BTreeMap::from([("app".into(), "cache".into())]),
            annotations: BTreeMap::new(),
        },
        spec: PodSpec {
            containers: vec![Container {
                name: "redis".into(),
                image: "redis:7".into(),
                args: vec!["--appendonly".into(), "yes".into()],
                // POD_IP only had a valueFrom: left unset rather than set to "".
                env: vec![],
                ports: vec![ContainerPort {
                    container_port: 6379,
                    host_port: Some(6379),
                    ..ContainerPort::default()
                }],
                liveness_probe: Some(Probe::new(ProbeHandler::TcpSocket {
                    port: PortRef::Number(6379),
                    host: None,
                })),
                ..Container::default()
            }],
            ..PodSpec::default()
        },
    };
    assert_eq!(loaded.pod, expected);
}

#[test]
fn five_different_errors_are_all_reported() {
    let err = load_fixture("bad/five-errors.yaml").unwrap_err();
    let got: Vec<String> = err
        .errors
        .iter()
        .map(|d| format!("{}:{}:{}: {}", d.file, d.line, d.column, d.message))
        .collect();
    assert_eq!(
        got,
        [
            "bad/five-errors.yaml:5:9: pod name `Blog` is not a valid DNS-1123 subdomain: it contains uppercase letters",
            "bad/five-errors.yaml:9:7: unknown field `imagee` in spec.containers[0]",
            "bad/five-errors.yaml:14:21: `spec.containers[0].ports[1].protocol`: SCTP is not supported by podc: Docker publishes only TCP and UDP ports",
            "bad/five-errors.yaml:19:18: `spec.containers[1].env[0].value` must be a string, found integer `2368`",
            "bad/five-errors.yaml:21:26: containerPort 80/TCP is declared by both container `web` (line 11) and container `blog`: containers in a pod share one network namespace, so only one of them can listen on it",
        ]
    );
    let shown = err.to_string();
    assert!(shown.starts_with(
        "bad/five-errors.yaml:5:9: pod name `Blog` is not a valid DNS-1123 subdomain: it contains uppercase letters\n  hint: use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, e.g. `blog`\nbad/five-errors.yaml:9:7: unknown field `imagee` in spec.containers[0]\n  hint: did you mean `image`?\n"
    ), "{shown}");
    assert!(
        shown.ends_with("\n5 errors in bad/five-errors.yaml"),
        "{shown}"
    );
}

#[test]
fn diagnostic_display() {
    let d = Diagnostic {
        file: "pods/blog.yaml".into(),
        line: 12,
        column: 7,
        message: "unknown field `imagee` in spec.containers[0]".into(),
        hint: Some("did you mean `image`?".into()),
    };
    assert_eq!(
        d.to_string(),
        "pods/blog.yaml:12:7: unknown field `imagee` in spec.containers[0]\n  hint: did you mean `image`?"
    );
    let e = ManifestError {
        file: "pods/blog.yaml".into(),
        errors: vec![Diagnostic { hint: None, ..d }],
    };
    assert_eq!(
        e.to_string(),
        "pods/blog.yaml:12:7: unknown field `imagee` in spec.containers[0]\n1 error in pods/blog.yaml"
    );
}

#[test]
fn unreadable_file_names_the_path_and_the_os_error() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/manifests/no-such-file.yaml");
    let err = load_file(&path).unwrap_err();
    let shown = path.display().to_string();
    assert_eq!(err.file, shown);
    assert_eq!(err.errors.len(), 1);
    let d = &err.errors[0];
    assert_eq!((d.line, d.column), (0, 0));
    assert_eq!(
        d.message,
        format!("cannot read {shown}: No such file or directory (os error 2)")
    );
    assert_eq!(
        err.to_string(),
        format!("{shown}: cannot read {shown}: No such file or directory (os error 2)\n1 error in {shown}")
    );
}

#[test]
fn load_file_reads_fixtures() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/manifests/good/blog.yaml");
    assert_eq!(load_file(&path).unwrap().pod.metadata.name, "blog");
}

// ---------------------------------------------------------------------------------------------
// Rule 1: YAML syntax, empty files, one document

#[test]
fn rule1_syntax_errors_have_line_and_column() {
    let (e, _) = only_error(&fixture("bad/syntax.yaml"));
    assert_eq!(
        e,
        "10:1: YAML syntax error: while parsing a flow sequence, expected ',' or ']'"
    );
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n   bad: indent\n";
    assert_eq!(
        only_error(text).0,
        "5:7: YAML syntax error: mapping values are not allowed in this context"
    );
    let tab = "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: a\n";
    assert_eq!(
        only_error(tab).0,
        "4:2: YAML syntax error: tabs disallowed within this context (block indentation)"
    );
}

#[test]
fn rule1_both_parsers_agree_on_what_is_yaml() {
    for rel in [
        "good/blog.yaml",
        "good/full.yaml",
        "good/unsupported-fields.yaml",
        "good/probes.yaml",
        "bad/five-errors.yaml",
        "bad/deployment.yaml",
        "bad/port-conflicts.yaml",
    ] {
        let text = fixture(rel);
        serde_yaml::from_str::<serde_yaml::Value>(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
        if let Err(e) = load_str(rel, &text) {
            assert!(!e.to_string().contains("YAML"), "{e}");
        }
    }
    for bad in [
        fixture("bad/syntax.yaml"),
        "a: [1, 2\n".into(),
        "a: {b: 1\n".into(),
        "a:\n  b: 1\n c: 2\n".into(),
        "a: 'unterminated\n".into(),
        "a: \"bad \\q escape\"\n".into(),
        "a: b: c\n".into(),
        "- a\nb: c\n".into(),
        "a:\n\t- b\n".into(),
        "a: *nope\n".into(),
        "a: &x 1\n&y\n".into(),
        "@a: 1\n".into(),
    ] {
        assert!(
            serde_yaml::from_str::<serde_yaml::Value>(&bad).is_err(),
            "serde_yaml accepts {bad:?}"
        );
        let err = load_str(FILE, &bad).expect_err(&bad);
        assert_eq!(err.errors.len(), 1, "{err}");
        let d = &err.errors[0];
        assert!(d.message.starts_with("YAML syntax error: "), "{err}");
        assert!(d.line >= 1 && d.column >= 1, "{err}");
    }
}

#[test]
fn rule1_empty_files_are_refused() {
    for text in [
        "",
        "\n\n",
        "# only a comment\n",
        "---\n",
        "---\n...\n",
        "--- # nothing\n---\n",
    ] {
        assert_eq!(
            only_error(text),
            (
                "1:1: pods/t.yaml is empty: expected a Kubernetes v1 Pod".to_string(),
                None
            ),
            "{text:?}"
        );
    }
}

#[test]
fn rule1_multiple_documents_are_refused_at_the_second() {
    let one = fixture("good/blog.yaml");
    let text = format!("{one}---\n{one}");
    assert_eq!(
        only_error(&text),
        (
            "20:1: multiple documents are not supported yet; put one Pod per file".to_string(),
            None
        )
    );
    // Empty documents around the pod are not documents of their own.
    let text = format!("---\n# the pod\n---\n{one}---\n");
    assert_eq!(load_str(FILE, &text).unwrap().pod.metadata.name, "blog");
}

// ---------------------------------------------------------------------------------------------
// Rule 2: apiVersion v1, kind Pod

const BODY: &str = "metadata:\n  name: a\nspec:\n  containers: [{name: a, image: b}]\n";

#[test]
fn rule2_kind_must_be_pod() {
    let (e, hint) = only_error(&format!("apiVersion: v1\nkind: Deployment\n{BODY}"));
    assert_eq!(
        e,
        "2:7: kind `Deployment` is not supported: podc runs `kind: Pod` (apiVersion v1)"
    );
    assert_eq!(hint.as_deref(), Some("a Deployment's pods are described by its `spec.template`: copy that template's `metadata` and `spec` into a file with `apiVersion: v1` and `kind: Pod`"));
    let (e, hint) = only_error(&format!("apiVersion: v1\nkind: pod\n{BODY}"));
    assert_eq!(
        e,
        "2:7: kind `pod` is not supported: podc runs `kind: Pod` (apiVersion v1)"
    );
    assert_eq!(hint.as_deref(), Some("did you mean `Pod`?"));
    let (e, hint) = only_error(&format!("apiVersion: v1\n{BODY}"));
    assert_eq!(
        e,
        "1:1: missing `kind`: podc runs `kind: Pod` (apiVersion v1)"
    );
    assert_eq!(
        hint.as_deref(),
        Some("add `kind: Pod` at the top of the file")
    );
    let (e, _) = only_error(&format!("apiVersion: v1\nkind: [Pod]\n{BODY}"));
    assert_eq!(e, "2:7: kind must be `Pod`, found a list");
}

#[test]
fn rule2_api_version_must_be_v1() {
    let (e, hint) = only_error(&format!("apiVersion: apps/v1\nkind: Pod\n{BODY}"));
    assert_eq!(
        e,
        "1:13: apiVersion `apps/v1` is not supported: podc runs `apiVersion: v1` with `kind: Pod`"
    );
    assert_eq!(hint.as_deref(), Some("write `apiVersion: v1`"));
    let (e, _) = only_error(&format!("kind: Pod\n{BODY}"));
    assert_eq!(
        e,
        "1:1: missing `apiVersion`: podc runs `apiVersion: v1` with `kind: Pod`"
    );
    let (e, _) = only_error(&format!("apiVersion: 1\nkind: Pod\n{BODY}"));
    assert_eq!(e, "1:13: apiVersion must be `v1`, found integer `1`");
    let (e, _) = only_error(&format!("apiVersion:\nkind: Pod\n{BODY}"));
    assert_eq!(e, "1:1: apiVersion must be `v1`, found null");
}

#[test]
fn rule2_other_kinds_are_not_checked_as_pods() {
    let err = load_fixture("bad/deployment.yaml").unwrap_err();
    let got: Vec<String> = err
        .errors
        .iter()
        .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
        .collect();
    assert_eq!(
        got,
        [
            "1:13: apiVersion `apps/v1` is not supported: podc runs `apiVersion: v1` with `kind: Pod`",
            "2:7: kind `Deployment` is not supported: podc runs `kind: Pod` (apiVersion v1)",
        ]
    );
}

#[test]
fn rule2_the_document_must_be_a_mapping() {
    assert_eq!(
        only_error("- a\n- b\n").0,
        "1:1: expected a Kubernetes v1 Pod (a mapping with `apiVersion`, `kind`, `metadata` and `spec`), found a list"
    );
    assert_eq!(
        only_error("just text\n").0,
        "1:1: expected a Kubernetes v1 Pod (a mapping with `apiVersion`, `kind`, `metadata` and `spec`), found string \"just text\""
    );
}

// ---------------------------------------------------------------------------------------------
// Rule 3: the Kubernetes field schema

#[test]
fn rule3_unknown_fields_are_errors_with_the_closest_name() {
    let (e, hint) = only_error(&pod_with("      imagee: nginx\n"));
    assert_eq!(e, "9:7: unknown field `imagee` in spec.containers[0]");
    assert_eq!(hint.as_deref(), Some("did you mean `image`?"));
    let (e, hint) = only_error(&pod_with("      ports:\n        - ContainerPort: 80\n"));
    assert_eq!(
        e,
        "10:11: unknown field `ContainerPort` in spec.containers[0].ports[0]"
    );
    assert_eq!(hint.as_deref(), Some("did you mean `containerPort`?"));
    let (e, hint) = only_error(&format!(
        "apiVersion: v1\nkind: Pod\nmetdata: {{name: a}}\n{}",
        "spec:\n  containers: [{name: a, image: b}]\n"
    ));
    assert_eq!(
        e,
        "3:1: unknown field `metdata` at the top level of the Pod"
    );
    assert_eq!(hint.as_deref(), Some("did you mean `metadata`?"));
    let (e, hint) = only_error(&pod_with(
        "      env:\n        - name: A\n          valu: b\n",
    ));
    assert_eq!(
        e,
        "11:11: unknown field `valu` in spec.containers[0].env[0]"
    );
    assert_eq!(hint.as_deref(), Some("did you mean `value`?"));
}

#[test]
fn rule3_without_a_close_name_the_hint_lists_the_fields() {
    let (e, hint) = only_error(&pod_with("      zzz: 1\n"));
    assert_eq!(e, "9:7: unknown field `zzz` in spec.containers[0]");
    assert_eq!(hint.as_deref(), Some("a Kubernetes Container has these fields: args, command, env, envFrom, image, imagePullPolicy, lifecycle, livenessProbe, name, ports, readinessProbe, resizePolicy, resources, restartPolicy, restartPolicyRules, securityContext, startupProbe, stdin, stdinOnce, terminationMessagePath, terminationMessagePolicy, tty, volumeDevices, volumeMounts, workingDir"));
    let (_, hint) = only_error(&pod_with(
        "      ports:\n        - port: 80\n          containerPort: 80\n",
    ));
    assert_eq!(hint.as_deref(), Some("a Kubernetes ContainerPort has these fields: containerPort, hostIP, hostPort, name, protocol"));
}

#[test]
fn rule3_unsupported_kubernetes_fields_warn() {
    let text = pod_with("      lifecycle:\n        preStop: {exec: {command: [sleep, \"5\"]}}\n      volumeMounts: []\n  initContainers:\n    - name: x\n      image: y\n");
    assert_eq!(
        warnings(&text),
        [
            "9:7: `spec.containers[0].lifecycle` is not supported yet by podc and is ignored",
            "12:3: `spec.initContainers` is not supported yet by podc and is ignored",
        ]
    );
    // Their content is not read: nothing inside is checked.
    let text = pod_with("      securityContext:\n        whatever: [1, 2]\n");
    assert_eq!(
        warnings(&text),
        ["9:7: `spec.containers[0].securityContext` is not supported yet by podc and is ignored"]
    );
}

#[test]
fn rule3_namespace_is_ignored_with_a_warning() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  namespace: default\nspec:\n  containers: [{name: a, image: b}]\n";
    assert_eq!(
        warnings(text),
        ["5:3: `metadata.namespace` is ignored: podc has no namespaces"]
    );
}

#[test]
fn rule3_yaml_merge_keys_are_refused() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\nspec:\n  <<: {hostname: x}\n  containers: [{name: a, image: b}]\n";
    assert_eq!(
        only_error(text),
        (
            "6:3: YAML merge keys (`<<`) are not supported in spec".to_string(),
            Some("write the fields out in full".to_string())
        )
    );
}

#[test]
fn rule3_duplicate_keys_are_errors() {
    let (e, _) = only_error(&pod_with("      image: httpd\n"));
    assert_eq!(e, "9:7: duplicate key `image` (first at line 8:7)");
}

// ---------------------------------------------------------------------------------------------
// Rule 4: types and required fields

#[test]
fn rule4_strings_must_be_strings() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: 123\nspec:\n  containers: [{name: a, image: b}]\n";
    assert_eq!(
        only_error(text),
        (
            "4:9: `metadata.name` must be a string, found integer `123`".to_string(),
            Some("quote it: `name: \"123\"`".to_string())
        )
    );
    let (e, hint) = only_error(&pod_with("      args: [--port, 8080]\n"));
    assert_eq!(
        e,
        "9:22: `spec.containers[0].args[1]` must be a string, found integer `8080`"
    );
    assert_eq!(hint.as_deref(), Some("quote it: `\"8080\"`"));
    let (e, _) = only_error(&pod_with("      workingDir: {a: b}\n"));
    assert_eq!(
        e,
        "9:19: `spec.containers[0].workingDir` must be a string, found a mapping"
    );
}

#[test]
fn rule4_env_values_must_be_quoted() {
    let (e, hint) = only_error(&pod_with(
        "      env:\n        - name: PORT\n          value: 8080\n",
    ));
    assert_eq!(
        e,
        "11:18: `spec.containers[0].env[0].value` must be a string, found integer `8080`"
    );
    assert_eq!(hint.as_deref(), Some("quote it: `value: \"8080\"`"));
    let (e, hint) = only_error(&pod_with(
        "      env:\n        - name: DEBUG\n          value: ~\n",
    ));
    assert_eq!(e, "11:18: `spec.containers[0].env[0].value` is null");
    assert_eq!(
        hint.as_deref(),
        Some("write `value: \"\"` for an empty value, or remove the line")
    );
}

#[test]
fn rule4_label_values_must_be_strings() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  labels:\n    enabled: true\n  annotations:\n    example.com/replicas: 3\nspec:\n  containers: [{name: a, image: b}]\n";
    let err = load_str(FILE, text).unwrap_err();
    let got: Vec<(String, Option<String>)> = err
        .errors
        .iter()
        .map(|d| (short(d), d.hint.clone()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "6:14: `metadata.labels.enabled` must be a string, found boolean `true`".to_string(),
                Some("quote it: `enabled: \"true\"`".to_string())
            ),
            (
                "8:27: `metadata.annotations[\"example.com/replicas\"]` must be a string, found integer `3`".to_string(),
                Some("quote it: `\"3\"`".to_string())
            ),
        ]
    );
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  labels: [app]\nspec:\n  containers: [{name: a, image: b}]\n";
    assert_eq!(
        only_error(text).0,
        "5:11: `metadata.labels` must be a mapping of names to strings, found a list"
    );
}

#[test]
fn rule4_integers() {
    let (e, hint) = only_error(&pod_with("      ports:\n        - containerPort: \"80\"\n"));
    assert_eq!(e, "10:26: `spec.containers[0].ports[0].containerPort` must be an integer, found string \"80\"");
    assert_eq!(
        hint.as_deref(),
        Some("remove the quotes: `containerPort: 80`")
    );
    let (e, _) = only_error(&pod_with("      ports:\n        - containerPort: 80.5\n"));
    assert_eq!(e, "10:26: `spec.containers[0].ports[0].containerPort` must be an integer, found number `80.5`");
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec:\n  terminationGracePeriodSeconds: -5\n  containers: [{name: a, image: b}]\n";
    assert_eq!(
        only_error(text).0,
        "5:34: `spec.terminationGracePeriodSeconds` must be 0 or more, found -5"
    );
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec:\n  terminationGracePeriodSeconds: 99999999999999999999\n  containers: [{name: a, image: b}]\n";
    assert_eq!(
        only_error(text).0,
        "5:34: `spec.terminationGracePeriodSeconds` is too large: 99999999999999999999"
    );
}

#[test]
fn rule4_booleans() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec:\n  shareProcessNamespace: yes\n  containers: [{name: a, image: b}]\n";
    assert_eq!(
        only_error(text),
        (
            "5:26: `spec.shareProcessNamespace` must be true or false, found string \"yes\""
                .to_string(),
            Some("write `true` or `false`".to_string())
        )
    );
}

#[test]
fn rule4_lists_and_maps() {
    let (e, hint) = only_error(&pod_with("      command: nginx -g 'daemon off;'\n"));
    assert_eq!(e, "9:16: `spec.containers[0].command` must be a list of strings, found string \"nginx -g 'daemon off;'\"");
    assert_eq!(
        hint.as_deref(),
        Some("write it as a list: `command: [\"...\", \"...\"]`")
    );
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec:\n  containers:\n    name: a\n    image: b\n";
    assert_eq!(
        only_error(text),
        (
            "6:5: `spec.containers` must be a list, found a mapping".to_string(),
            Some("start each item with `- `".to_string())
        )
    );
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec: [containers]\n";
    assert_eq!(
        only_error(text).0,
        "4:7: `spec` must be a mapping, found a list"
    );
    let (e, _) = only_error(&pod_with("      ports: [80]\n"));
    assert_eq!(e, "9:15: `spec.containers[0].ports[0]` must be a mapping (a Kubernetes ContainerPort), found integer `80`");
}

#[test]
fn rule4_enums() {
    let (e, hint) = only_error(&pod_with("      imagePullPolicy: always\n"));
    assert_eq!(e, "9:24: `spec.containers[0].imagePullPolicy` must be one of Always, IfNotPresent, Never; found string \"always\"");
    assert_eq!(hint.as_deref(), Some("did you mean `Always`?"));
    let (e, hint) = only_error(&pod_with(
        "      ports:\n        - containerPort: 5000\n          protocol: SCTP\n",
    ));
    assert_eq!(e, "11:21: `spec.containers[0].ports[0].protocol`: SCTP is not supported by podc: Docker publishes only TCP and UDP ports");
    assert_eq!(hint.as_deref(), Some("use TCP or UDP"));
    let (e, _) = only_error(&pod_with(
        "      ports:\n        - containerPort: 5000\n          protocol: tcp\n",
    ));
    assert_eq!(e, "11:21: `spec.containers[0].ports[0].protocol` must be one of TCP, UDP; found string \"tcp\"");
}

#[test]
fn rule4_required_fields() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  labels: {a: b}\nspec:\n  containers:\n    - image: nginx\n      ports:\n        - hostPort: 80\n      env:\n        - value: x\n    - name: b\n";
    let err = load_str(FILE, text).unwrap_err();
    let got: Vec<String> = err.errors.iter().map(short).collect();
    assert_eq!(
        got,
        [
            "4:3: missing required field `metadata.name`",
            "7:7: missing required field `spec.containers[0].name`",
            "9:11: missing required field `spec.containers[0].ports[0].containerPort`",
            "11:11: missing required field `spec.containers[0].env[0].name`",
            "12:7: missing required field `spec.containers[1].image`",
        ]
    );
    assert_eq!(
        err.errors[4].hint.as_deref(),
        Some("add `image:` with the image to run, e.g. `image: nginx:1.27`")
    );
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\n";
    assert_eq!(only_error(text).0, "1:1: missing required field `spec`");
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec: {}\n";
    assert_eq!(
        only_error(text).0,
        "4:7: missing required field `spec.containers`"
    );
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec: {containers: []}\n";
    assert_eq!(
        only_error(text),
        (
            "4:20: `spec.containers` is empty: a pod needs at least one container".to_string(),
            Some("add `- name: ...` and `image: ...` under `containers:`".to_string())
        )
    );
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name:\nspec: {containers: [{name: a, image: b}]}\n";
    assert_eq!(only_error(text).0, "4:3: `metadata.name` has no value");
}

// ---------------------------------------------------------------------------------------------
// Rule 5: semantic validation

fn meta_pod(meta_lines: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata:\n{meta_lines}spec:\n  containers: [{{name: a, image: b}}]\n")
}

#[test]
fn rule5_pod_name_is_a_dns_subdomain() {
    assert!(load_str(FILE, &meta_pod("  name: blog.example-1\n")).is_ok());
    let (e, hint) = only_error(&meta_pod("  name: My_Blog\n"));
    assert_eq!(
        e,
        "4:9: pod name `My_Blog` is not a valid DNS-1123 subdomain: it contains uppercase letters"
    );
    assert_eq!(hint.as_deref(), Some("use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, e.g. `my-blog`"));
    let (e, _) = only_error(&meta_pod("  name: blog_1\n"));
    assert_eq!(
        e,
        "4:9: pod name `blog_1` is not a valid DNS-1123 subdomain: it contains `_`"
    );
    let (e, _) = only_error(&meta_pod("  name: \"\"\n"));
    assert_eq!(
        e,
        "4:3: pod name `` is not a valid DNS-1123 subdomain: it is empty"
    );
    let long = "a".repeat(254);
    let (e, _) = only_error(&meta_pod(&format!("  name: {long}\n")));
    assert_eq!(e, format!("4:9: pod name `{}...` is not a valid DNS-1123 subdomain: it is 254 characters long, the limit is 253", &long[..60]));
}

#[test]
fn rule5_hostname_is_a_dns_label() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec:\n  hostname: web.local\n  containers: [{name: a, image: b}]\n";
    assert_eq!(
        only_error(text).0,
        "5:13: `spec.hostname` `web.local` is not a valid DNS-1123 label: it contains `.`"
    );
}

#[test]
fn rule5_container_names_are_dns_labels() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec:\n  containers:\n    - name: Web_Server\n      image: b\n";
    assert_eq!(
        only_error(text),
        (
            "6:13: container name `Web_Server` is not a valid DNS-1123 label: it contains uppercase letters".to_string(),
            Some("use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit, e.g. `web-server`".to_string())
        )
    );
    let long = "a".repeat(64);
    let text = format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: t}}\nspec:\n  containers:\n    - name: {long}\n      image: b\n");
    assert_eq!(
        only_error(&text).0,
        format!("6:13: container name `{}...` is not a valid DNS-1123 label: it is 64 characters long, the limit is 63", &long[..60])
    );
}

#[test]
fn rule5_duplicate_container_names() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec:\n  containers:\n    - name: web\n      image: a\n    - name: web\n      image: b\n";
    assert_eq!(
        only_error(text),
        (
            "8:13: duplicate container name `web`: line 6 already uses it".to_string(),
            Some("give every container in the pod its own name".to_string())
        )
    );
}

#[test]
fn rule5_port_ranges() {
    let (e, _) = only_error(&pod_with("      ports:\n        - containerPort: 0\n"));
    assert_eq!(e, "10:26: `spec.containers[0].ports[0].containerPort` 0 in container `web` is out of range 1..65535");
    let (e, hint) = only_error(&pod_with(
        "      ports:\n        - containerPort: 80\n          hostPort: 65536\n",
    ));
    assert_eq!(e, "11:21: `spec.containers[0].ports[0].hostPort` 65536 in container `web` is out of range 1..65535");
    assert_eq!(hint.as_deref(), Some("ports are 1 to 65535"));
}

#[test]
fn rule5_host_port_conflicts_name_both_containers() {
    let err = load_fixture("bad/port-conflicts.yaml").unwrap_err();
    let got: Vec<String> = err
        .errors
        .iter()
        .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
        .collect();
    assert_eq!(
        got,
        [
            "19:17: port name `http` in container `admin` is already used by container `web` (line 10): port names must be unique in the pod",
            "20:26: containerPort 80/TCP is declared by both container `web` (line 11) and container `admin`: containers in a pod share one network namespace, so only one of them can listen on it",
            // 0.0.0.0 overlaps 127.0.0.1; 8080/UDP does not clash with 8080/TCP.
            "22:21: hostPort 8443/TCP of container `admin` is already claimed by container `web` (line 14)",
        ]
    );
    // hostIP unset overlaps any hostIP; the same container twice is named once.
    let (e, _) = only_error(&pod_with("      ports:\n        - containerPort: 80\n          hostPort: 8080\n        - containerPort: 81\n          hostPort: 8080\n          hostIP: 127.0.0.1\n"));
    assert_eq!(
        e,
        "13:21: hostPort 8080/TCP is claimed twice by container `web` (first at line 11)"
    );
    // Different addresses do not clash.
    assert!(load_str(FILE, &pod_with("      ports:\n        - containerPort: 80\n          hostPort: 8080\n          hostIP: 127.0.0.1\n        - containerPort: 81\n          hostPort: 8080\n          hostIP: 127.0.0.2\n")).is_ok());
}

#[test]
fn rule5_same_container_port_twice_in_one_container() {
    let (e, hint) = only_error(&pod_with(
        "      ports:\n        - containerPort: 80\n        - containerPort: 80\n",
    ));
    assert_eq!(
        e,
        "11:26: containerPort 80/TCP is declared twice by container `web` (first at line 10)"
    );
    assert_eq!(hint.as_deref(), Some("remove the duplicate entry"));
    // Publishing one port on two host ports is fine; TCP and UDP are different ports.
    assert!(load_str(FILE, &pod_with("      ports:\n        - {containerPort: 80, hostPort: 8080}\n        - {containerPort: 80, hostPort: 8081}\n        - {containerPort: 80, protocol: UDP}\n")).is_ok());
}

#[test]
fn rule5_host_ip_is_an_address() {
    let (e, hint) = only_error(&pod_with("      ports:\n        - containerPort: 80\n          hostPort: 8080\n          hostIP: localhost\n"));
    assert_eq!(
        e,
        "12:19: `spec.containers[0].ports[0].hostIP` `localhost` is not an IP address"
    );
    assert_eq!(
        hint.as_deref(),
        Some("write an address such as `127.0.0.1`, `0.0.0.0` or `::1` (names are not resolved)")
    );
    assert_eq!(
        warnings(&pod_with("      ports:\n        - containerPort: 80\n          hostIP: 127.0.0.1\n")),
        ["11:11: `spec.containers[0].ports[0].hostIP` has no effect without a `hostPort` and is ignored"]
    );
}

#[test]
fn rule5_duplicate_env_names_warn() {
    let text = pod_with("      env:\n        - name: MODE\n          value: a\n        - name: MODE\n          value: b\n");
    assert_eq!(
        warnings(&text),
        ["12:17: environment variable `MODE` is set twice in container `web` (first at line 10); the last one wins"]
    );
    let env = &load_str(FILE, &text).unwrap().pod.spec.containers[0].env;
    assert_eq!(env.len(), 2);
}

#[test]
fn rule5_port_names() {
    let (e, _) = only_error(&pod_with(
        "      ports:\n        - containerPort: 80\n          name: Http_Port\n",
    ));
    assert_eq!(e, "11:17: port name `Http_Port` in container `web` is not a valid IANA service name: it contains uppercase letters");
    let (e, _) = only_error(&pod_with(
        "      ports:\n        - containerPort: 80\n          name: a-very-long-port-name\n",
    ));
    assert_eq!(e, "11:17: port name `a-very-long-port-name` in container `web` is not a valid IANA service name: it is 21 characters long, the limit is 15");
    let (e, _) = only_error(&pod_with("      ports:\n        - {containerPort: 80, name: web}\n        - {containerPort: 81, name: web}\n"));
    assert_eq!(e, "11:37: port name `web` in container `web` is already used by container `web` (line 10): port names must be unique in the pod");
}

#[test]
fn rule5_label_syntax() {
    let text = meta_pod(
        "  name: t\n  labels:\n    \"bad key\": x\n    app: \"has spaces\"\n    Example.com/x: y\n",
    );
    assert_eq!(
        errors(&text),
        [
            "6:5: label key `bad key` is not valid: its name part contains a space",
            "7:10: label `app` value `has spaces` contains a space",
            "8:5: label key `Example.com/x` is not valid: its prefix `Example.com` is not a DNS subdomain: it contains uppercase letters",
        ]
    );
}

#[test]
fn rule5_podc_label_keys_are_reserved() {
    let text =
        meta_pod("  name: t\n  labels:\n    io.podc.pod: x\n  annotations:\n    io.podc.hash: y\n");
    assert_eq!(
        errors(&text),
        [
            "6:5: label key `io.podc.pod` is reserved: podc uses `io.podc.*` keys to track the containers it creates",
            "8:5: annotation key `io.podc.hash` is reserved: podc uses `io.podc.*` keys to track the containers it creates",
        ]
    );
}

#[test]
fn rule5_working_dir_is_absolute() {
    let (e, hint) = only_error(&pod_with("      workingDir: app\n"));
    assert_eq!(e, "9:19: `spec.containers[0].workingDir` `app` must be an absolute path (Docker refuses others)");
    assert_eq!(hint.as_deref(), Some("e.g. `workingDir: /app`"));
}

// ---------------------------------------------------------------------------------------------
// Rule 6: never panic

/// A small deterministic generator (xorshift) for mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[test]
fn rule6_never_panics_on_mutated_manifests() {
    const PIECES: &[&str] = &[
        ":",
        "- ",
        "[",
        "]",
        "{",
        "}",
        "\"",
        "'",
        "\t",
        "&a ",
        "*a",
        "!!str ",
        "!x ",
        "|",
        ">",
        "#",
        "\n",
        "\n  ",
        "---\n",
        "...\n",
        "~",
        "<<: ",
        "0x",
        "-1",
        "99999999999999999999",
        "é",
        "\u{feff}",
        "%YAML 1.2\n",
        "? ",
        ",",
        "\r",
        "\0",
    ];
    let sources: Vec<String> = [
        "good/blog.yaml",
        "good/full.yaml",
        "good/unsupported-fields.yaml",
        "good/probes.yaml",
        "bad/five-errors.yaml",
        "bad/port-conflicts.yaml",
    ]
    .iter()
    .map(|rel| fixture(rel))
    .collect();
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut checked = 0;
    for src in &sources {
        let chars: Vec<char> = src.chars().collect();
        // Every prefix.
        for cut in 0..=chars.len() {
            let text: String = chars[..cut].iter().collect();
            let _ = load_str(FILE, &text);
            checked += 1;
        }
        // Random insertions, deletions and replacements.
        for _ in 0..400 {
            let mut text = chars.clone();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(text.len() + 1);
                match rng.below(3) {
                    0 => {
                        let piece = PIECES[rng.below(PIECES.len())];
                        for (k, c) in piece.chars().enumerate() {
                            text.insert(at + k, c);
                        }
                    }
                    1 if at < text.len() => {
                        let end = (at + 1 + rng.below(8)).min(text.len());
                        text.drain(at..end);
                    }
                    _ if at < text.len() => {
                        let swaps = b" :-[]{}\"'a0\n";
                        text[at] = char::from(swaps[rng.below(swaps.len())]);
                    }
                    _ => {}
                }
            }
            let text: String = text.into_iter().collect();
            let _ = load_str(FILE, &text);
            checked += 1;
        }
    }
    assert!(checked > 2000);
}

#[test]
fn rule6_never_panics_on_odd_documents() {
    let deep = format!("a: {}{}\n", "[".repeat(5000), "]".repeat(5000));
    let deep_map = format!("{}x\n", "a:\n ".repeat(200));
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..9 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    for text in [
        deep.as_str(),
        deep_map.as_str(),
        bomb.as_str(),
        "? [a, b]\n: c\n",
        "{[1]: 2}\n",
        "apiVersion: v1\nkind: Pod\nmetadata: &m {name: a}\nspec: {containers: [{name: a, image: b, env: *m}]}\n",
        "apiVersion: !!int v1\n",
        "!!map {}\n",
        "\u{feff}apiVersion: v1\n",
        "\0",
        "key: \"\\u0000\"\n",
    ] {
        let _ = load_str(FILE, text);
    }
}

#[test]
fn anchors_and_aliases_are_followed() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  labels: &l {app: t}\n  annotations: *l\nspec:\n  containers:\n    - name: a\n      image: &img nginx:1.27\n    - name: b\n      image: *img\n";
    let pod = load_str(FILE, text).unwrap().pod;
    assert_eq!(pod.metadata.annotations, pod.metadata.labels);
    assert_eq!(pod.spec.containers[1].image, "nginx:1.27");
}

// ---------------------------------------------------------------------------------------------
// Rule 7: restartPolicy and probes, as Kubernetes defines and validates them

fn restart_policy_pod(value: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: t}}\nspec:\n  restartPolicy: {value}\n  containers: [{{name: a, image: b}}]\n")
}

fn tcp(port: PortRef) -> ProbeHandler {
    ProbeHandler::TcpSocket { port, host: None }
}

#[test]
fn rule7_probes_fixture_yields_every_handler_with_defaults_filled() {
    let loaded = load_fixture("good/probes.yaml").unwrap_or_else(|e| panic!("{e}"));
    // gRPC probes parse (so kubectl's file stays valid) but are warned about: podc ignores them.
    let warnings: Vec<String> = loaded
        .warnings
        .iter()
        .map(|w| format!("{}:{}: {}", w.line, w.column, w.message))
        .collect();
    assert_eq!(
        warnings,
        ["38:9: `spec.containers[1].livenessProbe.grpc` in container `api`: gRPC probes are not supported yet by podc; this probe is ignored"]
    );
    let web = Container {
        name: "web".into(),
        image: "podc/nginx:latest".into(),
        ports: vec![ContainerPort {
            container_port: 80,
            name: Some("http".into()),
            ..ContainerPort::default()
        }],
        startup_probe: Some(Probe {
            period_seconds: 2,
            failure_threshold: 30,
            ..Probe::new(ProbeHandler::Exec {
                command: vec!["cat".into(), "/tmp/started".into()],
            })
        }),
        liveness_probe: Some(Probe {
            handler: ProbeHandler::HttpGet {
                path: "/healthz".into(),
                port: PortRef::Name("http".into()),
                host: None,
                headers: vec![
                    ("X-Probe".into(), "liveness".into()),
                    ("X-Empty".into(), "".into()),
                ],
            },
            initial_delay_seconds: 5,
            period_seconds: 10,
            timeout_seconds: 2,
            success_threshold: 1,
            failure_threshold: 3,
        }),
        readiness_probe: Some(Probe {
            success_threshold: 2,
            ..Probe::new(tcp(PortRef::Number(80)))
        }),
        ..Container::default()
    };
    let api = Container {
        name: "api".into(),
        image: "podc/blog:latest".into(),
        ports: vec![ContainerPort {
            container_port: 9000,
            ..ContainerPort::default()
        }],
        // `periodSeconds: 0` is Kubernetes' "not set": the default 10.
        liveness_probe: Some(Probe::new(ProbeHandler::Grpc {
            port: 9000,
            service: Some("health".into()),
        })),
        readiness_probe: Some(Probe::new(ProbeHandler::HttpGet {
            path: "/".into(),
            port: PortRef::Number(9000),
            host: Some("127.0.0.1".into()),
            headers: vec![],
        })),
        ..Container::default()
    };
    let expected = Pod {
        metadata: Metadata {
            name: "probed".into(),
            ..Metadata::default()
        },
        spec: PodSpec {
            containers: vec![web, api],
            restart_policy: RestartPolicy::OnFailure,
            ..PodSpec::default()
        },
    };
    assert_eq!(loaded.pod, expected);
    let web = &loaded.pod.spec.containers[0];
    let ProbeHandler::HttpGet { port, .. } = &web.liveness_probe.as_ref().unwrap().handler else {
        panic!("httpGet");
    };
    assert_eq!(port.resolve_port(web), Some(80));
}

#[test]
fn rule7_probe_defaults_are_kubernetes_defaults() {
    let p = Probe::new(tcp(PortRef::Number(80)));
    assert_eq!(
        (
            p.initial_delay_seconds,
            p.period_seconds,
            p.timeout_seconds,
            p.success_threshold,
            p.failure_threshold
        ),
        (0, 10, 1, 1, 3)
    );
    // A 0 is "not set" in Kubernetes: it takes the default.
    let text = pod_with("      readinessProbe:\n        tcpSocket: {port: 80}\n        initialDelaySeconds: 0\n        periodSeconds: 0\n        timeoutSeconds: 0\n        successThreshold: 0\n        failureThreshold: 0\n");
    let pod = load_str(FILE, &text).unwrap().pod;
    assert_eq!(pod.spec.containers[0].readiness_probe, Some(p));
}

#[test]
fn rule7_restart_policy_is_applied_and_defaults_to_always() {
    for (value, policy) in [
        ("Always", RestartPolicy::Always),
        ("OnFailure", RestartPolicy::OnFailure),
        ("Never", RestartPolicy::Never),
    ] {
        let loaded = load_str(FILE, &restart_policy_pod(value)).unwrap();
        assert_eq!(loaded.warnings, vec![], "{value}");
        assert_eq!(loaded.pod.spec.restart_policy, policy);
    }
    let pod = load_str(FILE, &fixture("good/blog.yaml")).unwrap().pod;
    assert_eq!(pod.spec.restart_policy, RestartPolicy::Always);
    assert_eq!(RestartPolicy::default(), RestartPolicy::Always);
}

#[test]
fn rule7_restart_policy_other_values_are_errors_with_the_valid_ones() {
    assert_eq!(
        only_error(&restart_policy_pod("Sometimes")),
        (
            "5:18: `spec.restartPolicy` must be one of Always, OnFailure, Never; found string \"Sometimes\"".to_string(),
            None
        )
    );
    assert_eq!(
        only_error(&restart_policy_pod("onFailure")),
        (
            "5:18: `spec.restartPolicy` must be one of Always, OnFailure, Never; found string \"onFailure\"".to_string(),
            Some("did you mean `OnFailure`?".to_string())
        )
    );
    assert_eq!(
        only_error(&restart_policy_pod("1")).0,
        "5:18: `spec.restartPolicy` must be one of Always, OnFailure, Never; found integer `1`"
    );
}

#[test]
fn rule7_probes_are_supported_without_warnings() {
    let text = pod_with("      livenessProbe:\n        exec: {command: [\"true\"]}\n      readinessProbe:\n        httpGet: {path: /ready, port: 80}\n      startupProbe:\n        tcpSocket: {port: 80}\n");
    assert_eq!(warnings(&text), Vec::<String>::new());
    // Null is "no probe", as in Kubernetes.
    let pod = load_str(FILE, &pod_with("      livenessProbe:\n"))
        .unwrap()
        .pod;
    assert_eq!(pod.spec.containers[0].liveness_probe, None);
}

#[test]
fn rule7_a_probe_needs_a_handler() {
    let (e, hint) = only_error(&pod_with(
        "      livenessProbe:\n        periodSeconds: 5\n",
    ));
    assert_eq!(e, "9:7: `spec.containers[0].livenessProbe` in container `web` has no handler: a probe needs exactly one of `exec`, `httpGet`, `tcpSocket` or `grpc`");
    assert_eq!(hint.as_deref(), Some("e.g. `httpGet: {path: /, port: 80}`"));
    let (e, _) = only_error(&pod_with("      startupProbe: {}\n"));
    assert_eq!(e, "9:7: `spec.containers[0].startupProbe` in container `web` has no handler: a probe needs exactly one of `exec`, `httpGet`, `tcpSocket` or `grpc`");
}

#[test]
fn rule7_a_probe_has_exactly_one_handler() {
    let (e, hint) = only_error(&pod_with("      readinessProbe:\n        exec: {command: [\"true\"]}\n        tcpSocket: {port: 80}\n"));
    assert_eq!(e, "9:7: `spec.containers[0].readinessProbe` in container `web` has 2 handlers, `exec` and `tcpSocket`: a probe needs exactly one");
    assert_eq!(
        hint.as_deref(),
        Some("keep one of them; use another probe kind for another check")
    );
    let (e, _) = only_error(&pod_with("      readinessProbe:\n        exec: {command: [\"true\"]}\n        httpGet: {port: 80}\n        grpc: {port: 80}\n"));
    assert_eq!(e, "9:7: `spec.containers[0].readinessProbe` in container `web` has 3 handlers, `exec`, `httpGet` and `grpc`: a probe needs exactly one");
    // A handler set to null is not set.
    let text = pod_with("      readinessProbe:\n        exec:\n        tcpSocket: {port: 80}\n");
    let pod = load_str(FILE, &text).unwrap().pod;
    assert_eq!(
        pod.spec.containers[0].readiness_probe,
        Some(Probe::new(tcp(PortRef::Number(80))))
    );
}

#[test]
fn rule7_exec_needs_a_command() {
    let (e, hint) = only_error(&pod_with(
        "      livenessProbe:\n        exec: {command: []}\n",
    ));
    assert_eq!(e, "10:25: `spec.containers[0].livenessProbe.exec.command` is empty: an exec probe needs a command to run");
    assert_eq!(hint.as_deref(), Some("e.g. `command: [cat, /tmp/healthy]`"));
    let (e, _) = only_error(&pod_with("      livenessProbe:\n        exec: {}\n"));
    assert_eq!(
        e,
        "10:15: missing required field `spec.containers[0].livenessProbe.exec.command`"
    );
}

#[test]
fn rule7_https_probes_are_refused() {
    let (e, hint) = only_error(&pod_with(
        "      livenessProbe:\n        httpGet: {port: 80, scheme: HTTPS}\n",
    ));
    assert_eq!(
        e,
        "10:37: `spec.containers[0].livenessProbe.httpGet.scheme`: HTTPS probes are not supported yet"
    );
    assert_eq!(hint.as_deref(), Some("use HTTP"));
    let (e, hint) = only_error(&pod_with(
        "      livenessProbe:\n        httpGet: {port: 80, scheme: http}\n",
    ));
    assert_eq!(e, "10:37: `spec.containers[0].livenessProbe.httpGet.scheme` must be one of HTTP; found string \"http\"");
    assert_eq!(hint.as_deref(), Some("did you mean `HTTP`?"));
}

#[test]
fn rule7_a_named_port_must_be_a_port_of_the_same_container() {
    let (e, hint) = only_error(&pod_with("      ports:\n        - {name: http, containerPort: 80}\n        - {name: admin, containerPort: 81}\n      livenessProbe:\n        httpGet: {port: metrics}\n"));
    assert_eq!(e, "13:25: `spec.containers[0].livenessProbe.httpGet.port` names the port `metrics`, but container `web` has no port with that name");
    assert_eq!(
        hint.as_deref(),
        Some("the ports of container `web` are named `http` and `admin`")
    );
    // Another container's port name does not count.
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec:\n  containers:\n    - name: a\n      image: b\n      ports: [{name: http, containerPort: 80}]\n    - name: c\n      image: d\n      readinessProbe:\n        tcpSocket: {port: http}\n";
    let (e, hint) = only_error(text);
    assert_eq!(e, "12:27: `spec.containers[1].readinessProbe.tcpSocket.port` names the port `http`, but container `c` has no port with that name");
    assert_eq!(hint.as_deref(), Some("container `c` has no named ports: add `name: http` to one of its `ports`, or write the port number"));
}

#[test]
fn rule7_probe_ports_are_numbers_in_range_or_valid_names() {
    let (e, hint) = only_error(&pod_with(
        "      livenessProbe:\n        tcpSocket: {port: 70000}\n",
    ));
    assert_eq!(e, "10:27: `spec.containers[0].livenessProbe.tcpSocket.port` 70000 in container `web` is out of range 1..65535");
    assert_eq!(hint.as_deref(), Some("ports are 1 to 65535"));
    let (e, _) = only_error(&pod_with("      livenessProbe:\n        grpc: {port: 0}\n"));
    assert_eq!(e, "10:22: `spec.containers[0].livenessProbe.grpc.port` 0 in container `web` is out of range 1..65535");
    let (e, _) = only_error(&pod_with(
        "      livenessProbe:\n        grpc: {port: grpc}\n",
    ));
    assert_eq!(e, "10:22: `spec.containers[0].livenessProbe.grpc.port` must be an integer, found string \"grpc\"");
    let (e, hint) = only_error(&pod_with(
        "      livenessProbe:\n        tcpSocket: {port: \"8080\"}\n",
    ));
    assert_eq!(e, "10:27: `spec.containers[0].livenessProbe.tcpSocket.port` `8080` in container `web` is neither a port number nor a valid port name: it must contain at least one letter");
    assert_eq!(hint.as_deref(), Some("remove the quotes: `port: 8080`"));
    let (e, _) = only_error(&pod_with(
        "      livenessProbe:\n        httpGet: {port: Http_Port}\n",
    ));
    assert_eq!(e, "10:25: `spec.containers[0].livenessProbe.httpGet.port` `Http_Port` in container `web` is neither a port number nor a valid port name: it contains uppercase letters");
    let (e, _) = only_error(&pod_with(
        "      livenessProbe:\n        httpGet: {port: true}\n",
    ));
    assert_eq!(e, "10:25: `spec.containers[0].livenessProbe.httpGet.port` must be a port number or a port name, found boolean `true`");
    let (e, hint) = only_error(&pod_with(
        "      livenessProbe:\n        httpGet: {path: /}\n",
    ));
    assert_eq!(
        e,
        "10:18: missing required field `spec.containers[0].livenessProbe.httpGet.port`"
    );
    assert_eq!(
        hint.as_deref(),
        Some("add `port:` with the port number or the name of one of the container's ports")
    );
}

#[test]
fn rule7_resolve_port_looks_names_up_in_the_container() {
    let c = Container {
        ports: vec![
            ContainerPort {
                container_port: 8080,
                name: Some("http".into()),
                ..ContainerPort::default()
            },
            ContainerPort {
                container_port: 9090,
                ..ContainerPort::default()
            },
        ],
        ..Container::default()
    };
    assert_eq!(PortRef::Number(81).resolve_port(&c), Some(81));
    assert_eq!(PortRef::Name("http".into()).resolve_port(&c), Some(8080));
    assert_eq!(PortRef::Name("admin".into()).resolve_port(&c), None);
}

#[test]
fn rule7_liveness_and_startup_success_threshold_must_be_1() {
    let (e, hint) = only_error(&pod_with(
        "      livenessProbe:\n        tcpSocket: {port: 80}\n        successThreshold: 2\n",
    ));
    assert_eq!(e, "11:27: `spec.containers[0].livenessProbe.successThreshold` must be 1 for a liveness probe, found 2");
    assert_eq!(
        hint.as_deref(),
        Some("remove it: a liveness probe passes on one success")
    );
    let (e, _) = only_error(&pod_with(
        "      startupProbe:\n        tcpSocket: {port: 80}\n        successThreshold: 3\n",
    ));
    assert_eq!(e, "11:27: `spec.containers[0].startupProbe.successThreshold` must be 1 for a startup probe, found 3");
    let text = pod_with(
        "      readinessProbe:\n        tcpSocket: {port: 80}\n        successThreshold: 3\n",
    );
    let probe = load_str(FILE, &text).unwrap().pod.spec.containers[0]
        .readiness_probe
        .clone();
    assert_eq!(probe.map(|p| p.success_threshold), Some(3));
}

#[test]
fn rule7_negative_probe_numbers_are_errors() {
    let text = pod_with("      readinessProbe:\n        tcpSocket: {port: 80}\n        initialDelaySeconds: -1\n        periodSeconds: -10\n        timeoutSeconds: -1\n        successThreshold: -1\n        failureThreshold: -3\n");
    assert_eq!(
        errors(&text),
        [
            "11:30: `spec.containers[0].readinessProbe.initialDelaySeconds` must be 0 or more, found -1",
            "12:24: `spec.containers[0].readinessProbe.periodSeconds` must be 0 or more, found -10",
            "13:25: `spec.containers[0].readinessProbe.timeoutSeconds` must be 0 or more, found -1",
            "14:27: `spec.containers[0].readinessProbe.successThreshold` must be 0 or more, found -1",
            "15:27: `spec.containers[0].readinessProbe.failureThreshold` must be 0 or more, found -3",
        ]
    );
    let (e, _) = only_error(&pod_with(
        "      readinessProbe:\n        tcpSocket: {port: 80}\n        periodSeconds: 2147483648\n",
    ));
    assert_eq!(e, "11:24: `spec.containers[0].readinessProbe.periodSeconds` must be 2147483647 or less, found 2147483648");
}

#[test]
fn rule7_probe_typos_get_the_closest_field() {
    let text = pod_with("      livenessProbe:\n        initialDelaySecond: 5\n        httpGet: {paht: /, port: 80, httpHeaders: [{nme: X, value: y}]}\n      readinessProbe:\n        exec: {commnd: [x], command: [y]}\n      startupProbe:\n        grpc: {port: 80, servce: x}\n");
    let err = load_str(FILE, &text).unwrap_err();
    let got: Vec<(String, Option<String>)> = err
        .errors
        .iter()
        .map(|d| (short(d), d.hint.clone()))
        .collect();
    let did_you_mean = |s: &str| Some(format!("did you mean `{s}`?"));
    assert_eq!(
        got,
        [
            (
                "10:9: unknown field `initialDelaySecond` in spec.containers[0].livenessProbe"
                    .to_string(),
                did_you_mean("initialDelaySeconds")
            ),
            (
                "11:19: unknown field `paht` in spec.containers[0].livenessProbe.httpGet"
                    .to_string(),
                did_you_mean("path")
            ),
            (
                "11:53: unknown field `nme` in spec.containers[0].livenessProbe.httpGet.httpHeaders[0]"
                    .to_string(),
                did_you_mean("name")
            ),
            (
                "13:16: unknown field `commnd` in spec.containers[0].readinessProbe.exec"
                    .to_string(),
                did_you_mean("command")
            ),
            (
                "15:26: unknown field `servce` in spec.containers[0].startupProbe.grpc"
                    .to_string(),
                did_you_mean("service")
            ),
        ]
    );
    let (e, hint) = only_error(&pod_with(
        "      livenessProbe:\n        tcpSocket: {prot: 80, port: 80}\n",
    ));
    assert_eq!(
        e,
        "10:21: unknown field `prot` in spec.containers[0].livenessProbe.tcpSocket"
    );
    assert_eq!(hint, did_you_mean("port"));
    let (e, hint) = only_error(&pod_with(
        "      livenesProbe:\n        tcpSocket: {port: 80}\n",
    ));
    assert_eq!(e, "9:7: unknown field `livenesProbe` in spec.containers[0]");
    assert_eq!(hint, did_you_mean("livenessProbe"));
}

#[test]
fn rule7_probe_termination_grace_period_warns_and_is_refused_for_readiness() {
    let text = pod_with("      livenessProbe:\n        tcpSocket: {port: 80}\n        terminationGracePeriodSeconds: 5\n");
    assert_eq!(
        warnings(&text),
        ["11:9: `spec.containers[0].livenessProbe.terminationGracePeriodSeconds` is not supported yet by podc and is ignored"]
    );
    let (e, hint) = only_error(&pod_with("      readinessProbe:\n        tcpSocket: {port: 80}\n        terminationGracePeriodSeconds: 5\n"));
    assert_eq!(e, "11:9: `spec.containers[0].readinessProbe.terminationGracePeriodSeconds` must not be set for a readiness probe: a failing readiness probe never kills the container");
    assert_eq!(hint.as_deref(), Some("remove it"));
}

#[test]
fn rule7_http_header_names_are_checked() {
    let text = pod_with("      livenessProbe:\n        httpGet:\n          port: 80\n          httpHeaders:\n            - name: X Probe\n              value: a\n            - name: \"\"\n");
    assert_eq!(
        errors(&text),
        [
            "13:21: `spec.containers[0].livenessProbe.httpGet.httpHeaders[0].name` `X Probe` is not a valid HTTP header name: it contains a space",
            "15:15: `spec.containers[0].livenessProbe.httpGet.httpHeaders[1].name` `` is not a valid HTTP header name: it is empty",
        ]
    );
}

#[test]
fn rule7_a_pod_survives_a_json_round_trip() {
    for rel in ["good/probes.yaml", "good/full.yaml", "good/blog.yaml"] {
        let pod = load_fixture(rel).unwrap().pod;
        let json = serde_json::to_string(&pod).unwrap();
        let back: Pod =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{rel}: {e}\n{json}"));
        assert_eq!(back, pod, "{rel}");
    }
}
