//! The order of `up` and `down`, proven by the daemon's own event log: the pause starts before
//! any member and dies after every member; members get SIGTERM and, past the grace, SIGKILL.

use crate::support::*;
use std::time::{Duration, Instant};

/// A member that exits 0 on SIGTERM (within a 0.2 s sleep).
const POLITE: &str = r#"'trap "exit 0" TERM; touch /tmp/trapped; while true; do sleep 0.2; done'"#;
/// A member that ignores SIGTERM and only dies to SIGKILL.
const STUBBORN: &str = r#"'trap "" TERM; touch /tmp/trapped; while true; do sleep 0.2; done'"#;

/// Waits until each member has set its SIGTERM trap (a signal before that would kill its shell
/// with 143 whatever the script says).
#[track_caller]
fn wait_for_traps(pod: &str, members: &[&str]) {
    for m in members {
        let trapped = wait_until(Duration::from_secs(10), || {
            podc(&["exec", pod, "-c", m, "--", "test", "-f", "/tmp/trapped"]).code == Some(0)
        });
        assert!(trapped, "member {m} of pod {pod} never set its trap");
    }
}

fn pod_yaml(pod: &str, grace: u32, members: &[(&str, &str)]) -> String {
    let mut yaml = format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod}\nspec:\n  terminationGracePeriodSeconds: {grace}\n  containers:\n"
    );
    for (name, script) in members {
        yaml.push_str(&format!(
            "    - name: {name}\n      image: podc/busybox:latest\n      command: [\"sh\", \"-c\", {script}]\n"
        ));
    }
    yaml
}

/// One container event of the pod.
#[derive(Debug)]
struct DockerEvent {
    action: String,
    /// The container's Docker name.
    name: String,
    role: String,
    exit_code: Option<i64>,
    signal: Option<String>,
    time_nano: i128,
}

/// The pod's container events between `since` and `until`, in the daemon's order.
#[track_caller]
fn events(pod: &str, since: &str, until: &str) -> Vec<DockerEvent> {
    let filter = format!("label=io.podc.pod={pod}");
    let out = docker_ok(&[
        "events",
        "--since",
        since,
        "--until",
        until,
        "--filter",
        &filter,
        "--filter",
        "type=container",
        "--format",
        "{{json .}}",
    ]);
    out.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("docker events printed a non-JSON line ({e}): {line}"));
            let attr = |k: &str| v["Actor"]["Attributes"][k].as_str().map(str::to_string);
            DockerEvent {
                action: v["Action"].as_str().unwrap_or_default().to_string(),
                name: attr("name").unwrap_or_default(),
                role: attr("io.podc.role").unwrap_or_default(),
                exit_code: attr("exitCode").and_then(|c| c.parse().ok()),
                signal: attr("signal"),
                time_nano: v["timeNano"].as_i64().unwrap_or_default() as i128,
            }
        })
        .collect()
}

