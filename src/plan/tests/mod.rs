use super::*;
use crate::manifest::{
    Capabilities, ConfigMap, ConfigMapSource, DnsConfig, DnsOption, EmptyDirSource, EnvFromSource,
    EnvVarSource, ExecAction, FieldRef, HostAlias, HostPathSource, KeyRef, KeyToPath,
    LifecycleHandler, NameRef, PodSecurityContext, PvcSource, Resources, Secret, SecretSource,
    SecurityContext, Sysctl, Volume, VolumeMount,
};
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

// Objects and env, used across the sections.
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

mod env;
mod init;
mod pause;
mod settings;
mod volumes;
