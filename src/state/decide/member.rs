//! One supervised member: its probe slots, its run (waiting, running, backing off, done) and
//! what it last exited with. The pod's decisions (`decide`) drive it.

use super::{MemberState, SupervisedMember};
use crate::plan::ProbePlan;
use crate::state::backoff::Backoff;
use crate::state::probe::{ProbeKind, ProbeState, ProbeTracker};
use std::time::Duration;

pub(super) const SLOTS: usize = ProbeKind::ALL.len();

pub(super) fn slot_index(kind: ProbeKind) -> usize {
    match kind {
        ProbeKind::Startup => 0,
        ProbeKind::Readiness => 1,
        ProbeKind::Liveness => 2,
    }
}

/// One probe of a member: its definition, its tracker for the current run, and whether a run
/// of it was handed out and has no result yet.
#[derive(Debug, Clone)]
pub(super) struct Slot {
    pub(super) probe: ProbePlan,
    pub(super) tracker: ProbeTracker,
    pub(super) in_flight: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Run {
    Waiting,
    Running {
        since: Duration,
        /// When the startup probe passed (none while it has not, or without a startup probe).
        startup_passed_at: Option<Duration>,
        /// Set once a KillMember was emitted: the reason the exit will be given.
        killing: Option<String>,
    },
    BackOff {
        restart_at: Duration,
    },
    Ended,
}

#[derive(Debug, Clone)]
pub(super) struct LastExit {
    pub(super) code: i64,
    pub(super) reason: String,
    pub(super) failed: bool,
}

#[derive(Debug, Clone)]
pub(super) struct Member {
    pub(super) name: String,
    pub(super) sidecar: bool,
    pub(super) slots: [Option<Slot>; SLOTS],
    pub(super) backoff: Backoff,
    pub(super) run: Run,
    pub(super) started_ever: bool,
    pub(super) restart_count: u32,
    /// The event loop is replacing its container outside a backoff (never started, removed by
    /// someone): the next start counts as a restart.
    pub(super) replacing: bool,
    pub(super) last_exit: Option<LastExit>,
    pub(super) last_probe_failure: Option<String>,
}

impl Member {
    pub(super) fn new(spec: SupervisedMember) -> Member {
        let slot = |kind: ProbeKind, probe: Option<ProbePlan>| {
            probe.map(|probe| Slot {
                tracker: ProbeTracker::new(kind, &probe),
                probe,
                in_flight: false,
            })
        };
        Member {
            sidecar: spec.sidecar,
            name: spec.name,
            slots: [
                slot(ProbeKind::Startup, spec.startup_probe),
                slot(ProbeKind::Readiness, spec.readiness_probe),
                slot(ProbeKind::Liveness, spec.liveness_probe),
            ],
            backoff: Backoff::new(),
            run: Run::Waiting,
            started_ever: false,
            restart_count: 0,
            replacing: false,
            last_exit: None,
            last_probe_failure: None,
        }
    }

    pub(super) fn slot(&self, kind: ProbeKind) -> Option<&Slot> {
        self.slots[slot_index(kind)].as_ref()
    }

    pub(super) fn slot_mut(&mut self, kind: ProbeKind) -> Option<&mut Slot> {
        self.slots[slot_index(kind)].as_mut()
    }

    /// Fresh trackers for a new run of the container: probes start from their initial delay.
    pub(super) fn reset_probes(&mut self) {
        for slot in self.slots.iter_mut().flatten() {
            slot.tracker = ProbeTracker::new(slot.tracker.kind(), &slot.probe);
            slot.in_flight = false;
        }
    }

    pub(super) fn passes(&self, kind: ProbeKind) -> bool {
        self.slot(kind)
            .is_none_or(|s| s.tracker.state() == ProbeState::Passing)
    }

    /// When `kind` is next due (absolute), if it may run at all: only while the member runs
    /// and is not being killed; startup until it passes; readiness and liveness once the
    /// startup probe (if any) passed, and not before it did.
    pub(super) fn due_at(&self, kind: ProbeKind) -> Option<Duration> {
        let Run::Running {
            since,
            startup_passed_at,
            killing: None,
        } = &self.run
        else {
            return None;
        };
        let slot = self.slot(kind)?;
        let own = since.saturating_add(slot.tracker.next_due());
        match kind {
            ProbeKind::Startup => (slot.tracker.state() != ProbeState::Passing).then_some(own),
            _ if self.slot(ProbeKind::Startup).is_none() => Some(own),
            _ => startup_passed_at.map(|passed| own.max(passed)),
        }
    }

    pub(super) fn ready(&self) -> bool {
        matches!(self.run, Run::Running { killing: None, .. })
            && self.passes(ProbeKind::Readiness)
            && self.passes(ProbeKind::Startup)
    }

    pub(super) fn state(&self) -> MemberState {
        match self.run {
            Run::Waiting => MemberState::Waiting,
            Run::Running { .. } => MemberState::Running,
            Run::BackOff { restart_at } => MemberState::BackOff { restart_at },
            Run::Ended => MemberState::Terminated,
        }
    }
}
