//! Container and pod settings through the real binary against the real daemon: env (values,
//! fieldRef, ConfigMap and Secret keys, envFrom), what the pause owns (hostname, hostAliases,
//! dnsConfig, sysctls, host namespaces), resources (a memory limit that kills), and the
//! security context (read-only root, runAsUser, seccomp profiles, supplemental groups,
//! runAsNonRoot refused before anything exists).

use crate::support::*;
use std::time::Duration;

/// A one-member pod: `spec` lines (indented under `spec:`) and `member` lines (indented under
/// the container, after its image).
fn one_member(pod: &str, spec: &str, member: &str) -> String {
    format!(
        "apiVersion: v1
kind: Pod
metadata:
  name: {pod}
  labels: {{app: settings-test}}
spec:
  terminationGracePeriodSeconds: 1
{spec}  containers:
    - name: app
      image: podc/busybox:latest
{member}"
    )
}

const SLEEP: &str = "      command: [\"sleep\", \"3600\"]\n";

#[track_caller]
fn up_ok(dir: &tempfile::TempDir, pod: &str, yaml: &str) -> PodcRun {
    let file = write_manifest(dir.path(), &format!("{pod}.yaml"), yaml);
    let run = podc(&["up", "-d", arg(&file)]);
    run.expect_ok();
    run
}

