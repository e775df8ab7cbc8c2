//! `podc up [-d] [FILE]`: manifest -> plan -> images -> apply, for every pod of the file in
//! parallel; a pod that already runs is reconciled (only what changed is touched). In the
//! foreground, the pods are followed until Ctrl-C/SIGTERM, then torn down in order.

use super::signals;
use crate::cli::UpArgs;
use crate::docker::inventory::{self, PodView};
use crate::docker::supervisor::{self, RecordSpec};
use crate::docker::{self, apply, handover, images, lock, pause_image, supervisor_image, teardown};
use crate::error::{Error, Result};
use crate::manifest::{self, Manifest, Pod, PullPolicy};
use crate::plan::{self, ImageRequest, Plan, PodObjects};
use crate::state::reconcile::{self, Change, MemberChanges};
use crate::ui::{seconds, Event, Ui};
use bollard::Docker;
use futures_util::future::{join_all, try_join_all};
use std::time::{Duration, Instant};

/// How long `up` waits for a new supervisor's first status line.
const SUPERVISOR_FIRST_REPORT: Duration = Duration::from_secs(15);

/// What every pod of one `up` shares.
struct Context<'a> {
    docker: Docker,
    ui: &'a Ui,
    args: &'a UpArgs,
    pause_image: String,
    supervisor_image: String,
    objects: PodObjects,
    file: String,
}

/// Brings every pod of the file up; returns the exit code (foreground: after teardown).
pub async fn up(args: UpArgs, ui: &Ui) -> Result<i32> {
    let manifest = manifest::load_manifest_file(&args.file)?;
    // The pull step reads the pods' imagePullSecrets from here (see `docker::auth`).
    docker::auth::remember_pull_secrets(&manifest);
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
    // The host supervisor runs before any pod is created: its pods' records find it there.
    let supervisor_image = async {
        let image = supervisor_image::ensure(&docker, ui).await?;
        supervisor::ensure_host(&docker, &image).await?;
        Ok::<_, Error>(image)
    };
    let (pause_image, supervisor_image) =
        tokio::try_join!(resolve_pause_image(&docker, &args, ui), supervisor_image)?;
    let context = Context {
        docker,
        ui,
        args: &args,
        pause_image,
        supervisor_image,
        objects: objects_of(&manifest),
        file: args.file.display().to_string(),
    };
    let bring_up = try_join_all(manifest.pods.iter().map(|pod| up_one(&context, pod)));
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
                remove_if_present(&context.docker, name, ui).await?;
            }
            return Ok(0);
        }
    }
    let codes = join_all(
        manifest
            .pods
            .iter()
            .map(|pod| super::foreground::follow(&context.docker, &pod.metadata.name, ui)),
    )
    .await;
    let mut worst = 0;
    for code in codes {
        worst = worst.max(code?);
    }
    Ok(worst)
}

fn objects_of(manifest: &Manifest) -> PodObjects {
    PodObjects {
        config_maps: manifest.config_maps.clone(),
        secrets: manifest.secrets.clone(),
    }
}

async fn resolve_pause_image(docker: &Docker, args: &UpArgs, ui: &Ui) -> Result<String> {
    match &args.pause_image {
        Some(image) => {
            let request = ImageRequest {
                image: image.clone(),
                policy: PullPolicy::IfNotPresent,
                used_by: vec!["the pause".into()],
            };
            images::resolve_all(docker, &[request], ui).await?;
            Ok(image.clone())
        }
        None => pause_image::ensure_builtin(docker, ui).await,
    }
}

/// One pod: created, left alone, partly changed, or rebuilt.
async fn up_one(cx: &Context<'_>, pod: &Pod) -> Result<()> {
    let started = Instant::now();
    let plan = plan::plan_with(pod, &cx.objects, &cx.pause_image, &cx.file);
    let name = &plan.pod;
    // Held until the pod is created or changed: a racing `up` or `down` of it waits meanwhile.
    let lock = lock::acquire(name, cx.ui).await;
    let existing = inventory::list(&cx.docker, Some(name))
        .await?
        .into_iter()
        .next();
    match existing
        .as_ref()
        .map(|e| reconcile::diff(e, &plan, cx.args.force_recreate))
    {
        None => create(cx, &plan, started).await?,
        Some(Change::Unchanged) => {
            say(
                cx.ui,
                name,
                format!("pod {name} is already running and unchanged"),
            );
            start_supervisor(cx, &plan).await?;
        }
        Some(Change::Rebuild { reason }) => {
            say(cx.ui, name, format!("pod {name}: rebuilding it: {reason}"));
            if let Some(existing) = &existing {
                teardown::teardown(&cx.docker, existing, cx.ui).await?;
            }
            create(cx, &plan, started).await?;
        }
        Some(Change::Members(changes)) => {
            let existing = existing
                .as_ref()
                .expect("a member diff comes from an existing pod");
            change_members(cx, &plan, existing, &changes).await?;
            start_supervisor(cx, &plan).await?;
        }
    }
    first_report(cx, &plan.pod).await;
    drop(lock);
    if cx.args.wait {
        super::wait::ready(
            &cx.docker,
            name,
            Duration::from_secs(cx.args.timeout),
            cx.ui,
        )
        .await?;
        say(cx.ui, name, format!("pod {name} is ready"));
    }
    Ok(())
}

