//! The supervisor image: this very podc binary and the shared libraries it links, imported as
//! a one-layer image (see `image_import`), so the host supervisor runs as a labelled
//! container next to the pods (see `docker::supervisor`); the spec records are created from it.

use super::image_import::{self, PodcImage};
use crate::error::{Error, Result};
use crate::ui::{Event, Ui};
use bollard::Docker;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Repository of the supervisor image.
pub(crate) const REPOSITORY: &str = "podc/supervisor";

/// Where the binary lives inside the image.
pub(crate) const BINARY_IN_IMAGE: &str = "/podc";

/// Ensures the supervisor image for the running podc binary exists; returns its reference.
pub(crate) async fn ensure(docker: &Docker, ui: &Ui) -> Result<String> {
    let exe = std::env::current_exe()
        .map_err(|e| Error::Runtime(format!("cannot find podc's own executable: {e}")))?;
    let tag = tag_for(&exe)?;
    let image = PodcImage {
        repository: REPOSITORY,
        tag: &tag,
        kind: "supervisor",
        entrypoint: &[BINARY_IN_IMAGE, "supervise"],
    };
    let reference = image.reference();
    let imported = image_import::ensure(docker, &image, || rootfs_tar(&exe)).await?;
    if let Some(took) = imported {
        ui.event(Event::Pod {
            pod: String::new(),
            message: format!(
                "created the supervisor image {reference} ({})",
                crate::ui::seconds(took)
            ),
        });
    }
    Ok(reference)
}

/// `<version>-<hash>` of the binary's identity. Size and mtime stand in for its contents:
/// hashing a debug build (~80 MB) on every `up` would cost more than the whole `up`.
fn tag_for(exe: &Path) -> Result<String> {
    let meta = std::fs::metadata(exe)
        .map_err(|e| Error::Runtime(format!("cannot read {}: {e}", exe.display())))?;
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let identity = format!("{}:{}:{mtime}", exe.display(), meta.len());
    let digest = Sha256::digest(identity.as_bytes());
    let short: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("{}-{short}", env!("CARGO_PKG_VERSION")))
}

/// A tar with `/podc`, the libraries `ldd` lists at their own paths, and an empty `/tmp`.
fn rootfs_tar(exe: &Path) -> Result<Vec<u8>> {
    let mut builder = tar::Builder::new(Vec::new());
    let io = |what: &str, e: std::io::Error| {
        Error::Runtime(format!("cannot build the supervisor image: {what}: {e}"))
    };
    let binary = std::fs::read(exe).map_err(|e| io(&exe.display().to_string(), e))?;
    append(
        &mut builder,
        BINARY_IN_IMAGE.trim_start_matches('/'),
        &binary,
        0o755,
    )
    .map_err(|e| io("tar", e))?;
    for lib in shared_libraries(exe)? {
        // Follows symlinks: the image gets the library's contents under the path the loader asks for.
        let bytes = std::fs::read(&lib).map_err(|e| io(&lib.display().to_string(), e))?;
        let path = lib.to_string_lossy().trim_start_matches('/').to_string();
        append(&mut builder, &path, &bytes, 0o755).map_err(|e| io("tar", e))?;
    }
    let mut tmp = tar::Header::new_gnu();
    tmp.set_entry_type(tar::EntryType::Directory);
    tmp.set_mode(0o1777);
    tmp.set_size(0);
    builder
        .append_data(&mut tmp, "tmp", std::io::empty())
        .map_err(|e| io("tar", e))?;
    builder.into_inner().map_err(|e| io("tar", e))
}

fn append(
    builder: &mut tar::Builder<Vec<u8>>,
    path: &str,
    bytes: &[u8],
    mode: u32,
) -> std::io::Result<()> {
    let mut header = tar::Header::new_gnu();
    header.set_size(bytes.len() as u64);
    header.set_mode(mode);
    builder.append_data(&mut header, path, bytes)
}

/// The absolute library paths in `ldd`'s output (the vDSO has none and is skipped).
fn shared_libraries(exe: &Path) -> Result<Vec<PathBuf>> {
    let output = std::process::Command::new("ldd").arg(exe).output();
    let output = match output {
        Ok(o) => o,
        Err(e) => {
            return Err(Error::Runtime(format!(
                "cannot run ldd to find the libraries podc needs in its supervisor image: {e}\n  hint: install libc-bin, or run podc up without -d"
            )))
        }
    };
    // A static binary: ldd says "not a dynamic executable" and there is nothing to copy.
    Ok(parse_ldd(&String::from_utf8_lossy(&output.stdout)))
}

/// Parses `ldd` lines: `libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)` and
/// `/lib64/ld-linux-x86-64.so.2 (0x...)`.
pub(crate) fn parse_ldd(text: &str) -> Vec<PathBuf> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            let path = match line.split_once("=>") {
                Some((_, rest)) => rest.trim(),
                None => line,
            };
            let path = path.split(" (").next()?.trim();
            path.starts_with('/').then(|| PathBuf::from(path))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ldd_output_gives_library_paths() {
        let text = "\tlinux-vdso.so.1 (0x00007ffd)\n\tlibgcc_s.so.1 => /lib/x86_64-linux-gnu/libgcc_s.so.1 (0x1)\n\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x2)\n\t/lib64/ld-linux-x86-64.so.2 (0x3)\n";
        assert_eq!(
            parse_ldd(text),
            [
                PathBuf::from("/lib/x86_64-linux-gnu/libgcc_s.so.1"),
                PathBuf::from("/lib/x86_64-linux-gnu/libc.so.6"),
                PathBuf::from("/lib64/ld-linux-x86-64.so.2"),
            ]
        );
        assert!(parse_ldd("\tnot a dynamic executable\n").is_empty());
    }
}
