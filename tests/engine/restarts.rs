//! Restarts by the pod's supervisor: a failing liveness probe recreates the member; a crash loop
//! under `Always` backs off the Kubernetes way; `OnFailure` and `Never` let members end and the
//! pod finish (Succeeded/Failed), which foreground `podc up` turns into its exit code.

use crate::support::*;
use std::time::{Duration, Instant};

/// A one-member busybox pod: `policy` (None: the default, Always), the member's `command`
/// (a YAML flow list) and extra YAML under the container (indented 6 spaces).
fn one_member(pod: &str, policy: Option<&str>, member: &str, command: &str, extra: &str) -> String {
    let policy = policy
        .map(|p| format!("  restartPolicy: {p}\n"))
        .unwrap_or_default();
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod}\nspec:\n{policy}  terminationGracePeriodSeconds: 1\n  containers:\n    - name: {member}\n      image: podc/busybox:latest\n      command: {command}\n{extra}"
    )
}

fn count(value: &serde_json::Value) -> u64 {
    value["restartCount"].as_u64().unwrap_or(0)
}

fn text(value: &serde_json::Value, key: &str) -> String {
    value[key].as_str().unwrap_or_default().to_string()
}

#[test]
fn failing_liveness_probe_recreates_the_member() {
    let _daemon = setup();
    let pod = "it-restart-liveness";
    let dir = temp_dir();
    let file = write_manifest(
        dir.path(),
        "liveness.yaml",
        &one_member(
            pod,
            None,
            "alive",
            r#"["sleep", "3600"]"#,
            // Nothing listens on 8091 in the pod.
            r#"      livenessProbe:
        tcpSocket:
          port: 8091
        periodSeconds: 1
        failureThreshold: 2
"#,
        ),
    );
    let _guard = PodGuard::new(pod);

    let up = podc(&["up", "-d", arg(&file)]);
    up.expect_ok();
    let docker_name = format!("{pod}_alive");
    let first_id = container_id(&docker_name)
        .unwrap_or_else(|| panic!("no container {docker_name} after up\n{up}"));

    let (restarted, view) = wait_for_pod(pod, Duration::from_secs(15), |p| {
        find_member(p, "alive").is_some_and(|m| {
            count(m) >= 1
                && text(m, "lastReason").contains("liveness probe failed")
                && text(m, "lastProbeFailure").contains("liveness probe failed")
        })
    });
    assert!(
        restarted,
        "within 15s podc ps shows no restart of `alive` for its failing liveness probe:\n{view:#?}"
    );
    let view = view.expect("listed");
    let reason = text(ps_member(&view, "alive"), "lastReason");
    assert!(
        reason.contains("connection refused"),
        "lastReason does not say why the probe failed: {reason:?}\n{view:#}"
    );
    let id_now = container_id(&docker_name);
    assert!(
        id_now.as_deref().is_some_and(|id| id != first_id),
        "{docker_name} was not recreated: ID {first_id} before, {id_now:?} now\n{view:#}"
    );
}

