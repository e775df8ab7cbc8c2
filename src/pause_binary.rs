//! The pod's pause program, embedded in podc so the pause image can be built
//! locally (nothing needs to be pulled from a registry).

use std::io::Write;
use std::path::Path;

/// The static pause program, built by build.rs from pause/main.rs.
pub(crate) const PAUSE_BINARY: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/pause"));

/// Writes the pause program to `path` as an executable file (mode 0755),
/// replacing any file already there.
pub(crate) fn write_to(path: &Path) -> std::io::Result<()> {
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
mod tests;
