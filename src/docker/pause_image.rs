//! The pause image: podc carries the static pause binary and imports it as a one-file image
//! through the Docker API when it is missing — no registry, no base image, no builder.

use crate::error::{Error, Result};
use crate::labels;
use crate::pause_binary::PAUSE_BINARY;
use crate::ui::{Event, Ui};
use bollard::query_parameters::CreateImageOptionsBuilder;
use bollard::Docker;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use std::time::Instant;

/// Repository of the built-in pause image.
pub const REPOSITORY: &str = "podc/pause";

/// `podc/pause:<version>-<binary hash>`: a changed pause program gets a new tag, so an old
/// image is never mistaken for the current one.
pub fn default_image() -> String {
    format!("{REPOSITORY}:{}", default_tag())
}

fn default_tag() -> String {
    let digest = Sha256::digest(PAUSE_BINARY);
    let short: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{short}", env!("CARGO_PKG_VERSION"))
}

/// Ensures the built-in pause image exists, importing it when it does not.
pub async fn ensure_builtin(docker: &Docker, ui: &Ui) -> Result<String> {
    let image = default_image();
    match docker.inspect_image(&image).await {
        Ok(_) => return Ok(image),
        Err(e) if super::is_not_found(&e) => {}
        Err(e) => return Err(Error::docker("inspect image", &image, e)),
    }
    let started = Instant::now();
    let options = CreateImageOptionsBuilder::default()
        .from_src("-")
        .repo(REPOSITORY)
        .tag(&default_tag())
        .changes(vec![
            r#"ENTRYPOINT ["/pause"]"#.to_string(),
            format!("LABEL {}=pause", labels::IMAGE),
        ])
        .build();
    let body = bollard::body_full(rootfs_tar().into());
    let mut stream = docker.create_image(Some(options), Some(body), None);
    while let Some(item) = stream.next().await {
        item.map_err(|e| Error::docker("import the pause image", &image, e))?;
    }
    super::image_prune::remove_older(docker, REPOSITORY, "pause", &image).await;
    ui.event(Event::Pod {
        pod: String::new(),
        message: format!(
            "created the pause image {image} ({} bytes, {})",
            PAUSE_BINARY.len(),
            crate::ui::seconds(started.elapsed())
        ),
    });
    Ok(image)
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
