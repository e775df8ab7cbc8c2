//! The decisions by value: restart policies, backoff, probes, pause death, the phase.

use super::*;
use crate::plan::Check;

fn s(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn probe(initial: u32, period: u32, failure: u32) -> ProbePlan {
    ProbePlan {
        initial_delay_seconds: initial,
        period_seconds: period,
        failure_threshold: failure,
        ..ProbePlan::with_defaults(Check::Tcp {
            host: None,
            port: 80,
        })
    }
}

fn plain(name: &str) -> SupervisedMember {
    SupervisedMember {
        name: name.into(),
        sidecar: false,
        startup_probe: None,
        readiness_probe: None,
        liveness_probe: None,
    }
}

fn sup(policy: RestartPolicy, members: Vec<SupervisedMember>) -> PodSupervisor {
    PodSupervisor::from_members(policy, members)
}

fn started(m: &str, at: u64) -> Fact {
    Fact::MemberStarted {
        member: m.into(),
        at: s(at),
    }
}

fn exited(m: &str, exit_code: i64, at: u64) -> Fact {
    Fact::MemberExited {
        member: m.into(),
        exit_code,
        oom_killed: false,
        at: s(at),
    }
}

fn ok(m: &str, kind: ProbeKind, at: u64) -> Fact {
    Fact::ProbeResult {
        member: m.into(),
        kind,
        outcome: ProbeOutcome::Success,
        at: s(at),
    }
}

fn bad(m: &str, kind: ProbeKind, why: &str, at: u64) -> Fact {
    Fact::ProbeResult {
        member: m.into(),
        kind,
        outcome: ProbeOutcome::Failure(why.into()),
        at: s(at),
    }
}

fn restart(m: &str, after: u64, reason: &str) -> Action {
    Action::RestartMember {
        member: m.into(),
        after: s(after),
        reason: reason.into(),
    }
}

fn finished(phase: Phase) -> Vec<Action> {
    vec![Action::PodFinished { phase }]
}

fn status_of(p: &PodSupervisor, m: &str) -> MemberStatus {
    p.status().into_iter().find(|x| x.name == m).unwrap()
}

fn with_liveness(name: &str, p: ProbePlan) -> SupervisedMember {
    SupervisedMember {
        liveness_probe: Some(p),
        ..plain(name)
    }
}

#[test]
fn always_restarts_on_any_exit() {
    let mut p = sup(RestartPolicy::Always, vec![plain("web")]);
    p.handle(started("web", 0));
    assert_eq!(
        p.handle(exited("web", 0, 5)),
        [restart("web", 0, "Completed (exit 0)")]
    );
    p.handle(started("web", 5));
    assert_eq!(
        p.handle(exited("web", 1, 6)),
        [restart("web", 10, "Error (exit 1)")]
    );
}

#[test]
fn on_failure_restarts_only_non_zero_exits() {
    let mut p = sup(RestartPolicy::OnFailure, vec![plain("job"), plain("web")]);
    p.handle(started("job", 0));
    p.handle(started("web", 0));
    assert_eq!(
        p.handle(exited("job", 2, 1)),
        [restart("job", 0, "Error (exit 2)")]
    );
    assert_eq!(p.handle(exited("web", 0, 1)), []);
    assert_eq!(status_of(&p, "web").state, MemberState::Terminated);
}

#[test]
fn on_failure_restarts_an_oom_killed_member() {
    let mut p = sup(RestartPolicy::OnFailure, vec![plain("web")]);
    p.handle(started("web", 0));
    let oom = Fact::MemberExited {
        member: "web".into(),
        exit_code: 137,
        oom_killed: true,
        at: s(3),
    };
    assert_eq!(p.handle(oom), [restart("web", 0, "OOMKilled")]);
    assert_eq!(
        status_of(&p, "web").last_reason.as_deref(),
        Some("OOMKilled")
    );
}

#[test]
fn never_never_restarts() {
    let mut p = sup(RestartPolicy::Never, vec![plain("web")]);
    p.handle(started("web", 0));
    assert_eq!(p.handle(exited("web", 1, 1)), finished(Phase::Failed));
}

#[test]
fn restarts_back_off_per_member() {
    let mut p = sup(RestartPolicy::Always, vec![plain("a"), plain("b")]);
    let mut delays = Vec::new();
    let mut t = 0;
    for _ in 0..4 {
        p.handle(started("a", t));
        match p.handle(exited("a", 1, t)).as_slice() {
            [Action::RestartMember { after, .. }] => {
                delays.push(after.as_secs());
                t += after.as_secs();
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(delays, [0, 10, 20, 40]);
    // b has its own backoff: its first restart is immediate.
    p.handle(started("b", t));
    assert_eq!(
        p.handle(exited("b", 1, t)),
        [restart("b", 0, "Error (exit 1)")]
    );
}

#[test]
fn ten_minutes_of_running_resets_the_backoff() {
    let mut p = sup(RestartPolicy::Always, vec![plain("web")]);
    p.handle(started("web", 0));
    p.handle(exited("web", 1, 0));
    p.handle(started("web", 0));
    assert_eq!(
        p.handle(exited("web", 1, 1)),
        [restart("web", 10, "Error (exit 1)")]
    );
    p.handle(started("web", 11));
    // ran_for = exit time - start time = 600 s.
    assert_eq!(
        p.handle(exited("web", 1, 611)),
        [restart("web", 0, "Error (exit 1)")]
    );
}

#[test]
fn a_member_waiting_for_its_restart_is_not_running() {
    let mut p = sup(RestartPolicy::Always, vec![plain("web")]);
    p.handle(started("web", 0));
    p.handle(exited("web", 1, 1));
    p.handle(started("web", 1));
    p.handle(exited("web", 1, 2));
    let st = status_of(&p, "web");
    assert!(!st.running && !st.ready);
    assert_eq!(st.state, MemberState::BackOff { restart_at: s(12) });
    assert_eq!(st.last_exit_code, Some(1));
    assert_eq!(st.last_reason.as_deref(), Some("Error (exit 1)"));
    assert_eq!(p.phase(), Phase::Running);
}

#[test]
fn restart_count_counts_the_restarts_that_happened() {
    let mut p = sup(RestartPolicy::Always, vec![plain("web")]);
    p.handle(started("web", 0));
    assert_eq!(status_of(&p, "web").restart_count, 0);
    p.handle(exited("web", 1, 1));
    assert_eq!(status_of(&p, "web").restart_count, 0, "not restarted yet");
    p.handle(started("web", 1));
    assert_eq!(status_of(&p, "web").restart_count, 1);
    assert!(status_of(&p, "web").running);
}

#[test]
fn a_duplicate_exit_is_ignored() {
    let mut p = sup(RestartPolicy::Always, vec![plain("web")]);
    p.handle(started("web", 0));
    assert_eq!(p.handle(exited("web", 1, 1)).len(), 1);
    assert_eq!(p.handle(exited("web", 1, 1)), []);
    assert_eq!(p.handle(exited("nobody", 1, 1)), []);
}

#[test]
fn readiness_failure_never_restarts_only_marks_not_ready() {
    let member = SupervisedMember {
        readiness_probe: Some(probe(0, 10, 1)),
        ..plain("web")
    };
    let mut p = sup(RestartPolicy::Always, vec![member]);
    p.handle(started("web", 0));
    assert!(!status_of(&p, "web").ready, "not ready before it passes");
    assert_eq!(p.due_probes(s(0)), [("web".into(), ProbeKind::Readiness)]);
    assert_eq!(p.handle(ok("web", ProbeKind::Readiness, 0)), []);
    assert!(status_of(&p, "web").ready);
    p.due_probes(s(10));
    assert_eq!(p.handle(bad("web", ProbeKind::Readiness, "503", 10)), []);
    let st = status_of(&p, "web");
    assert!(st.running && !st.ready);
    assert_eq!(st.restart_count, 0);
}

#[test]
fn ready_needs_running_and_passing_readiness_and_startup() {
    let member = SupervisedMember {
        startup_probe: Some(probe(0, 1, 30)),
        readiness_probe: Some(probe(0, 10, 3)),
        ..plain("web")
    };
    let mut p = sup(RestartPolicy::Always, vec![member, plain("side")]);
    assert!(!status_of(&p, "side").ready, "not started");
    p.handle(started("side", 0));
    assert!(status_of(&p, "side").ready, "no probes: ready when running");
    p.handle(started("web", 0));
    p.due_probes(s(0));
    p.handle(ok("web", ProbeKind::Startup, 0));
    assert!(!status_of(&p, "web").ready, "readiness not passed yet");
    assert_eq!(p.due_probes(s(0)), [("web".into(), ProbeKind::Readiness)]);
    p.handle(ok("web", ProbeKind::Readiness, 0));
    assert!(status_of(&p, "web").ready);
}

#[test]
fn a_failing_liveness_probe_kills_once_and_the_exit_follows_the_policy() {
    let mut p = sup(
        RestartPolicy::Always,
        vec![with_liveness("web", probe(0, 10, 2))],
    );
    p.handle(started("web", 0));
    p.due_probes(s(0));
    assert_eq!(p.handle(bad("web", ProbeKind::Liveness, "refused", 0)), []);
    assert!(p.due_probes(s(9)).is_empty());
    assert_eq!(p.due_probes(s(10)), [("web".into(), ProbeKind::Liveness)]);
    let kill = Action::KillMember {
        member: "web".into(),
        reason: "liveness probe failed: refused".into(),
    };
    assert_eq!(
        p.handle(bad("web", ProbeKind::Liveness, "refused", 10)),
        std::slice::from_ref(&kill)
    );
    // Being killed: no more probes, no second kill, not ready, still running.
    assert!(p.due_probes(s(100)).is_empty());
    assert_eq!(p.handle(bad("web", ProbeKind::Liveness, "refused", 20)), []);
    let st = status_of(&p, "web");
    assert!(st.running && !st.ready);
    assert_eq!(
        p.handle(exited("web", 143, 11)),
        [restart("web", 0, "liveness probe failed: refused")]
    );
    // Restarted: probes start over, and a new failure kills again.
    p.handle(started("web", 11));
    assert_eq!(p.due_probes(s(11)), [("web".into(), ProbeKind::Liveness)]);
    p.handle(bad("web", ProbeKind::Liveness, "refused", 11));
    p.due_probes(s(21));
    assert_eq!(
        p.handle(bad("web", ProbeKind::Liveness, "refused", 21)),
        [kill]
    );
}

#[test]
fn a_killed_member_is_not_restarted_under_never() {
    let mut p = sup(
        RestartPolicy::Never,
        vec![with_liveness("web", probe(0, 10, 1))],
    );
    p.handle(started("web", 0));
    p.due_probes(s(0));
    assert_eq!(p.handle(bad("web", ProbeKind::Liveness, "x", 0)).len(), 1);
    assert_eq!(p.handle(exited("web", 137, 1)), finished(Phase::Failed));
    assert_eq!(
        status_of(&p, "web").last_reason.as_deref(),
        Some("liveness probe failed: x")
    );
}

#[test]
fn a_failing_startup_probe_kills_the_member() {
    let member = SupervisedMember {
        startup_probe: Some(probe(0, 1, 2)),
        ..plain("web")
    };
    let mut p = sup(RestartPolicy::Always, vec![member]);
    p.handle(started("web", 0));
    p.due_probes(s(0));
    p.handle(bad("web", ProbeKind::Startup, "exit 1", 0));
    p.due_probes(s(1));
    assert_eq!(
        p.handle(bad("web", ProbeKind::Startup, "exit 1", 1)),
        [Action::KillMember {
            member: "web".into(),
            reason: "startup probe failed: exit 1".into(),
        }]
    );
}

#[test]
fn startup_holds_liveness_and_readiness_off_until_it_passes() {
    let member = SupervisedMember {
        startup_probe: Some(probe(0, 5, 30)),
        readiness_probe: Some(probe(0, 10, 3)),
        liveness_probe: Some(probe(3, 10, 3)),
        ..plain("web")
    };
    let mut p = sup(RestartPolicy::Always, vec![member]);
    p.handle(started("web", 100));
    assert_eq!(p.due_probes(s(100)), [("web".into(), ProbeKind::Startup)]);
    p.handle(bad("web", ProbeKind::Startup, "not yet", 100));
    // Liveness (initial delay 3) would be due at 103: held off.
    assert_eq!(p.next_wakeup(), Some(s(105)));
    assert!(p.due_probes(s(104)).is_empty());
    // A liveness result while held off is not counted.
    assert_eq!(p.handle(bad("web", ProbeKind::Liveness, "x", 104)), []);
    assert_eq!(p.due_probes(s(105)), [("web".into(), ProbeKind::Startup)]);
    p.handle(ok("web", ProbeKind::Startup, 105));
    // Both are due now (their delays have passed); startup is never run again.
    assert_eq!(
        p.due_probes(s(105)),
        [
            ("web".into(), ProbeKind::Readiness),
            ("web".into(), ProbeKind::Liveness)
        ]
    );
    assert_eq!(p.handle(ok("web", ProbeKind::Startup, 106)), []);
}

#[test]
fn probes_that_start_after_startup_still_wait_for_their_initial_delay() {
    let member = SupervisedMember {
        startup_probe: Some(probe(0, 1, 30)),
        liveness_probe: Some(probe(30, 10, 3)),
        ..plain("web")
    };
    let mut p = sup(RestartPolicy::Always, vec![member]);
    p.handle(started("web", 0));
    p.due_probes(s(0));
    p.handle(ok("web", ProbeKind::Startup, 2));
    assert_eq!(p.next_wakeup(), Some(s(30)));
}

#[test]
fn probes_are_handed_out_in_member_order_once_each() {
    let members = vec![
        with_liveness("a", probe(0, 10, 3)),
        with_liveness("b", probe(0, 10, 3)),
    ];
    let mut p = sup(RestartPolicy::Always, members);
    p.handle(started("b", 0));
    p.handle(started("a", 0));
    assert_eq!(
        p.due_probes(s(0)),
        [
            ("a".into(), ProbeKind::Liveness),
            ("b".into(), ProbeKind::Liveness)
        ]
    );
    assert!(p.due_probes(s(50)).is_empty(), "running: not due again");
    assert_eq!(p.next_wakeup(), None, "nothing to wake for while they run");
    p.handle(ok("a", ProbeKind::Liveness, 1));
    assert_eq!(p.next_wakeup(), Some(s(11)));
}

#[test]
fn no_probes_for_a_member_that_is_not_running() {
    let mut p = sup(
        RestartPolicy::Always,
        vec![with_liveness("web", probe(0, 10, 3))],
    );
    assert!(p.due_probes(s(0)).is_empty(), "not started");
    assert_eq!(p.next_wakeup(), None);
    p.handle(started("web", 0));
    p.handle(exited("web", 1, 1));
    assert!(p.due_probes(s(100)).is_empty(), "waiting for its restart");
}

#[test]
fn an_idle_pod_has_nothing_to_wake_for() {
    let mut p = sup(RestartPolicy::Always, vec![plain("web")]);
    p.handle(started("web", 0));
    assert_eq!(p.next_wakeup(), None);
}

#[test]
fn the_wakeup_is_the_earliest_probe_or_delayed_restart() {
    let mut p = sup(
        RestartPolicy::Always,
        vec![plain("crash"), with_liveness("web", probe(20, 10, 3))],
    );
    p.handle(started("web", 0));
    p.handle(started("crash", 0));
    assert_eq!(p.next_wakeup(), Some(s(20)));
    p.handle(exited("crash", 1, 1));
    p.handle(started("crash", 1));
    p.handle(exited("crash", 1, 2));
    assert_eq!(p.next_wakeup(), Some(s(12)), "restart at 2 + 10");
    // Once the clock passed the restart, it is the caller's to do: no spinning on it.
    assert!(p.due_probes(s(12)).is_empty());
    assert_eq!(p.next_wakeup(), Some(s(20)));
}

#[test]
fn stale_probe_results_are_ignored() {
    let mut p = sup(
        RestartPolicy::Always,
        vec![with_liveness("web", probe(0, 10, 1))],
    );
    assert_eq!(
        p.handle(bad("web", ProbeKind::Liveness, "x", 0)),
        [],
        "not started"
    );
    p.handle(started("web", 10));
    assert_eq!(
        p.handle(bad("web", ProbeKind::Liveness, "x", 9)),
        [],
        "previous run"
    );
    assert_eq!(p.handle(bad("nobody", ProbeKind::Liveness, "x", 10)), []);
    assert_eq!(
        p.handle(ok("web", ProbeKind::Readiness, 10)),
        [],
        "no such probe"
    );
}

#[test]
fn the_last_probe_failure_is_shown() {
    let member = SupervisedMember {
        readiness_probe: Some(probe(0, 10, 3)),
        ..plain("web")
    };
    let mut p = sup(RestartPolicy::Always, vec![member]);
    p.handle(started("web", 0));
    p.due_probes(s(0));
    p.handle(bad("web", ProbeKind::Readiness, "HTTP 503", 0));
    p.due_probes(s(10));
    p.handle(ok("web", ProbeKind::Readiness, 10));
    assert_eq!(
        status_of(&p, "web").last_probe_failure.as_deref(),
        Some("readiness probe failed: HTTP 503")
    );
}

#[test]
fn a_dead_pause_rebuilds_the_pod_once_and_its_member_exits_are_ignored() {
    let mut p = sup(RestartPolicy::Always, vec![plain("a"), plain("b")]);
    p.handle(started("a", 0));
    p.handle(started("b", 0));
    let rebuild = Action::RebuildPod {
        reason: "the pause container died".into(),
    };
    assert_eq!(
        p.handle(Fact::PauseDied { at: s(5) }),
        std::slice::from_ref(&rebuild)
    );
    assert_eq!(p.handle(Fact::PauseDied { at: s(5) }), []);
    assert_eq!(p.handle(exited("a", 137, 5)), []);
    assert_eq!(p.handle(exited("b", 137, 6)), []);
    assert_eq!(p.pod_restart_count(), 1);
    let st = status_of(&p, "a");
    assert_eq!(st.state, MemberState::Waiting);
    assert_eq!((st.restart_count, st.last_exit_code), (0, None));
    assert_eq!(p.handle(Fact::PodRebuilt { at: s(7) }), []);
    p.handle(started("a", 7));
    p.handle(started("b", 7));
    assert!(status_of(&p, "a").running);
    // A later pause death is a new rebuild.
    assert_eq!(p.handle(Fact::PauseDied { at: s(9) }), [rebuild]);
    assert_eq!(p.pod_restart_count(), 2);
}

#[test]
fn after_a_rebuild_probes_start_over_from_their_initial_delay() {
    let mut p = sup(
        RestartPolicy::Always,
        vec![with_liveness("web", probe(5, 10, 3))],
    );
    p.handle(started("web", 0));
    p.due_probes(s(5));
    p.handle(bad("web", ProbeKind::Liveness, "x", 5));
    p.handle(Fact::PauseDied { at: s(6) });
    assert_eq!(
        p.next_wakeup(),
        None,
        "nothing runs while the pod is rebuilt"
    );
    p.handle(Fact::PodRebuilt { at: s(8) });
    assert_eq!(p.next_wakeup(), None, "members not started yet");
    p.handle(started("web", 9));
    assert_eq!(p.next_wakeup(), Some(s(14)));
    // The failure count started over too: two failures do not reach 3.
    p.due_probes(s(14));
    assert_eq!(p.handle(bad("web", ProbeKind::Liveness, "x", 14)), []);
    p.due_probes(s(24));
    assert_eq!(p.handle(bad("web", ProbeKind::Liveness, "x", 24)), []);
}

#[test]
fn the_pod_succeeds_once_when_every_member_exited_zero() {
    let mut p = sup(RestartPolicy::OnFailure, vec![plain("a"), plain("b")]);
    p.handle(started("a", 0));
    p.handle(started("b", 0));
    assert_eq!(p.handle(exited("a", 0, 1)), []);
    assert_eq!(p.phase(), Phase::Running);
    assert_eq!(p.handle(exited("b", 0, 2)), finished(Phase::Succeeded));
    assert_eq!(p.phase(), Phase::Succeeded);
    assert_eq!(p.handle(started("b", 3)), [], "finished: nothing more");
    assert_eq!(p.handle(exited("b", 0, 4)), []);
    assert_eq!(p.next_wakeup(), None);
}

#[test]
fn the_pod_fails_when_any_member_ended_non_zero() {
    let mut p = sup(RestartPolicy::Never, vec![plain("a"), plain("b")]);
    p.handle(started("a", 0));
    p.handle(started("b", 0));
    assert_eq!(p.handle(exited("a", 3, 1)), []);
    assert_eq!(p.handle(exited("b", 0, 2)), finished(Phase::Failed));
    assert_eq!(p.phase(), Phase::Failed);
}

#[test]
fn a_pod_that_always_restarts_never_finishes() {
    let mut p = sup(RestartPolicy::Always, vec![plain("a")]);
    p.handle(started("a", 0));
    let actions = p.handle(exited("a", 0, 1));
    assert!(!actions
        .iter()
        .any(|a| matches!(a, Action::PodFinished { .. })));
    assert_eq!(p.phase(), Phase::Running);
}

#[test]
fn the_phase_is_pending_until_every_member_started() {
    let mut p = sup(RestartPolicy::Always, vec![plain("a"), plain("b")]);
    assert_eq!(p.phase(), Phase::Pending);
    p.handle(started("a", 0));
    assert_eq!(p.phase(), Phase::Pending);
    p.handle(started("b", 0));
    assert_eq!(p.phase(), Phase::Running);
    p.handle(Fact::PauseDied { at: s(1) });
    assert_eq!(p.phase(), Phase::Running, "a rebuild is not a new pod");
    assert_eq!(Phase::Succeeded.as_str(), "Succeeded");
}

#[test]
fn a_supervisor_is_built_from_the_manifest() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec:\n  restartPolicy: Never\n  containers:\n    - name: web\n      image: x\n      livenessProbe: {exec: {command: [\"true\"]}}\n    - {name: side, image: y}\n";
    let pod = crate::manifest::load_str("t.yaml", text).unwrap().pod;
    let mut p = PodSupervisor::new(&crate::plan::plan(&pod, "pause", "t.yaml"));
    assert!(p.probe("web", ProbeKind::Liveness).is_some());
    assert!(p.probe("web", ProbeKind::Readiness).is_none());
    assert!(p.probe("side", ProbeKind::Liveness).is_none());
    p.handle(started("web", 0));
    p.handle(started("side", 0));
    assert_eq!(p.handle(exited("side", 1, 1)), [], "Never");
    let names: Vec<String> = p.status().into_iter().map(|m| m.name).collect();
    assert_eq!(names, ["web", "side"]);
}

mod sidecars {
    use super::*;

    fn member(name: &str, sidecar: bool) -> SupervisedMember {
        SupervisedMember {
            name: name.into(),
            sidecar,
            startup_probe: None,
            readiness_probe: None,
            liveness_probe: None,
        }
    }

    #[test]
    fn a_sidecar_restarts_under_never_and_does_not_hold_the_outcome() {
        let mut sup = PodSupervisor::from_members(
            RestartPolicy::Never,
            vec![member("side", true), member("app", false)],
        );
        let at = Duration::from_secs;
        sup.handle(Fact::MemberStarted {
            member: "side".into(),
            at: at(0),
        });
        sup.handle(Fact::MemberStarted {
            member: "app".into(),
            at: at(0),
        });
        let side_exit = sup.handle(Fact::MemberExited {
            member: "side".into(),
            exit_code: 1,
            oom_killed: false,
            at: at(1),
        });
        assert!(
            matches!(side_exit.as_slice(), [Action::RestartMember { member, .. }] if member == "side"),
            "{side_exit:?}"
        );
        let app_exit = sup.handle(Fact::MemberExited {
            member: "app".into(),
            exit_code: 0,
            oom_killed: false,
            at: at(2),
        });
        assert_eq!(
            app_exit,
            [Action::PodFinished {
                phase: Phase::Succeeded
            }],
            "the sidecar's restart does not keep the pod running"
        );
    }
}

mod counts {
    use super::*;

    fn member(name: &str) -> SupervisedMember {
        SupervisedMember {
            name: name.into(),
            sidecar: false,
            startup_probe: None,
            readiness_probe: None,
            liveness_probe: None,
        }
    }

    fn started(m: &str, at: u64) -> Fact {
        Fact::MemberStarted {
            member: m.into(),
            at: Duration::from_secs(at),
        }
    }

    #[test]
    fn a_replacement_outside_a_backoff_counts_once_when_it_starts() {
        let mut p = PodSupervisor::from_members(RestartPolicy::Always, vec![member("web")]);
        assert_eq!(p.replacing("web"), 1, "the new container carries 1");
        assert_eq!(
            p.status()[0].restart_count,
            0,
            "not restarted until it starts"
        );
        p.handle(started("web", 1));
        assert_eq!(p.status()[0].restart_count, 1);
        p.handle(started("web", 2));
        assert_eq!(
            p.status()[0].restart_count,
            1,
            "a second start event is no restart"
        );
    }

    #[test]
    fn counts_are_adopted_from_labels_and_never_lowered() {
        let mut p = PodSupervisor::from_members(RestartPolicy::Always, vec![member("web")]);
        p.adopt_counts(&[("web".into(), 4), ("gone".into(), 9)], 2);
        assert_eq!((p.status()[0].restart_count, p.pod_restart_count()), (4, 2));
        p.adopt_counts(&[("web".into(), 1)], 0);
        assert_eq!((p.status()[0].restart_count, p.pod_restart_count()), (4, 2));
    }

    #[test]
    fn a_rebuild_counts_once_whether_or_not_a_pause_death_announced_it() {
        let mut p = PodSupervisor::from_members(RestartPolicy::Always, vec![member("web")]);
        assert_eq!(p.rebuilding(), 1, "a pause that never started");
        assert_eq!(p.rebuilding(), 1, "a retried rebuild is the same rebuild");
        p.handle(Fact::PodRebuilt {
            at: Duration::from_secs(1),
        });
        p.handle(Fact::PauseDied {
            at: Duration::from_secs(2),
        });
        assert_eq!(p.rebuilding(), 2, "the pause death counted it already");
        assert_eq!(p.pod_restart_count(), 2);
    }
}
