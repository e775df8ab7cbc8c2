//! What the pause owns: host aliases, DNS, sysctls, host namespaces.

use super::*;

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
