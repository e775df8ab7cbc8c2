use super::*;
use crate::manifest::{ContainerPort, EnvVar, Metadata, PodSpec, Profile, ProfileKind, Protocol};

fn container(name: &str, image: &str) -> Container {
    Container {
        name: name.into(),
        image: image.into(),
        ..Default::default()
    }
}

fn blog_pod() -> Pod {
    let mut web = container("web", "podc/nginx:latest");
    web.command = vec![
        "nginx".into(),
        "-c".into(),
        "/etc/nginx/proxy-blog.conf".into(),
    ];
    web.ports = vec![ContainerPort {
        container_port: 80,
        host_port: Some(8080),
        host_ip: Some("127.0.0.1".into()),
        protocol: Protocol::Tcp,
        name: None,
    }];
    let mut blog = container("blog", "podc/blog:latest");
    blog.ports = vec![ContainerPort {
        container_port: 2368,
        ..Default::default()
    }];
    Pod {
        metadata: Metadata {
            name: "blog".into(),
            labels: [("app".to_string(), "blog".to_string())].into(),
            ..Default::default()
        },
        spec: PodSpec {
            containers: vec![web, blog],
            termination_grace_period_seconds: Some(10),
            ..Default::default()
        },
    }
}

#[test]
fn pause_owns_ports_hostname_and_pod_labels() {
    let p = plan(&blog_pod(), "podc/pause:x", "pods/blog.yaml");
    assert_eq!(p.pause.docker_name, "blog_POD");
    assert_eq!(p.pause.image, "podc/pause:x");
    assert_eq!(p.pause.hostname, "blog", "default hostname is the pod name");
    assert_eq!(
        p.pause.ports,
        vec![PublishedPort {
            container_port: 80,
            protocol: "tcp".into(),
            host_ip: Some("127.0.0.1".into()),
            host_port: 8080,
        }],
        "only ports with a hostPort are published"
    );
    assert_eq!(p.pause.labels["io.podc.pod"], "blog");
    assert_eq!(p.pause.labels["io.podc.role"], "pause");
    assert_eq!(p.pause.labels["io.podc.grace-seconds"], "10");
    assert_eq!(p.pause.labels["app"], "blog");
    assert_eq!(p.pause.labels["io.podc.config-hash"].len(), 16);
    assert_ne!(
        p.pause.labels["io.podc.config-hash"], p.config_hash,
        "the pause's hash covers the pause, the pod's everything"
    );
    assert_eq!(p.grace, Duration::from_secs(10));
}

#[test]
fn members_carry_their_identity_in_labels() {
    let p = plan(&blog_pod(), "pause", "pods/blog.yaml");
    let names: Vec<_> = p.members.iter().map(|m| m.docker_name.as_str()).collect();
    assert_eq!(names, ["blog_web", "blog_blog"]);
    let web = &p.members[0];
    assert_eq!(web.labels["io.podc.container"], "web");
    assert_eq!(web.labels["io.podc.role"], "container");
    assert_eq!(web.labels["io.podc.index"], "0");
    assert_eq!(web.labels["io.podc.ports"], "127.0.0.1:8080->80/tcp");
    assert_eq!(p.members[1].labels["io.podc.ports"], "2368/tcp");
    assert!(web.share_pid, "PID namespace is shared by default");
}

#[test]
fn command_replaces_entrypoint_and_drops_image_cmd() {
    let p = plan(&blog_pod(), "pause", "f");
    assert_eq!(
        p.members[0].entrypoint.as_deref(),
        Some(
            &[
                "nginx".to_string(),
                "-c".into(),
                "/etc/nginx/proxy-blog.conf".into()
            ][..]
        )
    );
    assert_eq!(p.members[0].cmd, Some(vec![]));
    assert_eq!(p.members[1].entrypoint, None);
    assert_eq!(
        p.members[1].cmd, None,
        "no command, no args: the image's own"
    );
}

#[test]
fn args_alone_replace_only_cmd() {
    let mut pod = blog_pod();
    pod.spec.containers[1].args = vec!["-p".into(), "9".into()];
    let p = plan(&pod, "pause", "f");
    assert_eq!(p.members[1].entrypoint, None);
    assert_eq!(p.members[1].cmd, Some(vec!["-p".to_string(), "9".into()]));
}

#[test]
fn share_process_namespace_false_opts_out() {
    let mut pod = blog_pod();
    pod.spec.share_process_namespace = Some(false);
    assert!(plan(&pod, "pause", "f")
        .members
        .iter()
        .all(|m| !m.share_pid));
    pod.spec.share_process_namespace = Some(true);
    assert!(plan(&pod, "pause", "f").members.iter().all(|m| m.share_pid));
}

#[test]
fn grace_defaults_to_thirty_seconds() {
    let mut pod = blog_pod();
    pod.spec.termination_grace_period_seconds = None;
    assert_eq!(plan(&pod, "pause", "f").grace, Duration::from_secs(30));
}

#[test]
fn later_env_duplicate_wins_in_place() {
    let mut pod = blog_pod();
    pod.spec.containers[0].env = vec![
        EnvVar {
            name: "A".into(),
            value: "1".into(),
            ..Default::default()
        },
        EnvVar {
            name: "B".into(),
            value: "2".into(),
            ..Default::default()
        },
        EnvVar {
            name: "A".into(),
            value: "3".into(),
            ..Default::default()
        },
    ];
    assert_eq!(
        plan(&pod, "pause", "f").members[0].env_strings(""),
        ["A=3", "B=2"]
    );
}