/// `env` inside the member, as a sorted list of lines.
#[track_caller]
fn env_inside(pod: &str) -> Vec<String> {
    let mut lines: Vec<String> = exec_ok(pod, "app", &["env"])
        .lines()
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

/// The documents before a pod: ConfigMap `<pod>-conf` (MODE=fast, LEVEL=3) and Secret
/// `<pod>-creds` (password=hunter2, in base64).
fn conf_and_creds(pod: &str) -> String {
    format!(
        "apiVersion: v1
kind: ConfigMap
metadata:
  name: {pod}-conf
data:
  MODE: fast
  LEVEL: \"3\"
---
apiVersion: v1
kind: Secret
metadata:
  name: {pod}-creds
data:
  password: aHVudGVyMg==
---
"
    )
}

#[test]
fn env_values_references_and_env_from_are_visible_inside() {
    let _daemon = setup();
    let pod = "it-set-env";
    let dir = temp_dir();
    let _guard = PodGuard::new(pod);
    let objects = conf_and_creds(pod);
    let member = format!(
        "{SLEEP}      env:
        - {{name: PLAIN, value: literal}}
        - name: POD_NAME
          valueFrom: {{fieldRef: {{fieldPath: metadata.name}}}}
        - name: APP_LABEL
          valueFrom: {{fieldRef: {{fieldPath: \"metadata.labels['app']\"}}}}
        - name: POD_IP
          valueFrom: {{fieldRef: {{fieldPath: status.podIP}}}}
        - name: FROM_CM
          valueFrom: {{configMapKeyRef: {{name: {pod}-conf, key: MODE}}}}
        - name: FROM_SECRET
          valueFrom: {{secretKeyRef: {{name: {pod}-creds, key: password}}}}
        - {{name: CFG_LEVEL, value: overridden}}
      envFrom:
        - prefix: CFG_
          configMapRef: {{name: {pod}-conf}}
"
    );
    let yaml = format!("{objects}{}", one_member(pod, "", &member));
    let run = up_ok(&dir, pod, &yaml);
    assert!(!run.stdout.contains("hunter2") && !run.stderr.contains("hunter2"));

    let env = env_inside(pod);
    let pod_ip = inspect(
        &format!("{pod}_POD"),
        "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
    );
    assert!(!pod_ip.is_empty());
    for wanted in [
        "PLAIN=literal".to_string(),
        format!("POD_NAME={pod}"),
        "APP_LABEL=settings-test".to_string(),
        format!("POD_IP={pod_ip}"),
        "FROM_CM=fast".to_string(),
        "FROM_SECRET=hunter2".to_string(),
        "CFG_MODE=fast".to_string(),
        "CFG_LEVEL=overridden".to_string(),
    ] {
        assert!(env.contains(&wanted), "{wanted} not in the env:\n{env:#?}");
    }
    // Not in any label either.
    let labels = inspect(&format!("{pod}_app"), "{{json .Config.Labels}}");
    assert!(!labels.contains("hunter2"), "{labels}");
}

#[test]
fn dollar_references_expand_in_env_command_and_args_also_after_a_restart() {
    let _daemon = setup();
    let pod = "it-set-expand";
    let dir = temp_dir();
    let _guard = PodGuard::new(pod);
    let objects = conf_and_creds(pod);
    // The member writes its arguments to a file, then sleeps (exec: SIGTERM ends it).
    let member = format!(
        "      command: [\"sh\", \"-c\", \"echo \\\"$*\\\" > /tmp/args; exec sleep 3600\", \"sh\"]
      args: [\"--mode=$(MODE)\", \"--dsn=$(DSN)\", \"--listen=$(POD_IP):$(PORT)\", \"--keep=$$(PORT)\", \"--unknown=$(NOPE)\"]
      env:
        - {{name: PORT, value: \"8080\"}}
        - name: PASSWORD
          valueFrom: {{secretKeyRef: {{name: {pod}-creds, key: password}}}}
        - name: POD_IP
          valueFrom: {{fieldRef: {{fieldPath: status.podIP}}}}
        - {{name: DSN, value: \"user:$(PASSWORD)@db:$(PORT)\"}}
        - {{name: URL, value: \"http://$(POD_IP):$(PORT)/\"}}
      envFrom:
        - configMapRef: {{name: {pod}-conf}}
"
    );
    let yaml = format!("{objects}{}", one_member(pod, "", &member));
    let run = up_ok(&dir, pod, &yaml);
    assert!(!run.stdout.contains("hunter2") && !run.stderr.contains("hunter2"));
    let pod_ip = inspect(
        &format!("{pod}_POD"),
        "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
    );
    assert!(!pod_ip.is_empty());
    let wanted_args = format!(
        "--mode=fast --dsn=user:hunter2@db:8080 --listen={pod_ip}:8080 --keep=$(PORT) --unknown=$(NOPE)"
    );
    let args_inside = || {
        let cat = "cat /tmp/args 2>/dev/null || true";
        exec_ok(pod, "app", &["sh", "-c", cat]).trim().to_string()
    };
    let mut seen = String::new();
    let written = wait_until(Duration::from_secs(10), || {
        seen = args_inside();
        !seen.is_empty()
    });
    assert!(written, "the member never wrote its arguments");
    assert_eq!(seen, wanted_args);
    let env = env_inside(pod);
    for wanted in [
        "DSN=user:hunter2@db:8080".to_string(),
        format!("URL=http://{pod_ip}:8080/"),
    ] {
        assert!(env.contains(&wanted), "{wanted} not in the env:\n{env:#?}");
    }

    // The supervisor knows no Secret values: the restarted member's args must still have it.
    let before = container_id(&format!("{pod}_app")).expect("the member exists");
    docker_ok(&["kill", &format!("{pod}_app")]);
    let restarted = wait_until(Duration::from_secs(30), || {
        container_id(&format!("{pod}_app")).is_some_and(|id| id != before)
            && container_state(&format!("{pod}_app")).as_deref() == Some("running")
    });
    assert!(
        restarted,
        "the supervisor did not restart the killed member"
    );
    let written = wait_until(Duration::from_secs(10), || {
        seen = args_inside();
        !seen.is_empty()
    });
    assert!(written, "the restarted member never wrote its arguments");
    assert_eq!(seen, wanted_args, "after the restart");
}

#[test]
fn hostname_host_aliases_and_dns_config_are_visible_inside() {
    let _daemon = setup();
    let pod = "it-set-dns";
    let dir = temp_dir();
    let _guard = PodGuard::new(pod);
    let spec = "  hostname: custom-host
  hostAliases:
    - ip: 10.1.2.3
      hostnames: [db.internal, cache.internal]
  dnsConfig:
    nameservers: [192.0.2.53]
    searches: [example.test]
    options:
      - {name: ndots, value: \"2\"}
      - {name: edns0}
";
    up_ok(&dir, pod, &one_member(pod, spec, SLEEP));

    assert_eq!(exec_ok(pod, "app", &["hostname"]).trim(), "custom-host");
    let hosts = exec_ok(pod, "app", &["cat", "/etc/hosts"]);
    assert!(
        hosts
            .lines()
            .any(|l| l.starts_with("10.1.2.3") && l.contains("db.internal")),
        "{hosts}"
    );
    assert!(hosts.contains("cache.internal"), "{hosts}");
    let resolv = exec_ok(pod, "app", &["cat", "/etc/resolv.conf"]);
    assert!(resolv.contains("nameserver 192.0.2.53"), "{resolv}");
    assert!(resolv.contains("search example.test"), "{resolv}");
    assert!(
        resolv.contains("ndots:2") && resolv.contains("edns0"),
        "{resolv}"
    );
}

#[test]
fn pod_sysctls_are_set_in_the_pods_namespaces() {
    let _daemon = setup();
    let pod = "it-set-sysctl";
    let dir = temp_dir();
    let _guard = PodGuard::new(pod);
    let spec = "  securityContext:
    sysctls:
      - {name: net.ipv4.ip_unprivileged_port_start, value: \"80\"}
";
    up_ok(&dir, pod, &one_member(pod, spec, SLEEP));
    assert_eq!(
        exec_ok(
            pod,
            "app",
            &["cat", "/proc/sys/net/ipv4/ip_unprivileged_port_start"]
        )
        .trim(),
        "80"
    );
}

#[test]
fn resources_become_cgroup_limits_and_a_memory_limit_kills() {
    let _daemon = setup();
    let pod = "it-set-oom";
    let dir = temp_dir();
    let _guard = PodGuard::new(pod);
    let member = "      command: [\"sh\", \"-c\", \"sleep 5; head -c 200m /dev/zero | tail\"]
      resources:
        limits: {memory: 32Mi, cpu: 500m}
        requests: {cpu: 250m, memory: 16Mi}
";
    up_ok(
        &dir,
        pod,
        &one_member(pod, "  restartPolicy: Never\n", member),
    );
    let name = format!("{pod}_app");
    assert_eq!(
        inspect(
            &name,
            "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.MemoryReservation}} {{.HostConfig.NanoCpus}} {{.HostConfig.CpuShares}}"
        ),
        format!(
            "{} {} {} 500000000 256",
            32 << 20,
            32 << 20,
            16 << 20
        )
    );
    let ended = wait_until(Duration::from_secs(60), || {
        container_state(&name).as_deref() == Some("exited")
    });
    assert!(ended, "{name} was not killed: {:?}", container_state(&name));
    assert_eq!(
        inspect(&name, "{{.State.OOMKilled}} {{.State.ExitCode}}"),
        "true 137"
    );
}

#[test]
fn read_only_root_and_run_as_user_are_applied() {
    let _daemon = setup();
    let pod = "it-set-security";
    let dir = temp_dir();
    let _guard = PodGuard::new(pod);
    let spec = "  securityContext: {runAsUser: 1000, runAsGroup: 3000, runAsNonRoot: true}\n";
    let member = format!(
        "{SLEEP}      stdin: true
      tty: true
      securityContext:
        readOnlyRootFilesystem: true
        allowPrivilegeEscalation: false
        capabilities: {{add: [NET_ADMIN], drop: [MKNOD]}}
"
    );
    up_ok(&dir, pod, &one_member(pod, spec, &member));

    assert_eq!(exec_ok(pod, "app", &["id", "-u"]).trim(), "1000");
    assert_eq!(exec_ok(pod, "app", &["id", "-g"]).trim(), "3000");
    let touch = podc(&["exec", pod, "-c", "app", "--", "touch", "/x"]);
    assert_ne!(
        touch.code,
        Some(0),
        "the root filesystem is writable\n{touch}"
    );
    let status = exec_ok(pod, "app", &["cat", "/proc/self/status"]);
    assert!(
        status
            .lines()
            .any(|l| l.starts_with("NoNewPrivs:") && l.ends_with('1')),
        "{status}"
    );
    assert_eq!(
        inspect(
            &format!("{pod}_app"),
            "{{.Config.User}} {{.Config.OpenStdin}} {{.Config.Tty}} {{.HostConfig.CapAdd}} {{.HostConfig.CapDrop}}"
        ),
        "1000:3000 true true [NET_ADMIN] [MKNOD]"
    );
}

#[test]
fn seccomp_profiles_and_supplemental_groups_are_applied() {
    let _daemon = setup();
    let pod = "it-set-profiles";
    let dir = temp_dir();
    let _guard = PodGuard::new(pod);
    // The pod's RuntimeDefault is Docker's default filter; `loose` opts out of it (and of
    // AppArmor, which Docker ignores on a host without it).
    let yaml = format!(
        r#"apiVersion: v1
kind: Pod
metadata:
  name: {pod}
spec:
  terminationGracePeriodSeconds: 1
  securityContext:
    supplementalGroups: [4000, 5000]
    seccompProfile: {{type: RuntimeDefault}}
  containers:
    - name: app
      image: podc/busybox:latest
{SLEEP}    - name: loose
      image: podc/busybox:latest
{SLEEP}      securityContext:
        seccompProfile: {{type: Unconfined}}
        appArmorProfile: {{type: Unconfined}}
"#
    );
    up_ok(&dir, pod, &yaml);

    let seccomp = |member: &str| {
        let status = exec_ok(pod, member, &["cat", "/proc/self/status"]);
        status
            .lines()
            .find_map(|l| l.strip_prefix("Seccomp:"))
            .map(|v| v.trim().to_string())
            .unwrap_or_else(|| panic!("no Seccomp line in {member}'s status:\n{status}"))
    };
    // 2: a seccomp filter is in force; 0: none.
    assert_eq!(seccomp("app"), "2", "the pod's RuntimeDefault profile");
    assert_eq!(seccomp("loose"), "0", "the container's Unconfined profile");
    for member in ["app", "loose"] {
        let groups = exec_ok(pod, member, &["id", "-G"]);
        let groups: Vec<&str> = groups.split_whitespace().collect();
        assert!(
            groups.contains(&"4000") && groups.contains(&"5000"),
            "{member} is not in the supplemental groups 4000 and 5000: {groups:?}"
        );
    }
    assert_eq!(
        inspect(&format!("{pod}_loose"), "{{.HostConfig.SecurityOpt}}"),
        "[seccomp=unconfined apparmor=unconfined]"
    );
}

#[test]
fn run_as_non_root_with_a_root_image_is_refused_before_anything_exists() {
    let _daemon = setup();
    let pod = "it-set-nonroot";
    let dir = temp_dir();
    let _guard = PodGuard::new(pod);
    let spec = "  volumes:\n    - {name: cache, emptyDir: {}}\n";
    let member = format!(
        "{SLEEP}      volumeMounts: [{{name: cache, mountPath: /cache}}]
      securityContext: {{runAsNonRoot: true}}
"
    );
    let file = write_manifest(dir.path(), "nonroot.yaml", &one_member(pod, spec, &member));
    let run = podc(&["up", "-d", arg(&file)]);
    run.expect_code(1)
        .expect_stderr_contains("container app")
        .expect_stderr_contains("runAsNonRoot and image will run as root");
    assert_nothing_left(pod, &run);
    assert!(volumes_of(pod).is_empty(), "{:?}", volumes_of(pod));
}

#[test]
fn host_namespaces_are_the_hosts() {
    let _daemon = setup();
    let pod = "it-set-host";
    let dir = temp_dir();
    let _guard = PodGuard::new(pod);
    let spec = "  hostNetwork: true\n  hostPID: true\n  hostIPC: true\n";
    up_ok(&dir, pod, &one_member(pod, spec, SLEEP));

    let host_ns = |ns: &str| {
        std::fs::read_link(format!("/proc/self/ns/{ns}"))
            .map(|p| p.display().to_string())
            .unwrap_or_default()
    };
    for ns in ["net", "pid", "ipc"] {
        let inside = exec_ok(pod, "app", &["readlink", &format!("/proc/self/ns/{ns}")]);
        assert_eq!(inside.trim(), host_ns(ns), "{ns} namespace");
    }
    let pause = format!("{pod}_POD");
    assert_eq!(
        inspect(
            &pause,
            "{{.HostConfig.NetworkMode}} {{.HostConfig.PidMode}} {{.HostConfig.IpcMode}}"
        ),
        "host host host"
    );
}

#[test]
fn env_from_keys_that_are_no_variable_names_are_skipped_with_a_warning() {
    let _daemon = setup();
    let pod = "it-settings-skipped";
    let _guard = PodGuard::new(pod);
    let dir = temp_dir();
    let yaml = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {pod}-conf\ndata:\n  GOOD: yes-please\n  1BAD: never\n---\n{}",
        one_member(
            pod,
            "",
            &format!("{SLEEP}      envFrom:\n        - configMapRef: {{name: {pod}-conf}}\n")
        )
    );
    let run = up_ok(&dir, pod, &yaml);
    assert!(
        run.stderr
            .contains("skipped keys that are not valid environment variable names: 1BAD"),
        "the skipped key is not named\n{run}"
    );
    let env = env_inside(pod);
    assert!(env.contains(&"GOOD=yes-please".to_string()), "{env:?}");
    assert!(!env.iter().any(|l| l.starts_with("1BAD=")), "{env:?}");
}
