//! A pod's plan, read from its spec record: the plan `up` stored in the record's environment,
//! or for a record of podc before the stored plan, its pod spec planned again (`legacy`) with
//! what the running containers hold.

use super::legacy::{legacy_plan, Previous};
use crate::docker::inventory;
use crate::error::{Error, Result};
use crate::labels;
use crate::manifest::Pod;
use crate::plan::{stored, Plan};
use bollard::Docker;
use std::collections::HashMap;

/// The plan in the spec record `record` (its ID or name).
pub(crate) async fn plan_of(docker: &Docker, record: &str) -> Result<Plan> {
    let inspected = docker
        .inspect_container(record, None)
        .await
        .map_err(|e| Error::docker("inspect container", record, e))?;
    let config = inspected.config.unwrap_or_default();
    let found = config.labels.unwrap_or_default();
    match found.contains_key(labels::PLAN_FORMAT) {
        true => stored::from_env(&config.env.unwrap_or_default())
            .map_err(|e| Error::Runtime(format!("the spec record {record} cannot be used: {e}"))),
        false => load_legacy(docker, record, &found).await,
    }
}

/// The plan of a pod whose record was written by podc before the stored plan: its spec label
/// planned again, with what its running containers hold.
async fn load_legacy(
    docker: &Docker,
    record: &str,
    found: &HashMap<String, String>,
) -> Result<Plan> {
    let label = |key: &str| {
        found.get(key).cloned().ok_or_else(|| {
            Error::Runtime(format!(
                "container {record} has no label {key}: it was not created by this podc"
            ))
        })
    };
    let pod: Pod = serde_json::from_str(&label(labels::SPEC)?).map_err(|e| {
        Error::Runtime(format!(
            "the pod spec in {record}'s labels cannot be read: {e}"
        ))
    })?;
    let mut previous = HashMap::new();
    let mut pause_hash = None;
    if let Some(view) = inventory::list(docker, Some(&pod.metadata.name))
        .await?
        .into_iter()
        .next()
    {
        for c in &view.containers {
            previous.insert(c.name.clone(), previous_of(docker, &c.id).await);
        }
        pause_hash = view.pause.and_then(|p| p.config_hash);
    }
    Ok(legacy_plan(
        &pod,
        &label(labels::PAUSE_IMAGE)?,
        &label(labels::MANIFEST)?,
        &previous,
        pause_hash.as_deref(),
    ))
}

/// The env and config hash of a running container (empty if it is gone).
async fn previous_of(docker: &Docker, id: &str) -> Previous {
    let Ok(inspected) = docker.inspect_container(id, None).await else {
        return Previous::default();
    };
    let config = inspected.config.unwrap_or_default();
    Previous {
        env: config.env.unwrap_or_default(),
        config_hash: config
            .labels
            .and_then(|l| l.get(labels::CONFIG_HASH).cloned()),
    }
}
