//! Rule 8: the pod's newer fields: quantities, init containers and sidecars, hooks, env
//! sources, resources, security contexts, host namespaces.

use super::*;

#[test]
fn rule8_quantities_parse_by_value() {
    assert_eq!(quantity::cpu_nanos("500m"), Ok(500_000_000));
    assert_eq!(quantity::cpu_nanos("1.5"), Ok(1_500_000_000));
    assert_eq!(quantity::cpu_nanos("2"), Ok(2_000_000_000));
    for (text, bytes) in [
        ("64Mi", 67_108_864),
        ("1G", 1_000_000_000),
        ("1e3", 1000),
        ("128974848", 128_974_848),
        ("129M", 129_000_000),
        ("123Mi", 128_974_848),
        ("1Gi", 1_073_741_824),
        ("0.5Gi", 536_870_912),
    ] {
        assert_eq!(quantity::bytes(text), Ok(bytes), "{text}");
    }
    assert!(quantity::bytes("64MB").is_err());
}

#[test]
fn rule8_init_containers_and_sidecars() {
    // A sidecar is an init container with `restartPolicy: Always`; nothing else is allowed.
    let text = spec_with("  initContainers:\n    - name: setup\n      image: busybox\n      restartPolicy: OnFailure\n");
    assert_eq!(
        m_only_error(&text),
        (
            "9:22: `spec.initContainers[0].restartPolicy` must be `Always` (a native sidecar), found string \"OnFailure\"".to_string(),
            Some("remove it: an init container without it runs once, to success".to_string())
        )
    );
    assert_eq!(
        m_only_error(&pod_with("      restartPolicy: Always\n")),
        (
            "9:7: `spec.containers[0].restartPolicy` is only allowed on init containers (`Always` makes a native sidecar); app containers follow `spec.restartPolicy`".to_string(),
            Some("remove it, or move the container to `initContainers` to make it a sidecar".to_string())
        )
    );
    // Names are unique across init and app containers.
    let text = spec_with("  initContainers:\n    - name: web\n      image: busybox\n");
    assert_eq!(
        m_errors(&text),
        ["10:13: duplicate container name `web`: line 7 already uses it"]
    );
    // Ports, probes and hooks only on sidecars.
    let text = spec_with("  initContainers:\n    - name: setup\n      image: busybox\n      ports: [{containerPort: 80}]\n      livenessProbe: {tcpSocket: {port: 80}}\n      lifecycle: {preStop: {sleep: {seconds: 1}}}\n");
    assert_eq!(
        m_errors(&text),
        [
            "9:7: `spec.initContainers[0].ports`: init container `setup` may not declare ports: Kubernetes allows ports only on sidecars (`restartPolicy: Always`), which keep running",
            "10:7: `spec.initContainers[0].livenessProbe` is not allowed on init container `setup`: only sidecars (`restartPolicy: Always`) may have probes and lifecycle hooks",
            "11:7: `spec.initContainers[0].lifecycle` is not allowed on init container `setup`: only sidecars (`restartPolicy: Always`) may have probes and lifecycle hooks",
        ]
    );
    // A sidecar runs next to the app containers: its ports count in every conflict check.
    let text = spec_with("  initContainers:\n    - name: proxy\n      image: envoy\n      restartPolicy: Always\n      ports: [{containerPort: 80, hostPort: 8080, name: http}]\n").replace("      image: nginx\n", "      image: nginx\n      ports: [{containerPort: 80, hostPort: 8080, name: http}]\n");
    assert_eq!(
        m_errors(&text),
        [
            "14:31: containerPort 80/TCP is declared by both sidecar `proxy` (line 10) and container `web`: containers in a pod share one network namespace, so only one of them can listen on it",
            "14:45: hostPort 8080/TCP of container `web` is already claimed by sidecar `proxy` (line 10)",
            "14:57: port name `http` in container `web` is already used by sidecar `proxy` (line 10): port names must be unique in the pod",
        ]
    );
    let text = spec_with("  initContainers:\n    - {name: setup, image: busybox}\n    - {name: proxy, image: envoy, restartPolicy: Always, ports: [{containerPort: 81}]}\n");
    let pod = load_manifest_str(FILE, &text).unwrap().pods.remove(0);
    let init: Vec<(&str, Option<ContainerRestartPolicy>)> = pod
        .spec
        .init_containers
        .iter()
        .map(|c| (c.name.as_str(), c.restart_policy))
        .collect();
    assert_eq!(
        init,
        [
            ("setup", None),
            ("proxy", Some(ContainerRestartPolicy::Always))
        ]
    );
}

