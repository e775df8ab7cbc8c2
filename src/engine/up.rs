//! `up` as an engine operation: every pod of a manifest planned, then created, left alone,
//! partly changed or rebuilt (`state::reconcile` decides), with its spec record for the host
//! supervisor; `--wait` follows the supervisor until the pods are ready.

use crate::docker::inventory::{self, PodView};
use crate::docker::supervisor::{self, RecordSpec};
use crate::docker::{self, apply, handover, images, lock, pause_image, supervisor_image, teardown};
use crate::error::{Error, Result};
use crate::manifest::{Manifest, Pod, PullPolicy};
use crate::plan::{self, ImageRequest, Plan, PodObjects};
use crate::state::reconcile::{self, Change, MemberChanges};
use crate::ui::{seconds, Event, Ui};
use bollard::Docker;
use futures_util::future::try_join_all;
use std::time::{Duration, Instant};

/// How long `up` waits for a new supervisor's first status line.
const SUPERVISOR_FIRST_REPORT: Duration = Duration::from_secs(15);

/// What the user asked of `up`, beyond the manifest.
#[derive(Debug, Clone, Default)]
pub(crate) struct UpOptions {
    /// Recreate every container even when nothing changed.
    pub force_recreate: bool,
    /// Return only once every pod is ready, waiting at most this long.
    pub wait: Option<Duration>,
    /// Another pause image than podc's own.
    pub pause_image: Option<String>,
    /// The manifest's path, recorded on every container.
    pub file: String,
}

/// One `up`: the images every pod shares are there, the host supervisor runs.
pub(crate) struct Session<'a> {
    pub docker: Docker,
    ui: &'a Ui,
    options: UpOptions,
    pause_image: String,
    supervisor_image: String,
    objects: PodObjects,
}

impl<'a> Session<'a> {
    /// Makes sure the pause and supervisor images exist and the host supervisor runs (before
    /// any pod is created: its pods' records find it there).
    pub(crate) async fn start(
        docker: Docker,
        manifest: &Manifest,
        options: UpOptions,
        ui: &'a Ui,
    ) -> Result<Session<'a>> {
        let supervisor_image = async {
            let image = supervisor_image::ensure(&docker, ui).await?;
            supervisor::ensure_host(&docker, &image).await?;
            Ok::<_, Error>(image)
        };
        let (pause_image, supervisor_image) = tokio::try_join!(
            resolve_pause_image(&docker, options.pause_image.as_deref(), ui),
            supervisor_image
        )?;
        Ok(Session {
            docker,
            ui,
            options,
            pause_image,
            supervisor_image,
            objects: objects_of(manifest),
        })
    }

    /// Brings every pod up, in parallel.
    pub(crate) async fn up_all(&self, pods: &[Pod]) -> Result<()> {
        try_join_all(pods.iter().map(|pod| up_one(self, pod))).await?;
        Ok(())
    }

    /// Removes whatever exists of pod `name` (an interrupted `up`).
    pub(crate) async fn remove(&self, name: &str) -> Result<()> {
        remove_if_present(&self.docker, name, self.ui).await
    }
}

fn objects_of(manifest: &Manifest) -> PodObjects {
    PodObjects {
        config_maps: manifest.config_maps.clone(),
        secrets: manifest.secrets.clone(),
    }
}

async fn resolve_pause_image(
    docker: &Docker,
    pause_image: Option<&str>,
    ui: &Ui,
) -> Result<String> {
    match pause_image {
        Some(image) => {
            let request = ImageRequest {
                image: image.to_string(),
                policy: PullPolicy::IfNotPresent,
                used_by: vec!["the pause".into()],
            };
            images::resolve_all(docker, &[request], &[], ui).await?;
            Ok(image.to_string())
        }
        None => pause_image::ensure_builtin(docker, ui).await,
    }
}

/// One pod: created, left alone, partly changed, or rebuilt.
async fn up_one(cx: &Session<'_>, pod: &Pod) -> Result<()> {
    let started = Instant::now();
    let plan = plan::plan_with(pod, &cx.objects, &cx.pause_image, &cx.options.file);
    let name = &plan.pod;
    // What planning could not honour (an envFrom key that is no variable name...): the kubelet
    // reports these as events; podc says them once per `up`.
    for note in &plan.notes {
        cx.ui.warn(&format!("pod {name}: {note}"));
    }
    // Held until the pod is created or changed: a racing `up` or `down` of it waits meanwhile.
    let lock = lock::acquire(name, cx.ui).await;
    let existing = inventory::list(&cx.docker, Some(name))
        .await?
        .into_iter()
        .next();
    match existing
        .as_ref()
        .map(|e| reconcile::diff(e, &plan, cx.options.force_recreate))
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
    if let Some(timeout) = cx.options.wait {
        super::wait::ready(&cx.docker, name, timeout, cx.ui).await?;
        say(cx.ui, name, format!("pod {name} is ready"));
    }
    Ok(())
}

/// A new pod: images first (a missing one must leave nothing behind), then apply, with the
/// spec record created as the members start.
async fn create(cx: &Session<'_>, plan: &Plan, started: Instant) -> Result<()> {
    images::resolve_all(&cx.docker, &plan.images, &plan.pull_credentials, cx.ui).await?;
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
    cx: &Session<'_>,
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
    images::resolve_all(&cx.docker, &images, &plan.pull_credentials, cx.ui).await?;
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
async fn start_supervisor(cx: &Session<'_>, plan: &Plan) -> Result<()> {
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

fn record_spec<'a>(cx: &'a Session<'_>, plan: &'a Plan) -> RecordSpec<'a> {
    RecordSpec {
        plan,
        manifest: &cx.options.file,
    }
}

/// `up` returns once the supervisor has reported, so an immediate `ps` sees its verdict (it
/// took the pod in hand as the members started, so this is usually there already).
async fn first_report(cx: &Session<'_>, pod: &str) {
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
