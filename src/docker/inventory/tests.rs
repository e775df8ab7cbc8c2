use super::*;
use bollard::models::ContainerSummaryStateEnum as S;
use std::collections::HashMap;

fn summary(
    pod: &str,
    role: &str,
    name: Option<&str>,
    index: usize,
    state: S,
    status: &str,
) -> ContainerSummary {
    let mut labels = HashMap::from([
        ("io.podc.pod".to_string(), pod.to_string()),
        ("io.podc.role".to_string(), role.to_string()),
        ("io.podc.index".to_string(), index.to_string()),
        ("io.podc.grace-seconds".to_string(), "7".to_string()),
    ]);
    if let Some(name) = name {
        labels.insert("io.podc.container".into(), name.into());
    }
    ContainerSummary {
        id: Some(format!("id-{pod}-{}", name.unwrap_or("pause"))),
        names: Some(vec![format!("/{pod}_{}", name.unwrap_or("POD"))]),
        image: Some("img".into()),
        labels: Some(labels),
        state: Some(state),
        status: Some(status.into()),
        ..Default::default()
    }
}

#[test]
fn groups_by_pod_and_orders_members_by_manifest_index() {
    let pods = group(vec![
        summary("b", "container", Some("two"), 1, S::RUNNING, "Up 1s"),
        summary("b", "pause", None, 0, S::RUNNING, "Up 1s"),
        summary("a", "pause", None, 0, S::RUNNING, "Up 1s"),
        summary("b", "container", Some("one"), 0, S::RUNNING, "Up 1s"),
    ]);
    let names: Vec<_> = pods.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["a", "b"]);
    let members: Vec<_> = pods[1].containers.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(members, ["one", "two"]);
    assert_eq!(pods[1].pause.as_ref().unwrap().docker_name, "b_POD");
    assert_eq!(pods[1].grace_seconds, 7);
    assert_eq!(pods[1].phase, Phase::Running);
    assert_eq!(pods[1].ready_count(), (2, 2));
}

#[test]
fn ignores_containers_without_the_pod_label() {
    let mut foreign = summary("x", "container", Some("c"), 0, S::RUNNING, "Up");
    foreign.labels.as_mut().unwrap().remove("io.podc.pod");
    assert!(group(vec![foreign]).is_empty());
}

#[test]
fn phases_follow_kubernetes() {
    let succeeded = group(vec![
        summary("p", "pause", None, 0, S::RUNNING, "Up"),
        summary(
            "p",
            "container",
            Some("c"),
            0,
            S::EXITED,
            "Exited (0) 2 seconds ago",
        ),
    ]);
    assert_eq!(succeeded[0].phase, Phase::Succeeded);
    let failed = group(vec![
        summary("p", "pause", None, 0, S::RUNNING, "Up"),
        summary(
            "p",
            "container",
            Some("c"),
            0,
            S::EXITED,
            "Exited (0) 2 seconds ago",
        ),
        summary(
            "p",
            "container",
            Some("d"),
            1,
            S::EXITED,
            "Exited (137) 2 seconds ago",
        ),
    ]);
    assert_eq!(failed[0].phase, Phase::Failed);
    assert_eq!(failed[0].containers[1].exit_code, Some(137));
    let pending = group(vec![
        summary("p", "pause", None, 0, S::RUNNING, "Up"),
        summary("p", "container", Some("c"), 0, S::CREATED, "Created"),
    ]);
    assert_eq!(pending[0].phase, Phase::Pending);
    let dead_pause = group(vec![
        summary("p", "pause", None, 0, S::EXITED, "Exited (0) 1 second ago"),
        summary("p", "container", Some("c"), 0, S::RUNNING, "Up"),
    ]);
    assert_eq!(
        dead_pause[0].phase,
        Phase::Failed,
        "members on a dead namespace are not a running pod"
    );
}

#[test]
fn exit_code_from_status() {
    assert_eq!(exit_code("Exited (137) 5 minutes ago"), Some(137));
    assert_eq!(exit_code("Up 3 seconds"), None);
}

#[test]
fn supervisor_status_overrides_readiness_phase_and_restarts() {
    use crate::state::status::{MemberLine, StatusLine};
    let mut pods = group(vec![
        summary("p", "pause", None, 0, S::RUNNING, "Up"),
        summary(
            "p",
            "container",
            Some("c"),
            0,
            S::EXITED,
            "Exited (1) 1 second ago",
        ),
        summary("p", "container", Some("r"), 1, S::RUNNING, "Up"),
    ]);
    assert_eq!(pods[0].phase, Phase::Running, "from labels alone: r runs");
    let line = |name: &str, running: bool, ready: bool, failure: Option<&str>| MemberLine {
        name: name.into(),
        running,
        ready,
        restart_count: 3,
        last_exit_code: Some(1),
        last_reason: Some("Error (exit 1)".into()),
        last_probe_failure: failure.map(str::to_string),
    };
    let status = StatusLine {
        record: "r".into(),
        pod: "p".into(),
        phase: Phase::Failed,
        pod_restarts: 1,
        containers: vec![
            line("c", false, false, None),
            line(
                "r",
                true,
                false,
                Some("HTTP probe failed with statuscode: 503"),
            ),
        ],
        note: None,
    };
    apply_status(&mut pods[0], &status);
    let p = &pods[0];
    assert_eq!(
        p.phase,
        Phase::Failed,
        "the supervisor's phase wins: it knows whether anything will run again"
    );
    assert_eq!(p.pod_restarts, 1);
    assert!(
        !p.containers[1].ready,
        "running but its readiness probe fails"
    );
    assert_eq!(
        p.containers[1].last_probe_failure.as_deref(),
        Some("HTTP probe failed with statuscode: 503")
    );
    assert_eq!(p.containers[0].restart_count, 3);
    assert_eq!(p.ready_count(), (0, 2));
}
