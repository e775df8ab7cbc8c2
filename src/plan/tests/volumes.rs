//! Volumes and mounts.

use super::*;

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
