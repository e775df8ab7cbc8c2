//! podc's own images (pause, supervisor): podc carries their few files and, when the tag is
//! missing, imports them as a one-layer image through the Docker API — no registry, no base
//! image, no builder. Each is labelled `io.podc.image=<kind>`, so older builds can be removed.

use crate::docker::{image_prune, is_not_found};
use crate::error::{Error, Result};
use crate::labels;
use bollard::query_parameters::CreateImageOptionsBuilder;
use bollard::Docker;
use futures_util::StreamExt;
use std::time::{Duration, Instant};

/// One image podc builds itself.
pub(crate) struct PodcImage<'a> {
    /// `podc/pause`, `podc/supervisor`.
    pub repository: &'a str,
    /// Names the build, so an old image is never mistaken for the current one.
    pub tag: &'a str,
    /// The value of its `io.podc.image` label, and its name in messages: `pause`, `supervisor`.
    pub kind: &'a str,
    /// Its ENTRYPOINT, exec form.
    pub entrypoint: &'a [&'a str],
}

impl PodcImage<'_> {
    /// `<repository>:<tag>`.
    pub(crate) fn reference(&self) -> String {
        format!("{}:{}", self.repository, self.tag)
    }

    /// The image configuration the import applies, as Dockerfile instructions.
    fn changes(&self) -> Vec<String> {
        // A list of strings is always valid JSON, which is ENTRYPOINT's exec form.
        let entrypoint = serde_json::to_string(self.entrypoint).unwrap_or_default();
        vec![
            format!("ENTRYPOINT {entrypoint}"),
            format!("LABEL {}={}", labels::IMAGE, self.kind),
        ]
    }
}

/// Ensures `image` exists: looks it up, else imports the tar `rootfs` builds with the image's
/// configuration and removes older builds of it. Returns how long the import took (None: the
/// image was there already).
pub(crate) async fn ensure(
    docker: &Docker,
    image: &PodcImage<'_>,
    rootfs: impl FnOnce() -> Result<Vec<u8>>,
) -> Result<Option<Duration>> {
    let reference = image.reference();
    match docker.inspect_image(&reference).await {
        Ok(_) => return Ok(None),
        Err(e) if is_not_found(&e) => {}
        Err(e) => return Err(Error::docker("inspect image", &reference, e)),
    }
    let started = Instant::now();
    let tar = rootfs()?;
    // bollard sends the changes as one newline-joined value; Docker splits it into lines.
    let options = CreateImageOptionsBuilder::default()
        .from_src("-")
        .repo(image.repository)
        .tag(image.tag)
        .changes(image.changes())
        .build();
    let body = bollard::body_full(tar.into());
    let mut stream = docker.create_image(Some(options), Some(body), None);
    let action = format!("import the {} image", image.kind);
    while let Some(item) = stream.next().await {
        item.map_err(|e| Error::docker(&action, &reference, e))?;
    }
    image_prune::remove_older(docker, image.repository, image.kind, &reference).await;
    Ok(Some(started.elapsed()))
}

#[cfg(test)]
mod tests;