/// A new pod: images first (a missing one must leave nothing behind), then apply, with the
/// spec record created as the members start.
async fn create(cx: &Context<'_>, plan: &Plan, started: Instant) -> Result<()> {
    images::resolve_all(&cx.docker, &plan.images, cx.ui).await?;
    let record = apply::Record {
        name: crate::labels::spec_name(&plan.pod),
        body: supervisor::record_body(&record_spec(cx, plan), &cx.supervisor_image),
    };
    apply::apply(&cx.docker, plan, cx.ui, Some(&record)).await?;
    say(cx.ui, &plan.pod, running_message(plan, started));
    Ok(())
}

/// Only some members changed: the supervisor lets the pod go first (it must not restart what
/// is being replaced), then each changed member is stopped gracefully and created again alone.
async fn change_members(
    cx: &Context<'_>,
    plan: &Plan,
    existing: &PodView,
    changes: &MemberChanges,
) -> Result<()> {
    for line in changes.describe(&plan.pod) {
        say(cx.ui, &plan.pod, line);
    }
    if let Some(record) = &existing.record {
        handover::release(&cx.docker, &plan.pod, record).await?;
        teardown::remove_one(&cx.docker, existing, record, cx.ui).await?;
    }
    let touched: Vec<&String> = changes
        .create
        .iter()
        .chain(&changes.recreate)
        .map(|(n, _)| n)
        .collect();
    let images: Vec<ImageRequest> = plan
        .images
        .iter()
        .filter(|r| r.used_by.iter().any(|u| touched.contains(&u)))
        .cloned()
        .collect();
    images::resolve_all(&cx.docker, &images, cx.ui).await?;
    let leaving = changes
        .remove
        .iter()
        .chain(&changes.recreate)
        .map(|(n, _)| n);
    for name in leaving {
        if let Some(c) = existing.containers.iter().find(|c| &c.name == name) {
            teardown::remove_one(&cx.docker, existing, c, cx.ui).await?;
        }
    }
    let pause_id = existing
        .pause
        .as_ref()
        .map(|p| p.id.clone())
        .unwrap_or_default();
    for name in touched {
        let Some(spec) = plan.members.iter().find(|m| &m.name == name) else {
            continue;
        };
        apply::start_member(&cx.docker, plan, spec, &pause_id, cx.ui).await?;
    }
    Ok(())
}

/// Writes the pod's spec record if it has none (a changed pod had it released): the host
/// supervisor takes the pod in hand as it appears.
async fn start_supervisor(cx: &Context<'_>, plan: &Plan) -> Result<()> {
    let spec = record_spec(cx, plan);
    let record = async {
        supervisor::ensure_record(&cx.docker, &spec, &cx.supervisor_image).await?;
        docker::holder::ensure(&cx.docker, plan).await
    };
    if let Err(e) = record.await {
        // An unsupervised pod is not what was asked for: take it down again.
        remove_if_present(&cx.docker, &plan.pod, cx.ui).await?;
        return Err(e);
    }
    Ok(())
}

fn record_spec<'a>(cx: &'a Context<'_>, plan: &'a Plan) -> RecordSpec<'a> {
    RecordSpec {
        plan,
        manifest: &cx.file,
    }
}

/// `up` returns once the supervisor has reported, so an immediate `ps` sees its verdict (it
/// took the pod in hand as the members started, so this is usually there already).
async fn first_report(cx: &Context<'_>, pod: &str) {
    if super::wait::supervised(&cx.docker, pod, SUPERVISOR_FIRST_REPORT)
        .await
        .is_none()
    {
        cx.ui.warn(&format!(
            "the supervisor has not reported on pod {pod} yet; `docker logs {}` shows why",
            crate::labels::HOST_SUPERVISOR
        ));
    }
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
    let count = plan.members.len();
    let mut message = format!(
        "pod {} is running: {count} container{} ({})",
        plan.pod,
        if count == 1 { "" } else { "s" },
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