#[test]
fn images_resolved_once_with_the_strictest_policy() {
    let mut pod = blog_pod();
    let mut third = container("side", "podc/blog:latest");
    third.image_pull_policy = Some(PullPolicy::Always);
    pod.spec.containers.push(third);
    pod.spec.containers[1].image_pull_policy = Some(PullPolicy::Never);
    let images = plan(&pod, "pause", "f").images;
    assert_eq!(images.len(), 2);
    assert_eq!(images[1].image, "podc/blog:latest");
    assert_eq!(images[1].policy, PullPolicy::Always);
    assert_eq!(images[1].used_by, ["blog", "side"]);
    assert_eq!(images[0].policy, PullPolicy::IfNotPresent, "the default");
}

#[test]
fn hash_is_stable_and_changes_with_configuration() {
    let a = plan(&blog_pod(), "pause", "f");
    let b = plan(&blog_pod(), "pause", "f");
    assert_eq!(a.config_hash, b.config_hash);
    assert_eq!(
        a.members[0].labels["io.podc.config-hash"],
        b.members[0].labels["io.podc.config-hash"]
    );
    let mut changed = blog_pod();
    changed.spec.containers[1].env = vec![EnvVar {
        name: "X".into(),
        value: "1".into(),
        ..Default::default()
    }];
    let c = plan(&changed, "pause", "f");
    assert_ne!(a.config_hash, c.config_hash);
    assert_eq!(
        a.members[0].labels["io.podc.config-hash"], c.members[0].labels["io.podc.config-hash"],
        "an unchanged member keeps its hash"
    );
    assert_ne!(
        a.members[1].labels["io.podc.config-hash"],
        c.members[1].labels["io.podc.config-hash"]
    );
}

#[test]
fn manifest_path_is_recorded_but_not_hashed() {
    let a = plan(&blog_pod(), "pause", "pods/blog.yaml");
    let b = plan(&blog_pod(), "pause", "/elsewhere/blog.yaml");
    assert_eq!(a.config_hash, b.config_hash);
    assert_eq!(a.members[0].labels["io.podc.manifest"], "pods/blog.yaml");
    assert_eq!(a.pause.labels["io.podc.manifest"], "pods/blog.yaml");
}

// ---------------------------------------------------------------------------------------------
// Objects, env

use crate::manifest::{
    Capabilities, ConfigMap, ConfigMapSource, DnsConfig, DnsOption, EmptyDirSource, EnvFromSource,
    EnvVarSource, ExecAction, FieldRef, HostAlias, HostPathSource, KeyRef, KeyToPath,
    LifecycleHandler, NameRef, PodSecurityContext, PvcSource, Resources, Secret, SecretSource,
    SecurityContext, Sysctl, Volume, VolumeMount,
};

fn literal(name: &str, value: &str) -> EnvVar {
    EnvVar {
        name: name.into(),
        value: value.into(),
        ..Default::default()
    }
}

fn from(name: &str, source: EnvVarSource) -> EnvVar {
    EnvVar {
        name: name.into(),
        value_from: Some(source),
        ..Default::default()
    }
}

fn field(name: &str, path: &str) -> EnvVar {
    from(
        name,
        EnvVarSource {
            field_ref: Some(FieldRef {
                field_path: path.into(),
            }),
            ..Default::default()
        },
    )
}

fn key_ref(name: &str, key: &str) -> KeyRef {
    KeyRef {
        name: name.into(),
        key: key.into(),
        optional: None,
    }
}

fn meta(name: &str) -> Metadata {
    Metadata {
        name: name.into(),
        ..Default::default()
    }
}

fn objects() -> PodObjects {
    PodObjects {
        config_maps: vec![ConfigMap {
            metadata: meta("settings"),
            data: [
                ("MODE".to_string(), "fast".to_string()),
                ("LEVEL".to_string(), "3".to_string()),
                ("bad key".to_string(), "x".to_string()),
                ("nginx.conf".to_string(), "events {}\n".to_string()),
            ]
            .into(),
            // Bytes 0, 1, 2, 255.
            binary_data: [("logo.bin".to_string(), "AAEC/w==".to_string())].into(),
        }],
        secrets: vec![Secret {
            metadata: meta("creds"),
            // "hunter2" and "admin"
            data: [
                ("password".to_string(), "aHVudGVyMg==".to_string()),
                ("user".to_string(), "YWRtaW4=".to_string()),
            ]
            .into(),
            string_data: [("token".to_string(), "plain-token".to_string())].into(),
        }],
    }
}

/// The blog pod with `env` and `envFrom` on its first container, planned with `objects()`.
fn env_of(env: Vec<EnvVar>, env_from: Vec<EnvFromSource>) -> (Vec<EnvVarSpec>, Vec<String>) {
    let mut pod = blog_pod();
    pod.metadata
        .annotations
        .insert("team".into(), "blue".into());
    pod.spec.containers[0].env = env;
    pod.spec.containers[0].env_from = env_from;
    let p = plan_with(&pod, &objects(), "pause", "f");
    (p.members[0].env.clone(), p.notes)
}

fn lit(name: &str, value: &str) -> EnvVarSpec {
    EnvVarSpec {
        name: name.into(),
        value: EnvValue::Literal(value.into()),
    }
}

#[test]
fn field_refs_resolve_from_the_pod() {
    let (env, notes) = env_of(
        vec![
            field("NAME", "metadata.name"),
            field("NS", "metadata.namespace"),
            field("APP", "metadata.labels['app']"),
            field("TEAM", "metadata.annotations[\"team\"]"),
            field("MISSING", "metadata.labels['nope']"),
            field("NODE", "spec.nodeName"),
            field("IP", "status.podIP"),
            field("UID", "metadata.uid"),
        ],
        vec![],
    );
    assert_eq!(
        env,
        [
            lit("NAME", "blog"),
            lit("NS", "default"),
            lit("APP", "blog"),
            lit("TEAM", "blue"),
            lit("MISSING", ""),
            lit("NODE", "podc"),
            lit("IP", POD_IP_MARK),
        ]
    );
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("metadata.uid"), "{notes:?}");
}

