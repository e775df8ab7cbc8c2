//! Resources and the security context.

use super::*;

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
