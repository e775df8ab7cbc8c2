//! `podc down [FILE|POD]... | --all`: the targets read (manifest files or pod names), then the
//! engine's `down`.

use super::args::DownArgs;
use crate::docker;
use crate::engine::{self, down::DownRequest};
use crate::error::{Error, Result};
use crate::manifest;
use crate::ui::Ui;
use serde::Deserialize;
use std::path::Path;

/// Tears down the named pods; a pod that does not exist is not an error.
pub(crate) async fn down(args: DownArgs, ui: &Ui) -> Result<i32> {
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
    let request = DownRequest {
        names,
        volumes: args.volumes,
    };
    engine::down::down(&docker, &request, ui).await?;
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
