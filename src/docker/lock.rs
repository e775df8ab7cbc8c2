//! A per-pod lock between podc processes on this host: `up` holds it while it creates or
//! changes a pod, `down` while it tears one down. Two `up` of the same file at the same moment
//! then make one pod (the second waits, then finds it running and unchanged), and a `down`
//! racing an `up` leaves nothing behind (it waits for the `up`, then removes what it made).
//!
//! It is an advisory `flock` on a file under `/tmp/podc-locks` (or `PODC_LOCK_DIR`), one per
//! daemon address and pod name: the kernel releases it when its holder dies, even by SIGKILL,
//! so a killed podc never leaves a stale lock. Best effort: when the file cannot be opened
//! podc goes on without it (Docker's unique container names still refuse a second pause).

use crate::ui::{Event, Ui};
use sha2::{Digest, Sha256};
use std::fs::{File, OpenOptions, TryLockError};
use std::path::PathBuf;
use std::time::Duration;

/// Held while alive; dropping it releases the lock.
#[derive(Debug)]
pub(crate) struct PodLock {
    _file: Option<File>,
}

/// The lock file of `pod` on the daemon `docker_host` points at.
pub(crate) fn path(pod: &str, docker_host: Option<&str>) -> PathBuf {
    let dir = std::env::var_os("PODC_LOCK_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp/podc-locks"));
    let host = docker_host
        .filter(|h| !h.is_empty())
        .unwrap_or("unix:///var/run/docker.sock");
    let digest = Sha256::digest(host.as_bytes());
    let short: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    dir.join(format!("{pod}-{short}.lock"))
}

fn open(path: &PathBuf) -> Option<File> {
    if let Some(dir) = path.parent() {
        if !dir.exists() && std::fs::create_dir_all(dir).is_ok() {
            // Shared by every user of the daemon, like /tmp itself.
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o1777));
        }
    }
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .or_else(|_| File::open(path))
        .ok()?;
    use std::os::unix::fs::PermissionsExt;
    let _ = file.set_permissions(std::fs::Permissions::from_mode(0o666));
    Some(file)
}

/// Takes the lock of `pod`, waiting (and saying so, once) while another podc holds it.
pub(crate) async fn acquire(pod: &str, ui: &Ui) -> PodLock {
    let host = std::env::var("DOCKER_HOST").ok();
    let Some(file) = open(&path(pod, host.as_deref())) else {
        return PodLock { _file: None };
    };
    let mut said = false;
    loop {
        match file.try_lock() {
            Ok(()) => return PodLock { _file: Some(file) },
            Err(TryLockError::WouldBlock) => {
                if !said {
                    said = true;
                    ui.event(Event::Pod {
                        pod: pod.to_string(),
                        message: format!(
                            "pod {pod} is being created, changed or removed by another podc: waiting for it to finish"
                        ),
                    });
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            // No flock on this filesystem: go on without it.
            Err(TryLockError::Error(_)) => return PodLock { _file: None },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_file_per_pod_and_daemon() {
        let a = path("blog", None);
        assert_eq!(a, path("blog", Some("unix:///var/run/docker.sock")));
        assert_eq!(a, path("blog", Some("")));
        assert_ne!(a, path("blog", Some("unix:///tmp/other.sock")));
        assert_ne!(a, path("shop", None));
        assert!(a.to_string_lossy().contains("blog-"));
    }

    #[test]
    fn a_second_holder_waits_for_the_first() {
        let dir = std::env::temp_dir().join(format!("podc-lock-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("p.lock");
        let first = open(&file).unwrap();
        first.try_lock().unwrap();
        let second = open(&file).unwrap();
        assert!(matches!(second.try_lock(), Err(TryLockError::WouldBlock)));
        drop(first);
        second.try_lock().unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }
}
