use super::*;
use crate::manifest::{Container, EnvVar, Metadata, Pod, PodSpec};
use crate::state::pod_view::ContainerView;
use crate::state::{ContainerState, Phase, Role};

fn pod(env: &str) -> Pod {
    let c = |name: &str| Container {
        name: name.into(),
        image: "podc/busybox:latest".into(),
        ..Default::default()
    };
    let mut web = c("web");
    web.env = vec![EnvVar {
        name: "MODE".into(),
        value: env.into(),
        ..Default::default()
    }];
    Pod {
        metadata: Metadata {
            name: "p".into(),
            ..Default::default()
        },
        spec: PodSpec {
            containers: vec![web, c("db")],
            ..Default::default()
        },
    }
}

fn view(name: &str, hash: Option<&String>, state: &str) -> ContainerView {
    ContainerView {
        name: name.into(),
        docker_name: format!("p_{name}"),
        role: Role::App,
        id: format!("id-{name}"),
        image: "i".into(),
        state: ContainerState::parse(state),
        exit_code: None,
        ready: true,
        restart_count: 0,
        last_reason: None,
        last_probe_failure: None,
        ports: vec![],
        pod_label: Some("p".into()),
        index: 0,
        config_hash: hash.cloned(),
        pre_stop: None,
        plan_format: None,
    }
}

/// What Docker would show for a pod created from `plan`, everything running.
fn running(plan: &Plan) -> PodView {
    PodView {
        name: "p".into(),
        phase: Phase::Running,
        containers: plan
            .members
            .iter()
            .map(|m| view(&m.name, m.labels.get(labels::CONFIG_HASH), "running"))
            .collect(),
        pause: Some(view(
            "POD",
            plan.pause.labels.get(labels::CONFIG_HASH),
            "running",
        )),
        record: Some(ContainerView {
            role: Role::Spec,
            ..view("SPEC", Some(&plan.config_hash), "created")
        }),
        helpers: Vec::new(),
        supervised: true,
        grace_seconds: 30,
        config_hash: plan.pause.labels.get(labels::CONFIG_HASH).cloned(),
        pod_restarts: 0,
        legacy_spec: None,
    }
}

#[test]
fn the_same_plan_changes_nothing() {
    let plan = crate::plan::plan(&pod("a"), "pause", "f");
    assert_eq!(diff(&running(&plan), &plan, false), Change::Unchanged);
}

#[test]
fn force_recreate_rebuilds() {
    let plan = crate::plan::plan(&pod("a"), "pause", "f");
    assert!(matches!(
        diff(&running(&plan), &plan, true),
        Change::Rebuild { .. }
    ));
}

#[test]
fn a_dead_pause_rebuilds() {
    let plan = crate::plan::plan(&pod("a"), "pause", "f");
    let mut found = running(&plan);
    found.pause.as_mut().unwrap().state = ContainerState::parse("exited");
    assert_eq!(
        diff(&found, &plan, false),
        Change::Rebuild {
            reason: "its pause container is exited".into()
        }
    );
}

#[test]
fn a_member_gone_from_the_manifest_is_removed_and_a_new_one_created() {
    let plan = crate::plan::plan(&pod("a"), "pause", "f");
    let mut found = running(&plan);
    found.containers[1].name = "old".into();
    let Change::Members(changes) = diff(&found, &plan, false) else {
        panic!("expected member changes");
    };
    assert_eq!(
        changes.create,
        [("db".to_string(), "new container".to_string())]
    );
    assert_eq!(
        changes.remove,
        [("old".to_string(), "no longer in the manifest".to_string())]
    );
    assert!(changes.recreate.is_empty());
}

#[test]
fn a_missing_supervisor_is_replaced_without_touching_members() {
    let plan = crate::plan::plan(&pod("a"), "pause", "f");
    let mut found = running(&plan);
    found.record = None;
    let Change::Members(changes) = diff(&found, &plan, false) else {
        panic!("expected member changes");
    };
    assert!(changes.supervisor);
    assert!(changes.create.is_empty() && changes.recreate.is_empty() && changes.remove.is_empty());
}

#[test]
fn a_half_created_pod_is_rebuilt() {
    let plan = crate::plan::plan(&pod("a"), "pause", "f");
    // Pause only (podc killed right after starting it), then pause + one member.
    let mut found = running(&plan);
    found.record = None;
    found.containers.clear();
    assert!(
        matches!(diff(&found, &plan, false), Change::Rebuild { reason } if reason.contains("half-created"))
    );
    let mut found = running(&plan);
    found.record = None;
    found.containers.truncate(1);
    assert!(
        matches!(diff(&found, &plan, false), Change::Rebuild { reason } if reason.contains("half-created"))
    );
    // A record that `down` released (and was killed before it finished) does not make the pod
    // complete either.
    let mut found = running(&plan);
    let record = found.record.as_mut().unwrap();
    record.docker_name = labels::released_spec_name("p", &record.id);
    found.containers.truncate(1);
    assert!(
        matches!(diff(&found, &plan, false), Change::Rebuild { reason } if reason.contains("half-created"))
    );
    // With its record, a missing member is only created (the supervisor was running it).
    let mut found = running(&plan);
    found.containers.truncate(1);
    let Change::Members(changes) = diff(&found, &plan, false) else {
        panic!("expected member changes");
    };
    assert_eq!(
        changes.create,
        [("db".to_string(), "new container".to_string())]
    );
}

#[test]
fn a_pause_created_but_never_started_rebuilds() {
    let plan = crate::plan::plan(&pod("a"), "pause", "f");
    let mut found = running(&plan);
    found.record = None;
    found.containers.clear();
    found.pause.as_mut().unwrap().state = ContainerState::parse("created");
    assert_eq!(
        diff(&found, &plan, false),
        Change::Rebuild {
            reason: "its pause container is created".into()
        }
    );
}

#[test]
fn an_earlier_podcs_own_supervisor_is_replaced_by_a_record_without_touching_members() {
    let plan = crate::plan::plan(&pod("a"), "pause", "f");
    let mut found = running(&plan);
    let record = found.record.as_mut().unwrap();
    record.role = Role::PodSupervisor;
    record.state = ContainerState::parse("running");
    let Change::Members(changes) = diff(&found, &plan, false) else {
        panic!("expected member changes");
    };
    assert!(changes.supervisor);
    assert!(changes.create.is_empty() && changes.recreate.is_empty() && changes.remove.is_empty());
}
