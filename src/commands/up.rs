//! `podc up [-d] [FILE]`: manifest -> plan -> images -> apply; in the foreground, stream the
//! members' logs until Ctrl-C/SIGTERM, then tear down in order.

use super::signals;
use crate::cli::UpArgs;
use crate::docker::inventory::{self, PodView};
use crate::docker::supervisor::{self, SupervisorSpec};
use crate::docker::{self, apply, images, pause_image, supervisor_image, teardown};
use crate::error::Result;
use crate::manifest::{self, PullPolicy};
use crate::plan::{self, ImageRequest, Plan};
use crate::ui::{seconds, Event, Ui};
use bollard::Docker;
use std::time::Instant;

/// Brings the pod up; returns the exit code (foreground: after teardown).
pub async fn up(args: UpArgs, ui: &Ui) -> Result<i32> {
    let started = Instant::now();
    let loaded = manifest::load_file(&args.file)?;
    for warning in &loaded.warnings {
        ui.warn(&warning.to_string());
    }
    let docker = docker::connect().await?;
    let pause_image = match &args.pause_image {
        Some(image) => {
            let request = ImageRequest {
                image: image.clone(),
                policy: PullPolicy::IfNotPresent,
                used_by: vec!["the pause".into()],
            };
            images::resolve_all(&docker, &[request], ui).await?;
            image.clone()
        }
        None => pause_image::ensure_builtin(&docker, ui).await?,
    };
    let plan = plan::plan(&loaded.pod, &pause_image, &args.file.display().to_string());

    if let Some(existing) = inventory::list(&docker, Some(&plan.pod))
        .await?
        .into_iter()
        .next()
    {
        if is_unchanged(&existing, &plan) {
            say(
                ui,
                &plan.pod,
                format!("pod {} is already running and unchanged", plan.pod),
            );
            start_supervisor(&docker, &plan, &loaded.pod, ui).await?;
            return match args.detach {
                true => wait_if_asked(&docker, &plan.pod, &args, ui).await,
                false => super::foreground::follow(&docker, &plan.pod, ui).await,
            };
        }
        say(
            ui,
            &plan.pod,
            format!(
                "pod {} exists but differs from {}: recreating it",
                plan.pod,
                args.file.display()
            ),
        );
        teardown::teardown(&docker, &existing, ui).await?;
    }

    // Every image first: a missing one must leave nothing behind.
    images::resolve_all(&docker, &plan.images, ui).await?;
    if args.detach {
        apply::apply(&docker, &plan, &loaded.pod, ui).await?;
    } else {
        tokio::select! {
            applied = apply::apply(&docker, &plan, &loaded.pod, ui) => { applied?; }
            _ = signals::shutdown() => {
                // Interrupted mid-apply: whatever exists carries the pod label, so remove by label.
                say(ui, &plan.pod, format!("interrupted: removing pod {}", plan.pod));
                remove_if_present(&docker, &plan.pod, ui).await?;
                return Ok(0);
            }
        }
    }
    if let Err(e) = start_supervisor(&docker, &plan, &loaded.pod, ui).await {
        // An unsupervised pod is not what was asked for: take it down again.
        remove_if_present(&docker, &plan.pod, ui).await?;
        return Err(e);
    }
    say(ui, &plan.pod, running_message(&plan, started));
    match args.detach {
        true => wait_if_asked(&docker, &plan.pod, &args, ui).await,
        false => super::foreground::follow(&docker, &plan.pod, ui).await,
    }
}

/// `--wait`: block until every member is ready, or fail naming what is not.
async fn wait_if_asked(docker: &Docker, pod: &str, args: &UpArgs, ui: &Ui) -> Result<i32> {
    if args.wait {
        super::wait::ready(
            docker,
            pod,
            std::time::Duration::from_secs(args.timeout),
            ui,
        )
        .await?;
        say(ui, pod, format!("pod {pod} is ready"));
    }
    Ok(0)
}

/// Starts (or takes over) the pod's supervisor container; it carries the pod's spec in a label.
async fn start_supervisor(
    docker: &Docker,
    plan: &Plan,
    pod: &manifest::Pod,
    ui: &Ui,
) -> Result<()> {
    let image = supervisor_image::ensure(docker, ui).await?;
    let spec_json = serde_json::to_string(pod).map_err(|e| {
        crate::error::Error::Runtime(format!("cannot record pod {}'s spec: {e}", plan.pod))
    })?;
    let spec = SupervisorSpec {
        pod: &plan.pod,
        spec_json: &spec_json,
        pause_image: &plan.pause.image,
        manifest: plan
            .pause
            .labels
            .get(crate::labels::MANIFEST)
            .map(String::as_str)
            .unwrap_or(""),
        grace_seconds: plan.grace.as_secs(),
    };
    supervisor::ensure_running(docker, &spec, &image).await?;
    if super::wait::supervised(docker, &plan.pod, SUPERVISOR_FIRST_REPORT).await.is_none() {
        ui.warn(&format!(
            "the supervisor of pod {} has not reported yet; `docker logs {}` shows why",
            plan.pod,
            crate::labels::supervisor_name(&plan.pod)
        ));
    }
    Ok(())
}

/// How long `up` waits for a new supervisor's first status line.
const SUPERVISOR_FIRST_REPORT: std::time::Duration = std::time::Duration::from_secs(15);

/// Same configuration hash on the pause and on every member, and everything running.
fn is_unchanged(existing: &PodView, plan: &Plan) -> bool {
    let pause_ok = existing.pause.as_ref().is_some_and(|p| {
        p.state == "running" && p.config_hash.as_deref() == Some(plan.config_hash.as_str())
    });
    let members_ok = existing.containers.len() == plan.members.len()
        && plan.members.iter().all(|m| {
            existing.containers.iter().any(|c| {
                c.name == m.name
                    && c.state == "running"
                    && c.config_hash.as_deref()
                        == m.labels.get(crate::labels::CONFIG_HASH).map(String::as_str)
            })
        });
    pause_ok && members_ok
}

fn running_message(plan: &Plan, started: Instant) -> String {
    let ports: Vec<String> = plan
        .pause
        .ports
        .iter()
        .map(|p| {
            format!(
                "{}:{}->{}/{}",
                p.host_ip.as_deref().unwrap_or("0.0.0.0"),
                p.host_port,
                p.container_port,
                p.protocol
            )
        })
        .collect();
    let mut message = format!(
        "pod {} is running: {} container{} ({})",
        plan.pod,
        plan.members.len(),
        if plan.members.len() == 1 { "" } else { "s" },
        seconds(started.elapsed())
    );
    if !ports.is_empty() {
        message.push_str(&format!(", ports {}", ports.join(", ")));
    }
    message
}

async fn remove_if_present(docker: &Docker, pod: &str, ui: &Ui) -> Result<()> {
    if let Some(existing) = inventory::list(docker, Some(pod)).await?.into_iter().next() {
        teardown::teardown(docker, &existing, ui).await?;
    }
    Ok(())
}

fn say(ui: &Ui, pod: &str, message: String) {
    ui.event(Event::Pod {
        pod: pod.to_string(),
        message,
    });
}
