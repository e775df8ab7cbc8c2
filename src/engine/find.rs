//! Finding a pod and one of its members by name, with errors that say how to find them.

use crate::docker::inventory::{self, ContainerView, PodView};
use crate::error::{Error, Result};
use bollard::Docker;

/// The pod called `name`, or an error that says how to find pods.
pub(crate) async fn find_pod(docker: &Docker, name: &str) -> Result<PodView> {
    inventory::list(docker, Some(name))
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| {
            Error::Runtime(format!(
                "pod {name} does not exist\n  hint: `podc ps` lists the pods podc runs"
            ))
        })
}

/// A member of `pod` by its manifest name, or the first member when `name` is None.
pub(crate) fn find_member<'a>(pod: &'a PodView, name: Option<&str>) -> Result<&'a ContainerView> {
    let names = || {
        pod.containers
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match name {
        Some(name) => pod
            .containers
            .iter()
            .find(|c| c.name == name)
            .ok_or_else(|| {
                Error::Input(format!(
                    "pod {} has no container {name}; its containers: {}",
                    pod.name,
                    names()
                ))
            }),
        None => pod
            .containers
            .first()
            .ok_or_else(|| Error::Runtime(format!("pod {} has no containers left", pod.name))),
    }
}
