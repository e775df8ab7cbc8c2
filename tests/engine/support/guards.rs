//! Guards: cleanup that runs even when the test fails (a pod, a container, an image tag, a child).

use super::*;

/// Tears the pod down when dropped (errors ignored). Create it BEFORE `podc up`.
pub(crate) struct PodGuard(pub String);

impl PodGuard {
    pub(crate) fn new(pod: &str) -> PodGuard {
        PodGuard(pod.to_string())
    }
}

impl Drop for PodGuard {
    fn drop(&mut self) {
        let _ = run_command(podc_command(&["down", &self.0]), Duration::from_secs(120));
    }
}

/// Force-removes a plain container the test started when dropped.
pub(crate) struct ContainerGuard(pub String);

impl Drop for ContainerGuard {
    fn drop(&mut self) {
        let mut cmd = Command::new("docker");
        cmd.args(["rm", "-f", &self.0]);
        let _ = run_command(cmd, Duration::from_secs(60));
    }
}

/// Removes an image tag the test made when dropped.
pub(crate) struct ImageGuard(pub String);

impl Drop for ImageGuard {
    fn drop(&mut self) {
        let mut cmd = Command::new("docker");
        cmd.args(["image", "rm", &self.0]);
        let _ = run_command(cmd, Duration::from_secs(60));
    }
}

/// A child process the test spawned, killed (by its own handle) and reaped when dropped.
pub(crate) struct ChildGuard(pub Child);

impl ChildGuard {
    pub(crate) fn id(&self) -> u32 {
        self.0.id()
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
        }
        let _ = self.0.wait();
    }
}

/// Tears the pod down with `podc down --volumes` when dropped (claims go too). Create it BEFORE
/// `podc up`.
pub(crate) struct PodVolumesGuard(pub String);

impl Drop for PodVolumesGuard {
    fn drop(&mut self) {
        let _ = run_command(
            podc_command(&["down", "--volumes", &self.0]),
            Duration::from_secs(120),
        );
    }
}