#[test]
fn rule8_lifecycle_hooks() {
    let text = pod_with("      lifecycle:\n        postStart: {}\n        preStop:\n          exec: {command: [a]}\n          sleep: {seconds: 1}\n");
    assert_eq!(
        m_errors(&text),
        [
            "10:9: `spec.containers[0].lifecycle.postStart` in container `web` has no handler: a hook needs exactly one of `exec`, `httpGet` or `sleep`",
            "11:9: `spec.containers[0].lifecycle.preStop` in container `web` has 2 handlers, `exec` and `sleep`: a hook needs exactly one",
        ]
    );
    assert_eq!(
        m_only_error(&pod_with(
            "      lifecycle:\n        preStop:\n          tcpSocket: {port: 80}\n"
        )),
        (
            "11:11: `spec.containers[0].lifecycle.preStop.tcpSocket` is deprecated in Kubernetes and not supported by podc".to_string(),
            Some("use `exec`, `httpGet` or `sleep`".to_string())
        )
    );
    assert_eq!(
        m_only_error(&pod_with(
            "      lifecycle:\n        postStart:\n          exec: {command: []}\n"
        ))
        .0,
        "11:27: `spec.containers[0].lifecycle.postStart.exec.command` is empty: an exec hook needs a command to run"
    );
    let text = spec_with("  terminationGracePeriodSeconds: 10\n").replace(
        "      image: nginx\n",
        "      image: nginx\n      lifecycle:\n        postStart:\n          httpGet: {port: admin, scheme: HTTPS}\n        preStop:\n          sleep: {seconds: 11}\n",
    );
    assert_eq!(
        m_errors(&text),
        [
            "12:27: `spec.containers[0].lifecycle.postStart.httpGet.port` names the port `admin`, but container `web` has no port with that name",
            "14:28: `spec.containers[0].lifecycle.preStop.sleep.seconds` 11 is longer than the pod's terminationGracePeriodSeconds (10): the container would be killed first",
        ]
    );
    // An HTTPS hook is taken as written.
    let text = pod_with(
        "      lifecycle:\n        preStop:\n          httpGet: {port: 8443, scheme: HTTPS}\n",
    );
    let pod = load_manifest_str(FILE, &text).unwrap().pods.remove(0);
    let hook = pod.spec.containers[0]
        .lifecycle
        .clone()
        .unwrap()
        .pre_stop
        .unwrap();
    assert_eq!(hook.http_get.map(|g| g.scheme), Some(Scheme::Https));
    // The default grace period is 30 seconds.
    let text = pod_with("      lifecycle:\n        preStop:\n          sleep: {seconds: 30}\n");
    assert_eq!(m_warnings(&text), Vec::<String>::new());
}

