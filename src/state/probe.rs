//! One probe's thresholds over time: when it is due, and whether it passes.

use crate::plan::ProbePlan;
use std::fmt;
use std::time::Duration;

/// Which probe of a container.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum ProbeKind {
    Startup,
    Readiness,
    Liveness,
}

impl ProbeKind {
    /// Every kind, in the order the supervisor runs them.
    pub(crate) const ALL: [ProbeKind; 3] = [
        ProbeKind::Startup,
        ProbeKind::Readiness,
        ProbeKind::Liveness,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            ProbeKind::Startup => "startup",
            ProbeKind::Readiness => "readiness",
            ProbeKind::Liveness => "liveness",
        }
    }
}

impl fmt::Display for ProbeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The result of running a probe once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ProbeOutcome {
    Success,
    /// Why it failed; `podc ps` shows the last one.
    Failure(String),
}

/// What the results so far add up to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum ProbeState {
    /// No decision yet: fewer than a threshold's worth of results.
    #[default]
    Unknown,
    /// `successThreshold` successes in a row.
    Passing,
    /// `failureThreshold` failures in a row.
    Failing,
}

/// One probe of one container: thresholds over consecutive results, and when it is due next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProbeTracker {
    kind: ProbeKind,
    initial_delay: Duration,
    period: Duration,
    timeout: Duration,
    success_threshold: u32,
    failure_threshold: u32,
    successes: u32,
    failures: u32,
    state: ProbeState,
    /// When the previous result came in (offset from the container's start).
    last_result_at: Option<Duration>,
    last_failure: Option<String>,
}

impl ProbeTracker {
    pub(crate) fn new(kind: ProbeKind, probe: &ProbePlan) -> Self {
        ProbeTracker {
            kind,
            initial_delay: probe.initial_delay(),
            period: probe.period(),
            timeout: probe.timeout(),
            success_threshold: probe.success_threshold.max(1),
            failure_threshold: probe.failure_threshold.max(1),
            successes: 0,
            failures: 0,
            state: ProbeState::Unknown,
            last_result_at: None,
            last_failure: None,
        }
    }

    pub(crate) fn kind(&self) -> ProbeKind {
        self.kind
    }

    /// When the next probe is due, as an offset from the container's start
    /// (`initialDelaySeconds`, then every `periodSeconds` after the previous result).
    pub(crate) fn next_due(&self) -> Duration {
        match self.last_result_at {
            None => self.initial_delay,
            Some(at) => at.saturating_add(self.period),
        }
    }

    /// Records a result observed at `at` (offset from container start); returns Some(new
    /// state) when the state flips.
    pub(crate) fn record(&mut self, at: Duration, outcome: ProbeOutcome) -> Option<ProbeState> {
        self.last_result_at = Some(at);
        let next = match outcome {
            ProbeOutcome::Success => {
                self.failures = 0;
                self.successes = self.successes.saturating_add(1);
                (self.successes >= self.success_threshold).then_some(ProbeState::Passing)
            }
            ProbeOutcome::Failure(why) => {
                self.successes = 0;
                self.failures = self.failures.saturating_add(1);
                self.last_failure = Some(why);
                (self.failures >= self.failure_threshold).then_some(ProbeState::Failing)
            }
        };
        match next {
            Some(state) if state != self.state => {
                self.state = state;
                Some(state)
            }
            _ => None,
        }
    }

    pub(crate) fn state(&self) -> ProbeState {
        self.state
    }

    /// The message of the most recent failure, even if successes came after it.
    pub(crate) fn last_failure(&self) -> Option<&str> {
        self.last_failure.as_deref()
    }

