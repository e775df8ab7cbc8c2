//! The pod's pause program, embedded in podc so the pause image can be built
//! locally (nothing needs to be pulled from a registry).

use std::io::Write;
use std::path::Path;

/// The static pause program, built by build.rs from pause/main.rs.
pub const PAUSE_BINARY: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/pause"));

/// Writes the pause program to `path` as an executable file (mode 0755),
/// replacing any file already there.
pub fn write_to(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};

    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o755)
        .open(path)?;
    file.write_all(PAUSE_BINARY)?;
    // `mode` applies only to a new file and is masked by the umask; make it exact.
    file.set_permissions(std::fs::Permissions::from_mode(0o755))?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::os::unix::fs::PermissionsExt;
    use std::path::PathBuf;
    use std::process::{Child, Command, Stdio};
    use std::time::{Duration, Instant};

    /// A scratch directory removed when dropped.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(tag: &str) -> TempDir {
            let dir = std::env::temp_dir().join(format!(
                "podc-pause-test-{tag}-{}-{:?}",
                std::process::id(),
                std::thread::current().id()
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn written(tag: &str) -> (TempDir, PathBuf) {
        let dir = TempDir::new(tag);
        let path = dir.0.join("pause");
        write_to(&path).unwrap();
        (dir, path)
    }

    /// Spawns a Command, retrying while the kernel reports ETXTBSY: another test
    /// thread may still hold a write descriptor to it inherited across its fork.
    fn spawn(cmd: &mut Command) -> Child {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            match cmd.spawn() {
                Err(e) if e.raw_os_error() == Some(26) && Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                other => return other.unwrap(),
            }
        }
    }

    fn wait_with_timeout(child: &mut Child, timeout: Duration) -> std::process::ExitStatus {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                return status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("pause did not exit within {timeout:?}");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Reads stderr until `needle` shows up (the warning is written before
    /// the signals are blocked, so seeing it means pause is about to wait).
    fn read_stderr_until(child: &mut Child, needle: &str) -> String {
        let mut stderr = child.stderr.take().unwrap();
        let mut seen = Vec::new();
        let mut buf = [0u8; 256];
        while !String::from_utf8_lossy(&seen).contains(needle) {
            let n = stderr.read(&mut buf).unwrap();
            assert!(
                n > 0,
                "stderr closed early: {:?}",
                String::from_utf8_lossy(&seen)
            );
            seen.extend_from_slice(&buf[..n]);
        }
        child.stderr = Some(stderr);
        String::from_utf8(seen).unwrap()
    }

    const WARNING: &str =
        "pause: warning: not running as PID 1, orphaned processes will not be reaped\n";

    #[test]
    fn write_to_makes_an_executable_copy() {
        let (_dir, path) = written("write");
        assert_eq!(std::fs::read(&path).unwrap(), PAUSE_BINARY);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o755);
        // Writing again over an existing file works too.
        write_to(&path).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), PAUSE_BINARY);
    }

    #[test]
    fn version_flag_prints_version_and_exits_zero() {
        let (_dir, path) = written("version");
        let child = spawn(
            Command::new(&path)
                .arg("-v")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped()),
        );
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{out:?}");
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            format!("pause.podc {}\n", env!("CARGO_PKG_VERSION"))
        );
    }

    fn runs_until_signal(tag: &str, signal: &str) {
        let (_dir, path) = written(tag);
        let mut child = spawn(
            Command::new(&path)
                .stdout(Stdio::null())
                .stderr(Stdio::piped()),
        );
        assert_eq!(read_stderr_until(&mut child, WARNING), WARNING);

        std::thread::sleep(Duration::from_millis(200));
        assert!(
            child.try_wait().unwrap().is_none(),
            "pause exited on its own"
        );

        let kill = Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(kill.success());
        let status = wait_with_timeout(&mut child, Duration::from_secs(5));
        assert_eq!(status.code(), Some(0), "{status:?}");
    }

    #[test]
    fn runs_as_a_child_and_exits_zero_on_sigterm() {
        runs_until_signal("term", "TERM");
    }

    #[test]
    fn runs_as_a_child_and_exits_zero_on_sigint() {
        runs_until_signal("int", "INT");
    }

    #[test]
    fn binary_is_small_and_static() {
        let elf = PAUSE_BINARY;
        assert!(elf.len() < 64 * 1024, "pause is {} bytes", elf.len());
        assert_eq!(&elf[..4], b"\x7fELF");
        assert_eq!(elf[4], 2, "expected a 64-bit ELF");
        assert_eq!(elf[5], 1, "expected little-endian");
        let u16_at = |off: usize| u16::from_le_bytes([elf[off], elf[off + 1]]) as usize;
        let u32_at = |off: usize| u32::from_le_bytes(elf[off..off + 4].try_into().unwrap());
        let u64_at = |off: usize| u64::from_le_bytes(elf[off..off + 8].try_into().unwrap());

        // ET_EXEC: a fixed-address executable, not a PIE that needs relocating.
        assert_eq!(u16_at(16), 2, "e_type");
        let phoff = u64_at(32) as usize;
        let phentsize = u16_at(54);
        let phnum = u16_at(56);
        assert!(phnum > 0);
        const PT_LOAD: u32 = 1;
        const PT_DYNAMIC: u32 = 2;
        const PT_INTERP: u32 = 3;
        let types: Vec<u32> = (0..phnum).map(|i| u32_at(phoff + i * phentsize)).collect();
        assert!(types.contains(&PT_LOAD), "{types:?}");
        assert!(
            !types.contains(&PT_INTERP),
            "pause has a dynamic loader: {types:?}"
        );
        assert!(
            !types.contains(&PT_DYNAMIC),
            "pause is dynamically linked: {types:?}"
        );
    }
}