#[test]
fn rule8_env_value_from() {
    let text = pod_with("      env:\n        - name: A\n          valueFrom: {}\n        - name: B\n          value: x\n          valueFrom:\n            fieldRef: {fieldPath: metadata.name}\n            secretKeyRef: {name: db, key: user}\n");
    assert_eq!(
        m_errors(&docs(&[SECRET, &text])),
        [
            "17:11: `spec.containers[0].env[0].valueFrom` has no source: it needs exactly one of `fieldRef`, `configMapKeyRef` or `secretKeyRef`",
            "19:11: `spec.containers[0].env[1]` sets both `value` and `valueFrom`: a variable takes its value from one of them",
            "20:11: `spec.containers[0].env[1].valueFrom` has 2 sources, `fieldRef` and `secretKeyRef`: it needs exactly one",
        ]
    );
    let text = pod_with("      env:\n        - name: A\n          valueFrom: {fieldRef: {fieldPath: status.hostIP}}\n        - name: B\n          valueFrom: {fieldRef: {fieldPath: \"metadata.labels[\\\"app\\\"]\"}}\n        - name: C\n          valueFrom: {fieldRef: {fieldPath: metadata.labels}}\n        - name: D\n          valueFrom: {fieldRef: {fieldPath: \"metadata.labels['app']\", apiVersion: v2}}\n");
    let err = load_manifest_str(FILE, &text).unwrap_err();
    let got: Vec<String> = err.errors.iter().map(short).collect();
    assert_eq!(
        got,
        [
            "11:45: `spec.containers[0].env[0].valueFrom.fieldRef.fieldPath` `status.hostIP` is not supported by podc",
            "13:45: `spec.containers[0].env[1].valueFrom.fieldRef.fieldPath` `metadata.labels[\"app\"]` is not valid: write the key as `metadata.labels['KEY']`, in single quotes",
            "15:45: `spec.containers[0].env[2].valueFrom.fieldRef.fieldPath` `metadata.labels` is not supported by podc: name one key, as in `metadata.labels['KEY']`",
            "17:83: `spec.containers[0].env[3].valueFrom.fieldRef.apiVersion` must be one of v1; found string \"v2\"",
        ]
    );
    assert_eq!(err.errors[0].hint.as_deref(), Some("podc resolves metadata.name, metadata.namespace, metadata.labels['KEY'], metadata.annotations['KEY'], status.podIP and spec.nodeName"));
    // resourceFieldRef is warned about, and the variable is left out.
    let text = pod_with("      env:\n        - name: MEM\n          valueFrom: {resourceFieldRef: {resource: limits.memory}}\n        - name: POD\n          valueFrom: {fieldRef: {fieldPath: \"metadata.annotations['a.b/c']\"}}\n");
    let m = load_manifest_str(FILE, &text).unwrap();
    assert_eq!(
        m.warnings.iter().map(short).collect::<Vec<_>>(),
        ["11:23: `spec.containers[0].env[0].valueFrom.resourceFieldRef` is not supported yet by podc: the variable is left unset"]
    );
    let names: Vec<&str> = m.pods[0].spec.containers[0]
        .env
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(names, ["POD"]);
}

#[test]
fn rule8_env_from_has_exactly_one_source() {
    let text = pod_with("      envFrom:\n        - prefix: X_\n        - configMapRef: {name: app}\n          secretRef: {name: db}\n");
    assert_eq!(
        m_errors(&docs(&[CONFIG_MAP, SECRET, &text])),
        [
            "21:11: `spec.containers[0].envFrom[0]` in container `web` has no source: it needs one of `configMapRef` or `secretRef`",
            "22:11: `spec.containers[0].envFrom[1]` in container `web` has both `configMapRef` and `secretRef`: it needs exactly one",
        ]
    );
}

