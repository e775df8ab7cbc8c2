//! Rule 8: the shop fixture (Pods, ConfigMaps, Secrets and the newer fields) loads to exactly
//! the expected values.

use super::*;

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
