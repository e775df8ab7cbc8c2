//! The canonical example, a full manifest, the unsupported-fields manifest, how diagnostics
//! read, and loading from files.

use super::*;

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
