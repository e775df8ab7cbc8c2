//! Init containers and sidecars.

use super::*;

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
