//! The progress events commands report, and their plain and JSON renderings.

use serde::Serialize;
use std::time::Duration;

/// A container's lifecycle step as shown to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ContainerState {
    Creating,
    Starting,
    Running,
    /// Running, waiting for its probes (`up --wait`).
    Waiting,
    /// Running and ready (`up --wait`).
    Ready,
    Stopping,
    Stopped,
    Removed,
}

impl ContainerState {
    /// The word printed for this state.
    pub(crate) fn word(self) -> &'static str {
        match self {
            ContainerState::Creating => "creating",
            ContainerState::Starting => "starting",
            ContainerState::Running => "running",
            ContainerState::Waiting => "waiting",
            ContainerState::Ready => "ready",
            ContainerState::Stopping => "stopping",
            ContainerState::Stopped => "stopped",
            ContainerState::Removed => "removed",
        }
    }

    /// Whether this is the last state of its command (the bar can finish).
    pub(crate) fn is_final(self) -> bool {
        matches!(
            self,
            ContainerState::Running | ContainerState::Ready | ContainerState::Removed
        )
    }
}

/// One step of progress.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub(crate) enum Event {
    /// A pull started.
    Pulling { image: String },
    /// Bytes of one layer of a pull.
    Layer {
        image: String,
        layer: String,
        status: String,
        current: u64,
        total: u64,
    },
    /// An image is available locally (`pulled` false: it was already there).
    ImageReady {
        image: String,
        pulled: bool,
        #[serde(serialize_with = "millis")]
        elapsed: Duration,
    },
    /// A container moved to a new state; `elapsed` since the command started it.
    Container {
        pod: String,
        container: String,
        state: ContainerState,
        #[serde(serialize_with = "millis")]
        elapsed: Duration,
        /// Extra facts, e.g. "exit 0" or "killed after 10s grace".
        detail: Option<String>,
    },
    /// A one-line summary about a pod ("pod blog is running").
    Pod { pod: String, message: String },
    /// A warning (only emitted as an event in JSON mode).
    Warning { message: String },
}

fn millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_millis() as u64)
}

impl Event {
    /// The JSON line for `-o json`.
    pub(crate) fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The plain line, or None for events too chatty for a log (layer bytes).
    pub(crate) fn plain_line(&self) -> Option<String> {
        Some(match self {
            Event::Pulling { image } => format!("pulling {image}"),
            Event::Layer { .. } => return None,
            Event::ImageReady {
                image,
                pulled,
                elapsed,
            } => match pulled {
                true => format!("pulled {image} ({})", seconds(*elapsed)),
                false => return None,
            },
            Event::Container {
                container,
                state,
                elapsed,
                detail,
                ..
            } => {
                let mut line = format!("{container}: {}", state.word());
                if !elapsed.is_zero() {
                    line.push_str(&format!(" ({})", seconds(*elapsed)));
                }
                if let Some(detail) = detail {
                    line.push_str(&format!(", {detail}"));
                }
                line
            }
            Event::Pod { message, .. } => message.clone(),
            Event::Warning { message } => format!("warning: {message}"),
        })
    }
}

/// `0.42s`, the way every duration is shown.
pub(crate) fn seconds(d: Duration) -> String {
    format!("{:.2}s", d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_event_plain_and_json() {
        let e = Event::Container {
            pod: "blog".into(),
            container: "blog_web".into(),
            state: ContainerState::Stopped,
            elapsed: Duration::from_millis(1250),
            detail: Some("exit 0".into()),
        };
        assert_eq!(e.plain_line().unwrap(), "blog_web: stopped (1.25s), exit 0");
        assert_eq!(
            e.to_json(),
            r#"{"event":"container","pod":"blog","container":"blog_web","state":"stopped","elapsed":1250,"detail":"exit 0"}"#
        );
    }

    #[test]
    fn layer_bytes_are_not_plain_lines() {
        let e = Event::Layer {
            image: "a".into(),
            layer: "b".into(),
            status: "Downloading".into(),
            current: 1,
            total: 2,
        };
        assert!(e.plain_line().is_none());
    }
}
