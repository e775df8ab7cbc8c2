//! The pause image: podc carries the static pause binary and imports it as a one-file image
//! (see `image_import`) when it is missing.

use super::image_import::{self, PodcImage};
use crate::error::Result;
use crate::pause_binary::PAUSE_BINARY;
use crate::ui::{Event, Ui};
use bollard::Docker;
use sha2::{Digest, Sha256};

/// Repository of the built-in pause image.
pub(crate) const REPOSITORY: &str = "podc/pause";

/// `podc/pause:<version>-<binary hash>`: a changed pause program gets a new tag, so an old
/// image is never mistaken for the current one.
#[cfg(test)]
fn default_image() -> String {
    format!("{REPOSITORY}:{}", default_tag())
}

fn default_tag() -> String {
    let digest = Sha256::digest(PAUSE_BINARY);
    let short: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{short}", env!("CARGO_PKG_VERSION"))
}

/// Ensures the built-in pause image exists, importing it when it does not.
pub(crate) async fn ensure_builtin(docker: &Docker, ui: &Ui) -> Result<String> {
    let tag = default_tag();
    let image = PodcImage {
        repository: REPOSITORY,
        tag: &tag,
        kind: "pause",
        entrypoint: &["/pause"],
    };
    let reference = image.reference();
    let imported = image_import::ensure(docker, &image, || Ok(rootfs_tar())).await?;
    if let Some(took) = imported {
        ui.event(Event::Pod {
            pod: String::new(),
            message: format!(
                "created the pause image {reference} ({} bytes, {})",
                PAUSE_BINARY.len(),
                crate::ui::seconds(took)
            ),
        });
    }
    Ok(reference)
}

/// A tar holding only `/pause`, executable.
fn rootfs_tar() -> Vec<u8> {
    let mut header = tar::Header::new_gnu();
    header.set_size(PAUSE_BINARY.len() as u64);
    header.set_mode(0o755);
    header.set_uid(0);
    header.set_gid(0);
    let mut builder = tar::Builder::new(Vec::new());
    // Writing into a Vec cannot fail; an error here would be a bug in the tar crate.
    let appended = builder.append_data(&mut header, "pause", PAUSE_BINARY);
    debug_assert!(appended.is_ok());
    builder.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_names_version_and_binary() {
        let image = default_image();
        assert!(image.starts_with("podc/pause:0."), "{image}");
        assert_eq!(image.rsplit('-').next().unwrap().len(), 8);
    }

    #[test]
    fn rootfs_holds_one_executable() {
        let tar = rootfs_tar();
        let mut archive = tar::Archive::new(&tar[..]);
        let entries: Vec<_> = archive
            .entries()
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.path().unwrap().to_string_lossy().into_owned(),
                    e.header().mode().unwrap(),
                    e.size(),
                )
            })
            .collect();
        assert_eq!(
            entries,
            [("pause".to_string(), 0o755, PAUSE_BINARY.len() as u64)]
        );
    }
}