#[test]
fn node_name_comes_from_the_spec_when_given() {
    let mut pod = blog_pod();
    pod.spec.node_name = Some("worker-1".into());
    pod.spec.containers[0].env = vec![field("NODE", "spec.nodeName")];
    assert_eq!(
        plan(&pod, "pause", "f").members[0].env_strings(""),
        ["NODE=worker-1"]
    );
}

#[test]
fn pod_ip_is_filled_in_when_rendered() {
    let (env, _) = env_of(vec![field("IP", "status.podIP")], vec![]);
    assert_eq!(env[0].render("172.17.0.5"), "IP=172.17.0.5");
}

#[test]
fn config_map_and_secret_keys_resolve_and_secrets_stay_hidden() {
    let (env, notes) = env_of(
        vec![
            from(
                "MODE",
                EnvVarSource {
                    config_map_key_ref: Some(key_ref("settings", "MODE")),
                    ..Default::default()
                },
            ),
            from(
                "PASSWORD",
                EnvVarSource {
                    secret_key_ref: Some(key_ref("creds", "password")),
                    ..Default::default()
                },
            ),
            from(
                "TOKEN",
                EnvVarSource {
                    secret_key_ref: Some(key_ref("creds", "token")),
                    ..Default::default()
                },
            ),
        ],
        vec![],
    );
    assert!(notes.is_empty(), "{notes:?}");
    let rendered: Vec<String> = env.iter().map(|e| e.render("")).collect();
    assert_eq!(
        rendered,
        ["MODE=fast", "PASSWORD=hunter2", "TOKEN=plain-token"]
    );
    assert_eq!(env[1].value, EnvValue::Secret("hunter2".into()));
    let shown = format!("{env:?}");
    assert!(
        !shown.contains("hunter2") && !shown.contains("plain-token"),
        "{shown}"
    );
}

#[test]
fn secret_values_never_reach_a_label_or_the_debug_of_a_plan() {
    let mut pod = blog_pod();
    pod.spec.containers[0].env = vec![from(
        "PASSWORD",
        EnvVarSource {
            secret_key_ref: Some(key_ref("creds", "password")),
            ..Default::default()
        },
    )];
    pod.spec.volumes = vec![Volume {
        name: "creds".into(),
        secret: Some(SecretSource {
            secret_name: "creds".into(),
            ..Default::default()
        }),
        ..Default::default()
    }];
    let p = plan_with(&pod, &objects(), "pause", "f");
    let labels = p
        .init
        .iter()
        .chain(&p.members)
        .flat_map(|m| m.labels.values())
        .chain(p.pause.labels.values());
    for value in labels {
        assert!(
            !value.contains("hunter2"),
            "a label holds a secret: {value}"
        );
    }
    let shown = format!("{p:?}");
    assert!(!shown.contains("hunter2") && !shown.contains("plain-token"));
}

#[test]
fn env_from_takes_every_key_with_its_prefix_and_env_wins() {
    let (env, notes) = env_of(
        vec![literal("CFG_MODE", "explicit")],
        vec![
            EnvFromSource {
                prefix: Some("CFG_".into()),
                config_map_ref: Some(NameRef {
                    name: "settings".into(),
                    optional: None,
                }),
                secret_ref: None,
            },
            EnvFromSource {
                prefix: None,
                config_map_ref: None,
                secret_ref: Some(NameRef {
                    name: "creds".into(),
                    optional: None,
                }),
            },
        ],
    );
    let rendered: Vec<String> = env.iter().map(|e| e.render("")).collect();
    assert_eq!(
        rendered,
        [
            "CFG_LEVEL=3",
            "CFG_MODE=explicit",
            "CFG_nginx.conf=events {}\n",
            "password=hunter2",
            "token=plain-token",
            "user=admin",
        ],
        "envFrom in key order, explicit env overriding in place"
    );
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].contains("CFG_bad key") && !notes[0].contains("nginx"),
        "{notes:?}"
    );
}

#[test]
fn a_later_env_from_source_wins_a_key() {
    let source = |name: &str, prefix: &str| EnvFromSource {
        prefix: Some(prefix.into()),
        config_map_ref: Some(NameRef {
            name: name.into(),
            optional: None,
        }),
        secret_ref: None,
    };
    let mut objs = objects();
    objs.config_maps.push(ConfigMap {
        metadata: meta("other"),
        data: [("MODE".to_string(), "slow".to_string())].into(),
        ..Default::default()
    });
    let mut pod = blog_pod();
    pod.spec.containers[0].env_from = vec![source("settings", ""), source("other", "")];
    let env = plan_with(&pod, &objs, "pause", "f").members[0].env_strings("");
    assert!(env.contains(&"MODE=slow".to_string()), "{env:?}");
}

#[test]
fn missing_optional_references_leave_the_variable_unset() {
    let (env, _) = env_of(
        vec![
            from(
                "A",
                EnvVarSource {
                    config_map_key_ref: Some(KeyRef {
                        name: "absent".into(),
                        key: "k".into(),
                        optional: Some(true),
                    }),
                    ..Default::default()
                },
            ),
            from(
                "B",
                EnvVarSource {
                    secret_key_ref: Some(KeyRef {
                        name: "creds".into(),
                        key: "absent".into(),
                        optional: Some(true),
                    }),
                    ..Default::default()
                },
            ),
        ],
        vec![EnvFromSource {
            prefix: None,
            config_map_ref: Some(NameRef {
                name: "absent".into(),
                optional: Some(true),
            }),
            secret_ref: None,
        }],
    );
    assert!(env.is_empty(), "{env:?}");
}