#[test]
fn rule8_resources() {
    let text = pod_with("      resources:\n        limits: {cpu: 500m, memory: 64MB, cpus: 2}\n        requests: {cpu: \"1\", memory: -1}\n");
    let err = load_manifest_str(FILE, &text).unwrap_err();
    let got: Vec<(String, Option<String>)> = err
        .errors
        .iter()
        .map(|d| (short(d), d.hint.clone()))
        .collect();
    let s = |a: &str, b: Option<&str>| (a.to_string(), b.map(str::to_string));
    assert_eq!(
        got,
        [
            s("10:37: `spec.containers[0].resources.limits.memory` `64MB` is not a Kubernetes quantity: unknown suffix `MB` (use m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent such as e3)", Some("e.g. `64Mi`, `1Gi` or `500M`")),
            s("10:43: `spec.containers[0].resources.limits.cpus`: `cpus` is not a Kubernetes resource name", Some("did you mean `cpu`?")),
            s("11:25: `spec.containers[0].resources.requests.cpu` 1 is more than its limit 500m", Some("lower the request or raise the limit: a request must fit in the limit")),
            s("11:38: `spec.containers[0].resources.requests.memory` -1 must not be negative", None),
        ]
    );
    let text = pod_with("      resources:\n        limits: {cpu: 5m, memory: 4Mi}\n        requests: {memory: 1Gi}\n");
    assert_eq!(
        m_errors(&text),
        [
            "10:23: `spec.containers[0].resources.limits.cpu` 5m is below 10m, the smallest cpu limit Docker accepts",
            "10:35: `spec.containers[0].resources.limits.memory` 4Mi is below 6Mi, the smallest memory limit Docker accepts",
            "11:28: `spec.containers[0].resources.requests.memory` 1Gi is more than its limit 4Mi",
        ]
    );
    let text = pod_with("      resources:\n        limits: {cpu: [1]}\n        requests: 1\n");
    assert_eq!(
        m_errors(&text),
        [
            "10:23: `spec.containers[0].resources.limits.cpu` must be a quantity such as `500m`, `1.5` or `64Mi`, found a list",
            "11:19: `spec.containers[0].resources.requests` must be a mapping of resource names to quantities, found integer `1`",
        ]
    );
    // Resources podc does not apply are warned about; numbers are quantities too.
    let text = pod_with(
        "      resources:\n        limits: {cpu: 1, nvidia.com/gpu: 1, hugepages-2Mi: 2Mi}\n",
    );
    assert_eq!(
        m_warnings(&text),
        [
            "10:26: `spec.containers[0].resources.limits[\"nvidia.com/gpu\"]` is not applied by podc: it applies only cpu and memory",
            "10:45: `spec.containers[0].resources.limits.hugepages-2Mi` is not applied by podc: it applies only cpu and memory",
        ]
    );
}

#[test]
fn rule8_security_contexts() {
    let text = pod_with("      stdinOnce: true\n      securityContext:\n        privileged: true\n        seccompProfile: {type: RuntimeDefault}\n");
    assert_eq!(
        m_warnings(&text),
        [
            "9:7: `spec.containers[0].stdinOnce` is not supported yet by podc and is ignored",
            "11:9: container `web` is privileged (`spec.containers[0].securityContext.privileged: true`): it gets every capability and every host device, so it can take over the host",
        ]
    );
    let text = pod_with("      securityContext:\n        privileged: true\n        allowPrivilegeEscalation: false\n");
    assert_eq!(
        m_errors(&text),
        ["11:9: `spec.containers[0].securityContext`: `allowPrivilegeEscalation: false` cannot go with `privileged: true`"]
    );
    let text = pod_with("      securityContext:\n        allowPrivilegeEscalation: false\n        capabilities: {add: [SYS_ADMIN]}\n        runAsUser: -1\n");
    assert_eq!(
        m_errors(&text),
        [
            "10:9: `spec.containers[0].securityContext`: `allowPrivilegeEscalation: false` cannot go with adding CAP_SYS_ADMIN",
            "12:20: `spec.containers[0].securityContext.runAsUser` must be 0 or more, found -1",
        ]
    );
    // runAsNonRoot with user 0 never starts, whichever level sets each.
    let text = spec_with("  securityContext: {runAsNonRoot: true, fsGroup: 2000}\n").replace(
        "      image: nginx\n",
        "      image: nginx\n      securityContext: {runAsUser: 0}\n",
    );
    assert_eq!(
        m_only_error(&text),
        (
            "10:36: container `web` runs as user 0 (root) but `runAsNonRoot` is true: Kubernetes refuses to start it".to_string(),
            Some("set `runAsUser` to a user other than 0, or remove `runAsNonRoot`".to_string())
        )
    );
    assert_eq!(
        m_errors(&spec_with("  securityContext: {runAsNonRoot: true, runAsUser: 0}\n")),
        ["6:52: the pod runs as user 0 (root) but `runAsNonRoot` is true: Kubernetes refuses to start its containers"]
    );
    let text = spec_with("  hostNetwork: true\n  securityContext:\n    sysctls:\n      - {name: vm.swappiness, value: \"10\"}\n      - {name: net.core.somaxconn, value: \"1024\"}\n      - {name: Net.Core, value: \"1\"}\n      - {name: kernel.shmmax, value: 1}\n");
    assert_eq!(
        m_errors(&text),
        [
            "9:16: `spec.securityContext.sysctls[0].name` `vm.swappiness` is not namespaced: it would change the whole host, and Docker refuses it",
            "10:16: `spec.securityContext.sysctls[1].name` `net.core.somaxconn` cannot be set with `spec.hostNetwork: true`: it would change the host's own setting",
            "11:16: `spec.securityContext.sysctls[2].name` `Net.Core` is not a sysctl name: it must be lowercase segments of letters, digits, '-' and '_', separated by '.' or '/'",
            "12:38: `spec.securityContext.sysctls[3].value` must be a string, found integer `1`",
        ]
    );
    let pod = load_manifest_str(FILE, &pod_with("      stdin: true\n      tty: true\n"))
        .unwrap()
        .pods
        .remove(0);
    assert!(pod.spec.containers[0].stdin && pod.spec.containers[0].tty);
}

