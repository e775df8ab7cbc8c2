//! The supervisor's decisions for one pod, as a state machine: facts in (a member started or
//! exited, a probe result, the pause died, the pod was rebuilt), actions out (restart a member
//! after a delay, kill it, rebuild the pod, the pod finished). Pure: the caller owns Docker and
//! the clock; every time is an offset on one monotonic clock (`at`, `now`).
//!
//! The event loop's contract:
//! - feed every fact through [`PodSupervisor::handle`] and execute the actions it returns;
//! - when the timer fires (at [`PodSupervisor::next_wakeup`]), run the probes that
//!   [`PodSupervisor::due_probes`] hands out and report each one's result as a
//!   [`Fact::ProbeResult`] (a timeout is a failure): a probe handed out is not due again until
//!   its result came in, so the loop never spins on a probe that is running;
//! - `RestartMember { after }` is executed by the caller: wait `after`, start the container,
//!   report [`Fact::MemberStarted`].

pub(crate) use super::phase::Phase;
use super::probe::{ProbeKind, ProbeOutcome, ProbeState};
use crate::manifest::RestartPolicy;
use crate::plan::{MemberRole, MemberSpec, Plan, ProbePlan};
use member::{LastExit, Member, Run};
use std::time::Duration;

mod member;

/// What the supervisor needs to know about one member: its name and its probes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SupervisedMember {
    pub name: String,
    /// A native sidecar (an init container with `restartPolicy: Always`): always restarted,
    /// whatever the pod's policy, and not waited for when deciding the pod's outcome.
    pub sidecar: bool,
    pub startup_probe: Option<ProbePlan>,
    pub readiness_probe: Option<ProbePlan>,
    pub liveness_probe: Option<ProbePlan>,
}

impl From<&MemberSpec> for SupervisedMember {
    fn from(m: &MemberSpec) -> Self {
        SupervisedMember {
            name: m.name.clone(),
            sidecar: m.role == MemberRole::Sidecar,
            startup_probe: m.probes.startup.clone(),
            readiness_probe: m.probes.readiness.clone(),
            liveness_probe: m.probes.liveness.clone(),
        }
    }
}

/// Something that happened, as the event loop saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Fact {
    /// `at`: monotonic offset since the supervisor started.
    MemberStarted {
        member: String,
        at: Duration,
    },
    MemberExited {
        member: String,
        exit_code: i64,
        oom_killed: bool,
        at: Duration,
    },
    ProbeResult {
        member: String,
        kind: ProbeKind,
        outcome: ProbeOutcome,
        at: Duration,
    },
    PauseDied {
        at: Duration,
    },
    /// The members were removed, a new pause started and the members created again.
    PodRebuilt {
        at: Duration,
    },
}

impl Fact {
    fn at(&self) -> Duration {
        match self {
            Fact::MemberStarted { at, .. }
            | Fact::MemberExited { at, .. }
            | Fact::ProbeResult { at, .. }
            | Fact::PauseDied { at }
            | Fact::PodRebuilt { at } => *at,
        }
    }
}

/// What the event loop must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Action {
    /// Start the member's container again once `after` has passed. `reason`: "Error (exit 1)",
    /// "Completed (exit 0)", "OOMKilled", "liveness probe failed: ...".
    RestartMember {
        member: String,
        after: Duration,
        reason: String,
    },
    /// A liveness or startup probe failed: stop the container (its STOPSIGNAL, then SIGKILL
    /// after the grace period). Its exit then goes through the restart policy.
    KillMember { member: String, reason: String },
    /// The pause died: remove every member, start a new pause, create the members again.
    RebuildPod { reason: String },
    /// Every member ended and none will restart. Emitted once.
    PodFinished { phase: Phase },
}

/// Where a member is in its life.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum MemberState {
    /// Not started yet (first start, or after the pod was rebuilt).
    Waiting,
    /// Running, or being killed after a liveness/startup failure (still running until it exits).
    Running,
    /// Exited; restarted at `restart_at` (Kubernetes: CrashLoopBackOff while waiting).
    BackOff { restart_at: Duration },
    /// Exited and will not be restarted.
    Terminated,
}

