//! The daemon's own event log, recorded by a live `docker events` subscription.

use super::*;

/// A live `docker events` subscription for one pod's containers, opened before the action it
/// watches. dockerd keeps only its last 256 events for `--since` replays, which a busy suite
/// (probes exec every second) overruns; a subscription loses nothing.
pub(crate) struct EventRecorder {
    child: Child,
}

impl EventRecorder {
    /// Subscribes, and waits until the subscription is live.
    #[track_caller]
    pub(crate) fn start(pod: &str) -> EventRecorder {
        let child = Command::new("docker")
            .args(["events", "--filter", &format!("label=io.podc.pod={pod}")])
            .args(["--filter", "type=container"])
            .args(["--format", "{{.Action}} @ {{.Actor.Attributes.name}}"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("docker events starts");
        // The CLI has no "subscribed" signal; its request is sent within milliseconds.
        std::thread::sleep(Duration::from_millis(300));
        EventRecorder { child }
    }

    /// Every `ACTION @ NAME` line seen so far (the subscription ends).
    pub(crate) fn lines(mut self) -> Vec<String> {
        // Events of the last moment are still on their way.
        std::thread::sleep(Duration::from_millis(500));
        let _ = self.child.kill();
        let mut out = String::new();
        if let Some(mut stdout) = self.child.stdout.take() {
            let _ = std::io::Read::read_to_string(&mut stdout, &mut out);
        }
        let _ = self.child.wait();
        out.lines().map(str::to_string).collect()
    }

    /// How many times Docker started the container `docker_name`.
    pub(crate) fn starts(self, docker_name: &str) -> usize {
        let wanted = format!("start @ {docker_name}");
        self.lines().iter().filter(|l| l.trim() == wanted).count()
    }
}

/// Fails unless the recorded `events` hold an `exec_start` in `pod`'s pause whose command starts
/// with `/pause MODE` and has PORT as a whole word.
#[track_caller]
pub(crate) fn assert_ran_in_pause(events: &[String], pod: &str, mode: &str, port: u16) {
    let pause = format!("@ {pod}_POD");
    let found = events.iter().any(|e| {
        e.starts_with(&format!("exec_start: /pause {mode} "))
            && e.contains(&format!(" {port} "))
            && e.ends_with(&pause)
    });
    assert!(
        found,
        "no `/pause {mode}` for port {port} in {pod}_POD; events:\n{}",
        events.join("\n")
    );
}

/// Fails when any exec of the recorded `events` ran in a member of `pod` rather than its
/// pause: network probes and hooks belong to the pause.
#[track_caller]
pub(crate) fn assert_no_exec_in_members(events: &[String], pod: &str) {
    let pause = format!("@ {pod}_POD");
    let in_members: Vec<&String> = events
        .iter()
        .filter(|e| e.starts_with("exec_") && !e.ends_with(&pause))
        .collect();
    assert!(
        in_members.is_empty(),
        "network probes ran inside members: {in_members:#?}"
    );
}

impl Drop for EventRecorder {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
