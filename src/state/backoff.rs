//! CrashLoopBackOff: how long to wait before restarting a member that exited.

use std::time::Duration;

/// The delay before the second restart in a row; it doubles with every quick exit after it.
pub(crate) const INITIAL_BACKOFF: Duration = Duration::from_secs(10);
/// The longest delay between restarts.
pub(crate) const MAX_BACKOFF: Duration = Duration::from_secs(300);
/// A member that ran this long before exiting starts over with an immediate restart.
pub(crate) const RESET_AFTER: Duration = Duration::from_secs(600);

/// Kubernetes' restart backoff: the first restart at once, then 10 s doubling to 300 s; reset
/// after 10 minutes of clean running.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Backoff {
    /// Restarts since the last reset.
    restarts: u32,
}

impl Backoff {
    pub(crate) fn new() -> Self {
        Backoff::default()
    }

    /// The container exited after running for `ran_for`; returns how long to wait before
    /// restarting it.
    pub(crate) fn next_delay(&mut self, ran_for: Duration) -> Duration {
        if ran_for >= RESET_AFTER {
            self.restarts = 0;
        }
        let delay = match self.restarts {
            0 => Duration::ZERO,
            n => {
                // 10 s * 2^(n-1), capped; past 2^5 the cap is reached anyway.
                let doublings = (n - 1).min(16);
                INITIAL_BACKOFF
                    .saturating_mul(1 << doublings)
                    .min(MAX_BACKOFF)
            }
        };
        self.restarts = self.restarts.saturating_add(1);
        delay
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AT_ONCE: Duration = Duration::ZERO;

    fn secs(delays: &[Duration]) -> Vec<u64> {
        delays.iter().map(Duration::as_secs).collect()
    }

    #[test]
    fn a_crash_loop_waits_0_10_20_40_80_160_then_300() {
        let mut b = Backoff::new();
        let delays: Vec<Duration> = (0..9).map(|_| b.next_delay(AT_ONCE)).collect();
        assert_eq!(secs(&delays), [0, 10, 20, 40, 80, 160, 300, 300, 300]);
    }

    #[test]
    fn the_delay_stays_at_the_cap_forever() {
        let mut b = Backoff::new();
        for _ in 0..10_000 {
            b.next_delay(Duration::from_secs(1));
        }
        assert_eq!(b.next_delay(Duration::from_secs(1)), MAX_BACKOFF);
    }

    #[test]
    fn ten_minutes_of_running_resets_the_backoff() {
        let mut b = Backoff::new();
        for _ in 0..5 {
            b.next_delay(AT_ONCE);
        }
        assert_eq!(b.next_delay(RESET_AFTER), AT_ONCE);
        assert_eq!(b.next_delay(AT_ONCE), INITIAL_BACKOFF);
        assert_eq!(b.next_delay(AT_ONCE), Duration::from_secs(20));
    }

    #[test]
    fn just_under_ten_minutes_does_not_reset() {
        let mut b = Backoff::new();
        b.next_delay(AT_ONCE);
        b.next_delay(AT_ONCE);
        let delay = b.next_delay(RESET_AFTER - Duration::from_millis(1));
        assert_eq!(delay, Duration::from_secs(20));
    }
}
