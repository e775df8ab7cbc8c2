//! A container's state as the engine reports it, typed once where it is read, with the guards
//! every stop, start and removal checks first (youki's `ContainerStatus::can_*`).

use serde::{Serialize, Serializer};
use std::fmt;

/// Docker's (and podman's) state word for a container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ContainerState {
    Created,
    Running,
    Paused,
    Restarting,
    Removing,
    Exited,
    Dead,
    /// podman's word for a container that ran and stopped (Docker says `exited`).
    Stopped,
    /// A word this podc does not know (a newer engine's), kept as reported.
    Other(String),
}

impl ContainerState {
    /// The state for the engine's word; unknown words are kept, never an error.
    pub(crate) fn parse(word: &str) -> ContainerState {
        match word {
            "created" => ContainerState::Created,
            "running" => ContainerState::Running,
            "paused" => ContainerState::Paused,
            "restarting" => ContainerState::Restarting,
            "removing" => ContainerState::Removing,
            "exited" => ContainerState::Exited,
            "dead" => ContainerState::Dead,
            "stopped" => ContainerState::Stopped,
            other => ContainerState::Other(other.to_string()),
        }
    }

    /// The engine's word, as `podc ps` shows it.
    pub(crate) fn as_str(&self) -> &str {
        match self {
            ContainerState::Created => "created",
            ContainerState::Running => "running",
            ContainerState::Paused => "paused",
            ContainerState::Restarting => "restarting",
            ContainerState::Removing => "removing",
            ContainerState::Exited => "exited",
            ContainerState::Dead => "dead",
            ContainerState::Stopped => "stopped",
            ContainerState::Other(word) => word,
        }
    }

    /// Whether it runs (and so can be probed, exec'd into, hooked).
    pub(crate) fn is_running(&self) -> bool {
        *self == ContainerState::Running
    }

    /// Whether a stop request has something to stop.
    pub(crate) fn can_stop(&self) -> bool {
        matches!(
            self,
            ContainerState::Running | ContainerState::Paused | ContainerState::Restarting
        )
    }

    /// Whether it was created and never started (an `up` in progress, or one that died).
    pub(crate) fn never_started(&self) -> bool {
        *self == ContainerState::Created
    }

    /// Whether it ran and ended (its exit code is meaningful).
    pub(crate) fn has_ended(&self) -> bool {
        matches!(
            self,
            ContainerState::Exited | ContainerState::Dead | ContainerState::Stopped
        )
    }
}

impl fmt::Display for ContainerState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ContainerState {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_and_unknown_words_are_kept() {
        for word in [
            "created",
            "running",
            "paused",
            "restarting",
            "removing",
            "exited",
            "dead",
            "stopped",
            "frozen",
        ] {
            assert_eq!(ContainerState::parse(word).as_str(), word);
        }
        assert_eq!(
            ContainerState::parse("frozen"),
            ContainerState::Other("frozen".into())
        );
    }

    #[test]
    fn guards() {
        use ContainerState::*;
        let stoppable: Vec<_> = [Created, Running, Paused, Restarting, Exited, Dead, Stopped]
            .into_iter()
            .filter(ContainerState::can_stop)
            .collect();
        assert_eq!(stoppable, [Running, Paused, Restarting]);
        assert!(Stopped.has_ended() && Exited.has_ended() && Dead.has_ended());
        assert!(!Running.has_ended() && !Created.has_ended());
        assert!(Created.never_started() && !Exited.never_started());
    }
}
