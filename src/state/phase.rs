//! Kubernetes' pod phase, one typed value from the decisions to `podc ps -o json`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Kubernetes' pod phase (and `Unknown` where podc cannot tell).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Phase {
    /// A member has not started yet.
    Pending,
    /// Members run, or will be restarted.
    Running,
    /// Every member ended with exit code 0 and none will restart.
    Succeeded,
    /// Every member ended, at least one did not exit 0, and none will restart.
    Failed,
    /// Nothing says (no member found, no report).
    Unknown,
}

impl Phase {
    /// Kubernetes' word.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Phase::Pending => "Pending",
            Phase::Running => "Running",
            Phase::Succeeded => "Succeeded",
            Phase::Failed => "Failed",
            Phase::Unknown => "Unknown",
        }
    }

    /// Whether the pod is done: every member ended and none will restart.
    pub(crate) fn is_finished(self) -> bool {
        matches!(self, Phase::Succeeded | Phase::Failed)
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_kubernetes_words() {
        for phase in [
            Phase::Pending,
            Phase::Running,
            Phase::Succeeded,
            Phase::Failed,
            Phase::Unknown,
        ] {
            let json = serde_json::to_string(&phase).unwrap();
            assert_eq!(json, format!("\"{phase}\""));
            assert_eq!(serde_json::from_str::<Phase>(&json).unwrap(), phase);
        }
    }
}