#[test]
fn plan_is_plan_with_no_objects() {
    assert_eq!(
        plan(&blog_pod(), "pause", "f"),
        plan_with(&blog_pod(), &PodObjects::default(), "pause", "f")
    );
}

#[test]
fn a_changed_secret_changes_the_member_hash_only() {
    let mut pod = blog_pod();
    pod.spec.containers[1].env = vec![from(
        "PASSWORD",
        EnvVarSource {
            secret_key_ref: Some(key_ref("creds", "password")),
            ..Default::default()
        },
    )];
    let a = plan_with(&pod, &objects(), "pause", "f");
    let mut changed = objects();
    changed.secrets[0]
        .data
        .insert("password".into(), "b3RoZXI=".into());
    let b = plan_with(&pod, &changed, "pause", "f");
    let hash = |p: &Plan, i: usize| p.members[i].labels["io.podc.config-hash"].clone();
    assert_ne!(hash(&a, 1), hash(&b, 1));
    assert_eq!(hash(&a, 0), hash(&b, 0));
    assert_eq!(
        a.pause.labels["io.podc.config-hash"],
        b.pause.labels["io.podc.config-hash"]
    );
    assert_ne!(a.config_hash, b.config_hash);
}

// ---------------------------------------------------------------------------------------------
// Resources, security

fn with_resources(limits: &[(&str, &str)], requests: &[(&str, &str)]) -> ResourceSpec {
    let map = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let mut pod = blog_pod();
    pod.spec.containers[0].resources = Some(Resources {
        limits: map(limits),
        requests: map(requests),
    });
    plan(&pod, "pause", "f").members[0].resources.clone()
}

#[test]
fn quantities_become_docker_numbers() {
    assert_eq!(
        with_resources(
            &[("cpu", "500m"), ("memory", "64Mi")],
            &[("cpu", "250m"), ("memory", "32Mi")]
        ),
        ResourceSpec {
            nano_cpus: Some(500_000_000),
            cpu_shares: Some(256),
            memory: Some(64 * 1024 * 1024),
            memory_reservation: Some(32 * 1024 * 1024),
        }
    );
    assert_eq!(
        with_resources(&[("cpu", "1.5"), ("memory", "1G")], &[]),
        ResourceSpec {
            nano_cpus: Some(1_500_000_000),
            cpu_shares: Some(1536),
            memory: Some(1_000_000_000),
            memory_reservation: Some(1_000_000_000),
        },
        "requests default to the limits, as the API server does"
    );
    assert_eq!(with_resources(&[], &[]), ResourceSpec::default());
    assert_eq!(
        with_resources(&[], &[("cpu", "1m")]).cpu_shares,
        Some(2),
        "never below Kubernetes' minimum of 2 shares"
    );
}

#[test]
fn cpu_shares_follow_kubernetes() {
    assert_eq!(cpu_shares(1_000_000_000), 1024);
    assert_eq!(cpu_shares(100_000_000), 102);
    assert_eq!(cpu_shares(0), 2);
}

#[test]
fn container_security_context_overrides_the_pods() {
    let mut pod = blog_pod();
    pod.spec.security_context = Some(PodSecurityContext {
        run_as_user: Some(1000),
        run_as_group: Some(3000),
        run_as_non_root: Some(true),
        sysctls: vec![],
        seccomp_profile: Some(profile(ProfileKind::Unconfined, None)),
        app_armor_profile: Some(profile(ProfileKind::Unconfined, None)),
        supplemental_groups: vec![4000, 5000],
        fs_group: Some(2000),
    });
    pod.spec.containers[0].security_context = Some(SecurityContext {
        run_as_user: Some(2000),
        read_only_root_filesystem: Some(true),
        allow_privilege_escalation: Some(false),
        capabilities: Some(Capabilities {
            add: vec!["NET_ADMIN".into()],
            drop: vec!["ALL".into()],
        }),
        // Its own profiles replace the pod's: Docker's default seccomp, a host AppArmor one.
        seccomp_profile: Some(profile(ProfileKind::RuntimeDefault, None)),
        app_armor_profile: Some(profile(ProfileKind::Localhost, Some("podc-test"))),
        ..Default::default()
    });
    pod.spec.containers[1].security_context = Some(SecurityContext {
        privileged: Some(true),
        run_as_non_root: Some(false),
        ..Default::default()
    });
    let p = plan(&pod, "pause", "f");
    assert_eq!(
        p.members[0].security,
        SecuritySpec {
            user: Some("2000:3000".into()),
            run_as_user: Some(2000),
            run_as_group: Some(3000),
            run_as_non_root: true,
            read_only_root_filesystem: true,
            privileged: false,
            no_new_privileges: true,
            cap_add: vec!["NET_ADMIN".into()],
            cap_drop: vec!["ALL".into()],
            profiles: vec!["apparmor=podc-test".into()],
            group_add: vec!["2000".into(), "4000".into(), "5000".into()],
        }
    );
    assert_eq!(
        p.members[0].security.security_opt(),
        ["no-new-privileges", "apparmor=podc-test"]
    );
    let blog = &p.members[1].security;
    assert_eq!(blog.user.as_deref(), Some("1000:3000"), "the pod's user");
    assert!(blog.privileged && !blog.run_as_non_root);
    assert_eq!(
        blog.security_opt(),
        ["seccomp=unconfined", "apparmor=unconfined"],
        "the pod's profiles"
    );
    assert_eq!(blog.group_add, ["2000", "4000", "5000"], "fsGroup first");
}

fn profile(kind: ProfileKind, name: Option<&str>) -> Profile {
    Profile {
        kind,
        localhost_profile: name.map(str::to_string),
    }
}

