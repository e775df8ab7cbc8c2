//! The supervisor's status line: one JSON object per line on the supervisor container's stdout,
//! written whenever something changes. `podc ps` reads the last one (`docker logs --tail 1`);
//! foreground `podc up` follows them. Docker keeps them, so they survive any podc crash.

use serde::{Deserialize, Serialize};

/// A snapshot of a supervised pod.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusLine {
    pub pod: String,
    /// Pending, Running, Succeeded, Failed.
    pub phase: String,
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
pub struct MemberLine {
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

impl StatusLine {
    /// The line as written (no newline).
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The last status line in `text` (log output), skipping anything that is not one.
    pub fn last_in(text: &str) -> Option<StatusLine> {
        text.lines()
            .rev()
            .find_map(|l| serde_json::from_str(l.trim()).ok())
    }

    /// True once the pod ended for good (no member will run again).
    pub fn is_finished(&self) -> bool {
        self.phase == "Succeeded" || self.phase == "Failed"
    }

    /// Same state, ignoring the note: a note alone is not worth a new line.
    pub fn same_state(&self, other: &StatusLine) -> bool {
        self.phase == other.phase
            && self.pod_restarts == other.pod_restarts
            && self.containers == other.containers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(phase: &str) -> StatusLine {
        StatusLine {
            pod: "p".into(),
            phase: phase.into(),
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

    #[test]
    fn round_trips_and_last_line_wins() {
        let text = format!(
            "garbage\n{}\n{}\n",
            line("Running").to_line(),
            line("Failed").to_line()
        );
        let last = StatusLine::last_in(&text).unwrap();
        assert_eq!(last, line("Failed"));
        assert!(last.is_finished());
        assert!(!line("Running").is_finished());
    }

    #[test]
    fn wire_names_are_camel_case() {
        let text = line("Running").to_line();
        assert!(text.contains(r#""restartCount":2"#), "{text}");
        assert!(
            text.contains(r#""lastProbeFailure":"HTTP probe failed with statuscode: 503""#),
            "{text}"
        );
        assert!(!text.contains("note"), "{text}");
    }

    #[test]
    fn a_note_alone_is_not_a_change() {
        let mut noted = line("Running");
        noted.note = Some("x".into());
        assert!(noted.same_state(&line("Running")));
        assert!(!line("Failed").same_state(&line("Running")));
    }
}