/// One member, for `podc ps`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MemberStatus {
    pub name: String,
    pub state: MemberState,
    pub running: bool,
    /// Running, not being killed, and its readiness and startup probes (if any) pass.
    pub ready: bool,
    /// Restarts after an exit (a rebuild of the pod counts in `pod_restart_count` instead).
    pub restart_count: u32,
    pub last_exit_code: Option<i64>,
    /// The last exit's reason: "Completed (exit 0)", "Error (exit 1)", "OOMKilled",
    /// "liveness probe failed: ...".
    pub last_reason: Option<String>,
    /// "readiness probe failed: ..." for the latest failed probe run of any kind.
    pub last_probe_failure: Option<String>,
}

/// The supervisor of one pod: its restart policy and, per member, a backoff and the probes'
/// trackers.
#[derive(Debug, Clone)]
pub(crate) struct PodSupervisor {
    policy: RestartPolicy,
    members: Vec<Member>,
    /// Between PauseDied and PodRebuilt.
    rebuilding: bool,
    pod_restart_count: u32,
    /// Set when PodFinished was emitted; nothing happens after it.
    finished: Option<Phase>,
    /// The latest time seen in a fact or a `due_probes` call.
    clock: Duration,
}

impl PodSupervisor {
    /// A supervisor for a planned pod: its restart policy and its members' probes (sidecars
    /// first, in init order, then the app containers).
    pub(crate) fn new(plan: &Plan) -> Self {
        let members = plan.supervised_members().map(SupervisedMember::from);
        PodSupervisor::from_members(plan.restart_policy, members.collect())
    }

    /// A supervisor for members in manifest order; nothing runs until MemberStarted facts come.
    pub(crate) fn from_members(policy: RestartPolicy, members: Vec<SupervisedMember>) -> Self {
        PodSupervisor {
            policy,
            members: members.into_iter().map(Member::new).collect(),
            rebuilding: false,
            pod_restart_count: 0,
            finished: None,
            clock: Duration::ZERO,
        }
    }

    /// The probe the event loop should run for a due `(member, kind)`.
    pub(crate) fn probe(&self, member: &str, kind: ProbeKind) -> Option<&ProbePlan> {
        let m = self.members.iter().find(|m| m.name == member)?;
        m.slot(kind).map(|s| &s.probe)
    }

    /// How many times the pod was rebuilt after its pause died. The decisions own this count
    /// and each member's restart count; the event loop writes them into labels and status.
    pub(crate) fn pod_restart_count(&self) -> u32 {
        self.pod_restart_count
    }

    /// The event loop is about to replace `member`'s container; returns the restart count the
    /// new container carries (the count once it starts).
    pub(crate) fn replacing(&mut self, member: &str) -> u32 {
        let Some(m) = self.member_mut(member) else {
            return 0;
        };
        if !matches!(m.run, Run::BackOff { .. }) {
            m.replacing = true;
        }
        m.restart_count.saturating_add(1)
    }

    /// The event loop is about to rebuild the pod; returns the rebuild count the new containers
    /// carry. A rebuild that no pause death announced (a pause never started) counts here.
    pub(crate) fn rebuilding(&mut self) -> u32 {
        if !self.rebuilding {
            self.pod_restart_count = self.pod_restart_count.saturating_add(1);
            self.rebuilding = true;
        }
        self.pod_restart_count
    }

    /// Counts a supervisor before this one kept (read back from the labels): never lowered.
    pub(crate) fn adopt_counts(&mut self, member_restarts: &[(String, u32)], pod_restarts: u32) {
        for (name, count) in member_restarts {
            if let Some(m) = self.member_mut(name) {
                m.restart_count = m.restart_count.max(*count);
            }
        }
        self.pod_restart_count = self.pod_restart_count.max(pod_restarts);
    }

