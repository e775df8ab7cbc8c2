//! Old builds of podc's own images (pause, supervisor) are removed when a new one is made, so
//! rebuilding podc does not pile up images. Only images carrying podc's `io.podc.image` label
//! are touched, and never one a container still uses.

use crate::labels;
use bollard::query_parameters::{ListImagesOptionsBuilder, RemoveImageOptionsBuilder};
use bollard::Docker;
use std::collections::HashMap;

/// Removes every image of `repository` labelled `io.podc.image=<kind>` except `keep`. Best
/// effort: an image in use, or any error, leaves it where it is.
pub(crate) async fn remove_older(docker: &Docker, repository: &str, kind: &str, keep: &str) {
    let filters = HashMap::from([
        ("reference".to_string(), vec![repository.to_string()]),
        (
            "label".to_string(),
            vec![format!("{}={kind}", labels::IMAGE)],
        ),
    ]);
    let options = ListImagesOptionsBuilder::default()
        .filters(&filters)
        .build();
    let Ok(images) = docker.list_images(Some(options)).await else {
        return;
    };
    for image in images {
        if image.repo_tags.iter().any(|t| t == keep) {
            continue;
        }
        // Not forced: Docker refuses to remove an image a container uses, which is the point.
        let options = RemoveImageOptionsBuilder::default().force(false).build();
        for tag in &image.repo_tags {
            let _ = docker.remove_image(tag, Some(options.clone()), None).await;
        }
    }
}
