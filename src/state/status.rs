//! The supervisor's status: one JSON line (a frame: every supervised pod's status) on the host
//! supervisor's stdout, written whenever some pod's status changes. `podc ps` reads the last
//! one (`docker logs --tail 1`); `up` follows them. Docker keeps them, so they survive any
//! podc crash.

use super::Phase;
use serde::{Deserialize, Serialize};

/// A snapshot of a supervised pod.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StatusLine {
    pub pod: String,
    /// The ID of the spec record the supervisor works from: a status of an earlier record of
    /// the same pod name is history.
    #[serde(default)]
    pub record: String,
    pub phase: Phase,
    /// Times the pod was rebuilt because its pause died.
    pub pod_restarts: u32,
    pub containers: Vec<MemberLine>,
    /// What just happened, for people ("web restarted: Error (exit 1)").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One member in a status line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MemberLine {
    pub name: String,
    pub running: bool,
    pub ready: bool,
    pub restart_count: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_exit_code: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_probe_failure: Option<String>,
}

/// Every supervised pod's status at one moment, as one line.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct StatusFrame {
    pub pods: Vec<StatusLine>,
}

impl StatusFrame {
    /// The frame as written (no newline).
    pub(crate) fn to_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The last frame in `text` (log output), skipping anything that is not one.
    pub(crate) fn last_in(text: &str) -> Option<StatusFrame> {
        text.lines()
            .rev()
            .find_map(|l| serde_json::from_str(l.trim()).ok())
    }

    /// The status of `pod` as supervised from its record `record` (any record when None).
    pub(crate) fn pod(&self, pod: &str, record: Option<&str>) -> Option<&StatusLine> {
        self.pods
            .iter()
            .find(|l| l.pod == pod && record.is_none_or(|r| l.record == r))
    }
}

impl StatusLine {
    /// True once the pod ended for good (no member will run again).
    pub(crate) fn is_finished(&self) -> bool {
        self.phase.is_finished()
    }

    /// Same state, ignoring the note: a note alone is not worth a new line.
    pub(crate) fn same_state(&self, other: &StatusLine) -> bool {
        self.phase == other.phase
            && self.pod_restarts == other.pod_restarts
            && self.containers == other.containers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(phase: Phase) -> StatusLine {
        StatusLine {
            pod: "p".into(),
            record: "r1".into(),
            phase,
            pod_restarts: 0,
            containers: vec![MemberLine {
                name: "web".into(),
                running: true,
                ready: false,
                restart_count: 2,
                last_exit_code: Some(1),
                last_reason: Some("Error".into()),
                last_probe_failure: Some("HTTP probe failed with statuscode: 503".into()),
            }],
            note: None,
        }
    }

    fn frame(lines: Vec<StatusLine>) -> StatusFrame {
        StatusFrame { pods: lines }
    }

    #[test]
    fn round_trips_and_last_frame_wins() {
        let text = format!(
            "garbage\n{}\n{}\n",
            frame(vec![line(Phase::Running)]).to_line(),
            frame(vec![line(Phase::Failed)]).to_line()
        );
        let last = StatusFrame::last_in(&text).unwrap();
        let status = last.pod("p", Some("r1")).unwrap();
        assert_eq!(status, &line(Phase::Failed));
        assert!(status.is_finished());
        assert!(!line(Phase::Running).is_finished());
    }

    #[test]
    fn a_status_from_another_record_of_the_pod_is_not_its_status() {
        let earlier = frame(vec![line(Phase::Running)]);
        assert!(earlier.pod("p", Some("r2")).is_none());
        assert!(earlier.pod("p", None).is_some());
        assert!(earlier.pod("q", None).is_none());
    }

    #[test]
    fn wire_names_are_camel_case() {
        let text = frame(vec![line(Phase::Running)]).to_line();
        assert!(text.contains(r#""restartCount":2"#), "{text}");
        assert!(
            text.contains(r#""lastProbeFailure":"HTTP probe failed with statuscode: 503""#),
            "{text}"
        );
        assert!(!text.contains("note"), "{text}");
    }

    #[test]
    fn a_note_alone_is_not_a_change() {
        let mut noted = line(Phase::Running);
        noted.note = Some("x".into());
        assert!(noted.same_state(&line(Phase::Running)));
        assert!(!line(Phase::Failed).same_state(&line(Phase::Running)));
    }
}
