//! The manifest rules, by value: exact messages and places, no Docker.

use podc::manifest::*;
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
            // restartPolicy (line 11), volumes, env, resources' memory, livenessProbe and
            // volumeMounts are applied.
            "12:3: `spec.dnsPolicy` is not supported yet by podc and is ignored",
            "13:3: `spec.nodeSelector` is not supported yet by podc and is ignored",
            "15:3: `spec.tolerations` is not supported yet by podc and is ignored",
            "30:13: `spec.containers[0].env[1].valueFrom.resourceFieldRef` is not supported yet by podc: the variable is left unset",
            "35:33: `spec.containers[0].resources.limits.ephemeral-storage` is not applied by podc: it applies only cpu and memory",
            "36:7: `spec.containers[0].resizePolicy` is not supported yet by podc and is ignored",
            "45:3: `spec.affinity` is not supported yet by podc and is ignored",
            "47:1: `status` is written by a cluster, not by you; podc ignores it",
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
                // MEMORY_LIMIT only had a resourceFieldRef: left unset rather than set to "".
                env: vec![EnvVar {
                    name: "POD_IP".into(),
                    value: String::new(),
                    value_from: Some(EnvVarSource {
                        field_ref: Some(FieldRef {
                            field_path: "status.podIP".into(),
                        }),
                        ..EnvVarSource::default()
                    }),
                }],
                ports: vec![ContainerPort {
                    container_port: 6379,
                    host_port: Some(6379),
                    ..ContainerPort::default()
                }],
                resources: Some(Resources {
                    limits: BTreeMap::from([
                        ("memory".into(), "256Mi".into()),
                        ("ephemeral-storage".into(), "1Gi".into()),
                    ]),
                    requests: BTreeMap::new(),
                }),
                liveness_probe: Some(Probe::new(ProbeHandler::TcpSocket {
                    port: PortRef::Number(6379),
                    host: None,
                })),
                volume_mounts: vec![VolumeMount {
                    name: "data".into(),
                    mount_path: "/data".into(),
                    ..VolumeMount::default()
                }],
                security_context: Some(SecurityContext::default()),
                ..Container::default()
            }],
            volumes: vec![Volume {
                name: "data".into(),
                empty_dir: Some(EmptyDirSource::default()),
                ..Volume::default()
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
        "2:7: kind `Deployment` is not supported: podc runs Pods and the ConfigMaps and Secrets they use; for a Deployment, run its spec.template as a Pod"
    );
    assert_eq!(hint.as_deref(), Some("copy `spec.template`'s `metadata` and `spec` into a document with `apiVersion: v1` and `kind: Pod`"));
    let (e, hint) = only_error(&format!("apiVersion: v1\nkind: pod\n{BODY}"));
    assert_eq!(
        e,
        "2:7: kind `pod` is not supported: podc runs Pods and the ConfigMaps and Secrets they use"
    );
    assert_eq!(hint.as_deref(), Some("did you mean `Pod`?"));
    let (e, hint) = only_error(&format!("apiVersion: v1\n{BODY}"));
    assert_eq!(
        e,
        "1:1: missing `kind`: podc runs `kind: Pod` (apiVersion v1)"
    );
    assert_eq!(
        hint.as_deref(),
        Some("add `kind: Pod` at the top of the document")
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
    // One error that says what to do: its apiVersion is right for a Deployment.
    assert_eq!(
        got,
        ["2:7: kind `Deployment` is not supported: podc runs Pods and the ConfigMaps and Secrets they use; for a Deployment, run its spec.template as a Pod"]
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
    let text = pod_with("      resizePolicy:\n        - {resourceName: cpu, restartPolicy: NotRequired}\n      volumeDevices: []\n  affinity:\n    nodeAffinity: {}\n");
    assert_eq!(
        warnings(&text),
        [
            "9:7: `spec.containers[0].resizePolicy` is not supported yet by podc and is ignored",
            "12:3: `spec.affinity` is not supported yet by podc and is ignored",
        ]
    );
    // Their content is not read: nothing inside is checked.
    let text = pod_with("  tolerations:\n    whatever: [1, 2]\n");
    assert_eq!(
        warnings(&text),
        ["9:3: `spec.tolerations` is not supported yet by podc and is ignored"]
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
    // Every handler, gRPC included, is run: nothing to warn about.
    let warnings: Vec<String> = loaded
        .warnings
        .iter()
        .map(|w| format!("{}:{}: {}", w.line, w.column, w.message))
        .collect();
    assert_eq!(warnings, Vec::<String>::new());
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
                scheme: Scheme::Http,
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
            scheme: Scheme::Http,
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
fn rule7_probe_schemes_are_http_or_https_in_capitals() {
    let text = pod_with("      livenessProbe:\n        httpGet: {port: 80, scheme: HTTPS}\n");
    let pod = load_manifest_str(FILE, &text).unwrap().pods.remove(0);
    let probe = pod.spec.containers[0].liveness_probe.clone().unwrap();
    assert!(
        matches!(
            probe.handler,
            ProbeHandler::HttpGet {
                scheme: Scheme::Https,
                ..
            }
        ),
        "{probe:?}"
    );
    let (e, hint) = only_error(&pod_with(
        "      livenessProbe:\n        httpGet: {port: 80, scheme: http}\n",
    ));
    assert_eq!(e, "10:37: `spec.containers[0].livenessProbe.httpGet.scheme` must be one of HTTP, HTTPS; found string \"http\"");
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

// ---------------------------------------------------------------------------------------------
// Rule 8: multi-document files (Pods, ConfigMaps, Secrets), the new fields, cross references

fn m_errors(text: &str) -> Vec<String> {
    match load_manifest_str(FILE, text) {
        Ok(m) => panic!("expected errors, got {m:?}"),
        Err(e) => e.errors.iter().map(short).collect(),
    }
}

fn m_warnings(text: &str) -> Vec<String> {
    match load_manifest_str(FILE, text) {
        Ok(m) => m.warnings.iter().map(short).collect(),
        Err(e) => panic!("expected a manifest, got:\n{e}"),
    }
}

/// The only error of a multi-document file, with its hint.
fn m_only_error(text: &str) -> (String, Option<String>) {
    let err = load_manifest_str(FILE, text).expect_err("expected an error");
    assert_eq!(err.errors.len(), 1, "{err}");
    let d = &err.errors[0];
    (short(d), d.hint.clone())
}

/// A valid pod with extra spec lines (indented for `spec:`, from line 6) before its one
/// container `web` (lines after them).
fn spec_with(spec_lines: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\nspec:\n{spec_lines}  containers:\n    - name: web\n      image: nginx\n")
}

const CONFIG_MAP: &str =
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata: {MODE: fast, app.ini: x}\n";
const SECRET: &str = "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\ndata: {password: czNjcjN0}\nstringData: {user: admin}\n";

/// Documents joined by `---`.
fn docs(parts: &[&str]) -> String {
    parts.join("---\n")
}

#[test]
fn rule8_the_shop_fixture_loads_to_the_expected_values() {
    let m = load_manifest_str("good/shop.yaml", &fixture("good/shop.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(m.warnings, vec![]);
    assert_eq!(
        m.config_maps,
        [ConfigMap {
            metadata: Metadata {
                name: "shop-config".into(),
                ..Metadata::default()
            },
            data: BTreeMap::from([
                ("LOG_LEVEL".into(), "info".into()),
                (
                    "nginx.conf".into(),
                    "events {}\nhttp { server { listen 80; location / { proxy_pass http://127.0.0.1:9000; } } }\n".into()
                ),
            ]),
            binary_data: BTreeMap::new(),
        }]
    );
    assert_eq!(
        m.secrets,
        [Secret {
            metadata: Metadata {
                name: "shop-db".into(),
                ..Metadata::default()
            },
            data: BTreeMap::from([("password".into(), "czNjcjN0".into())]),
            string_data: BTreeMap::from([("user".into(), "shop".into())]),
        }]
    );
    assert_eq!(m.config_map("shop-config"), Some(&m.config_maps[0]));
    assert_eq!(m.config_map("nope"), None);
    let secret = m.secret("shop-db").unwrap();
    assert_eq!(secret.value("password"), Some(b"s3cr3t".to_vec()));
    assert_eq!(secret.value("user"), Some(b"shop".to_vec()));
    assert_eq!(secret.keys(), ["password", "user"]);

    let env_from = |source: EnvVarSource| Some(source);
    let key_ref = |name: &str, key: &str| KeyRef {
        name: name.into(),
        key: key.into(),
        optional: None,
    };
    let var = |name: &str, source: EnvVarSource| EnvVar {
        name: name.into(),
        value: String::new(),
        value_from: env_from(source),
    };
    let field = |path: &str| EnvVarSource {
        field_ref: Some(FieldRef {
            field_path: path.into(),
        }),
        ..EnvVarSource::default()
    };
    let mount = |name: &str, path: &str, read_only: Option<bool>| VolumeMount {
        name: name.into(),
        mount_path: path.into(),
        read_only,
        sub_path: None,
    };
    let migrate = Container {
        name: "migrate".into(),
        image: "podc/busybox:latest".into(),
        command: vec![
            "sh".into(),
            "-c".into(),
            "echo migrating as $DB_USER".into(),
        ],
        env: vec![var(
            "DB_USER",
            EnvVarSource {
                secret_key_ref: Some(key_ref("shop-db", "user")),
                ..EnvVarSource::default()
            },
        )],
        ..Container::default()
    };
    let log_agent = Container {
        name: "log-agent".into(),
        image: "podc/busybox:latest".into(),
        restart_policy: Some(ContainerRestartPolicy::Always),
        command: vec![
            "sh".into(),
            "-c".into(),
            "touch /logs/access.log && tail -F /logs/access.log".into(),
        ],
        volume_mounts: vec![mount("logs", "/logs", Some(true))],
        ports: vec![ContainerPort {
            container_port: 9100,
            name: Some("metrics".into()),
            ..ContainerPort::default()
        }],
        startup_probe: Some(Probe::new(ProbeHandler::Exec {
            command: vec!["test".into(), "-f".into(), "/logs/access.log".into()],
        })),
        ..Container::default()
    };
    let web = Container {
        name: "web".into(),
        image: "podc/nginx:latest".into(),
        ports: vec![ContainerPort {
            container_port: 80,
            host_port: Some(8080),
            host_ip: Some("127.0.0.1".into()),
            ..ContainerPort::default()
        }],
        volume_mounts: vec![
            VolumeMount {
                sub_path: Some("nginx.conf".into()),
                ..mount("config", "/etc/nginx/nginx.conf", None)
            },
            mount("logs", "/var/log/nginx", None),
            mount("cache", "/var/cache/nginx", None),
        ],
        lifecycle: Some(Lifecycle {
            post_start: Some(LifecycleHandler {
                exec: Some(ExecAction {
                    command: vec![
                        "sh".into(),
                        "-c".into(),
                        "echo started > /tmp/started".into(),
                    ],
                }),
                ..LifecycleHandler::default()
            }),
            pre_stop: Some(LifecycleHandler {
                sleep: Some(SleepAction { seconds: 5 }),
                ..LifecycleHandler::default()
            }),
        }),
        resources: Some(Resources {
            requests: BTreeMap::from([
                ("cpu".into(), "250m".into()),
                ("memory".into(), "64Mi".into()),
            ]),
            limits: BTreeMap::from([
                ("cpu".into(), "1".into()),
                ("memory".into(), "128Mi".into()),
            ]),
        }),
        security_context: Some(SecurityContext {
            allow_privilege_escalation: Some(false),
            read_only_root_filesystem: Some(true),
            capabilities: Some(Capabilities {
                add: vec!["NET_BIND_SERVICE".into()],
                drop: vec!["ALL".into()],
            }),
            ..SecurityContext::default()
        }),
        ..Container::default()
    };
    let api = Container {
        name: "api".into(),
        image: "podc/blog:latest".into(),
        env_from: vec![EnvFromSource {
            prefix: Some("CFG_".into()),
            config_map_ref: Some(NameRef {
                name: "shop-config".into(),
                optional: None,
            }),
            secret_ref: None,
        }],
        env: vec![
            var("POD_NAME", field("metadata.name")),
            var("TEAM", field("metadata.annotations['example.com/team']")),
            var(
                "LOG_LEVEL",
                EnvVarSource {
                    config_map_key_ref: Some(key_ref("shop-config", "LOG_LEVEL")),
                    ..EnvVarSource::default()
                },
            ),
            var(
                "DB_PASSWORD",
                EnvVarSource {
                    secret_key_ref: Some(key_ref("shop-db", "password")),
                    ..EnvVarSource::default()
                },
            ),
        ],
        volume_mounts: vec![
            mount("secrets", "/run/secrets/db", Some(true)),
            mount("uploads", "/var/lib/uploads", None),
            mount("tz", "/etc/localtime", Some(true)),
        ],
        lifecycle: Some(Lifecycle {
            post_start: None,
            pre_stop: Some(LifecycleHandler {
                http_get: Some(HookHttpGet {
                    path: "/shutdown".into(),
                    port: PortRef::Number(9000),
                    host: None,
                    http_headers: vec![],
                    scheme: Scheme::Http,
                }),
                ..LifecycleHandler::default()
            }),
        }),
        stdin: true,
        tty: true,
        ..Container::default()
    };
    let shop = Pod {
        metadata: Metadata {
            name: "shop".into(),
            labels: BTreeMap::from([("app".into(), "shop".into())]),
            annotations: BTreeMap::from([("example.com/team".into(), "web".into())]),
        },
        spec: PodSpec {
            termination_grace_period_seconds: Some(20),
            hostname: Some("shop".into()),
            host_aliases: vec![HostAlias {
                ip: "10.0.0.5".into(),
                hostnames: vec!["db.internal".into()],
            }],
            dns_config: Some(DnsConfig {
                nameservers: vec!["1.1.1.1".into()],
                searches: vec!["shop.internal".into()],
                options: vec![DnsOption {
                    name: "ndots".into(),
                    value: Some("2".into()),
                }],
            }),
            security_context: Some(PodSecurityContext {
                run_as_user: Some(1000),
                run_as_group: Some(1000),
                run_as_non_root: None,
                sysctls: vec![Sysctl {
                    name: "net.core.somaxconn".into(),
                    value: "1024".into(),
                }],
                ..Default::default()
            }),
            init_containers: vec![migrate, log_agent],
            containers: vec![web, api],
            volumes: vec![
                Volume {
                    name: "config".into(),
                    config_map: Some(ConfigMapSource {
                        name: "shop-config".into(),
                        items: vec![KeyToPath {
                            key: "nginx.conf".into(),
                            path: "nginx.conf".into(),
                            mode: Some(0o444),
                        }],
                        default_mode: Some(0o644),
                        optional: None,
                    }),
                    ..Volume::default()
                },
                Volume {
                    name: "secrets".into(),
                    secret: Some(SecretSource {
                        secret_name: "shop-db".into(),
                        items: vec![],
                        default_mode: Some(256),
                        optional: None,
                    }),
                    ..Volume::default()
                },
                Volume {
                    name: "logs".into(),
                    empty_dir: Some(EmptyDirSource::default()),
                    ..Volume::default()
                },
                Volume {
                    name: "cache".into(),
                    empty_dir: Some(EmptyDirSource {
                        medium: Some("Memory".into()),
                        size_limit: Some("64Mi".into()),
                    }),
                    ..Volume::default()
                },
                Volume {
                    name: "uploads".into(),
                    persistent_volume_claim: Some(PvcSource {
                        claim_name: "shop-uploads".into(),
                        read_only: None,
                    }),
                    ..Volume::default()
                },
                Volume {
                    name: "tz".into(),
                    host_path: Some(HostPathSource {
                        path: "/etc/localtime".into(),
                        kind: Some("File".into()),
                    }),
                    ..Volume::default()
                },
            ],
            ..PodSpec::default()
        },
    };
    let worker = Pod {
        metadata: Metadata {
            name: "worker".into(),
            ..Metadata::default()
        },
        spec: PodSpec {
            restart_policy: RestartPolicy::OnFailure,
            containers: vec![Container {
                name: "worker".into(),
                image: "podc/busybox:latest".into(),
                command: vec!["sh".into(), "-c".into(), "sleep 3600".into()],
                env_from: vec![EnvFromSource {
                    secret_ref: Some(NameRef {
                        name: "shop-db".into(),
                        optional: None,
                    }),
                    ..EnvFromSource::default()
                }],
                env: vec![var("NODE", field("spec.nodeName"))],
                // A YAML number is a quantity too.
                resources: Some(Resources {
                    limits: BTreeMap::from([
                        ("cpu".into(), "0.5".into()),
                        ("memory".into(), "32Mi".into()),
                    ]),
                    requests: BTreeMap::new(),
                }),
                ..Container::default()
            }],
            ..PodSpec::default()
        },
    };
    assert_eq!(m.pods, [shop, worker]);
    // The typed quantities parse.
    let limits = &m.pods[1].spec.containers[0]
        .resources
        .as_ref()
        .unwrap()
        .limits;
    assert_eq!(quantity::cpu_nanos(&limits["cpu"]), Ok(500_000_000));
    assert_eq!(quantity::bytes(&limits["memory"]), Ok(33_554_432));
    // Every pod survives the JSON round trip the supervisor label relies on.
    for pod in &m.pods {
        let json = serde_json::to_string(pod).unwrap();
        let back: Pod = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}\n{json}"));
        assert_eq!(&back, pod);
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/manifests/good/shop.yaml");
    assert_eq!(load_manifest_file(&path).unwrap().pods.len(), 2);
}

#[test]
fn rule8_quantities_parse_by_value() {
    assert_eq!(quantity::cpu_nanos("500m"), Ok(500_000_000));
    assert_eq!(quantity::cpu_nanos("1.5"), Ok(1_500_000_000));
    assert_eq!(quantity::cpu_nanos("2"), Ok(2_000_000_000));
    for (text, bytes) in [
        ("64Mi", 67_108_864),
        ("1G", 1_000_000_000),
        ("1e3", 1000),
        ("128974848", 128_974_848),
        ("129M", 129_000_000),
        ("123Mi", 128_974_848),
        ("1Gi", 1_073_741_824),
        ("0.5Gi", 536_870_912),
    ] {
        assert_eq!(quantity::bytes(text), Ok(bytes), "{text}");
    }
    assert!(quantity::bytes("64MB").is_err());
}

#[test]
fn rule8_init_containers_and_sidecars() {
    // A sidecar is an init container with `restartPolicy: Always`; nothing else is allowed.
    let text = spec_with("  initContainers:\n    - name: setup\n      image: busybox\n      restartPolicy: OnFailure\n");
    assert_eq!(
        m_only_error(&text),
        (
            "9:22: `spec.initContainers[0].restartPolicy` must be `Always` (a native sidecar), found string \"OnFailure\"".to_string(),
            Some("remove it: an init container without it runs once, to success".to_string())
        )
    );
    assert_eq!(
        m_only_error(&pod_with("      restartPolicy: Always\n")),
        (
            "9:7: `spec.containers[0].restartPolicy` is only allowed on init containers (`Always` makes a native sidecar); app containers follow `spec.restartPolicy`".to_string(),
            Some("remove it, or move the container to `initContainers` to make it a sidecar".to_string())
        )
    );
    // Names are unique across init and app containers.
    let text = spec_with("  initContainers:\n    - name: web\n      image: busybox\n");
    assert_eq!(
        m_errors(&text),
        ["10:13: duplicate container name `web`: line 7 already uses it"]
    );
    // Ports, probes and hooks only on sidecars.
    let text = spec_with("  initContainers:\n    - name: setup\n      image: busybox\n      ports: [{containerPort: 80}]\n      livenessProbe: {tcpSocket: {port: 80}}\n      lifecycle: {preStop: {sleep: {seconds: 1}}}\n");
    assert_eq!(
        m_errors(&text),
        [
            "9:7: `spec.initContainers[0].ports`: init container `setup` may not declare ports: Kubernetes allows ports only on sidecars (`restartPolicy: Always`), which keep running",
            "10:7: `spec.initContainers[0].livenessProbe` is not allowed on init container `setup`: only sidecars (`restartPolicy: Always`) may have probes and lifecycle hooks",
            "11:7: `spec.initContainers[0].lifecycle` is not allowed on init container `setup`: only sidecars (`restartPolicy: Always`) may have probes and lifecycle hooks",
        ]
    );
    // A sidecar runs next to the app containers: its ports count in every conflict check.
    let text = spec_with("  initContainers:\n    - name: proxy\n      image: envoy\n      restartPolicy: Always\n      ports: [{containerPort: 80, hostPort: 8080, name: http}]\n").replace("      image: nginx\n", "      image: nginx\n      ports: [{containerPort: 80, hostPort: 8080, name: http}]\n");
    assert_eq!(
        m_errors(&text),
        [
            "14:31: containerPort 80/TCP is declared by both sidecar `proxy` (line 10) and container `web`: containers in a pod share one network namespace, so only one of them can listen on it",
            "14:45: hostPort 8080/TCP of container `web` is already claimed by sidecar `proxy` (line 10)",
            "14:57: port name `http` in container `web` is already used by sidecar `proxy` (line 10): port names must be unique in the pod",
        ]
    );
    let text = spec_with("  initContainers:\n    - {name: setup, image: busybox}\n    - {name: proxy, image: envoy, restartPolicy: Always, ports: [{containerPort: 81}]}\n");
    let pod = load_manifest_str(FILE, &text).unwrap().pods.remove(0);
    let init: Vec<(&str, Option<ContainerRestartPolicy>)> = pod
        .spec
        .init_containers
        .iter()
        .map(|c| (c.name.as_str(), c.restart_policy))
        .collect();
    assert_eq!(
        init,
        [
            ("setup", None),
            ("proxy", Some(ContainerRestartPolicy::Always))
        ]
    );
}

#[test]
fn rule8_lifecycle_hooks() {
    let text = pod_with("      lifecycle:\n        postStart: {}\n        preStop:\n          exec: {command: [a]}\n          sleep: {seconds: 1}\n");
    assert_eq!(
        m_errors(&text),
        [
            "10:9: `spec.containers[0].lifecycle.postStart` in container `web` has no handler: a hook needs exactly one of `exec`, `httpGet` or `sleep`",
            "11:9: `spec.containers[0].lifecycle.preStop` in container `web` has 2 handlers, `exec` and `sleep`: a hook needs exactly one",
        ]
    );
    assert_eq!(
        m_only_error(&pod_with(
            "      lifecycle:\n        preStop:\n          tcpSocket: {port: 80}\n"
        )),
        (
            "11:11: `spec.containers[0].lifecycle.preStop.tcpSocket` is deprecated in Kubernetes and not supported by podc".to_string(),
            Some("use `exec`, `httpGet` or `sleep`".to_string())
        )
    );
    assert_eq!(
        m_only_error(&pod_with(
            "      lifecycle:\n        postStart:\n          exec: {command: []}\n"
        ))
        .0,
        "11:27: `spec.containers[0].lifecycle.postStart.exec.command` is empty: an exec hook needs a command to run"
    );
    let text = spec_with("  terminationGracePeriodSeconds: 10\n").replace(
        "      image: nginx\n",
        "      image: nginx\n      lifecycle:\n        postStart:\n          httpGet: {port: admin, scheme: HTTPS}\n        preStop:\n          sleep: {seconds: 11}\n",
    );
    assert_eq!(
        m_errors(&text),
        [
            "12:27: `spec.containers[0].lifecycle.postStart.httpGet.port` names the port `admin`, but container `web` has no port with that name",
            "14:28: `spec.containers[0].lifecycle.preStop.sleep.seconds` 11 is longer than the pod's terminationGracePeriodSeconds (10): the container would be killed first",
        ]
    );
    // An HTTPS hook is taken as written.
    let text = pod_with(
        "      lifecycle:\n        preStop:\n          httpGet: {port: 8443, scheme: HTTPS}\n",
    );
    let pod = load_manifest_str(FILE, &text).unwrap().pods.remove(0);
    let hook = pod.spec.containers[0]
        .lifecycle
        .clone()
        .unwrap()
        .pre_stop
        .unwrap();
    assert_eq!(hook.http_get.map(|g| g.scheme), Some(Scheme::Https));
    // The default grace period is 30 seconds.
    let text = pod_with("      lifecycle:\n        preStop:\n          sleep: {seconds: 30}\n");
    assert_eq!(m_warnings(&text), Vec::<String>::new());
}

#[test]
fn rule8_env_value_from() {
    let text = pod_with("      env:\n        - name: A\n          valueFrom: {}\n        - name: B\n          value: x\n          valueFrom:\n            fieldRef: {fieldPath: metadata.name}\n            secretKeyRef: {name: db, key: user}\n");
    assert_eq!(
        m_errors(&docs(&[SECRET, &text])),
        [
            "17:11: `spec.containers[0].env[0].valueFrom` has no source: it needs exactly one of `fieldRef`, `configMapKeyRef` or `secretKeyRef`",
            "19:11: `spec.containers[0].env[1]` sets both `value` and `valueFrom`: a variable takes its value from one of them",
            "20:11: `spec.containers[0].env[1].valueFrom` has 2 sources, `fieldRef` and `secretKeyRef`: it needs exactly one",
        ]
    );
    let text = pod_with("      env:\n        - name: A\n          valueFrom: {fieldRef: {fieldPath: status.hostIP}}\n        - name: B\n          valueFrom: {fieldRef: {fieldPath: \"metadata.labels[\\\"app\\\"]\"}}\n        - name: C\n          valueFrom: {fieldRef: {fieldPath: metadata.labels}}\n        - name: D\n          valueFrom: {fieldRef: {fieldPath: \"metadata.labels['app']\", apiVersion: v2}}\n");
    let err = load_manifest_str(FILE, &text).unwrap_err();
    let got: Vec<String> = err.errors.iter().map(short).collect();
    assert_eq!(
        got,
        [
            "11:45: `spec.containers[0].env[0].valueFrom.fieldRef.fieldPath` `status.hostIP` is not supported by podc",
            "13:45: `spec.containers[0].env[1].valueFrom.fieldRef.fieldPath` `metadata.labels[\"app\"]` is not valid: write the key as `metadata.labels['KEY']`, in single quotes",
            "15:45: `spec.containers[0].env[2].valueFrom.fieldRef.fieldPath` `metadata.labels` is not supported by podc: name one key, as in `metadata.labels['KEY']`",
            "17:83: `spec.containers[0].env[3].valueFrom.fieldRef.apiVersion` must be one of v1; found string \"v2\"",
        ]
    );
    assert_eq!(err.errors[0].hint.as_deref(), Some("podc resolves metadata.name, metadata.namespace, metadata.labels['KEY'], metadata.annotations['KEY'], status.podIP and spec.nodeName"));
    // resourceFieldRef is warned about, and the variable is left out.
    let text = pod_with("      env:\n        - name: MEM\n          valueFrom: {resourceFieldRef: {resource: limits.memory}}\n        - name: POD\n          valueFrom: {fieldRef: {fieldPath: \"metadata.annotations['a.b/c']\"}}\n");
    let m = load_manifest_str(FILE, &text).unwrap();
    assert_eq!(
        m.warnings.iter().map(short).collect::<Vec<_>>(),
        ["11:23: `spec.containers[0].env[0].valueFrom.resourceFieldRef` is not supported yet by podc: the variable is left unset"]
    );
    let names: Vec<&str> = m.pods[0].spec.containers[0]
        .env
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(names, ["POD"]);
}

#[test]
fn rule8_env_from_has_exactly_one_source() {
    let text = pod_with("      envFrom:\n        - prefix: X_\n        - configMapRef: {name: app}\n          secretRef: {name: db}\n");
    assert_eq!(
        m_errors(&docs(&[CONFIG_MAP, SECRET, &text])),
        [
            "21:11: `spec.containers[0].envFrom[0]` in container `web` has no source: it needs one of `configMapRef` or `secretRef`",
            "22:11: `spec.containers[0].envFrom[1]` in container `web` has both `configMapRef` and `secretRef`: it needs exactly one",
        ]
    );
}

#[test]
fn rule8_resources() {
    let text = pod_with("      resources:\n        limits: {cpu: 500m, memory: 64MB, cpus: 2}\n        requests: {cpu: \"1\", memory: -1}\n");
    let err = load_manifest_str(FILE, &text).unwrap_err();
    let got: Vec<(String, Option<String>)> = err
        .errors
        .iter()
        .map(|d| (short(d), d.hint.clone()))
        .collect();
    let s = |a: &str, b: Option<&str>| (a.to_string(), b.map(str::to_string));
    assert_eq!(
        got,
        [
            s("10:37: `spec.containers[0].resources.limits.memory` `64MB` is not a Kubernetes quantity: unknown suffix `MB` (use m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent such as e3)", Some("e.g. `64Mi`, `1Gi` or `500M`")),
            s("10:43: `spec.containers[0].resources.limits.cpus`: `cpus` is not a Kubernetes resource name", Some("did you mean `cpu`?")),
            s("11:25: `spec.containers[0].resources.requests.cpu` 1 is more than its limit 500m", Some("lower the request or raise the limit: a request must fit in the limit")),
            s("11:38: `spec.containers[0].resources.requests.memory` -1 must not be negative", None),
        ]
    );
    let text = pod_with("      resources:\n        limits: {cpu: 5m, memory: 4Mi}\n        requests: {memory: 1Gi}\n");
    assert_eq!(
        m_errors(&text),
        [
            "10:23: `spec.containers[0].resources.limits.cpu` 5m is below 10m, the smallest cpu limit Docker accepts",
            "10:35: `spec.containers[0].resources.limits.memory` 4Mi is below 6Mi, the smallest memory limit Docker accepts",
            "11:28: `spec.containers[0].resources.requests.memory` 1Gi is more than its limit 4Mi",
        ]
    );
    let text = pod_with("      resources:\n        limits: {cpu: [1]}\n        requests: 1\n");
    assert_eq!(
        m_errors(&text),
        [
            "10:23: `spec.containers[0].resources.limits.cpu` must be a quantity such as `500m`, `1.5` or `64Mi`, found a list",
            "11:19: `spec.containers[0].resources.requests` must be a mapping of resource names to quantities, found integer `1`",
        ]
    );
    // Resources podc does not apply are warned about; numbers are quantities too.
    let text = pod_with(
        "      resources:\n        limits: {cpu: 1, nvidia.com/gpu: 1, hugepages-2Mi: 2Mi}\n",
    );
    assert_eq!(
        m_warnings(&text),
        [
            "10:26: `spec.containers[0].resources.limits[\"nvidia.com/gpu\"]` is not applied by podc: it applies only cpu and memory",
            "10:45: `spec.containers[0].resources.limits.hugepages-2Mi` is not applied by podc: it applies only cpu and memory",
        ]
    );
}

#[test]
fn rule8_security_contexts() {
    let text = pod_with("      stdinOnce: true\n      securityContext:\n        privileged: true\n        seccompProfile: {type: RuntimeDefault}\n");
    assert_eq!(
        m_warnings(&text),
        [
            "9:7: `spec.containers[0].stdinOnce` is not supported yet by podc and is ignored",
            "11:9: container `web` is privileged (`spec.containers[0].securityContext.privileged: true`): it gets every capability and every host device, so it can take over the host",
        ]
    );
    let text = pod_with("      securityContext:\n        privileged: true\n        allowPrivilegeEscalation: false\n");
    assert_eq!(
        m_errors(&text),
        ["11:9: `spec.containers[0].securityContext`: `allowPrivilegeEscalation: false` cannot go with `privileged: true`"]
    );
    let text = pod_with("      securityContext:\n        allowPrivilegeEscalation: false\n        capabilities: {add: [SYS_ADMIN]}\n        runAsUser: -1\n");
    assert_eq!(
        m_errors(&text),
        [
            "10:9: `spec.containers[0].securityContext`: `allowPrivilegeEscalation: false` cannot go with adding CAP_SYS_ADMIN",
            "12:20: `spec.containers[0].securityContext.runAsUser` must be 0 or more, found -1",
        ]
    );
    // runAsNonRoot with user 0 never starts, whichever level sets each.
    let text = spec_with("  securityContext: {runAsNonRoot: true, fsGroup: 2000}\n").replace(
        "      image: nginx\n",
        "      image: nginx\n      securityContext: {runAsUser: 0}\n",
    );
    assert_eq!(
        m_only_error(&text),
        (
            "10:36: container `web` runs as user 0 (root) but `runAsNonRoot` is true: Kubernetes refuses to start it".to_string(),
            Some("set `runAsUser` to a user other than 0, or remove `runAsNonRoot`".to_string())
        )
    );
    assert_eq!(
        m_errors(&spec_with("  securityContext: {runAsNonRoot: true, runAsUser: 0}\n")),
        ["6:52: the pod runs as user 0 (root) but `runAsNonRoot` is true: Kubernetes refuses to start its containers"]
    );
    let text = spec_with("  hostNetwork: true\n  securityContext:\n    sysctls:\n      - {name: vm.swappiness, value: \"10\"}\n      - {name: net.core.somaxconn, value: \"1024\"}\n      - {name: Net.Core, value: \"1\"}\n      - {name: kernel.shmmax, value: 1}\n");
    assert_eq!(
        m_errors(&text),
        [
            "9:16: `spec.securityContext.sysctls[0].name` `vm.swappiness` is not namespaced: it would change the whole host, and Docker refuses it",
            "10:16: `spec.securityContext.sysctls[1].name` `net.core.somaxconn` cannot be set with `spec.hostNetwork: true`: it would change the host's own setting",
            "11:16: `spec.securityContext.sysctls[2].name` `Net.Core` is not a sysctl name: it must be lowercase segments of letters, digits, '-' and '_', separated by '.' or '/'",
            "12:38: `spec.securityContext.sysctls[3].value` must be a string, found integer `1`",
        ]
    );
    let pod = load_manifest_str(FILE, &pod_with("      stdin: true\n      tty: true\n"))
        .unwrap()
        .pods
        .remove(0);
    assert!(pod.spec.containers[0].stdin && pod.spec.containers[0].tty);
}

#[test]
fn rule8_host_namespaces_aliases_dns_and_node_name() {
    let text =
        spec_with("  hostNetwork: true\n  hostPID: true\n  hostIPC: true\n  nodeName: node-1\n");
    assert_eq!(
        m_warnings(&text),
        [
            "6:3: `spec.hostNetwork: true` puts the pod on the host's network: its containers reach every service listening on the host and can bind any host port",
            "7:3: `spec.hostPID: true` shares the host's process namespace: the pod's containers see every process on the host and, as root, can signal or trace them",
            "8:3: `spec.hostIPC: true` shares the host's IPC namespace: the pod's containers can read and write the host's shared memory",
        ]
    );
    let spec = load_manifest_str(FILE, &text).unwrap().pods.remove(0).spec;
    assert_eq!(
        (
            spec.host_network,
            spec.host_pid,
            spec.host_ipc,
            spec.node_name.as_deref()
        ),
        (Some(true), Some(true), Some(true), Some("node-1"))
    );
    let text = spec_with("  hostNetwork: true\n  hostPID: true\n  shareProcessNamespace: true\n").replace(
        "      image: nginx\n",
        "      image: nginx\n      ports: [{containerPort: 80, hostPort: 8080}, {containerPort: 81, hostPort: 81}, {containerPort: 82}]\n",
    );
    let err = load_manifest_str(FILE, &text).unwrap_err();
    assert_eq!(
        err.errors.iter().map(short).collect::<Vec<_>>(),
        [
            "8:3: `spec.shareProcessNamespace` and `spec.hostPID` cannot both be true",
            "12:45: `spec.containers[0].ports[0].hostPort` 8080 must equal its containerPort 80 with `hostNetwork: true`: the container listens on the host's network directly",
        ]
    );
    assert_eq!(
        err.errors[1].hint.as_deref(),
        Some("remove `hostPort`, or set it to 80")
    );
    let text = spec_with("  hostAliases:\n    - ip: db\n      hostnames: [db.local]\n    - ip: 10.0.0.1\n    - ip: ::1\n      hostnames: [\"\", Upper]\n");
    assert_eq!(
        m_errors(&text),
        [
            "7:11: `spec.hostAliases[0].ip` `db` is not an IP address",
            "9:7: `spec.hostAliases[1]` has no hostnames: an alias names at least one host",
            "11:19: `spec.hostAliases[2].hostnames[0]` `` is not a valid host name: it is empty",
            "11:23: `spec.hostAliases[2].hostnames[1]` `Upper` is not a valid host name: it contains uppercase letters",
        ]
    );
    let text = spec_with("  dnsConfig:\n    nameservers: [1.1.1.1, 8.8.8.8, 9.9.9.9, 10.0.0.1, dns.local]\n    searches: [a.local, b_c.local, ok.local.]\n    options: [{name: ndots, value: \"2\"}, {value: x}]\n");
    assert_eq!(
        m_errors(&text),
        [
            "7:5: `spec.dnsConfig.nameservers` lists 5 servers: the limit is 3",
            "7:56: `spec.dnsConfig.nameservers[4]` `dns.local` is not an IP address",
            "8:25: `spec.dnsConfig.searches[1]` `b_c.local` is not a valid domain: it contains `_`",
            "9:42: missing required field `spec.dnsConfig.options[1].name`",
        ]
    );
    let searches: Vec<String> = (0..33).map(|i| format!("d{i}.local")).collect();
    let text = spec_with(&format!(
        "  dnsConfig:\n    searches: [{}]\n",
        searches.join(", ")
    ));
    assert_eq!(
        m_errors(&text),
        ["7:5: `spec.dnsConfig.searches` lists 33 domains: the limit is 32"]
    );
    assert_eq!(
        m_errors(&spec_with("  nodeName: Node_1\n")),
        ["6:13: `spec.nodeName` `Node_1` is not a valid DNS-1123 subdomain: it contains uppercase letters"]
    );
}

#[test]
fn rule8_volumes() {
    let text = spec_with("  volumes:\n    - name: Data\n      emptyDir: {}\n    - name: cache\n      emptyDir: {}\n    - name: cache\n      emptyDir: {}\n    - name: none\n    - name: two\n      emptyDir: {}\n      hostPath: {path: /tmp}\n    - name: nfs\n      nfs: {server: x, path: /}\n");
    let err = load_manifest_str(FILE, &text).unwrap_err();
    assert_eq!(
        err.errors.iter().map(short).collect::<Vec<_>>(),
        [
            "7:13: volume name `Data` is not a valid DNS-1123 label: it contains uppercase letters",
            "11:13: duplicate volume name `cache`: line 9 already uses it",
            "13:7: volume `none` has no source: a volume needs exactly one",
            "14:7: volume `two` has 2 sources, `emptyDir` and `hostPath`: a volume needs exactly one",
            "18:7: volume source `nfs` is not supported by podc",
        ]
    );
    assert_eq!(
        err.errors[4].hint.as_deref(),
        Some(
            "podc supports emptyDir, hostPath, configMap, secret and persistentVolumeClaim volumes"
        )
    );
    let text = spec_with("  volumes:\n    - name: a\n      emptyDir: {medium: HugePages, sizeLimit: 1XB}\n    - name: b\n      emptyDir: {medium: memory}\n    - name: c\n      hostPath: {path: data, type: Dir}\n    - name: f\n      hostPath: {path: /tmp/../etc}\n    - {name: g, persistentVolumeClaim: {claimName: My_Claim}}\n");
    assert_eq!(
        m_errors(&text),
        [
            "8:26: `spec.volumes[0].emptyDir.medium`: HugePages is not supported by podc: Docker has no huge-page volumes",
            "8:48: `spec.volumes[0].emptyDir.sizeLimit` `1XB` is not a Kubernetes quantity: unknown suffix `XB` (use m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent such as e3)",
            "10:26: `spec.volumes[1].emptyDir.medium` must be one of \"\", Memory; found string \"memory\"",
            "12:24: `spec.volumes[2].hostPath.path` `data` must be an absolute path",
            "12:36: `spec.volumes[2].hostPath.type` must be one of \"\", DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice, BlockDevice; found string \"Dir\"",
            "14:24: `spec.volumes[3].hostPath.path` `/tmp/../etc` must not contain `..`",
            "15:52: `spec.volumes[4].persistentVolumeClaim.claimName` `My_Claim` is not a valid claim name: it contains uppercase letters",
        ]
    );
    let text = docs(&[CONFIG_MAP, &spec_with("  volumes:\n    - {name: conf, configMap: {name: app, items: [{key: MODE, path: /abs}, {key: app.ini, path: ../up, mode: 0999}], defaultMode: 1000}}\n")]);
    assert_eq!(
        m_errors(&text),
        [
            "12:69: `spec.volumes[0].configMap.items[0].path` `/abs` must be a relative path",
            "12:97: `spec.volumes[0].configMap.items[1].path` `../up` must not contain `..`",
            "12:110: `spec.volumes[0].configMap.items[1].mode` must be a file mode from 0 to 0777, found string \"0999\"",
            "12:131: `spec.volumes[0].configMap.defaultMode` 1000 is not a file mode: it must be from 0 to 0777 (511)",
        ]
    );
}

#[test]
fn rule8_the_clusters_api_access_volume_is_left_out_with_its_mounts() {
    // As `kubectl get pod -o yaml` shows it, on an app container and an init container.
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\nspec:\n  initContainers:\n    - name: setup\n      image: busybox\n      volumeMounts:\n        - {name: kube-api-access-x7k2p, mountPath: /var/run/secrets/kubernetes.io/serviceaccount, readOnly: true}\n  containers:\n    - name: web\n      image: nginx\n      volumeMounts:\n        - {name: data, mountPath: /data}\n        - {name: kube-api-access-x7k2p, mountPath: /var/run/secrets/kubernetes.io/serviceaccount, readOnly: true}\n  volumes:\n    - name: data\n      emptyDir: {}\n    - name: kube-api-access-x7k2p\n      projected:\n        defaultMode: 420\n        sources:\n          - serviceAccountToken: {expirationSeconds: 3607, path: token}\n          - configMap: {name: kube-root-ca.crt, items: [{key: ca.crt, path: ca.crt}]}\n          - downwardAPI: {items: [{path: namespace, fieldRef: {apiVersion: v1, fieldPath: metadata.namespace}}]}\n";
    let loaded = load_manifest_str(FILE, text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        loaded.warnings.iter().map(short).collect::<Vec<_>>(),
        ["21:7: `spec.volumes[1].projected` is left out, with its volumeMounts: its service account token is for a cluster's API server, and podc has none"]
    );
    let spec = &loaded.pods[0].spec;
    let volumes: Vec<&str> = spec.volumes.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(volumes, ["data"]);
    let mounts: Vec<&str> = spec.containers[0]
        .volume_mounts
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(mounts, ["data"]);
    assert!(spec.init_containers[0].volume_mounts.is_empty());

    // Anything else projected would be missing from the pod: refused.
    let text = spec_with("  volumes:\n    - name: bundle\n      projected:\n        sources:\n          - configMap: {name: app}\n");
    let (error, hint) = only_error(&text);
    assert_eq!(
        error,
        "8:7: `spec.volumes[0].projected` without a serviceAccountToken source is not supported by podc"
    );
    assert_eq!(
        hint.as_deref(),
        Some("write its ConfigMap and Secret sources as configMap and secret volumes")
    );
}

#[test]
fn rule8_volume_mounts() {
    let text = spec_with("  volumes:\n    - {name: data, emptyDir: {}}\n    - {name: conf, emptyDir: {}}\n").replace(
        "      image: nginx\n",
        "      image: nginx\n      volumeMounts:\n        - {name: dta, mountPath: /data}\n        - {name: data, mountPath: data}\n        - {name: data, mountPath: /srv/}\n        - {name: data, mountPath: /srv, subPath: ../x}\n        - {name: nope, mountPath: /x}\n",
    );
    let err = load_manifest_str(FILE, &text).unwrap_err();
    assert_eq!(
        err.errors
            .iter()
            .map(|d| (short(d), d.hint.clone().unwrap_or_default()))
            .collect::<Vec<_>>(),
        [
            ("13:18: `spec.containers[0].volumeMounts[0].name` `dta` in container `web` is not a volume of the pod".to_string(), "did you mean `data`?".to_string()),
            ("14:35: `spec.containers[0].volumeMounts[1].mountPath` `data` must be an absolute path".to_string(), "e.g. `mountPath: /data`".to_string()),
            ("16:35: `spec.containers[0].volumeMounts[3].mountPath` `/srv` is already used by volumeMounts[2] of container `web`".to_string(), "mount each path once".to_string()),
            ("16:50: `spec.containers[0].volumeMounts[3].subPath` `../x` must not contain `..`".to_string(), "write a path inside the volume, e.g. `conf/app.ini`".to_string()),
            ("17:18: `spec.containers[0].volumeMounts[4].name` `nope` in container `web` is not a volume of the pod".to_string(), "the pod's volumes are `data` and `conf`".to_string()),
        ]
    );
    assert_eq!(
        m_only_error(&pod_with("      volumeMounts:\n        - {name: data, mountPath: /data}\n")),
        (
            "10:18: `spec.containers[0].volumeMounts[0].name` `data` in container `web` is not a volume of the pod".to_string(),
            Some("the pod declares no volumes: add one named `data` under `spec.volumes`".to_string())
        )
    );
}

#[test]
fn rule8_risky_host_paths_and_mount_options_warn() {
    let text = spec_with("  volumes:\n    - name: root\n      hostPath: {path: /}\n    - name: sock\n      hostPath: {path: /var/run//docker.sock/, type: Socket}\n    - name: sock2\n      hostPath: {path: /run/docker.sock}\n").replace(
        "      image: nginx\n",
        "      image: nginx\n      volumeMounts:\n        - {name: root, mountPath: /host, mountPropagation: HostToContainer}\n        - {name: sock, mountPath: /var/run/docker.sock, subPathExpr: $(X)}\n",
    );
    assert_eq!(
        m_warnings(&text),
        [
            "8:24: `spec.volumes[0].hostPath.path` `/` mounts the host's whole filesystem: the pod's containers can read and change everything on the host",
            "10:24: `spec.volumes[1].hostPath.path` `/var/run//docker.sock/` mounts the Docker socket: the pod's containers control the Docker daemon, and so the host",
            "12:24: `spec.volumes[2].hostPath.path` `/run/docker.sock` mounts the Docker socket: the pod's containers control the Docker daemon, and so the host",
            "17:42: `spec.containers[0].volumeMounts[0].mountPropagation` is not supported yet by podc and is ignored",
            "18:57: `spec.containers[0].volumeMounts[1].subPathExpr` is not supported yet by podc and is ignored",
        ]
    );
}

#[test]
fn rule8_file_modes_read_octal_as_kubectl_does() {
    let text = docs(&[
        SECRET,
        &spec_with("  volumes:\n    - {name: a, secret: {secretName: db, defaultMode: 0400, items: [{key: user, path: u, mode: 0o600}]}}\n    - {name: b, secret: {secretName: db, defaultMode: 420}}\n"),
    ]);
    let pod = load_manifest_str(FILE, &text).unwrap().pods.remove(0);
    let modes: Vec<(Option<u32>, Vec<Option<u32>>)> = pod
        .spec
        .volumes
        .iter()
        .map(|v| {
            let s = v.secret.as_ref().unwrap();
            (s.default_mode, s.items.iter().map(|i| i.mode).collect())
        })
        .collect();
    assert_eq!(
        modes,
        [(Some(0o400), vec![Some(0o600)]), (Some(0o644), vec![])]
    );
}

#[test]
fn rule8_a_file_holds_pods_config_maps_and_secrets() {
    let pod = spec_with("  volumes:\n    - {name: conf, configMap: {name: app, items: [{key: app.ini, path: app.ini}]}}\n    - {name: creds, secret: {secretName: db}}\n").replace(
        "      image: nginx\n",
        "      image: nginx\n      envFrom: [{configMapRef: {name: app}}, {secretRef: {name: db}}]\n      env:\n        - {name: U, valueFrom: {secretKeyRef: {name: db, key: user}}}\n        - {name: M, valueFrom: {configMapKeyRef: {name: app, key: MODE}}}\n",
    );
    // Empty documents (comments, stray separators) are skipped.
    let text = format!(
        "---\n# objects first\n---\n{}",
        docs(&[CONFIG_MAP, SECRET, &pod, ""])
    );
    let m = load_manifest_str(FILE, &text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (m.pods.len(), m.config_maps.len(), m.secrets.len()),
        (1, 1, 1)
    );
    assert_eq!(m.config_map("app").unwrap().data["MODE"], "fast");
    assert_eq!(
        m.secret("db").unwrap().value("password"),
        Some(b"s3cr3t".to_vec())
    );
    assert_eq!(m.secret("app"), None);
    // The single-pod API still takes one document only.
    assert_eq!(
        only_error(&docs(&[CONFIG_MAP, &spec_with("")])).0,
        "5:1: multiple documents are not supported yet; put one Pod per file"
    );
}

#[test]
fn rule8_other_kinds_say_what_to_do() {
    let text = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n---\nkind: Ingress\n---\nkind: configmap\napiVersion: v1\nmetadata: {name: c}\n---\napiVersion: v2\nkind: Secret\nmetadata: {name: s}\n";
    let err = load_manifest_str(FILE, text).unwrap_err();
    assert_eq!(
        err.errors
            .iter()
            .map(|d| (short(d), d.hint.clone()))
            .collect::<Vec<_>>(),
        [
            ("2:7: kind `Service` is not supported: podc runs Pods and the ConfigMaps and Secrets they use; for a Service, publish the ports it exposes with `hostPort` in the containers' `ports`, and remove the Service".to_string(), None),
            ("7:7: kind `Namespace` is not supported: podc runs Pods and the ConfigMaps and Secrets they use; remove the Namespace: podc has no namespaces".to_string(), None),
            ("10:7: kind `Ingress` is not supported: podc runs Pods and the ConfigMaps and Secrets they use; remove this document from the file".to_string(), None),
            ("12:7: kind `configmap` is not supported: podc runs Pods and the ConfigMaps and Secrets they use".to_string(), Some("did you mean `ConfigMap`?".to_string())),
            ("16:13: apiVersion `v2` is not supported: podc runs `apiVersion: v1` with `kind: Secret`".to_string(), Some("write `apiVersion: v1`".to_string())),
        ]
    );
    // A file of ConfigMaps only has nothing to run.
    assert_eq!(
        m_only_error(CONFIG_MAP),
        (
            "1:1: pods/t.yaml has no Pod: podc runs the Pods of a file, with the ConfigMaps and Secrets they use".to_string(),
            Some("add a document with `apiVersion: v1`, `kind: Pod`, `metadata` and `spec`".to_string())
        )
    );
    assert_eq!(
        m_errors(&docs(&[
            CONFIG_MAP,
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndatta: {a: b}\n",
            &spec_with("")
        ])),
        ["9:1: unknown field `datta` at the top level of the ConfigMap"]
    );
}

#[test]
fn rule8_names_are_unique_per_kind_and_host_ports_across_pods() {
    let text = docs(&[CONFIG_MAP, CONFIG_MAP, &spec_with(""), &spec_with("")]);
    let err = load_manifest_str(FILE, &text).unwrap_err();
    assert_eq!(
        err.errors
            .iter()
            .map(|d| (short(d), d.hint.clone().unwrap_or_default()))
            .collect::<Vec<_>>(),
        [
            (
                "8:18: duplicate ConfigMap `app`: the ConfigMap at line 3 has this name too"
                    .to_string(),
                "give each one its own name, or merge their keys into one".to_string()
            ),
            (
                "23:9: duplicate pod name `t`: the Pod at line 14 has it too".to_string(),
                "podc names containers after their pod: give every Pod in the file its own name"
                    .to_string()
            ),
        ]
    );
    // A ConfigMap and a Secret may share a name.
    let secret_app = SECRET.replace("name: db", "name: app");
    assert!(load_manifest_str(FILE, &docs(&[CONFIG_MAP, &secret_app, &spec_with("")])).is_ok());
    let a = pod_with("      ports: [{containerPort: 80, hostPort: 8080}]\n");
    let b = a.replace("name: t", "name: u");
    assert_eq!(
        m_errors(&docs(&[&a, &b])),
        ["19:45: hostPort 8080/TCP of container `web` in pod `u` is already claimed by container `web` in pod `t` (line 9): the pods of a file share one Docker Engine"]
    );
}

#[test]
fn rule8_references_must_be_in_the_file_unless_optional() {
    let pod = spec_with("  volumes:\n    - {name: conf, configMap: {name: ap, items: [{key: app.in, path: app.ini}]}}\n    - {name: creds, secret: {secretName: app}}\n    - {name: opt, secret: {secretName: gone, optional: true}}\n").replace(
        "      image: nginx\n",
        "      image: nginx\n      envFrom: [{configMapRef: {name: other}}, {secretRef: {name: gone, optional: true}}]\n      env:\n        - {name: U, valueFrom: {secretKeyRef: {name: db, key: usr}}}\n        - {name: M, valueFrom: {configMapKeyRef: {name: app, key: zzz}}}\n        - {name: O, valueFrom: {configMapKeyRef: {name: app, key: zzz, optional: true}}}\n",
    );
    let err = load_manifest_str(FILE, &docs(&[CONFIG_MAP, SECRET, &pod])).unwrap_err();
    assert_eq!(
        err.errors
            .iter()
            .map(|d| (short(d), d.hint.clone().unwrap_or_default()))
            .collect::<Vec<_>>(),
        [
            ("18:38: `spec.volumes[0].configMap.name` refers to ConfigMap `ap`, which is not in this file".to_string(), "did you mean `app`? (the file's ConfigMaps: `app`); otherwise add a ConfigMap named `ap` to the file (a document after `---`), or set `optional: true`".to_string()),
            ("19:42: `spec.volumes[1].secret.secretName` refers to Secret `app`, which is not in this file (there is a ConfigMap with that name)".to_string(), "the file's Secrets: `db`; add a Secret named `app` to the file (a document after `---`), or set `optional: true`".to_string()),
            ("24:39: `spec.containers[0].envFrom[0].configMapRef.name` refers to ConfigMap `other`, which is not in this file".to_string(), "the file's ConfigMaps: `app`; add a ConfigMap named `other` to the file (a document after `---`), or set `optional: true`".to_string()),
            ("26:63: `spec.containers[0].env[0].valueFrom.secretKeyRef.key` names key `usr`, which Secret `db` does not have".to_string(), "did you mean `user`? Otherwise set `optional: true`".to_string()),
            ("27:67: `spec.containers[0].env[1].valueFrom.configMapKeyRef.key` names key `zzz`, which ConfigMap `app` does not have".to_string(), "its keys: `MODE` and `app.ini`; add the key, or set `optional: true`".to_string()),
        ]
    );
    // A volume's items may name binaryData keys; the environment may not (as in Kubernetes).
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\nbinaryData: {logo.png: iVBORw0KGgo=}\n";
    let pod = spec_with("  volumes:\n    - {name: conf, configMap: {name: app, items: [{key: logo.png, path: logo.png}]}}\n");
    load_manifest_str(FILE, &docs(&[cm, &pod])).unwrap_or_else(|e| panic!("{e}"));
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\nspec:\n  containers:\n    - name: web\n      image: nginx\n      env:\n        - {name: LOGO, valueFrom: {configMapKeyRef: {name: app, key: logo.png}}}\n";
    let err = load_manifest_str(FILE, &docs(&[cm, pod])).unwrap_err();
    assert_eq!(
        err.errors.iter().map(short).collect::<Vec<_>>(),
        ["15:70: `spec.containers[0].env[0].valueFrom.configMapKeyRef.key` names key `logo.png`, which ConfigMap `app` does not have"]
    );
    assert_eq!(err.errors[0].hint.as_deref(), Some("it is in `binaryData`, which only volumes read (as in Kubernetes): move it to `data`, or set `optional: true`"));
}

#[test]
fn rule8_config_map_and_secret_documents() {
    let text = docs(&[
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s3cr3t-holder}\ndata:\n  password: not base64!\n  pin: 123456\n  bad key: eA==\nstringData: {token: 987654}\ntype: kubernetes.io/basic-auth\n",
        &spec_with(""),
    ]);
    let err = load_manifest_str(FILE, &text).unwrap_err();
    assert_eq!(
        err.errors.iter().map(|d| (short(d), d.hint.clone().unwrap_or_default())).collect::<Vec<_>>(),
        [
            ("5:13: `data.password` of Secret `s3cr3t-holder` is not valid base64: it has a character outside the base64 alphabet (A-Z, a-z, 0-9, +, /)".to_string(), "encode the value with `printf %s 'VALUE' | base64 -w0`, or put the plain value under `stringData`".to_string()),
            ("6:8: `data.pin` must be a string, found an integer (Secret values are never shown)".to_string(), "quote the value".to_string()),
            ("7:3: key `bad key` of Secret `s3cr3t-holder` is not valid: it contains a space".to_string(), "keys are letters, digits, '-', '_' and '.', e.g. `app.properties`".to_string()),
            ("8:21: `stringData.token` must be a string, found an integer (Secret values are never shown)".to_string(), "quote the value".to_string()),
        ]
    );
    let text = docs(&[
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, labels: {app: x}}\ndata: {a: b}\nbinaryData: {bin: AAEC}\nimmutable: true\n",
        &spec_with(""),
    ]);
    assert_eq!(m_warnings(&text), Vec::<String>::new());
    let text = docs(&[
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\nbinaryData: {a: AAEC, img: not base64!}\n",
        &spec_with(""),
    ]);
    let err = load_manifest_str(FILE, &text).unwrap_err();
    assert_eq!(
        err.errors.iter().map(|d| (short(d), d.hint.clone().unwrap_or_default())).collect::<Vec<_>>(),
        [
            ("5:14: key `a` of ConfigMap `c` is in both `data` and `binaryData`".to_string(), "keep it in one of them".to_string()),
            ("5:28: `binaryData.img` of ConfigMap `c` is not valid base64: it has a character outside the base64 alphabet (A-Z, a-z, 0-9, +, /)".to_string(), "encode the file with `base64 -w0 FILE`".to_string()),
        ]
    );
}

#[test]
fn rule8_secret_values_never_appear_in_a_message() {
    let values = ["hunter2", "123456", "987654", "not base64!", "czNjcjN0"];
    let secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  a: hunter2\n  b: 123456\n  c: [not base64!]\n  d: czNjcjN0\nstringData: {e: 987654, f: {x: hunter2}}\n";
    for text in [
        docs(&[secret, &spec_with("")]),
        docs(&[
            "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: hunter2\n",
            &spec_with(""),
        ]),
        docs(&[
            "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: 123456\n",
            &spec_with(""),
        ]),
    ] {
        let err = load_manifest_str(FILE, &text).unwrap_err();
        let report = check_str(FILE, &text);
        let shown = format!(
            "{err}\n{}\n{}",
            report.plain_lines().join("\n"),
            report.to_json()
        );
        for v in values {
            assert!(!shown.contains(v), "{v} shown in:\n{shown}");
        }
    }
    // The model's Debug output hides them too.
    let m = load_manifest_str(FILE, &docs(&[SECRET, &spec_with("")])).unwrap();
    let shown = format!("{m:?}");
    assert!(
        !shown.contains("czNjcjN0") && !shown.contains("admin"),
        "{shown}"
    );
}

#[test]
fn rule8_never_panics_on_mutated_multi_document_files() {
    let src = fixture("good/shop.yaml");
    let chars: Vec<char> = src.chars().collect();
    let mut rng = Rng(0x5eed_0000_beef_0042);
    for _ in 0..600 {
        let mut text = chars.clone();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(text.len() + 1);
            match rng.below(3) {
                0 => {
                    let piece =
                        ["---\n", ":", "- ", "{", "]", "\n  ", "~", "0x", "'", "*a"][rng.below(10)];
                    for (k, c) in piece.chars().enumerate() {
                        text.insert(at + k, c);
                    }
                }
                1 if at < text.len() => {
                    let end = (at + 1 + rng.below(8)).min(text.len());
                    text.drain(at..end);
                }
                _ if at < text.len() => text[at] = ' ',
                _ => {}
            }
        }
        let text: String = text.into_iter().collect();
        let _ = load_manifest_str(FILE, &text);
        let _ = check_str(FILE, &text);
    }
}

#[test]
fn rule8_a_bad_multi_document_file_reports_everything_at_once() {
    let rel = "bad/multi-doc.yaml";
    let err = load_manifest_str(rel, &fixture(rel)).unwrap_err();
    let got: Vec<String> = err
        .errors
        .iter()
        .map(|d| format!("{}:{}:{}: {}", d.file, d.line, d.column, d.message))
        .collect();
    assert_eq!(
        got,
        [
            "bad/multi-doc.yaml:3:7: kind `Deployment` is not supported: podc runs Pods and the ConfigMaps and Secrets they use; for a Deployment, run its spec.template as a Pod",
            "bad/multi-doc.yaml:16:13: `data.password` of Secret `db` is not valid base64: its length (line breaks aside) is not a multiple of 4",
            "bad/multi-doc.yaml:26:7: `spec.initContainers[0].ports`: init container `migrate` may not declare ports: Kubernetes allows ports only on sidecars (`restartPolicy: Always`), which keep running",
            "bad/multi-doc.yaml:33:43: `spec.containers[0].env[0].valueFrom.secretKeyRef.key` names key `pasword`, which Secret `db` does not have",
            "bad/multi-doc.yaml:38:25: `spec.volumes[0].configMap.name` refers to ConfigMap `web-config`, which is not in this file",
            "bad/multi-doc.yaml:43:9: duplicate pod name `web`: the Pod at line 21 has it too",
            "bad/multi-doc.yaml:50:11: `spec.containers[0].lifecycle.preStop.tcpSocket` is deprecated in Kubernetes and not supported by podc",
        ]
    );
    assert_eq!(
        err.errors[3].hint.as_deref(),
        Some("did you mean `password`? Otherwise set `optional: true`")
    );
    assert!(err
        .to_string()
        .ends_with("\n7 errors in bad/multi-doc.yaml"));
    assert!(!err.to_string().contains("s3cr3t"));
    assert_eq!(
        err.errors[4].hint.as_deref(),
        Some("the file has no ConfigMaps; add a ConfigMap named `web-config` to the file (a document after `---`), or set `optional: true`")
    );
}

#[test]
fn rule8_seccomp_and_apparmor_profiles_and_supplemental_groups() {
    // The restricted Pod Security profile's settings run as written, without a warning.
    let text = spec_with("  securityContext:\n    runAsNonRoot: true\n    runAsUser: 1000\n    supplementalGroups: [2000, 3000]\n    seccompProfile: {type: RuntimeDefault}\n").replace(
        "      image: nginx\n",
        "      image: nginx\n      securityContext:\n        allowPrivilegeEscalation: false\n        capabilities: {drop: [ALL]}\n        seccompProfile: {type: Unconfined}\n        appArmorProfile: {type: Localhost, localhostProfile: podc-test}\n",
    );
    assert_eq!(m_warnings(&text), Vec::<String>::new());
    let spec = load_manifest_str(FILE, &text).unwrap().pods.remove(0).spec;
    let pod_sc = spec.security_context.unwrap();
    assert_eq!(pod_sc.supplemental_groups, [2000, 3000]);
    assert_eq!(
        pod_sc.seccomp_profile.map(|p| p.kind),
        Some(ProfileKind::RuntimeDefault)
    );
    let own = spec.containers[0].security_context.clone().unwrap();
    assert_eq!(
        own.seccomp_profile.map(|p| p.kind),
        Some(ProfileKind::Unconfined)
    );
    assert_eq!(
        own.app_armor_profile,
        Some(Profile {
            kind: ProfileKind::Localhost,
            localhost_profile: Some("podc-test".into())
        })
    );

    let text = spec_with("  securityContext:\n    supplementalGroups: [1, -2, x]\n    seccompProfile: {type: Localhost, localhostProfile: p.json}\n    appArmorProfile: {type: Localhost}\n").replace(
        "      image: nginx\n",
        "      image: nginx\n      securityContext:\n        seccompProfile: {type: RuntimeDefault, localhostProfile: p.json}\n        appArmorProfile: {localhostProfile: x}\n",
    );
    assert_eq!(
        m_errors(&text),
        [
            "7:29: `spec.securityContext.supplementalGroups[1]` must be 0 or more, found -2",
            "7:33: `spec.securityContext.supplementalGroups[2]` must be an integer, found string \"x\"",
            "8:28: `spec.securityContext.seccompProfile.type`: Localhost seccomp profiles are not supported by podc: the profile is a file on a cluster's nodes, and Docker needs its JSON",
            "9:5: `spec.securityContext.appArmorProfile` of type Localhost needs `localhostProfile`",
            "14:48: `spec.containers[0].securityContext.seccompProfile.localhostProfile` may only be set with `type: Localhost`, not RuntimeDefault",
            "15:26: missing required field `spec.containers[0].securityContext.appArmorProfile.type`",
        ]
    );
}
