//! `podc down [FILE|POD]... | --all`: find pods by label, tear them down in parallel.

use crate::cli::DownArgs;
use crate::docker::{self, inventory, lock, teardown};
use crate::error::{Error, Result};
use crate::manifest;
use crate::ui::{Event, Ui};
use futures_util::future::join_all;
use serde::Deserialize;
use std::path::Path;

/// Tears down the named pods; a pod that does not exist is not an error.
pub async fn down(args: DownArgs, ui: &Ui) -> Result<i32> {
    let names = if args.all {
        None
    } else {
        let targets = match args.targets.is_empty() {
            true => vec!["pod.yaml".to_string()],
            false => args.targets.clone(),
        };
        let mut names = Vec::new();
        for target in &targets {
            names.extend(pod_names(target, ui)?);
        }
        Some(names)
    };
    let docker = docker::connect().await?;
    // Named pods are locked (in name order) before they are listed: an `up` creating one of
    // them finishes first, so what it made is seen and removed, never left behind.
    let mut _locks = Vec::new();
    if let Some(names) = &names {
        let mut sorted: Vec<&String> = names.iter().collect();
        sorted.sort();
        sorted.dedup();
        for name in sorted {
            _locks.push(lock::acquire(name, ui).await);
        }
    }
    let pods = inventory::list(&docker, None).await?;
    let chosen: Vec<_> = match &names {
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
    if args.all && chosen.is_empty() {
        ui.event(Event::Pod {
            pod: String::new(),
            message: "no pods: nothing to do".into(),
        });
    }
    let results = join_all(
        chosen
            .iter()
            .map(|pod| teardown::teardown(&docker, pod, ui)),
    )
    .await;
    results.into_iter().collect::<Result<Vec<_>>>()?;
    if args.all {
        // Every pod is gone: so is what supervised them (the next `up` starts it again).
        docker::supervisor::remove_host(&docker).await?;
    }
    // A pod without containers may still have volumes: an `up` killed (or failed) between
    // creating them and creating its pause left them. They carry the pod's label: remove them.
    if let Some(names) = &names {
        for name in names.iter().filter(|n| !pods.iter().any(|p| &&p.name == n)) {
            let errors = docker::volumes::remove_pod_volumes(&docker, Some(name), false, ui).await;
            if let Some(first) = errors.into_iter().next() {
                return Err(first);
            }
        }
    }
    if args.volumes {
        // After the containers: claims (and volumes of pods already gone), by label only.
        let targets: Vec<Option<&str>> = match &names {
            None => vec![None],
            Some(names) => names.iter().map(|n| Some(n.as_str())).collect(),
        };
        for pod in targets {
            let errors = docker::volumes::remove_pod_volumes(&docker, pod, true, ui).await;
            if let Some(first) = errors.into_iter().next() {
                return Err(first);
            }
        }
    }
    Ok(0)
}

/// A target is a manifest file (every Pod in it) when one exists at that path, otherwise a pod
/// name.
fn pod_names(target: &str, ui: &Ui) -> Result<Vec<String>> {
    let path = Path::new(target);
    if path.is_file() {
        return match manifest::load_manifest_file(path) {
            Ok(loaded) => Ok(loaded.pods.into_iter().map(|p| p.metadata.name).collect()),
            // A broken manifest must not keep its running pods from being torn down.
            Err(e) => match names_only(path) {
                names if !names.is_empty() => {
                    ui.warn(&format!(
                        "{} has errors; tearing down pod {} anyway",
                        path.display(),
                        names.join(", ")
                    ));
                    Ok(names)
                }
                _ => Err(e.into()),
            },
        };
    }
    let looks_like_file =
        target.ends_with(".yaml") || target.ends_with(".yml") || target.contains('/');
    if looks_like_file || manifest::dns_subdomain(target).is_err() {
        return Err(Error::Input(format!(
            "{target} is neither a manifest file nor a pod name\n  hint: give a pod manifest, a pod name from `podc ps`, or --all"
        )));
    }
    Ok(vec![target.to_string()])
}

/// The `metadata.name` of every Pod document of a file that does not validate.
fn names_only(path: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    serde_yaml::Deserializer::from_str(&text)
        .filter_map(|doc| serde_yaml::Value::deserialize(doc).ok())
        .filter(|v| v.get("kind").and_then(|k| k.as_str()) == Some("Pod"))
        .filter_map(|v| v.get("metadata")?.get("name")?.as_str().map(str::to_string))
        .collect()
}
