//! Env: values, fieldRefs, ConfigMap and Secret keys, envFrom, `$(VAR)` expansion.

use super::*;

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