fn show(events: &[DockerEvent]) -> String {
    events
        .iter()
        .map(|e| {
            format!(
                "{} {:<8} {} exit={:?} signal={:?}",
                e.time_nano, e.action, e.name, e.exit_code, e.signal
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The one `action` event of container `name`.
#[track_caller]
fn one<'a>(events: &'a [DockerEvent], action: &str, name: &str) -> &'a DockerEvent {
    let found: Vec<_> = events
        .iter()
        .filter(|e| e.action == action && e.name == name)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected exactly one {action} of {name}; events:\n{}",
        show(events)
    );
    found[0]
}

/// The pause's start precedes every member's start; its die follows every member's die.
#[track_caller]
fn assert_pause_first_and_last(pod: &str, members: &[&str], events: &[DockerEvent]) {
    let pause = format!("{pod}_POD");
    let pause_start = one(events, "start", &pause);
    let pause_die = one(events, "die", &pause);
    assert_eq!(pause_start.role, "pause", "{}", show(events));
    for m in members {
        let name = format!("{pod}_{m}");
        let start = one(events, "start", &name);
        assert_eq!(start.role, "container", "{}", show(events));
        assert!(
            pause_start.time_nano < start.time_nano,
            "{name} started before the pause; events:\n{}",
            show(events)
        );
        let die = one(events, "die", &name);
        assert!(
            die.time_nano < pause_die.time_nano,
            "the pause died before {name}; events:\n{}",
            show(events)
        );
    }
}

/// `up` writes the spec record only once every member exists (the supervisor would otherwise
/// restart a member it cannot find); `down` releases it, and the supervisor acknowledges by
/// removing it, before any member is signalled; nothing is created again while the pod goes
/// (a supervisor still acting would recreate the members it sees die).
#[track_caller]
fn assert_record_brackets_the_members(
    pod: &str,
    members: &[&str],
    events: &[DockerEvent],
    down_since_nano: i128,
) {
    let record = format!("{pod}_SPEC");
    let create = one(events, "create", &record);
    assert_eq!(create.role, "spec", "{}", show(events));
    for m in members {
        let name = format!("{pod}_{m}");
        let member_create = one(events, "create", &name);
        assert!(
            member_create.time_nano < create.time_nano,
            "the spec record was written before {name} existed; events:\n{}",
            show(events)
        );
    }
    let during_down: Vec<&DockerEvent> = events
        .iter()
        .filter(|e| e.time_nano >= down_since_nano)
        .collect();
    let first = during_down
        .first()
        .unwrap_or_else(|| panic!("down did nothing; events:\n{}", show(events)));
    assert!(
        first.action == "rename" && first.name.starts_with(&format!("{pod}_SPEC_RELEASED_")),
        "down must release the spec record first; events:\n{}",
        show(events)
    );
    let acknowledged = during_down
        .iter()
        .find(|e| e.action == "destroy" && e.role == "spec")
        .unwrap_or_else(|| {
            panic!(
                "the released record was never removed; events:\n{}",
                show(events)
            )
        });
    let first_kill = during_down
        .iter()
        .find(|e| e.action == "kill")
        .unwrap_or_else(|| panic!("down sent no signal; events:\n{}", show(events)));
    assert!(
        acknowledged.time_nano < first_kill.time_nano,
        "a member was signalled before the supervisor let the pod go; events:\n{}",
        show(events)
    );
    let recreated: Vec<_> = during_down
        .iter()
        .filter(|e| e.action == "create")
        .collect();
    assert!(
        recreated.is_empty(),
        "containers were created while the pod went down; events:\n{}",
        show(events)
    );
}

/// One `up -d` then `down` of `pod` (members `(name, script)`, grace `grace`), once every
/// member's trap is set; `down` must succeed and leave nothing. Returns what `down` printed, how
/// long it took, when it began and the pod's events over both commands.
struct Cycle {
    down: PodcRun,
    took: Duration,
    down_since_nano: i128,
    events: Vec<DockerEvent>,
}

fn up_then_down(pod: &str, file_name: &str, grace: u32, members: &[(&str, &str)]) -> Cycle {
    let _daemon = setup();
    let dir = temp_dir();
    let file = write_manifest(dir.path(), file_name, &pod_yaml(pod, grace, members));
    let _guard = PodGuard::new(pod);
    let names: Vec<&str> = members.iter().map(|(name, _)| *name).collect();

    let since = unix_timestamp();
    podc(&["up", "-d", arg(&file)]).expect_ok();
    wait_for_traps(pod, &names);
    let down_since_nano = unix_nanos();
    let down_started = Instant::now();
    let down = podc(&["down", pod]);
    let took = down_started.elapsed();
    down.expect_ok();
    let until = unix_timestamp();
    assert_nothing_left(pod, &down);
    Cycle {
        events: events(pod, &since, &until),
        down,
        took,
        down_since_nano,
    }
}

#[test]
fn pause_starts_first_and_dies_last_and_polite_members_exit_0_quickly() {
    let pod = "it-order";
    const MEMBERS: [&str; 2] = ["first", "second"];
    let Cycle {
        down,
        took,
        down_since_nano,
        events,
    } = up_then_down(
        pod,
        "order.yaml",
        30,
        &[(MEMBERS[0], POLITE), (MEMBERS[1], POLITE)],
    );
    assert!(
        took < Duration::from_secs(10),
        "podc down took {took:?} though every member exits at SIGTERM (grace 30s)\n{down}"
    );

    assert_pause_first_and_last(pod, &MEMBERS, &events);
    assert_record_brackets_the_members(pod, &MEMBERS, &events, down_since_nano);
    for m in MEMBERS {
        let die = one(&events, "die", &format!("{pod}_{m}"));
        assert_eq!(die.exit_code, Some(0), "events:\n{}", show(&events));
        let kills: Vec<_> = events
            .iter()
            .filter(|e| e.action == "kill" && e.name == die.name)
            .map(|e| e.signal.clone().unwrap_or_default())
            .collect();
        assert_eq!(
            kills,
            ["15"],
            "{m} should get SIGTERM only; events:\n{}",
            show(&events)
        );
    }
}

#[test]
fn member_ignoring_sigterm_is_killed_after_the_grace_period() {
    let pod = "it-order-kill";
    const MEMBERS: [&str; 2] = ["polite", "stubborn"];
    let Cycle {
        down, took, events, ..
    } = up_then_down(
        pod,
        "order-kill.yaml",
        2,
        &[(MEMBERS[0], POLITE), (MEMBERS[1], STUBBORN)],
    );
    let stubborn = format!("{pod}_stubborn");
    let killed_line = down
        .stdout
        .lines()
        .find(|l| l.contains(&stubborn) && l.contains("killed after the 2s grace period"));
    assert!(
        killed_line.is_some(),
        "podc down does not say {stubborn} was killed after the grace period\n{down}"
    );
    assert!(
        took >= Duration::from_secs(2),
        "podc down took only {took:?} with a member that ignores SIGTERM and a 2s grace\n{down}"
    );

    assert_pause_first_and_last(pod, &MEMBERS, &events);
    let polite_die = one(&events, "die", &format!("{pod}_polite"));
    assert_eq!(polite_die.exit_code, Some(0), "events:\n{}", show(&events));
    let die = one(&events, "die", &stubborn);
    assert_eq!(die.exit_code, Some(137), "events:\n{}", show(&events));
    let term = events
        .iter()
        .find(|e| e.action == "kill" && e.name == stubborn && e.signal.as_deref() == Some("15"))
        .unwrap_or_else(|| panic!("no SIGTERM for {stubborn}; events:\n{}", show(&events)));
    assert!(
        events
            .iter()
            .any(|e| e.action == "kill" && e.name == stubborn && e.signal.as_deref() == Some("9")),
        "no SIGKILL for {stubborn}; events:\n{}",
        show(&events)
    );
    let lived = Duration::from_nanos((die.time_nano - term.time_nano).max(0) as u64);
    assert!(
        lived >= Duration::from_secs(2),
        "{stubborn} died {lived:?} after SIGTERM, before the 2s grace ended; events:\n{}",
        show(&events)
    );
}