    pub(crate) fn handle(&mut self, fact: Fact) -> Vec<Action> {
        if self.finished.is_some() {
            return Vec::new();
        }
        self.clock = self.clock.max(fact.at());
        let mut actions = match fact {
            Fact::MemberStarted { member, at } => {
                self.started(&member, at);
                Vec::new()
            }
            Fact::MemberExited {
                member,
                exit_code,
                oom_killed,
                at,
            } => self.exited(&member, exit_code, oom_killed, at),
            Fact::ProbeResult {
                member,
                kind,
                outcome,
                at,
            } => self.probe_result(&member, kind, outcome, at),
            Fact::PauseDied { .. } => self.pause_died(),
            Fact::PodRebuilt { .. } => {
                self.rebuilding = false;
                Vec::new()
            }
        };
        if let Some(phase) = self.finish() {
            actions.push(Action::PodFinished { phase });
        }
        actions
    }

    fn member_mut(&mut self, name: &str) -> Option<&mut Member> {
        self.members.iter_mut().find(|m| m.name == name)
    }

    fn started(&mut self, name: &str, at: Duration) {
        let Some(m) = self.member_mut(name) else {
            return;
        };
        if matches!(m.run, Run::BackOff { .. }) || m.replacing {
            m.restart_count = m.restart_count.saturating_add(1);
        }
        m.replacing = false;
        m.run = Run::Running {
            since: at,
            startup_passed_at: None,
            killing: None,
        };
        m.started_ever = true;
        m.reset_probes();
    }

    fn exited(
        &mut self,
        name: &str,
        exit_code: i64,
        oom_killed: bool,
        at: Duration,
    ) -> Vec<Action> {
        let pod_policy = self.policy;
        let Some(m) = self.member_mut(name) else {
            return Vec::new();
        };
        let policy = if m.sidecar {
            RestartPolicy::Always
        } else {
            pod_policy
        };
        // Exits of members that do not run (duplicates, or caused by a pause death) are not
        // the member's own.
        let Run::Running { since, killing, .. } = &m.run else {
            return Vec::new();
        };
        let since = *since;
        let reason = if oom_killed {
            "OOMKilled".to_string()
        } else if let Some(why) = killing {
            why.clone()
        } else if exit_code == 0 {
            "Completed (exit 0)".to_string()
        } else {
            format!("Error (exit {exit_code})")
        };
        let ran_for = at.saturating_sub(since);
        m.last_exit = Some(LastExit {
            code: exit_code,
            reason: reason.clone(),
            failed: exit_code != 0 || oom_killed,
        });
        for slot in m.slots.iter_mut().flatten() {
            slot.in_flight = false;
        }
        if !policy.restarts(exit_code, oom_killed) {
            m.run = Run::Ended;
            return Vec::new();
        }
        let after = m.backoff.next_delay(ran_for);
        m.run = Run::BackOff {
            restart_at: at.saturating_add(after),
        };
        vec![Action::RestartMember {
            member: m.name.clone(),
            after,
            reason,
        }]
    }

    fn probe_result(
        &mut self,
        name: &str,
        kind: ProbeKind,
        outcome: ProbeOutcome,
        at: Duration,
    ) -> Vec<Action> {
        let Some(m) = self.member_mut(name) else {
            return Vec::new();
        };
        let Run::Running {
            since,
            killing: None,
            ..
        } = m.run
        else {
            return Vec::new();
        };
        // A result from before this run started, or for a probe that may not run now
        // (startup already passed; readiness/liveness held off by startup), is stale.
        if at < since || m.due_at(kind).is_none() {
            return Vec::new();
        }
        if let ProbeOutcome::Failure(why) = &outcome {
            m.last_probe_failure = Some(format!("{kind} probe failed: {why}"));
        }
        let Some(slot) = m.slot_mut(kind) else {
            return Vec::new();
        };
        slot.in_flight = false;
        let flip = slot.tracker.record(at - since, outcome);
        let why = slot.tracker.last_failure().unwrap_or("").to_string();
        match (kind, flip) {
            (ProbeKind::Startup, Some(ProbeState::Passing)) => {
                if let Run::Running {
                    startup_passed_at, ..
                } = &mut m.run
                {
                    *startup_passed_at = Some(at);
                }
                Vec::new()
            }
            (ProbeKind::Startup | ProbeKind::Liveness, Some(ProbeState::Failing)) => {
                let reason = format!("{kind} probe failed: {why}");
                if let Run::Running { killing, .. } = &mut m.run {
                    *killing = Some(reason.clone());
                }
                vec![Action::KillMember {
                    member: m.name.clone(),
                    reason,
                }]
            }
            // Readiness only marks the member (not) ready.
            _ => Vec::new(),
        }
    }