    /// How long one run of the probe may take before it counts as a failure.
    pub(crate) fn timeout(&self) -> Duration {
        self.timeout
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Check;

    fn probe(initial: u32, period: u32, success: u32, failure: u32) -> ProbePlan {
        ProbePlan {
            initial_delay_seconds: initial,
            period_seconds: period,
            success_threshold: success,
            failure_threshold: failure,
            ..ProbePlan::with_defaults(Check::Exec {
                command: vec!["true".into()],
            })
        }
    }

    fn s(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    fn fail(why: &str) -> ProbeOutcome {
        ProbeOutcome::Failure(why.into())
    }

    #[test]
    fn the_state_starts_unknown() {
        let t = ProbeTracker::new(ProbeKind::Readiness, &probe(0, 10, 1, 3));
        assert_eq!(t.state(), ProbeState::Unknown);
        assert_eq!(t.last_failure(), None);
        assert_eq!(t.kind(), ProbeKind::Readiness);
    }

    #[test]
    fn the_first_probe_is_due_after_the_initial_delay_then_every_period_after_a_result() {
        let mut t = ProbeTracker::new(ProbeKind::Liveness, &probe(5, 10, 1, 3));
        assert_eq!(t.next_due(), s(5));
        t.record(s(6), ProbeOutcome::Success);
        assert_eq!(t.next_due(), s(16));
        t.record(s(17), fail("x"));
        assert_eq!(t.next_due(), s(27));
    }

    #[test]
    fn success_threshold_successes_in_a_row_make_it_passing_once() {
        let mut t = ProbeTracker::new(ProbeKind::Readiness, &probe(0, 1, 2, 3));
        assert_eq!(t.record(s(0), ProbeOutcome::Success), None);
        assert_eq!(t.state(), ProbeState::Unknown);
        assert_eq!(
            t.record(s(1), ProbeOutcome::Success),
            Some(ProbeState::Passing)
        );
        assert_eq!(t.record(s(2), ProbeOutcome::Success), None);
        assert_eq!(t.state(), ProbeState::Passing);
    }

    #[test]
    fn failure_threshold_failures_in_a_row_make_it_failing_once() {
        let mut t = ProbeTracker::new(ProbeKind::Liveness, &probe(0, 1, 1, 3));
        assert_eq!(t.record(s(0), fail("a")), None);
        assert_eq!(t.record(s(1), fail("b")), None);
        assert_eq!(t.record(s(2), fail("c")), Some(ProbeState::Failing));
        assert_eq!(t.record(s(3), fail("d")), None);
        assert_eq!(t.state(), ProbeState::Failing);
        assert_eq!(t.last_failure(), Some("d"));
    }

    #[test]
    fn a_success_resets_the_failure_count() {
        let mut t = ProbeTracker::new(ProbeKind::Liveness, &probe(0, 1, 1, 2));
        t.record(s(0), fail("a"));
        assert_eq!(
            t.record(s(1), ProbeOutcome::Success),
            Some(ProbeState::Passing)
        );
        assert_eq!(t.record(s(2), fail("b")), None);
        assert_eq!(t.state(), ProbeState::Passing);
        assert_eq!(t.record(s(3), fail("c")), Some(ProbeState::Failing));
    }

    #[test]
    fn a_failure_resets_the_success_count() {
        let mut t = ProbeTracker::new(ProbeKind::Readiness, &probe(0, 1, 2, 3));
        t.record(s(0), ProbeOutcome::Success);
        t.record(s(1), fail("a"));
        assert_eq!(t.record(s(2), ProbeOutcome::Success), None);
        assert_eq!(t.state(), ProbeState::Unknown);
        assert_eq!(
            t.record(s(3), ProbeOutcome::Success),
            Some(ProbeState::Passing)
        );
        assert_eq!(t.last_failure(), Some("a"), "kept after later successes");
    }

    #[test]
    fn failing_flips_back_to_passing() {
        let mut t = ProbeTracker::new(ProbeKind::Readiness, &probe(0, 1, 1, 1));
        assert_eq!(t.record(s(0), fail("a")), Some(ProbeState::Failing));
        assert_eq!(
            t.record(s(1), ProbeOutcome::Success),
            Some(ProbeState::Passing)
        );
    }

    #[test]
    fn the_timeout_comes_from_the_probe() {
        let p = ProbePlan {
            timeout_seconds: 4,
            ..probe(0, 10, 1, 3)
        };
        assert_eq!(ProbeTracker::new(ProbeKind::Startup, &p).timeout(), s(4));
    }

    #[test]
    fn kinds_have_kubernetes_names() {
        let names: Vec<String> = ProbeKind::ALL.iter().map(|k| k.to_string()).collect();
        assert_eq!(names, ["startup", "readiness", "liveness"]);
    }
}
