//! The namespaces a pod's members share through the pause: PID (the pause is PID 1 and reaps
//! orphans), network (members reach each other on 127.0.0.1) and UTS (the pod's hostname).

use crate::support::*;
use std::time::Duration;

/// A pod of the given members (YAML list items, indented for `containers:`) and spec lines.
fn pod_yaml(pod: &str, spec_lines: &str, members: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod}\nspec:\n  terminationGracePeriodSeconds: 2\n{spec_lines}  containers:\n{members}"
    )
}

const IDLE: &str = r#"    - name: idle
      image: podc/busybox:latest
      command: ["sleep", "3600"]
"#;

/// Brings the pod up (the guard is already held by the caller).
#[track_caller]
fn up(dir: &tempfile::TempDir, pod: &str, yaml: &str) {
    let file = write_manifest(dir.path(), &format!("{pod}.yaml"), yaml);
    podc(&["up", "-d", arg(&file)]).expect_ok();
}

/// /proc/1/cmdline of a member, NULs as spaces, trimmed.
#[track_caller]
fn pid1_cmdline(pod: &str, container: &str) -> String {
    exec_ok(pod, container, &["cat", "/proc/1/cmdline"])
        .replace('\0', " ")
        .trim()
        .to_string()
}

#[test]
fn members_see_the_pause_as_pid_1() {
    let _daemon = setup();
    let pod = "it-pid-shared";
    let dir = temp_dir();
    let _guard = PodGuard::new(pod);
    let blog = "    - name: blog\n      image: podc/blog:latest\n";
    up(&dir, pod, &pod_yaml(pod, "", &format!("{IDLE}{blog}")));

    assert_eq!(pid1_cmdline(pod, "blog"), "/pause");
    assert_eq!(pid1_cmdline(pod, "idle"), "/pause");
    // And the members see each other's processes.
    let ps = exec_ok(pod, "blog", &["ps", "-o", "pid,args"]);
    assert!(
        ps.contains("sleep 3600") && ps.contains("httpd"),
        "blog does not see idle's sleep and its own httpd:\n{ps}"
    );
}

#[test]
fn without_shared_process_namespace_pid_1_is_the_member_itself() {
    let _daemon = setup();
    let pod = "it-pid-own";
    let dir = temp_dir();
    let _guard = PodGuard::new(pod);
    up(
        &dir,
        pod,
        &pod_yaml(pod, "  shareProcessNamespace: false\n", IDLE),
    );

    assert_eq!(pid1_cmdline(pod, "idle"), "sleep 3600");
}

#[test]
fn members_share_the_network_namespace() {
    let _daemon = setup();
    let pod = "it-net";
    let dir = temp_dir();
    let _guard = PodGuard::new(pod);
    // podc/blog's httpd listens on 127.0.0.1:2368 only: reachable from the pod's namespace alone.
    let members = "    - name: web\n      image: podc/busybox:latest\n      command: [\"sleep\", \"3600\"]\n    - name: blog\n      image: podc/blog:latest\n";
    up(&dir, pod, &pod_yaml(pod, "", members));

    let mut last = String::new();
    let reached = wait_until(Duration::from_secs(10), || {
        let run = podc(&[
            "exec",
            pod,
            "-c",
            "web",
            "--",
            "wget",
            "-qO-",
            "http://127.0.0.1:2368/",
        ]);
        last = run.to_string();
        run.code == Some(0) && run.stdout.contains("Hello from the podc blog")
    });
    assert!(
        reached,
        "web never reached blog on 127.0.0.1:2368; last try:\n{last}"
    );
}

#[test]
fn hostname_is_the_pod_name() {
    let _daemon = setup();
    let pod = "it-hostname";
    let dir = temp_dir();
    let _guard = PodGuard::new(pod);
    up(&dir, pod, &pod_yaml(pod, "", IDLE));

    assert_eq!(exec_ok(pod, "idle", &["hostname"]).trim(), pod);
}

#[test]
fn hostname_is_spec_hostname_when_set() {
    let _daemon = setup();
    let pod = "it-hostname-set";
    let dir = temp_dir();
    let _guard = PodGuard::new(pod);
    up(
        &dir,
        pod,
        &pod_yaml(pod, "  hostname: it-chosen-host\n", IDLE),
    );

    assert_eq!(exec_ok(pod, "idle", &["hostname"]).trim(), "it-chosen-host");
}

/// Counts, from inside the pod: lines in /tmp/orphans, live `sleep 0.1` processes, zombies.
const PROBE: &str = r#"
lines=$(wc -l < /tmp/orphans 2>/dev/null || echo 0)
sleeping=0
zombies=0
for d in /proc/[0-9]*; do
  args=$(tr '\0' ' ' < "$d/cmdline" 2>/dev/null)
  [ "$args" = "sleep 0.1 " ] && sleeping=$((sleeping + 1))
  state=$(sed 's/.*) //' "$d/stat" 2>/dev/null | cut -d' ' -f1)
  [ "$state" = Z ] && zombies=$((zombies + 1))
done
echo "$lines $sleeping $zombies"
"#;

#[test]
fn three_hundred_orphans_leave_no_zombie() {
    let _daemon = setup();
    let pod = "it-orphans";
    let dir = temp_dir();
    let _guard = PodGuard::new(pod);
    // Each inner sh logs a line, backgrounds a sleep and exits at once: the sleep is orphaned,
    // reparented to PID 1 (the pause), which must reap it when it ends.
    let members = r#"    - name: spawner
      image: podc/busybox:latest
      command:
        - sh
        - -c
        - 'i=0; while [ $i -lt 300 ]; do sh -c "echo orphan >> /tmp/orphans; sleep 0.1 &"; i=$((i+1)); done; sleep 3600'
"#;
    up(&dir, pod, &pod_yaml(pod, "", members));

    let mut last = (0, 0, 0);
    let mut output = String::new();
    let settled = wait_until(Duration::from_secs(20), || {
        output = exec_ok(pod, "spawner", &["sh", "-c", PROBE]);
        let n: Vec<u32> = output
            .split_whitespace()
            .filter_map(|w| w.parse().ok())
            .collect();
        if let [lines, sleeping, zombies] = n[..] {
            last = (lines, sleeping, zombies);
        }
        last == (300, 0, 0)
    });
    let (lines, sleeping, zombies) = last;
    assert_eq!(
        lines, 300,
        "300 orphans should have run; probe said: {output}"
    );
    assert!(
        settled,
        "after 300 orphans ended: {sleeping} still sleeping, {zombies} zombies (want 0 and 0); probe said: {output}"
    );
}
