//! hostPath volumes on the host podc runs on: each `type` checked on the local filesystem, and
//! what `DirectoryOrCreate`, `FileOrCreate` and hostPath `subPath`s ask for created. No Docker.

use crate::error::{Error, Result};
use crate::plan::{join, HostPathType, MountSource, Plan, VolumeSource};
use std::fs;
use std::os::unix::fs::{DirBuilderExt, FileTypeExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// Mode of the directories podc creates on the host (a missing hostPath, a subPath of one).
const DIR_MODE: u32 = 0o755;

/// Checks every hostPath volume's `type` on this host, creating what `DirectoryOrCreate`,
/// `FileOrCreate` (and an unchecked missing path, as the runtimes do) ask for, and the
/// directories of hostPath `subPath`s. Every problem is reported at once. This assumes the
/// Docker daemon runs on this host, which is what hostPath means on a node.
pub(crate) fn check_host_paths(plan: &Plan) -> Result<()> {
    let mut problems = Vec::new();
    // Everything is checked before anything is created: a failure leaves the host as it was.
    for create in [false, true] {
        for v in &plan.volumes {
            if let VolumeSource::HostPath { path, check } = &v.source {
                if let Err(why) = check_host_path(Path::new(path), *check, create) {
                    problems.push(format!("hostPath volume {}: {why}", v.name));
                }
            }
        }
        if !problems.is_empty() {
            break;
        }
    }
    if problems.is_empty() {
        for m in plan.init.iter().chain(&plan.members) {
            for mount in &m.mounts {
                if let MountSource::Host {
                    path,
                    sub_path: Some(sub),
                } = &mount.source
                {
                    let full = join(path, sub);
                    if let Err(why) = ensure_dir(Path::new(&full)) {
                        problems.push(format!(
                            "container {}: subPath {sub} of {path}: {why}",
                            m.name
                        ));
                    }
                }
            }
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    Err(Error::Runtime(format!(
        "pod {} cannot start: {}\n  hint: hostPath paths are checked on the host podc runs on, which must be the Docker daemon's",
        plan.pod,
        problems.join("; ")
    )))
}

/// One hostPath's check, the kubelet's way; with `create`, what a missing path's type asks for
/// is created (without, a path that may be created passes).
pub(crate) fn check_host_path(
    path: &Path,
    check: HostPathType,
    create: bool,
) -> std::result::Result<(), String> {
    let shown = path.display();
    let meta = fs::metadata(path);
    match (check, &meta) {
        (HostPathType::Unchecked | HostPathType::DirectoryOrCreate, Err(_)) if !create => Ok(()),
        (HostPathType::Unchecked | HostPathType::DirectoryOrCreate, Err(_)) => ensure_dir(path),
        (HostPathType::Unchecked, Ok(_)) => Ok(()),
        (HostPathType::FileOrCreate, Err(_)) => {
            let parent_ok = path.parent().is_none_or(|p| p.is_dir());
            if !parent_ok {
                return Err(format!(
                    "{shown} does not exist and its directory does not either (type FileOrCreate creates the file, not its directory)"
                ));
            }
            if !create {
                return Ok(());
            }
            fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o644)
                .open(path)
                .map(|_| ())
                .or_else(|e| match path.is_file() {
                    true => Ok(()),
                    false => Err(format!("cannot create {shown}: {e}")),
                })?;
            fs::set_permissions(path, fs::Permissions::from_mode(0o644))
                .map_err(|e| format!("cannot set the mode of {shown}: {e}"))
        }
        (_, Err(e)) if e.kind() == std::io::ErrorKind::NotFound => Err(format!(
            "{shown} does not exist (type {})",
            type_name(check)
        )),
        (_, Err(e)) => Err(format!("cannot check {shown}: {e}")),
        (_, Ok(meta)) => {
            let t = meta.file_type();
            let (ok, what) = match check {
                HostPathType::DirectoryOrCreate | HostPathType::Directory => {
                    (t.is_dir(), "a directory")
                }
                HostPathType::FileOrCreate | HostPathType::File => (t.is_file(), "a file"),
                HostPathType::Socket => (t.is_socket(), "a socket"),
                HostPathType::CharDevice => (t.is_char_device(), "a character device"),
                HostPathType::BlockDevice => (t.is_block_device(), "a block device"),
                HostPathType::Unchecked => (true, ""),
            };
            match ok {
                true => Ok(()),
                false => Err(format!("{shown} is not {what} (type {})", type_name(check))),
            }
        }
    }
}

/// The `type` as the manifest spells it, for messages.
fn type_name(check: HostPathType) -> &'static str {
    match check {
        // Never shown: an unchecked path passes whatever it is.
        HostPathType::Unchecked => "\"\"",
        HostPathType::DirectoryOrCreate => "DirectoryOrCreate",
        HostPathType::Directory => "Directory",
        HostPathType::FileOrCreate => "FileOrCreate",
        HostPathType::File => "File",
        HostPathType::Socket => "Socket",
        HostPathType::CharDevice => "CharDevice",
        HostPathType::BlockDevice => "BlockDevice",
    }
}

/// A directory at `path` (0755, with its parents), or the reason there cannot be one.
fn ensure_dir(path: &Path) -> std::result::Result<(), String> {
    if path.is_dir() {
        return Ok(());
    }
    if path.exists() {
        return Err(format!("{} exists and is not a directory", path.display()));
    }
    fs::DirBuilder::new()
        .recursive(true)
        .mode(DIR_MODE)
        .create(path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))
}

#[cfg(test)]
mod tests;
