//! The Docker create bodies of the pause and of a member, built from the plan. Pure.

use crate::plan::{MemberSpec, PauseSpec};
use bollard::models::{
    ContainerCreateBody, HostConfig, Mount, PortBinding, RestartPolicy, RestartPolicyNameEnum,
};
use std::collections::HashMap;

fn no_restart() -> Option<RestartPolicy> {
    // podc owns restarts: Docker's own policy would restart members onto a dead namespace.
    Some(RestartPolicy {
        name: Some(RestartPolicyNameEnum::NO),
        maximum_retry_count: None,
    })
}

/// The pause holds the hostname, every published port, /etc/hosts and /etc/resolv.conf
/// entries, the sysctls and the host namespaces; members joined to it can set none of these.
pub(crate) fn pause_body(pause: &PauseSpec) -> ContainerCreateBody {
    let mut bindings: HashMap<String, Option<Vec<PortBinding>>> = HashMap::new();
    for p in &pause.ports {
        let key = format!("{}/{}", p.container_port, p.protocol);
        bindings
            .entry(key)
            .or_insert_with(|| Some(Vec::new()))
            .get_or_insert_with(Vec::new)
            .push(PortBinding {
                host_ip: p.host_ip.clone(),
                host_port: Some(p.host_port.to_string()),
            });
    }
    let mut exposed: Vec<String> = bindings.keys().cloned().collect();
    exposed.sort();
    let some = |v: &Vec<String>| (!v.is_empty()).then(|| v.clone());
    let mounts: Vec<Mount> = pause
        .mounts
        .iter()
        .map(crate::docker::volumes::docker_mount)
        .collect();
    ContainerCreateBody {
        image: Some(pause.image.clone()),
        // Under hostNetwork the pod has the host's name, as in Kubernetes.
        hostname: (!pause.host_network).then(|| pause.hostname.clone()),
        labels: Some(pause.labels.clone().into_iter().collect()),
        exposed_ports: (!exposed.is_empty()).then_some(exposed),
        host_config: Some(HostConfig {
            network_mode: pause.host_network.then(|| "host".to_string()),
            pid_mode: pause.host_pid.then(|| "host".to_string()),
            // Members can only join the IPC namespace of a shareable donor; under hostIPC they
            // use the host's directly.
            ipc_mode: Some(if pause.host_ipc { "host" } else { "shareable" }.into()),
            port_bindings: (!bindings.is_empty()).then_some(bindings),
            extra_hosts: some(&pause.extra_hosts),
            dns: some(&pause.dns),
            dns_search: some(&pause.dns_search),
            dns_options: some(&pause.dns_options),
            sysctls: (!pause.sysctls.is_empty())
                .then(|| pause.sysctls.clone().into_iter().collect()),
            mounts: (!mounts.is_empty()).then_some(mounts),
            restart_policy: no_restart(),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// A member joins the pause's network, IPC and (by default) PID namespaces by ID, never by
/// name: a name would follow a recreated pause, an ID fails loudly. `member` should have been
/// through `resolve` (pod IP, subPath mountpoints); an unresolved `status.podIP` is empty.
pub(crate) fn member_body(member: &MemberSpec, pause_id: &str) -> ContainerCreateBody {
    let join = format!("container:{pause_id}");
    let env = member.env_strings("");
    let r = &member.resources;
    let sec = &member.security;
    let pid_mode = match (member.share_pid, member.host_pid) {
        (true, _) => Some(join.clone()),
        (false, true) => Some("host".to_string()),
        (false, false) => None,
    };
    let mounts: Vec<Mount> = member
        .mounts
        .iter()
        .map(crate::docker::volumes::docker_mount)
        .collect();
    let caps = |v: &Vec<String>| (!v.is_empty()).then(|| v.clone());
    ContainerCreateBody {
        image: Some(member.image.clone()),
        entrypoint: member.entrypoint.clone(),
        cmd: member.cmd.clone(),
        env: (!env.is_empty()).then_some(env),
        working_dir: member.working_dir.clone(),
        user: sec.user.clone(),
        open_stdin: member.stdin.then_some(true),
        attach_stdin: member.stdin.then_some(false),
        tty: member.tty.then_some(true),
        labels: Some(member.labels.clone().into_iter().collect()),
        host_config: Some(HostConfig {
            network_mode: Some(join.clone()),
            ipc_mode: Some(if member.host_ipc {
                "host".to_string()
            } else {
                join
            }),
            pid_mode,
            nano_cpus: r.nano_cpus,
            cpu_shares: r.cpu_shares,
            memory: r.memory,
            // The same as Memory: the limit is not stretched by swap.
            memory_swap: r.memory,
            memory_reservation: r.memory_reservation,
            readonly_rootfs: sec.read_only_root_filesystem.then_some(true),
            privileged: sec.privileged.then_some(true),
            security_opt: Some(sec.security_opt()).filter(|o| !o.is_empty()),
            group_add: Some(sec.group_add.clone()).filter(|g| !g.is_empty()),
            cap_add: caps(&sec.cap_add),
            cap_drop: caps(&sec.cap_drop),
            mounts: (!mounts.is_empty()).then_some(mounts),
            restart_policy: no_restart(),
            ..Default::default()
        }),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    //! The Docker bodies built from a plan, by value (the daemon's side is in tests/).
    use super::*;
    use crate::docker::facts::{resolve, RuntimeFacts};
    use crate::manifest::{Container, Metadata, Pod, PodSpec};
    use crate::plan::{
        EnvValue, EnvVarSpec, MountSource, MountSpec, Plan, ResourceSpec, SecuritySpec, POD_IP_MARK,
    };

    fn pod() -> Pod {
        Pod {
            metadata: Metadata {
                name: "p".into(),
                ..Default::default()
            },
            spec: PodSpec {
                containers: vec![Container {
                    name: "app".into(),
                    image: "img".into(),
                    ..Default::default()
                }],
                ..Default::default()
            },
        }
    }

    fn plan_of(pod: &Pod) -> Plan {
        crate::plan::plan(pod, "pause", "f")
    }

    #[test]
    fn pause_body_carries_what_the_pause_owns() {
        let mut plan = plan_of(&pod());
        plan.pause.extra_hosts = vec!["db:10.0.0.1".into()];
        plan.pause.dns = vec!["1.1.1.1".into()];
        plan.pause.dns_search = vec!["ex.test".into()];
        plan.pause.dns_options = vec!["ndots:2".into()];
        plan.pause.sysctls = [("net.ipv4.ip_forward".to_string(), "1".to_string())].into();
        let body = pause_body(&plan.pause);
        assert_eq!(body.hostname.as_deref(), Some("p"));
        let hc = body.host_config.unwrap();
        assert_eq!(hc.ipc_mode.as_deref(), Some("shareable"));
        assert_eq!(hc.network_mode, None);
        assert_eq!(hc.extra_hosts.unwrap(), ["db:10.0.0.1"]);
        assert_eq!(hc.dns.unwrap(), ["1.1.1.1"]);
        assert_eq!(hc.dns_search.unwrap(), ["ex.test"]);
        assert_eq!(hc.dns_options.unwrap(), ["ndots:2"]);
        assert_eq!(hc.sysctls.unwrap()["net.ipv4.ip_forward"], "1");
    }

    #[test]
    fn host_namespaces_on_the_pause_and_the_member() {
        let mut pod = pod();
        pod.spec.host_network = Some(true);
        pod.spec.host_pid = Some(true);
        pod.spec.host_ipc = Some(true);
        let plan = plan_of(&pod);
        let body = pause_body(&plan.pause);
        assert_eq!(body.hostname, None, "the host's name under hostNetwork");
        let hc = body.host_config.unwrap();
        assert_eq!(hc.network_mode.as_deref(), Some("host"));
        assert_eq!(hc.pid_mode.as_deref(), Some("host"));
        assert_eq!(hc.ipc_mode.as_deref(), Some("host"));
        let member = member_body(&plan.members[0], "ID").host_config.unwrap();
        assert_eq!(member.network_mode.as_deref(), Some("container:ID"));
        assert_eq!(member.pid_mode.as_deref(), Some("container:ID"));
        assert_eq!(
            member.ipc_mode.as_deref(),
            Some("host"),
            "a host-IPC pause is not a shareable donor"
        );

        pod.spec.share_process_namespace = Some(false);
        let plan = plan_of(&pod);
        let member = member_body(&plan.members[0], "ID").host_config.unwrap();
        assert_eq!(member.pid_mode.as_deref(), Some("host"));
    }

    #[test]
    fn member_body_maps_resources_security_and_terminal() {
        let mut m = plan_of(&pod()).members[0].clone();
        m.resources = ResourceSpec {
            nano_cpus: Some(500_000_000),
            cpu_shares: Some(256),
            memory: Some(64 << 20),
            memory_reservation: Some(32 << 20),
        };
        m.security = SecuritySpec {
            user: Some("1000:3000".into()),
            read_only_root_filesystem: true,
            privileged: true,
            no_new_privileges: true,
            cap_add: vec!["NET_ADMIN".into()],
            cap_drop: vec!["ALL".into()],
            profiles: vec!["seccomp=unconfined".into()],
            group_add: vec!["4000".into()],
            ..Default::default()
        };
        m.stdin = true;
        m.tty = true;
        let body = member_body(&m, "ID");
        assert_eq!(body.user.as_deref(), Some("1000:3000"));
        assert_eq!(body.open_stdin, Some(true));
        assert_eq!(body.attach_stdin, Some(false));
        assert_eq!(body.tty, Some(true));
        let hc = body.host_config.unwrap();
        assert_eq!(hc.nano_cpus, Some(500_000_000));
        assert_eq!(hc.cpu_shares, Some(256));
        assert_eq!(hc.memory, Some(64 << 20));
        assert_eq!(hc.memory_swap, Some(64 << 20), "no swap beyond the limit");
        assert_eq!(hc.memory_reservation, Some(32 << 20));
        assert_eq!(hc.readonly_rootfs, Some(true));
        assert_eq!(hc.privileged, Some(true));
        assert_eq!(
            hc.security_opt.unwrap(),
            ["no-new-privileges", "seccomp=unconfined"]
        );
        assert_eq!(hc.group_add.unwrap(), ["4000"]);
        assert_eq!(hc.cap_add.unwrap(), ["NET_ADMIN"]);
        assert_eq!(hc.cap_drop.unwrap(), ["ALL"]);

        let plain = member_body(&plan_of(&pod()).members[0], "ID");
        assert_eq!(plain.user, None);
        assert_eq!(plain.tty, None);
        let hc = plain.host_config.unwrap();
        assert_eq!(
            (hc.memory, hc.memory_swap, hc.cpu_shares),
            (None, None, None)
        );
    }

    #[test]
    fn resolve_fills_the_pod_ip_sub_paths_and_a_group_only_user() {
        let mut m = plan_of(&pod()).members[0].clone();
        m.env = vec![EnvVarSpec {
            name: "IP".into(),
            value: EnvValue::Literal(format!("http://{POD_IP_MARK}:80")),
        }];
        m.mounts = vec![
            MountSpec {
                target: "/sub".into(),
                source: MountSource::Volume {
                    docker_name: "p_data".into(),
                    sub_path: Some("a/b".into()),
                },
                read_only: true,
            },
            MountSpec {
                target: "/whole".into(),
                source: MountSource::Volume {
                    docker_name: "p_data".into(),
                    sub_path: None,
                },
                read_only: false,
            },
        ];
        m.security.run_as_group = Some(50);
        m.cmd = Some(vec![format!("--advertise={POD_IP_MARK}")]);
        assert!(m.needs_pod_ip());
        let facts = RuntimeFacts {
            pod_ip: "172.17.0.9".into(),
            mountpoints: [(
                "p_data".to_string(),
                "/var/lib/docker/volumes/p_data/_data".to_string(),
            )]
            .into(),
            image_users: [("img".to_string(), "nobody".to_string())].into(),
        };
        let r = resolve(&m, &facts);
        assert_eq!(r.env_strings(""), ["IP=http://172.17.0.9:80"]);
        assert_eq!(r.cmd.as_deref().unwrap(), ["--advertise=172.17.0.9"]);
        assert_eq!(r.security.user.as_deref(), Some("nobody:50"));
        assert_eq!(r.labels, m.labels, "the plan's hash stays");
        let mounts = member_body(&r, "ID").host_config.unwrap().mounts.unwrap();
        assert_eq!(mounts[0].typ, Some(bollard::models::MountType::BIND));
        assert_eq!(
            mounts[0].source.as_deref(),
            Some("/var/lib/docker/volumes/p_data/_data/a/b")
        );
        assert_eq!(mounts[0].read_only, Some(true));
        assert_eq!(mounts[1].typ, Some(bollard::models::MountType::VOLUME));
        assert_eq!(mounts[1].source.as_deref(), Some("p_data"));
        assert_eq!(
            mounts[1].volume_options.as_ref().and_then(|o| o.no_copy),
            Some(true),
            "the image's files are never copied into a volume"
        );
    }
}
