//! `podc up [-d] [FILE]`: the manifest loaded and checked, then the engine's `up` for every pod
//! of the file in parallel. In the foreground, the pods are followed until Ctrl-C/SIGTERM, then
//! torn down in order.

use super::args::UpArgs;
use super::signals;
use crate::docker;
use crate::engine::up::{Session, UpOptions};
use crate::error::{Error, Result};
use crate::manifest;
use crate::ui::{Event, Ui};
use futures_util::future::join_all;
use std::time::Duration;

/// Brings every pod of the file up; returns the exit code (foreground: after teardown).
pub(crate) async fn up(args: UpArgs, ui: &Ui) -> Result<i32> {
    let manifest = manifest::load_manifest_file(&args.file)?;
    for warning in &manifest.warnings {
        ui.warn(&warning.to_string());
    }
    if manifest.pods.is_empty() {
        return Err(Error::Input(format!(
            "{} holds no Pod: nothing to run\n  hint: podc runs `kind: Pod` documents (with the ConfigMaps and Secrets they use)",
            args.file.display()
        )));
    }
    let docker = docker::connect().await?;
    let options = UpOptions {
        force_recreate: args.force_recreate,
        wait: args.wait.then(|| Duration::from_secs(args.timeout)),
        pause_image: args.pause_image.clone(),
        file: args.file.display().to_string(),
    };
    let session = Session::start(docker, &manifest, options, ui).await?;
    let bring_up = session.up_all(&manifest.pods);
    if args.detach {
        bring_up.await?;
        return Ok(0);
    }
    tokio::select! {
        brought = bring_up => { brought?; }
        _ = signals::shutdown() => {
            // Interrupted while starting: whatever exists carries the pod label, so remove by label.
            for pod in &manifest.pods {
                let name = &pod.metadata.name;
                say(ui, name, format!("interrupted: removing pod {name}"));
                session.remove(name).await?;
            }
            return Ok(0);
        }
    }
    let codes = join_all(
        manifest
            .pods
            .iter()
            .map(|pod| super::foreground::follow(&session.docker, &pod.metadata.name, ui)),
    )
    .await;
    let mut worst = 0;
    for code in codes {
        worst = worst.max(code?);
    }
    Ok(worst)
}

fn say(ui: &Ui, pod: &str, message: String) {
    ui.event(Event::Pod {
        pod: pod.to_string(),
        message,
    });
}
