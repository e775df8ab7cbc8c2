//! `down` as an engine operation: pods found by label, locked, torn down in parallel (members
//! gracefully, then the pause), then the volumes podc labelled for them.

use crate::docker::{self, inventory, lock, teardown};
use crate::error::Result;
use crate::ui::{Event, Ui};
use bollard::Docker;
use futures_util::future::join_all;

/// Which pods `down` removes, and whether their claims go too.
#[derive(Debug, Clone, Default)]
pub(crate) struct DownRequest {
    /// These pods; `None`: every pod (and the host supervisor).
    pub names: Option<Vec<String>>,
    /// Also the claim volumes (which survive a plain `down`).
    pub volumes: bool,
}

/// Tears down the requested pods; a pod that does not exist is not an error.
pub(crate) async fn down(docker: &Docker, request: &DownRequest, ui: &Ui) -> Result<()> {
    // Named pods are locked (in name order) before they are listed: an `up` creating one of
    // them finishes first, so what it made is seen and removed, never left behind.
    let mut _locks = Vec::new();
    if let Some(names) = &request.names {
        let mut sorted: Vec<&String> = names.iter().collect();
        sorted.sort();
        sorted.dedup();
        for name in sorted {
            _locks.push(lock::acquire(name, ui).await);
        }
    }
    let pods = inventory::list(docker, None).await?;
    let chosen: Vec<_> = match &request.names {
        None => pods.iter().collect(),
        Some(names) => {
            for name in names.iter().filter(|n| !pods.iter().any(|p| &&p.name == n)) {
                ui.event(Event::Pod {
                    pod: name.clone(),
                    message: format!("pod {name} does not exist: nothing to do"),
                });
            }
            pods.iter().filter(|p| names.contains(&p.name)).collect()
        }
    };
    if request.names.is_none() && chosen.is_empty() {
        ui.event(Event::Pod {
            pod: String::new(),
            message: "no pods: nothing to do".into(),
        });
    }
    let results = join_all(chosen.iter().map(|pod| teardown::teardown(docker, pod, ui))).await;
    results.into_iter().collect::<Result<Vec<_>>>()?;
    if request.names.is_none() {
        // Every pod is gone: so is what supervised them (the next `up` starts it again).
        docker::supervisor::remove_host(docker).await?;
    }
    // A pod without containers may still have volumes: an `up` killed (or failed) between
    // creating them and creating its pause left them. They carry the pod's label: remove them.
    if let Some(names) = &request.names {
        for name in names.iter().filter(|n| !pods.iter().any(|p| &&p.name == n)) {
            let errors = docker::volumes::remove_pod_volumes(docker, Some(name), false, ui).await;
            if let Some(first) = errors.into_iter().next() {
                return Err(first);
            }
        }
    }
    if request.volumes {
        // After the containers: claims (and volumes of pods already gone), by label only.
        let targets: Vec<Option<&str>> = match &request.names {
            None => vec![None],
            Some(names) => names.iter().map(|n| Some(n.as_str())).collect(),
        };
        for pod in targets {
            let errors = docker::volumes::remove_pod_volumes(docker, pod, true, ui).await;
            if let Some(first) = errors.into_iter().next() {
                return Err(first);
            }
        }
    }
    Ok(())
}
