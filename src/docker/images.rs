//! Resolving images before anything is created, so a missing image leaves nothing behind.

use crate::error::{Error, Result};
use crate::manifest::PullPolicy;
use crate::plan::pull::registry_host;
use crate::plan::{ImageRequest, PullCredential};
use crate::ui::{Event, Ui};
use bollard::query_parameters::CreateImageOptionsBuilder;
use bollard::Docker;
use futures_util::future::try_join_all;
use futures_util::StreamExt;
use std::time::Instant;

/// Makes every requested image available locally, pulling in parallel as the policy says;
/// a pull uses the plan's `credentials` (its pod's `imagePullSecrets`) before the Docker
/// config's.
pub(crate) async fn resolve_all(
    docker: &Docker,
    requests: &[ImageRequest],
    credentials: &[PullCredential],
    ui: &Ui,
) -> Result<()> {
    try_join_all(requests.iter().map(|r| resolve(docker, r, credentials, ui))).await?;
    Ok(())
}

async fn resolve(
    docker: &Docker,
    request: &ImageRequest,
    credentials: &[PullCredential],
    ui: &Ui,
) -> Result<()> {
    let image = &request.image;
    let present = || async {
        match docker.inspect_image(image).await {
            Ok(_) => Ok(true),
            Err(e) if super::is_not_found(&e) => Ok(false),
            Err(e) => Err(Error::docker("inspect image", image, e)),
        }
    };
    match request.policy {
        PullPolicy::Never => {
            if !present().await? {
                return Err(Error::Runtime(format!(
                    "image {image} (used by {}) is not present and imagePullPolicy is Never\n  hint: build or load it first, or set imagePullPolicy: IfNotPresent",
                    request.used_by.join(", ")
                )));
            }
        }
        PullPolicy::IfNotPresent => {
            if !present().await? {
                pull(docker, image, &request.used_by, credentials, ui).await?;
            }
        }
        PullPolicy::Always => pull(docker, image, &request.used_by, credentials, ui).await?,
    }
    Ok(())
}

/// Pulls one image, reporting per-layer progress, with the matching one of `from_plan` or else
/// the Docker config's credentials. Errors can come as the first stream item or mid-stream;
/// both name the image and the members that need it.
pub(crate) async fn pull(
    docker: &Docker,
    image: &str,
    used_by: &[String],
    from_plan: &[PullCredential],
    ui: &Ui,
) -> Result<()> {
    let started = Instant::now();
    ui.event(Event::Pulling {
        image: image.to_string(),
    });
    let (name, tag) = split_tag(image);
    let options = CreateImageOptionsBuilder::default()
        .from_image(name)
        .tag(tag)
        .build();
    let found = super::auth::credentials_for(image, from_plan)
        .await
        .map_err(|why| {
            Error::Runtime(format!(
                "cannot pull {image} (needed by {}): no registry credentials: {why}",
                used_by.join(", ")
            ))
        })?;
    let source = found.as_ref().map(|f| f.source.clone());
    let credentials = found.map(|f| f.credentials);
    let mut stream = docker.create_image(Some(options), None, credentials);
    while let Some(item) = stream.next().await {
        let info = item.map_err(|e| {
            let mut err = Error::docker("pull image", image, e);
            if let Error::Docker { message, .. } = &mut err {
                if let Some(denied) = auth_failure(image, used_by, message, source.as_deref()) {
                    return Error::Runtime(denied);
                }
                message.push_str(&format!(" (needed by {})", used_by.join(", ")));
            }
            err
        })?;
        if let (Some(layer), Some(status)) = (info.id, info.status) {
            let (current, total) = info
                .progress_detail
                .map(|d| (d.current.unwrap_or(0), d.total.unwrap_or(0)))
                .unwrap_or((0, 0));
            ui.event(Event::Layer {
                image: image.to_string(),
                layer,
                status,
                current: current.max(0) as u64,
                total: total.max(0) as u64,
            });
        }
    }
    ui.event(Event::ImageReady {
        image: image.to_string(),
        pulled: true,
        elapsed: started.elapsed(),
    });
    Ok(())
}

/// A pull the registry refused for want of (valid) credentials, said plainly: which registry,
/// which credentials were sent (their source, never their value), and what to do.
fn auth_failure(
    image: &str,
    used_by: &[String],
    message: &str,
    source: Option<&str>,
) -> Option<String> {
    let lower = message.to_ascii_lowercase();
    let denied = [
        "unauthorized",
        "authentication required",
        "no basic auth credentials",
        "denied",
    ]
    .iter()
    .any(|n| lower.contains(n));
    if !denied {
        return None;
    }
    let host = registry_host(image);
    let config = super::auth::docker_config_path()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "~/.docker/config.json".into());
    let sent = match source {
        Some(s) => format!("the credentials from {s} were refused"),
        None => format!("podc found no credentials for {host} (in imagePullSecrets or {config})"),
    };
    Some(format!(
        "cannot pull {image} (needed by {}): registry {host} answered \"authentication required\" (unauthorized): {sent}; the registry said: {message}\n  hint: run `docker login {host}` (podc reads {config}), or add an imagePullSecrets Secret of type kubernetes.io/dockerconfigjson for {host} to the file",
        used_by.join(", ")
    ))
}

/// Splits `registry:5000/repo/name:tag@digest` into the name and tag (or digest) the pull API
/// takes; no tag means `latest`.
pub(crate) fn split_tag(image: &str) -> (&str, &str) {
    if let Some((name, digest)) = image.split_once('@') {
        return (name, digest);
    }
    // A colon after the last slash is a tag; one before it is a registry port.
    let last_slash = image.rfind('/').map(|i| i + 1).unwrap_or(0);
    match image[last_slash..].rfind(':') {
        Some(i) => (&image[..last_slash + i], &image[last_slash + i + 1..]),
        None => (image, "latest"),
    }
}

#[cfg(test)]
mod tests {
    use super::split_tag;

    #[test]
    fn tags_ports_and_digests() {
        assert_eq!(split_tag("nginx"), ("nginx", "latest"));
        assert_eq!(split_tag("nginx:1.27"), ("nginx", "1.27"));
        assert_eq!(
            split_tag("127.0.0.1:5000/podc/blog"),
            ("127.0.0.1:5000/podc/blog", "latest")
        );
        assert_eq!(
            split_tag("127.0.0.1:5000/podc/blog:v2"),
            ("127.0.0.1:5000/podc/blog", "v2")
        );
        assert_eq!(split_tag("ghost@sha256:abc"), ("ghost", "sha256:abc"));
    }
}