#[test]
fn user_without_group_and_group_without_user() {
    let user = |uid: Option<i64>, gid: Option<i64>, image_user: &str| {
        SecuritySpec {
            run_as_user: uid,
            run_as_group: gid,
            ..Default::default()
        }
        .docker_user(image_user)
    };
    assert_eq!(user(Some(7), None, "nobody").as_deref(), Some("7"));
    assert_eq!(
        user(None, Some(50), "nobody:x").as_deref(),
        Some("nobody:50")
    );
    assert_eq!(user(None, Some(50), "").as_deref(), Some("0:50"));
    assert_eq!(user(None, None, "nobody"), None);
}

#[test]
fn run_as_non_root_is_checked_against_the_image_user() {
    let strict = |uid: Option<i64>| SecuritySpec {
        run_as_non_root: true,
        run_as_user: uid,
        ..Default::default()
    };
    let root = "container has runAsNonRoot and image will run as root";
    assert_eq!(strict(None).non_root_violation("").as_deref(), Some(root));
    assert_eq!(
        strict(None).non_root_violation("root").as_deref(),
        Some(root)
    );
    assert_eq!(
        strict(None).non_root_violation("0:0").as_deref(),
        Some(root)
    );
    assert_eq!(strict(None).non_root_violation("1000"), None);
    assert_eq!(strict(Some(1000)).non_root_violation(""), None);
    assert!(strict(Some(0))
        .non_root_violation("1000")
        .is_some_and(|w| w.contains("runAsUser 0")));
    assert!(strict(None)
        .non_root_violation("nginx")
        .is_some_and(|w| w.contains("non-numeric user (nginx)")));
    assert_eq!(SecuritySpec::default().non_root_violation(""), None);
}

#[test]
fn stdin_and_tty_are_carried() {
    let mut pod = blog_pod();
    pod.spec.containers[0].stdin = true;
    pod.spec.containers[0].tty = true;
    let p = plan(&pod, "pause", "f");
    assert!(p.members[0].stdin && p.members[0].tty);
    assert!(!p.members[1].stdin && !p.members[1].tty);
}

// ---------------------------------------------------------------------------------------------
// The pause's settings

#[test]
fn host_aliases_dns_and_sysctls_go_on_the_pause() {
    let mut pod = blog_pod();
    pod.spec.host_aliases = vec![
        HostAlias {
            ip: "10.0.0.1".into(),
            hostnames: vec!["db".into(), "db.local".into()],
        },
        HostAlias {
            ip: "10.0.0.2".into(),
            hostnames: vec!["cache".into()],
        },
    ];
    pod.spec.dns_config = Some(DnsConfig {
        nameservers: vec!["1.1.1.1".into()],
        searches: vec!["example.com".into()],
        options: vec![
            DnsOption {
                name: "ndots".into(),
                value: Some("2".into()),
            },
            DnsOption {
                name: "edns0".into(),
                value: None,
            },
        ],
    });
    pod.spec.security_context = Some(PodSecurityContext {
        sysctls: vec![Sysctl {
            name: "net.ipv4.ip_unprivileged_port_start".into(),
            value: "0".into(),
        }],
        ..Default::default()
    });
    let pause = plan(&pod, "pause", "f").pause;
    assert_eq!(
        pause.extra_hosts,
        ["db:10.0.0.1", "db.local:10.0.0.1", "cache:10.0.0.2"]
    );
    assert_eq!(pause.dns, ["1.1.1.1"]);
    assert_eq!(pause.dns_search, ["example.com"]);
    assert_eq!(pause.dns_options, ["ndots:2", "edns0"]);
    assert_eq!(
        pause.sysctls,
        BTreeMap::from([(
            "net.ipv4.ip_unprivileged_port_start".to_string(),
            "0".to_string()
        )])
    );
    assert!(!pause.host_network && !pause.host_pid && !pause.host_ipc);
}

#[test]
fn host_namespaces() {
    let mut pod = blog_pod();
    pod.spec.host_network = Some(true);
    pod.spec.host_pid = Some(true);
    pod.spec.host_ipc = Some(true);
    pod.spec.share_process_namespace = Some(false);
    let p = plan(&pod, "pause", "f");
    assert!(p.pause.host_network && p.pause.host_pid && p.pause.host_ipc);
    assert!(
        p.pause.ports.is_empty(),
        "under hostNetwork the ports are the host's"
    );
    assert!(p.members.iter().all(|m| m.host_ipc && m.host_pid));
}

#[test]
fn changing_what_the_pause_owns_changes_its_hash() {
    let a = plan(&blog_pod(), "pause", "f");
    let mut pod = blog_pod();
    pod.spec.host_aliases = vec![HostAlias {
        ip: "10.0.0.1".into(),
        hostnames: vec!["db".into()],
    }];
    let b = plan(&pod, "pause", "f");
    assert_ne!(
        a.pause.labels["io.podc.config-hash"],
        b.pause.labels["io.podc.config-hash"]
    );
    assert_eq!(
        a.members[0].labels["io.podc.config-hash"],
        b.members[0].labels["io.podc.config-hash"]
    );
}

// ---------------------------------------------------------------------------------------------
// Init containers and sidecars

