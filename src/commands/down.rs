//! `podc down [FILE|POD]... | --all`: find pods by label, tear them down in parallel.

use crate::cli::DownArgs;
use crate::docker::{self, inventory, teardown};
use crate::error::{Error, Result};
use crate::manifest;
use crate::ui::{Event, Ui};
use futures_util::future::join_all;
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
        Some(
            targets
                .iter()
                .map(|t| pod_name(t, ui))
                .collect::<Result<Vec<_>>>()?,
        )
    };
    let docker = docker::connect().await?;
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
    Ok(0)
}

/// A target is a manifest file when one exists at that path, otherwise a pod name.
fn pod_name(target: &str, ui: &Ui) -> Result<String> {
    let path = Path::new(target);
    if path.is_file() {
        return match manifest::load_file(path) {
            Ok(loaded) => Ok(loaded.pod.metadata.name),
            // A broken manifest must not keep its running pod from being torn down.
            Err(e) => match name_only(path) {
                Some(name) => {
                    ui.warn(&format!(
                        "{} has errors; tearing down pod {name} anyway",
                        path.display()
                    ));
                    Ok(name)
                }
                None => Err(e.into()),
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
    Ok(target.to_string())
}

/// `metadata.name` of a file that does not validate, if it has one.
fn name_only(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let value: serde_yaml::Value = serde_yaml::from_str(&text).ok()?;
    value
        .get("metadata")?
        .get("name")?
        .as_str()
        .map(str::to_string)
}