#[test]
fn crash_loop_under_always_backs_off_and_the_pod_stays_running() {
    let _daemon = setup();
    let pod = "it-restart-backoff";
    let dir = temp_dir();
    let file = write_manifest(
        dir.path(),
        "backoff.yaml",
        &one_member(pod, None, "crash", r#"["sh", "-c", "exit 1"]"#, ""),
    );
    let _guard = PodGuard::new(pod);
    let docker_name = format!("{pod}_crash");

    let events = EventRecorder::start(pod);
    let up = podc(&["up", "-d", arg(&file)]);
    up.expect_ok();
    let window_start = Instant::now();

    // The first restart comes at once.
    let (first, view) = wait_for_pod(pod, Duration::from_secs(10), |p| {
        find_member(p, "crash").is_some_and(|m| count(m) >= 1)
    });
    assert!(
        first,
        "a member that exits at once under Always was not restarted within 10s:\n{view:#?}"
    );

    // Observe the pod until 14 s after up: Kubernetes' backoff restarts at once, then after
    // 10 s, then 20 s (2 restarts by then); Docker's own loop (0.1 s doubling) would restart it
    // ~7 times, a plain loop hundreds of times. Meanwhile the pod is Running (CrashLoopBackOff).
    let window = Duration::from_secs(14);
    let mut most = 0;
    let mut phases = Vec::new();
    let mut last = None;
    while window_start.elapsed() < window {
        if let Some(view) = ps_json(pod) {
            most = most.max(find_member(&view, "crash").map(count).unwrap_or(0));
            phases.push(view["phase"].as_str().unwrap_or("?").to_string());
            last = Some(view);
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    let last = last.unwrap_or_else(|| panic!("podc ps never listed pod {pod}\n{up}"));
    let starts = events.starts(&docker_name);
    assert!(
        (1..=4).contains(&most),
        "after {window:?} of a crash loop podc ps shows restartCount {most}, not 1..=4 \
         (Docker started the member {starts} times)\n{last:#}"
    );
    assert!(
        (2..=5).contains(&starts),
        "Docker started {docker_name} {starts} times in {window:?}, not 2..=5 (one start plus \
         1..=4 backed-off restarts)\n{last:#}"
    );
    assert!(
        phases.iter().all(|p| p == "Running"),
        "a crash-looping pod under Always must stay Running; podc ps showed phases {phases:?}\n{last:#}"
    );
    assert_eq!(
        text(ps_member(&last, "crash"), "lastReason"),
        "Error (exit 1)",
        "{last:#}"
    );
    let plain = podc(&["ps", pod]);
    plain.expect_ok();
    let pod_line = plain
        .stdout
        .lines()
        .find(|l| l.starts_with(pod))
        .unwrap_or_else(|| panic!("podc ps prints no line for {pod}\n{plain}"));
    assert!(
        pod_line.split_whitespace().nth(1) == Some("Running"),
        "podc ps does not show {pod} Running\n{plain}"
    );
}

#[test]

fn ps_right_after_up_shows_a_crash_looping_always_pod_running() {
    let _daemon = setup();
    let pod = "it-restart-early-phase";
    let dir = temp_dir();
    let file = write_manifest(
        dir.path(),
        "early.yaml",
        &one_member(pod, None, "crash", r#"["sh", "-c", "exit 1"]"#, ""),
    );
    let _guard = PodGuard::new(pod);
    // The window is a few tens of milliseconds: look right after up returns, a few times.
    for round in 1..=3 {
        let up = podc(&["up", "-d", arg(&file)]);
        up.expect_ok();
        let view = ps_json(pod).unwrap_or_else(|| panic!("podc ps does not list pod {pod}\n{up}"));
        assert_eq!(
            view["phase"], "Running",
            "round {round}: under restartPolicy Always a member that exited will be restarted, \
             so the pod is Running, as soon as `podc up -d` returned\n{view:#}"
        );
        podc(&["down", pod]).expect_ok();
    }
}

/// A one-member pod under `policy` whose member `job` exits `exit_code` after a second and is
/// not restarted: the pod ends in `phase`, the member exited with that code, Docker started it
/// once.
fn job_ends_unrestarted(pod: &str, policy: &str, exit_code: i64, phase: &str) {
    let _daemon = setup();
    let dir = temp_dir();
    let command = format!(r#"["sh", "-c", "sleep 1; exit {exit_code}"]"#);
    let file = write_manifest(
        dir.path(),
        "job.yaml",
        &one_member(pod, Some(policy), "job", &command, ""),
    );
    let _guard = PodGuard::new(pod);
    let docker_name = format!("{pod}_job");

    let events = EventRecorder::start(pod);
    podc(&["up", "-d", arg(&file)]).expect_ok();
    // Docker's `die` event (which the supervisor acts on) can come a moment before its
    // container list says `exited`: wait for both.
    let (done, view) = wait_for_pod(pod, Duration::from_secs(20), |p| {
        p["phase"] == phase && find_member(p, "job").is_some_and(|j| j["state"] == "exited")
    });
    assert!(
        done,
        "pod {pod} ({policy}, its member exits {exit_code}) never became {phase}:\n{view:#?}"
    );
    let view = view.expect("listed");
    let job = ps_member(&view, "job");
    assert_eq!(count(job), 0, "{view:#}");
    assert_eq!(job["state"], "exited", "{view:#}");
    assert_eq!(job["exitCode"], exit_code, "{view:#}");
    let starts = events.starts(&docker_name);
    assert_eq!(
        starts, 1,
        "Docker started {docker_name} {starts} times: it was restarted under {policy}\n{view:#}"
    );
}

#[test]
fn on_failure_does_not_restart_a_member_that_exits_0_and_the_pod_succeeds() {
    job_ends_unrestarted("it-restart-onfailure-ok", "OnFailure", 0, "Succeeded");
}

#[test]
fn on_failure_restarts_a_member_that_exits_3() {
    let _daemon = setup();
    let pod = "it-restart-onfailure-bad";
    let dir = temp_dir();
    let file = write_manifest(
        dir.path(),
        "onfailure-bad.yaml",
        &one_member(
            pod,
            Some("OnFailure"),
            "job",
            r#"["sh", "-c", "sleep 1; exit 3"]"#,
            "",
        ),
    );
    let _guard = PodGuard::new(pod);
    let docker_name = format!("{pod}_job");

    let events = EventRecorder::start(pod);
    podc(&["up", "-d", arg(&file)]).expect_ok();
    let (restarted, view) = wait_for_pod(pod, Duration::from_secs(15), |p| {
        // Counted, and the new container started (not just created).
        find_member(p, "job").is_some_and(|m| count(m) >= 1 && m["state"] != "created")
    });
    assert!(
        restarted,
        "a member exiting 3 under OnFailure was not restarted within 15s:\n{view:#?}"
    );
    let view = view.expect("listed");
    assert_eq!(
        text(ps_member(&view, "job"), "lastReason"),
        "Error (exit 3)",
        "{view:#}"
    );
    assert_eq!(view["phase"], "Running", "{view:#}");
    let starts = events.starts(&docker_name);
    assert!(
        starts >= 2,
        "podc ps shows a restart but Docker started {docker_name} only {starts} time(s)\n{view:#}"
    );
}

#[test]
fn never_does_not_restart_a_member_that_exits_3_and_the_pod_fails() {
    job_ends_unrestarted("it-restart-never", "Never", 3, "Failed");
}

/// Foreground `podc up` of a Never pod whose only member prints `marker` and exits `code`:
/// podc must end by itself with the pod's outcome and remove the pod.
fn foreground_never_pod_ends_with(pod: &str, code: i32) {
    let _daemon = setup();
    let marker = format!("{pod}-marker-{}", std::process::id());
    let dir = temp_dir();
    let file = write_manifest(
        dir.path(),
        "fg-never.yaml",
        &one_member(
            pod,
            Some("Never"),
            "job",
            &format!(r#"["sh", "-c", "echo {marker}; sleep 1; exit {code}"]"#),
            "",
        ),
    );
    let _guard = PodGuard::new(pod);

    let run = run_command(podc_command(&["up", arg(&file)]), Duration::from_secs(60))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !run.timed_out,
        "foreground podc up did not end by itself after its only member exited {code}\n{run}"
    );
    assert_eq!(
        run.code,
        Some(code),
        "foreground podc up should exit {code} when its Never pod's only member exits {code}\n{run}"
    );
    assert!(
        run.stdout.contains(&format!("job | {marker}")),
        "foreground podc up did not stream the member's output, prefixed\n{run}"
    );
    assert_nothing_left(pod, &run);
}

#[test]
fn foreground_up_of_a_never_pod_exits_0_by_itself_when_its_member_succeeds() {
    foreground_never_pod_ends_with("it-restart-fg-ok", 0);
}

#[test]
fn foreground_up_of_a_never_pod_exits_1_when_its_member_fails() {
    foreground_never_pod_ends_with("it-restart-fg-bad", 1);
}

/// `up` writes the spec record as the members start, so the supervisor may see a member still
/// `created`: it waits for that member's start instead of restarting it, and starts it itself
/// only when nobody did for 30 s (an `up` killed between creating and starting it). The state is
/// made by hand: the record removed (the supervisor lets the pod go), the member replaced by the
/// same container never started, the record written again as `up` writes it.
#[test]
fn a_member_created_but_never_started_is_left_to_up_then_started_by_the_supervisor() {
    let _daemon = setup();
    let pod = "it-restart-unstarted";
    let dir = temp_dir();
    let file = write_manifest(
        dir.path(),
        "unstarted.yaml",
        &one_member(pod, None, "idle", r#"["sleep", "3600"]"#, ""),
    );
    let _guard = PodGuard::new(pod);
    podc(&["up", "-d", arg(&file)]).expect_ok();
    let member = format!("{pod}_idle");
    let record = format!("{pod}_SPEC");
    let pause = format!("{pod}_POD");
    let record_labels: std::collections::BTreeMap<String, String> =
        serde_json::from_str(&inspect(&record, "{{json .Config.Labels}}"))
            .expect("labels are a JSON object");
    let record_image = inspect(&record, "{{.Config.Image}}");
    // The stored plan travels in the record's environment.
    let record_env: Vec<String> = serde_json::from_str(&inspect(&record, "{{json .Config.Env}}"))
        .expect("env is a JSON list");

    docker_ok(&["rm", "-f", &record]);
    let labels: std::collections::BTreeMap<String, String> =
        serde_json::from_str(&inspect(&member, "{{json .Config.Labels}}"))
            .expect("labels are a JSON object");
    docker_ok(&["rm", "-f", &member]);
    let joined = format!("container:{pause}");
    let mut create = vec!["create", "--name", &member];
    let label_args: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    for label in &label_args {
        create.extend(["--label", label.as_str()]);
    }
    create.extend([
        "--network",
        &joined,
        "--ipc",
        &joined,
        "--pid",
        &joined,
        "podc/busybox:latest",
        "sleep",
        "3600",
    ]);
    let unstarted = docker_ok(&create).trim().to_string();
    let mut rewrite = vec!["create", "--name", &record, "--network", "none"];
    let record_label_args: Vec<String> = record_labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    for label in &record_label_args {
        rewrite.extend(["--label", label.as_str()]);
    }
    for entry in &record_env {
        rewrite.extend(["--env", entry.as_str()]);
    }
    rewrite.extend(["--entrypoint", "/podc", &record_image, "--version"]);
    docker_ok(&rewrite);

    // Well inside the grace: left alone, as it would be for the `up` starting it.
    std::thread::sleep(Duration::from_secs(5));
    assert_eq!(
        container_id(&member).as_deref(),
        Some(unstarted.as_str()),
        "the supervisor replaced a member that `up` might still be starting"
    );
    assert_eq!(container_state(&member).as_deref(), Some("created"));

    let (started, view) = wait_for_pod(pod, Duration::from_secs(45), |p| {
        find_member(p, "idle").is_some_and(|m| m["state"] == "running")
    });
    assert!(
        started,
        "the never-started member was not started within 45 s:\n{view:#?}"
    );
    let view = view.expect("listed");
    assert!(
        text(ps_member(&view, "idle"), "lastReason").contains("never started"),
        "ps does not say why the member was started:\n{view:#}"
    );
    assert_ne!(container_id(&member).as_deref(), Some(unstarted.as_str()));
}