#[test]
fn init_containers_and_sidecars_are_planned_in_order() {
    let mut pod = blog_pod();
    let mut migrate = container("migrate", "podc/busybox:latest");
    migrate.command = vec!["true".into()];
    let mut proxy = container("proxy", "podc/nginx:latest");
    proxy.restart_policy = Some(ContainerRestartPolicy::Always);
    proxy.ports = vec![ContainerPort {
        container_port: 9000,
        host_port: Some(19000),
        ..Default::default()
    }];
    proxy.lifecycle = Some(crate::manifest::Lifecycle {
        post_start: Some(LifecycleHandler {
            exec: Some(ExecAction {
                command: vec!["true".into()],
            }),
            ..Default::default()
        }),
        pre_stop: None,
    });
    pod.spec.init_containers = vec![migrate, proxy];
    let p = plan(&pod, "pause", "pods/blog.yaml");
    let names: Vec<_> = p.init.iter().map(|m| m.docker_name.as_str()).collect();
    assert_eq!(names, ["blog_migrate", "blog_proxy"]);
    assert_eq!(p.init[0].role, MemberRole::Init);
    assert_eq!(p.init[0].labels["io.podc.role"], "init");
    assert_eq!(p.init[1].role, MemberRole::Sidecar);
    assert_eq!(p.init[1].labels["io.podc.role"], "sidecar");
    assert_eq!(p.init[1].labels["io.podc.index"], "1");
    assert_eq!(p.init[1].labels["io.podc.container"], "proxy");
    assert_eq!(p.init[1].labels["io.podc.manifest"], "pods/blog.yaml");
    assert!(p.init[1].labels.contains_key("io.podc.config-hash"));
    assert_eq!(
        p.init[1].hooks.post_start,
        Some(Check::Exec {
            command: vec!["true".into()]
        }),
        "the sidecar's hook is resolved into the plan"
    );
    assert_eq!(p.members[0].role, MemberRole::App);
    assert_eq!(p.members[0].labels["io.podc.role"], "container");
    assert!(
        p.pause.ports.iter().any(|port| port.host_port == 19000),
        "a sidecar's ports are published on the pause"
    );
    let images: Vec<_> = p.images.iter().map(|i| i.image.as_str()).collect();
    assert_eq!(
        images,
        [
            "podc/busybox:latest",
            "podc/nginx:latest",
            "podc/blog:latest"
        ]
    );
    assert_eq!(p.images[1].used_by, ["proxy", "web"]);
    // The init sequence is part of what a rebuild changes.
    assert_ne!(
        p.pause.labels["io.podc.config-hash"],
        plan(&blog_pod(), "pause", "f").pause.labels["io.podc.config-hash"]
    );
}

// ---------------------------------------------------------------------------------------------
// Volumes

fn mount(name: &str, path: &str) -> VolumeMount {
    VolumeMount {
        name: name.into(),
        mount_path: path.into(),
        ..Default::default()
    }
}

fn docker_volume(p: &Plan, name: &str) -> DockerVolume {
    match &p.volumes.iter().find(|v| v.name == name).unwrap().source {
        VolumeSource::Docker(d) => d.clone(),
        other => panic!("volume {name} is {other:?}"),
    }
}

fn volume_pod() -> Pod {
    let mut pod = blog_pod();
    pod.spec.volumes = vec![
        Volume {
            name: "cache".into(),
            empty_dir: Some(EmptyDirSource::default()),
            ..Default::default()
        },
        Volume {
            name: "scratch".into(),
            empty_dir: Some(EmptyDirSource {
                medium: Some("Memory".into()),
                size_limit: Some("16Mi".into()),
            }),
            ..Default::default()
        },
        Volume {
            name: "conf".into(),
            config_map: Some(ConfigMapSource {
                name: "settings".into(),
                items: vec![
                    KeyToPath {
                        key: "nginx.conf".into(),
                        path: "nginx/nginx.conf".into(),
                        mode: Some(0o600),
                    },
                    KeyToPath {
                        key: "MODE".into(),
                        path: "mode".into(),
                        mode: None,
                    },
                ],
                default_mode: Some(0o440),
                optional: None,
            }),
            ..Default::default()
        },
        Volume {
            name: "creds".into(),
            secret: Some(SecretSource {
                secret_name: "creds".into(),
                ..Default::default()
            }),
            ..Default::default()
        },
        Volume {
            name: "data".into(),
            persistent_volume_claim: Some(PvcSource {
                claim_name: "blog-data".into(),
                read_only: None,
            }),
            ..Default::default()
        },
        Volume {
            name: "logs".into(),
            host_path: Some(HostPathSource {
                path: "/var/log/blog".into(),
                kind: Some("DirectoryOrCreate".into()),
            }),
            ..Default::default()
        },
    ];
    pod.spec.containers[0].volume_mounts = vec![
        mount("cache", "/cache"),
        mount("scratch", "/scratch"),
        VolumeMount {
            sub_path: Some("nginx/nginx.conf".into()),
            ..mount("conf", "/etc/nginx/nginx.conf")
        },
        mount("creds", "/run/creds"),
        VolumeMount {
            sub_path: Some("web".into()),
            read_only: Some(true),
            ..mount("data", "/data")
        },
        VolumeMount {
            sub_path: Some("web/".into()),
            ..mount("logs", "/var/log/nginx")
        },
    ];
    pod.spec.containers[1].volume_mounts = vec![mount("cache", "/cache")];
    pod
}

#[test]
fn empty_dir_is_a_labelled_world_writable_volume() {
    let p = plan_with(&volume_pod(), &objects(), "pause", "f");
    let cache = docker_volume(&p, "cache");
    assert_eq!(cache.docker_name, "blog_cache");
    assert_eq!(
        cache.labels,
        BTreeMap::from([
            ("io.podc.pod".to_string(), "blog".to_string()),
            ("io.podc.volume".to_string(), "cache".to_string()),
        ])
    );
    assert!(cache.driver_opts.is_empty() && !cache.memory && cache.files.is_empty());
    assert_eq!(cache.root_mode, Some(0o777));
    assert_eq!(cache.claim, None);
}