#[test]
fn rule8_host_namespaces_aliases_dns_and_node_name() {
    let text =
        spec_with("  hostNetwork: true\n  hostPID: true\n  hostIPC: true\n  nodeName: node-1\n");
    assert_eq!(
        m_warnings(&text),
        [
            "6:3: `spec.hostNetwork: true` puts the pod on the host's network: its containers reach every service listening on the host and can bind any host port",
            "7:3: `spec.hostPID: true` shares the host's process namespace: the pod's containers see every process on the host and, as root, can signal or trace them",
            "8:3: `spec.hostIPC: true` shares the host's IPC namespace: the pod's containers can read and write the host's shared memory",
        ]
    );
    let spec = load_manifest_str(FILE, &text).unwrap().pods.remove(0).spec;
    assert_eq!(
        (
            spec.host_network,
            spec.host_pid,
            spec.host_ipc,
            spec.node_name.as_deref()
        ),
        (Some(true), Some(true), Some(true), Some("node-1"))
    );
    let text = spec_with("  hostNetwork: true\n  hostPID: true\n  shareProcessNamespace: true\n").replace(
        "      image: nginx\n",
        "      image: nginx\n      ports: [{containerPort: 80, hostPort: 8080}, {containerPort: 81, hostPort: 81}, {containerPort: 82}]\n",
    );
    let err = load_manifest_str(FILE, &text).unwrap_err();
    assert_eq!(
        err.errors.iter().map(short).collect::<Vec<_>>(),
        [
            "8:3: `spec.shareProcessNamespace` and `spec.hostPID` cannot both be true",
            "12:45: `spec.containers[0].ports[0].hostPort` 8080 must equal its containerPort 80 with `hostNetwork: true`: the container listens on the host's network directly",
        ]
    );
    assert_eq!(
        err.errors[1].hint.as_deref(),
        Some("remove `hostPort`, or set it to 80")
    );
    let text = spec_with("  hostAliases:\n    - ip: db\n      hostnames: [db.local]\n    - ip: 10.0.0.1\n    - ip: ::1\n      hostnames: [\"\", Upper]\n");
    assert_eq!(
        m_errors(&text),
        [
            "7:11: `spec.hostAliases[0].ip` `db` is not an IP address",
            "9:7: `spec.hostAliases[1]` has no hostnames: an alias names at least one host",
            "11:19: `spec.hostAliases[2].hostnames[0]` `` is not a valid host name: it is empty",
            "11:23: `spec.hostAliases[2].hostnames[1]` `Upper` is not a valid host name: it contains uppercase letters",
        ]
    );
    let text = spec_with("  dnsConfig:\n    nameservers: [1.1.1.1, 8.8.8.8, 9.9.9.9, 10.0.0.1, dns.local]\n    searches: [a.local, b_c.local, ok.local.]\n    options: [{name: ndots, value: \"2\"}, {value: x}]\n");
    assert_eq!(
        m_errors(&text),
        [
            "7:5: `spec.dnsConfig.nameservers` lists 5 servers: the limit is 3",
            "7:56: `spec.dnsConfig.nameservers[4]` `dns.local` is not an IP address",
            "8:25: `spec.dnsConfig.searches[1]` `b_c.local` is not a valid domain: it contains `_`",
            "9:42: missing required field `spec.dnsConfig.options[1].name`",
        ]
    );
    let searches: Vec<String> = (0..33).map(|i| format!("d{i}.local")).collect();
    let text = spec_with(&format!(
        "  dnsConfig:\n    searches: [{}]\n",
        searches.join(", ")
    ));
    assert_eq!(
        m_errors(&text),
        ["7:5: `spec.dnsConfig.searches` lists 33 domains: the limit is 32"]
    );
    assert_eq!(
        m_errors(&spec_with("  nodeName: Node_1\n")),
        ["6:13: `spec.nodeName` `Node_1` is not a valid DNS-1123 subdomain: it contains uppercase letters"]
    );
}

