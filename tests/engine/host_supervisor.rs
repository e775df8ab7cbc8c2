//! One supervisor for every pod (`podc-supervisor`): it survives its own crash, a pod can be
//! taken down while it is stopped, and racing `up`s replace another build's once. Each test runs
//! alone (`setup_alone`): it crashes and stops the supervisor that other tests' pods rely on.

use crate::support::*;
use std::time::Duration;

fn idle_pod(pod: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod}\nspec:\n  terminationGracePeriodSeconds: 2\n  containers:\n    - name: idle\n      image: podc/busybox:latest\n      command: [\"sleep\", \"3600\"]\n"
    )
}

fn supervisor_pid() -> Option<u32> {
    let pid = inspect("podc-supervisor", "{{.State.Pid}}");
    pid.trim().parse().ok().filter(|p| *p != 0)
}

/// Kills `pod`'s member and waits until the supervisor ran it again.
#[track_caller]
fn assert_restarts_its_member(pod: &str, context: &str) {
    let member = format!("{pod}_idle");
    let before = container_id(&member).expect("the member exists");
    docker_ok(&["kill", &member]);
    let (restarted, view) = wait_for_pod(pod, Duration::from_secs(15), |_| {
        container_id(&member).is_some_and(|id| id != before)
            && container_state(&member).as_deref() == Some("running")
    });
    assert!(restarted, "{context}: nobody restarted {member}: {view:#?}");
}

#[test]
fn one_supervisor_serves_every_pod_survives_its_crash_and_down_needs_it_not() {
    let _daemon = setup_alone();
    let (a, b) = ("it-host-a", "it-host-b");
    let dir = temp_dir();
    let _guards = (PodGuard::new(a), PodGuard::new(b));
    let file_a = write_manifest(dir.path(), "a.yaml", &idle_pod(a));
    let file_b = write_manifest(dir.path(), "b.yaml", &idle_pod(b));
    podc(&["up", "-d", arg(&file_a)]).expect_ok();
    podc(&["up", "-d", arg(&file_b)]).expect_ok();

    // One supervisor container for both pods, none of their own.
    let supervisors = docker_ok(&[
        "ps",
        "-a",
        "--filter",
        "label=io.podc.role=host-supervisor",
        "--format",
        "{{.Names}}",
    ]);
    assert_eq!(supervisors.trim(), "podc-supervisor");
    for pod in [a, b] {
        let view = ps_json(pod).expect("the pod is listed");
        assert_eq!(view["supervised"], true, "{view:#}");
        assert_eq!(
            containers_of(pod),
            [
                format!("{pod}_POD"),
                format!("{pod}_SPEC"),
                format!("{pod}_idle")
            ]
        );
    }

    // A crash (not a stop): Docker starts it again, and it takes every pod in hand again.
    let pid = supervisor_pid().expect("the supervisor runs");
    let killed = std::process::Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success(), "kill -9 {pid} failed");
    let back = wait_until(Duration::from_secs(15), || {
        supervisor_pid().is_some_and(|p| p != pid)
    });
    assert!(
        back,
        "Docker did not start podc-supervisor again after it crashed"
    );
    assert_restarts_its_member(a, "after the supervisor's crash");
    assert_restarts_its_member(b, "after the supervisor's crash");

    // Stopped: `ps` says nobody reports on the pods, and `down` does not wait for it.
    docker_ok(&["stop", "podc-supervisor"]);
    let listed = podc(&["ps", a]);
    listed.expect_ok().expect_stdout_contains("no report");
    let started = std::time::Instant::now();
    let down = podc(&["down", a]);
    let took = started.elapsed();
    down.expect_ok();
    assert!(
        took < Duration::from_secs(10),
        "down waited {took:?} for a supervisor that is not running\n{down}"
    );
    assert_nothing_left(a, &down);

    // Any `up` starts it again, and the pod left running is supervised again.
    podc(&["up", "-d", arg(&file_b)])
        .expect_ok()
        .expect_stdout_contains("already running and unchanged");
    assert_eq!(
        container_state("podc-supervisor").as_deref(),
        Some("running")
    );
    assert_restarts_its_member(b, "after `up` started the supervisor again");
    let down = podc(&["down", b]);
    down.expect_ok();
    assert_nothing_left(b, &down);
}

/// `up`s of one build started together, while the supervisor of another build runs (a podc
/// upgrade, or a CI checkout next to a developer's build): every one succeeds, and one
/// supervisor of this build is left.
#[test]
fn racing_ups_replace_another_builds_supervisor_once() {
    let _daemon = setup_alone();
    let pods: Vec<String> = (0..4).map(|i| format!("it-host-race{i}")).collect();
    let _guards: Vec<PodGuard> = pods.iter().map(|p| PodGuard::new(p)).collect();
    // "Another build": a container of that name and role running something else.
    docker(&["rm", "-f", "podc-supervisor"]);
    docker_ok(&[
        "run",
        "-d",
        "--name",
        "podc-supervisor",
        "--label",
        "io.podc.role=host-supervisor",
        "podc/busybox:latest",
        "sleep",
        "3600",
    ]);
    let dir = temp_dir();
    let children: Vec<std::process::Child> = pods
        .iter()
        .map(|pod| {
            let file = write_manifest(dir.path(), &format!("{pod}.yaml"), &idle_pod(pod));
            podc_command(&["up", "-d", arg(&file)])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("podc starts")
        })
        .collect();
    for (pod, child) in pods.iter().zip(children) {
        let out = child.wait_with_output().expect("podc runs");
        assert!(
            out.status.success(),
            "up of {pod} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let image = inspect("podc-supervisor", "{{.Config.Image}}");
    assert!(image.starts_with("podc/supervisor:"), "{image}");
    assert_eq!(
        container_state("podc-supervisor").as_deref(),
        Some("running")
    );
    for pod in &pods {
        assert_restarts_its_member(pod, "after the racing ups");
        let down = podc(&["down", pod]);
        down.expect_ok();
        assert_nothing_left(pod, &down);
    }
}