#[test]
fn an_fs_group_owns_the_pods_docker_volumes_not_its_host_paths() {
    let mut pod = volume_pod();
    pod.spec.security_context = Some(PodSecurityContext {
        fs_group: Some(2000),
        ..Default::default()
    });
    let p = plan_with(&pod, &objects(), "pause", "f");
    for name in ["cache", "scratch", "conf", "creds", "data"] {
        assert_eq!(docker_volume(&p, name).group, Some(2000), "{name}");
    }
    let cache = docker_volume(&p, "cache");
    // Set-group-ID and group-writable: what members create there belongs to the group.
    assert_eq!(cache.root_mode_written(), Some(0o2777));
    let conf = docker_volume(&p, "conf");
    assert_eq!(
        conf.root_mode_written(),
        None,
        "a configMap's root is left as it is"
    );
    assert_eq!(conf.file_mode_written(0o600), 0o640, "the group may read");
    assert_eq!(conf.file_mode_written(0o400), 0o440);
    // Without an fsGroup, modes are written as the manifest gives them.
    let plain = docker_volume(&plan_with(&volume_pod(), &objects(), "pause", "f"), "conf");
    assert_eq!(plain.group, None);
    assert_eq!(plain.file_mode_written(0o600), 0o600);
    let logs = p.volumes.iter().find(|v| v.name == "logs").unwrap();
    assert!(matches!(logs.source, VolumeSource::HostPath { .. }));
}

#[test]
fn memory_empty_dir_is_one_sized_tmpfs_held_by_the_pause() {
    let p = plan_with(&volume_pod(), &objects(), "pause", "f");
    let scratch = docker_volume(&p, "scratch");
    assert_eq!(scratch.docker_name, "blog_scratch");
    assert_eq!(
        scratch.driver_opts,
        BTreeMap::from([
            ("type".to_string(), "tmpfs".to_string()),
            ("device".to_string(), "tmpfs".to_string()),
            ("o".to_string(), format!("size={}", 16 * 1024 * 1024)),
        ])
    );
    assert!(scratch.memory);
    let held: Vec<_> = p.pause.mounts.iter().map(|m| m.target.as_str()).collect();
    assert_eq!(
        held,
        ["/.podc/volumes/scratch", "/.podc/volumes/creds"],
        "the pause keeps every tmpfs (memory emptyDir, secret) mounted"
    );
}

#[test]
fn config_map_volume_holds_its_items_with_their_modes() {
    let p = plan_with(&volume_pod(), &objects(), "pause", "f");
    let conf = docker_volume(&p, "conf");
    assert_eq!(
        conf.files,
        [
            VolumeFile {
                path: "nginx/nginx.conf".into(),
                mode: 0o600,
                content: b"events {}\n".to_vec(),
            },
            VolumeFile {
                path: "mode".into(),
                mode: 0o440,
                content: b"fast".to_vec(),
            },
        ]
    );
    assert!(!conf.memory && conf.root_mode.is_none());
}

#[test]
fn config_map_volume_without_items_has_every_key_at_0644() {
    let mut pod = blog_pod();
    pod.spec.volumes = vec![Volume {
        name: "conf".into(),
        config_map: Some(ConfigMapSource {
            name: "settings".into(),
            ..Default::default()
        }),
        ..Default::default()
    }];
    let conf = docker_volume(&plan_with(&pod, &objects(), "pause", "f"), "conf");
    let files: Vec<_> = conf
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.mode))
        .collect();
    assert_eq!(
        files,
        [
            ("LEVEL", 0o644),
            ("MODE", 0o644),
            ("bad key", 0o644),
            ("logo.bin", 0o644),
            ("nginx.conf", 0o644)
        ]
    );
    let logo = conf.files.iter().find(|f| f.path == "logo.bin").unwrap();
    assert_eq!(logo.content, [0, 1, 2, 255], "binaryData is decoded");
}

#[test]
fn binary_data_stays_out_of_the_environment() {
    let mut pod = blog_pod();
    pod.spec.containers[0].env_from = vec![EnvFromSource {
        config_map_ref: Some(NameRef {
            name: "settings".into(),
            ..Default::default()
        }),
        ..Default::default()
    }];
    let env = plan_with(&pod, &objects(), "pause", "f").members[0].env_strings("");
    assert!(env.contains(&"MODE=fast".to_string()), "{env:?}");
    assert!(
        !env.iter().any(|e| e.starts_with("logo.bin")),
        "Kubernetes keeps binaryData out of envFrom: {env:?}"
    );
}

#[test]
fn secret_volume_is_decoded_onto_tmpfs_and_never_shown() {
    let p = plan_with(&volume_pod(), &objects(), "pause", "f");
    let creds = docker_volume(&p, "creds");
    let files: Vec<_> = creds
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.content.as_slice(), f.mode))
        .collect();
    assert_eq!(
        files,
        [
            ("password", &b"hunter2"[..], 0o644),
            ("token", &b"plain-token"[..], 0o644),
            ("user", &b"admin"[..], 0o644),
        ]
    );
    assert!(creds.memory);
    assert_eq!(creds.driver_opts["type"], "tmpfs");
    assert!(!format!("{creds:?}").contains("hunter2"));
}

#[test]
fn claim_is_a_named_volume_kept_by_down() {
    let p = plan_with(&volume_pod(), &objects(), "pause", "f");
    let data = docker_volume(&p, "data");
    assert_eq!(data.docker_name, "podc-pvc-blog-data");
    assert_eq!(data.labels["io.podc.pvc"], "blog-data");
    assert_eq!(data.labels["io.podc.pod"], "blog");
    assert_eq!(data.claim.as_deref(), Some("blog-data"));
}

#[test]
fn host_path_keeps_its_type() {
    let p = plan_with(&volume_pod(), &objects(), "pause", "f");
    let logs = &p.volumes.iter().find(|v| v.name == "logs").unwrap().source;
    assert_eq!(
        logs,
        &VolumeSource::HostPath {
            path: "/var/log/blog".into(),
            check: HostPathType::DirectoryOrCreate,
        }
    );
    assert_eq!(HostPathType::parse(None), HostPathType::Unchecked);
    assert_eq!(HostPathType::parse(Some("Socket")), HostPathType::Socket);
}