#[test]
fn rule8_seccomp_and_apparmor_profiles_and_supplemental_groups() {
    // The restricted Pod Security profile's settings run as written, without a warning.
    let text = spec_with("  securityContext:\n    runAsNonRoot: true\n    runAsUser: 1000\n    supplementalGroups: [2000, 3000]\n    seccompProfile: {type: RuntimeDefault}\n").replace(
        "      image: nginx\n",
        "      image: nginx\n      securityContext:\n        allowPrivilegeEscalation: false\n        capabilities: {drop: [ALL]}\n        seccompProfile: {type: Unconfined}\n        appArmorProfile: {type: Localhost, localhostProfile: podc-test}\n",
    );
    assert_eq!(m_warnings(&text), Vec::<String>::new());
    let spec = load_manifest_str(FILE, &text).unwrap().pods.remove(0).spec;
    let pod_sc = spec.security_context.unwrap();
    assert_eq!(pod_sc.supplemental_groups, [2000, 3000]);
    assert_eq!(
        pod_sc.seccomp_profile.map(|p| p.kind),
        Some(ProfileKind::RuntimeDefault)
    );
    let own = spec.containers[0].security_context.clone().unwrap();
    assert_eq!(
        own.seccomp_profile.map(|p| p.kind),
        Some(ProfileKind::Unconfined)
    );
    assert_eq!(
        own.app_armor_profile,
        Some(Profile {
            kind: ProfileKind::Localhost,
            localhost_profile: Some("podc-test".into())
        })
    );

    let text = spec_with("  securityContext:\n    supplementalGroups: [1, -2, x]\n    seccompProfile: {type: Localhost, localhostProfile: p.json}\n    appArmorProfile: {type: Localhost}\n").replace(
        "      image: nginx\n",
        "      image: nginx\n      securityContext:\n        seccompProfile: {type: RuntimeDefault, localhostProfile: p.json}\n        appArmorProfile: {localhostProfile: x}\n",
    );
    assert_eq!(
        m_errors(&text),
        [
            "7:29: `spec.securityContext.supplementalGroups[1]` must be 0 or more, found -2",
            "7:33: `spec.securityContext.supplementalGroups[2]` must be an integer, found string \"x\"",
            "8:28: `spec.securityContext.seccompProfile.type`: Localhost seccomp profiles are not supported by podc: the profile is a file on a cluster's nodes, and Docker needs its JSON",
            "9:5: `spec.securityContext.appArmorProfile` of type Localhost needs `localhostProfile`",
            "14:48: `spec.containers[0].securityContext.seccompProfile.localhostProfile` may only be set with `type: Localhost`, not RuntimeDefault",
            "15:26: missing required field `spec.containers[0].securityContext.appArmorProfile.type`",
        ]
    );
}