    fn pause_died(&mut self) -> Vec<Action> {
        if self.rebuilding {
            return Vec::new();
        }
        self.rebuilding = true;
        self.pod_restart_count = self.pod_restart_count.saturating_add(1);
        for m in &mut self.members {
            m.run = Run::Waiting;
            m.reset_probes();
        }
        vec![Action::RebuildPod {
            reason: "the pause container died".to_string(),
        }]
    }

    /// The pod's final phase, once, when every member ended and none will restart.
    fn finish(&mut self) -> Option<Phase> {
        // The app containers decide the outcome; sidecars run until the pod is torn down.
        let apps = || self.members.iter().filter(|m| !m.sidecar);
        if self.finished.is_some() || self.rebuilding || !apps().all(|m| m.run == Run::Ended) {
            return None;
        }
        let failed = apps().any(|m| m.last_exit.as_ref().is_none_or(|e| e.failed));
        let phase = if failed {
            Phase::Failed
        } else {
            Phase::Succeeded
        };
        self.finished = Some(phase);
        Some(phase)
    }

    /// Probes due at `now`, in order (which member, which kind); startup holds liveness and
    /// readiness off until it passes; none for a member that is not running. Each one is
    /// handed out once: it is not due again until its [`Fact::ProbeResult`] came in.
    pub(crate) fn due_probes(&mut self, now: Duration) -> Vec<(String, ProbeKind)> {
        self.clock = self.clock.max(now);
        let mut due = Vec::new();
        if self.finished.is_some() {
            return due;
        }
        for m in &mut self.members {
            for kind in ProbeKind::ALL {
                let ready = m.due_at(kind).is_some_and(|at| at <= now);
                if let Some(slot) = m.slot_mut(kind).filter(|s| ready && !s.in_flight) {
                    slot.in_flight = true;
                    due.push((m.name.clone(), kind));
                }
            }
        }
        due
    }

    /// The earliest time anything is due (a probe not handed out yet, or a delayed restart
    /// still ahead of the latest time seen), for the event loop's timer; None when nothing is
    /// (an idle pod costs no CPU).
    pub(crate) fn next_wakeup(&self) -> Option<Duration> {
        if self.finished.is_some() {
            return None;
        }
        let probes = self.members.iter().flat_map(|m| {
            ProbeKind::ALL
                .into_iter()
                .filter(|k| m.slot(*k).is_some_and(|s| !s.in_flight))
                .filter_map(|k| m.due_at(k))
        });
        let restarts = self.members.iter().filter_map(|m| match m.run {
            Run::BackOff { restart_at } if restart_at > self.clock => Some(restart_at),
            _ => None,
        });
        probes.chain(restarts).min()
    }

    /// Per member: running?, ready?, restart_count, last exit code and reason, last probe
    /// failure — for `podc ps`.
    pub(crate) fn status(&self) -> Vec<MemberStatus> {
        self.members
            .iter()
            .map(|m| MemberStatus {
                name: m.name.clone(),
                state: m.state(),
                running: matches!(m.run, Run::Running { .. }),
                ready: m.ready(),
                restart_count: m.restart_count,
                last_exit_code: m.last_exit.as_ref().map(|e| e.code),
                last_reason: m.last_exit.as_ref().map(|e| e.reason.clone()),
                last_probe_failure: m.last_probe_failure.clone(),
            })
            .collect()
    }

    /// Pending/Running/Succeeded/Failed as in Kubernetes.
    pub(crate) fn phase(&self) -> Phase {
        if let Some(phase) = self.finished {
            phase
        } else if self.members.iter().any(|m| !m.started_ever) {
            Phase::Pending
        } else {
            Phase::Running
        }
    }
}

#[cfg(test)]
mod tests;