#[test]
fn mounts_follow_the_volume_mounts() {
    let p = plan_with(&volume_pod(), &objects(), "pause", "f");
    let vol = |name: &str, sub: Option<&str>| MountSource::Volume {
        docker_name: name.into(),
        sub_path: sub.map(str::to_string),
    };
    let m = |target: &str, source: MountSource, read_only: bool| MountSpec {
        target: target.into(),
        source,
        read_only,
    };
    assert_eq!(
        p.members[0].mounts,
        [
            m("/cache", vol("blog_cache", None), false),
            m("/scratch", vol("blog_scratch", None), false),
            m(
                "/etc/nginx/nginx.conf",
                vol("blog_conf", Some("nginx/nginx.conf")),
                true
            ),
            m("/run/creds", vol("blog_creds", None), true),
            m("/data", vol("podc-pvc-blog-data", Some("web")), true),
            m(
                "/var/log/nginx",
                MountSource::Host {
                    path: "/var/log/blog".into(),
                    sub_path: Some("web".into()),
                },
                false
            ),
        ],
        "configMap and secret mounts are always read-only"
    );
    assert_eq!(
        p.members[1].mounts,
        [m("/cache", vol("blog_cache", None), false)],
        "two members share one emptyDir"
    );
}

#[test]
fn a_changed_config_map_changes_the_pause_hash() {
    let a = plan_with(&volume_pod(), &objects(), "pause", "f");
    let mut changed = objects();
    changed.config_maps[0]
        .data
        .insert("MODE".into(), "slow".into());
    let b = plan_with(&volume_pod(), &changed, "pause", "f");
    assert_ne!(
        a.pause.labels["io.podc.config-hash"], b.pause.labels["io.podc.config-hash"],
        "new volume contents need a rebuild"
    );
}

#[test]
fn helpers_join_paths_and_name_volumes() {
    assert_eq!(join("/a/", "/b/c"), "/a/b/c");
    assert_eq!(volume_name("blog", "cache"), "blog_cache");
    assert_eq!(claim_volume_name("data"), "podc-pvc-data");
}

#[test]
fn members_of_a_plain_pod_need_no_running_pause() {
    let plain = plan(&blog_pod(), "p", "f");
    assert!(plain.members_need_no_running_pause());
    // Each of these needs the pause running (or an init step done) before the members exist.
    let mut init = blog_pod();
    init.spec.init_containers = vec![container("setup", "podc/busybox:latest")];
    let mut pod_ip = plain.clone();
    pod_ip.members[0].env.push(EnvVarSpec {
        name: "POD_IP".into(),
        value: EnvValue::Literal(POD_IP_MARK.into()),
    });
    let mut group_only = plain.clone();
    group_only.members[1].security.run_as_group = Some(1000);
    for (what, p) in [
        ("init containers", plan(&init, "p", "f")),
        ("status.podIP", pod_ip),
        ("runAsGroup without runAsUser", group_only),
    ] {
        assert!(!p.members_need_no_running_pause(), "{what}");
    }
}

#[test]
fn env_values_expand_references_to_the_variables_before_them() {
    let (env, _) = env_of(
        vec![
            literal("HOST", "db"),
            literal("URL", "pg://$(HOST):$(PORT)/x"),
            literal("PORT", "5432"),
            literal("AGAIN", "$(PORT) $$(HOST) $(NOPE)"),
            from(
                "PASSWORD",
                EnvVarSource {
                    secret_key_ref: Some(key_ref("creds", "password")),
                    ..Default::default()
                },
            ),
            literal("DSN", "user:$(PASSWORD)@$(HOST)"),
            field("IP", "status.podIP"),
            literal("ADVERTISE", "http://$(IP):8080"),
        ],
        vec![],
    );
    let rendered: Vec<String> = env.iter().map(|e| e.render("10.0.0.7")).collect();
    assert_eq!(
        rendered,
        [
            "HOST=db",
            // PORT comes later: as in the kubelet, the reference stays as written.
            "URL=pg://db:$(PORT)/x",
            "PORT=5432",
            "AGAIN=5432 $(HOST) $(NOPE)",
            "PASSWORD=hunter2",
            "DSN=user:hunter2@db",
            "IP=10.0.0.7",
            "ADVERTISE=http://10.0.0.7:8080",
        ]
    );
    assert!(
        matches!(env[5].value, EnvValue::Secret(_)),
        "a value holding a Secret's is hidden like it"
    );
    assert!(!format!("{env:?}").contains("hunter2"));
}

#[test]
fn command_and_args_expand_references_to_the_whole_env() {
    let mut pod = blog_pod();
    let c = &mut pod.spec.containers[0];
    c.env = vec![
        literal("PORT", "8080"),
        field("IP", "status.podIP"),
        from(
            "MODE",
            EnvVarSource {
                config_map_key_ref: Some(key_ref("settings", "MODE")),
                ..Default::default()
            },
        ),
    ];
    c.command = vec!["/bin/$(MODE)".into()];
    c.args = vec![
        "--listen=$(IP):$(PORT)".into(),
        "--literal=$$(PORT)".into(),
        "--unknown=$(NOPE)".into(),
    ];
    let p = plan_with(&pod, &objects(), "pause", "f");
    let m = &p.members[0];
    assert_eq!(m.entrypoint.as_deref().unwrap(), ["/bin/fast"]);
    let listen = format!("--listen={POD_IP_MARK}:8080");
    assert_eq!(
        m.cmd.as_deref().unwrap(),
        [listen.as_str(), "--literal=$(PORT)", "--unknown=$(NOPE)"]
    );
    assert!(m.needs_pod_ip(), "the pod's IP goes into an argument");
}
