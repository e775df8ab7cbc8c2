//! The host-wide supervisor (`podc supervise`, in the `podc-supervisor` container): one task
//! per pod (`run`), started when the pod's spec record appears and ended when the record is
//! released or removed. Every change of any pod's status is printed as one frame of all pods.
//!
//! The hand-over (`docker::handover`): a record renamed to its released name is acknowledged by
//! removing it, after the pod's task finished its current step and ended. Records are found by
//! subscribing first and listing second, so a rename is seen either way.

use super::run::{self, PodTask};
use crate::docker::events::since_now;
use crate::error::{Error, Result};
use crate::labels;
use crate::state::status::{StatusFrame, StatusLine};
use crate::state::Role;
use crate::ui::{OutputFormat, Ui};
use bollard::models::EventMessage;
use bollard::query_parameters::{EventsOptionsBuilder, ListContainersOptionsBuilder};
use bollard::Docker;
use futures_util::stream::{BoxStream, StreamExt};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

/// Pause between reconnects when the daemon's event stream breaks.
const RECONNECT_PAUSE: Duration = Duration::from_secs(1);
/// A pod's task that failed (its record could not be read, the daemon was away) starts over
/// this much later.
const TASK_RETRY: Duration = Duration::from_secs(5);

/// Supervises every pod on the daemon until SIGTERM (no handler: not a PID 1, so the default
/// action ends the process as the signal is sent).
pub(crate) async fn supervise(docker: Docker) -> Result<i32> {
    let (reports, mut reports_rx) = mpsc::unbounded_channel();
    let (ended, mut ended_rx) = mpsc::unbounded_channel();
    let mut host = Host {
        docker,
        frames: Ui::new(OutputFormat::Plain),
        ui: Arc::new(Ui::on_stderr()),
        tasks: HashMap::new(),
        statuses: BTreeMap::new(),
        reports,
        ended,
    };
    loop {
        let mut stream = host.subscribe().await;
        loop {
            tokio::select! {
                event = stream.next() => match event {
                    Some(Ok(event)) => host.on_event(&event),
                    // The daemon went away: subscribe and list again.
                    Some(Err(_)) | None => break,
                },
                Some(line) = reports_rx.recv() => host.report(line),
                Some(record) = ended_rx.recv() => host.forget(&record),
            }
        }
        tokio::time::sleep(RECONNECT_PAUSE).await;
    }
}

/// One pod's running task.
struct Task {
    stop: oneshot::Sender<()>,
    handle: JoinHandle<()>,
}

struct Host {
    docker: Docker,
    /// Stdout: the status frames only (`ps` reads the last line).
    frames: Ui,
    /// Stderr: what the pods' tasks report as they rebuild.
    ui: Arc<Ui>,
    /// By record ID.
    tasks: HashMap<String, Task>,
    /// Each supervised pod's latest status, by record ID.
    statuses: BTreeMap<String, StatusLine>,
    reports: mpsc::UnboundedSender<StatusLine>,
    /// Records whose task ended for good (released or removed).
    ended: mpsc::UnboundedSender<String>,
}

/// What a record event asks of the host supervisor. Pure, so it is tested by value.
#[derive(Debug, PartialEq, Eq)]
enum RecordChange {
    /// A live record: supervise its pod (if not already).
    Supervise { record: String },
    /// Released: end the task, then acknowledge by removing the record.
    Release { record: String },
    /// Removed: end the task.
    Gone { record: String },
}

/// The label filter that selects spec records.
fn records_label() -> String {
    format!("{}={}", labels::ROLE, Role::Spec.label())
}

fn record_change(event: &EventMessage) -> Option<RecordChange> {
    let actor = event.actor.as_ref()?;
    let record = actor.id.clone()?;
    let name = actor
        .attributes
        .as_ref()
        .and_then(|a| a.get("name"))
        .cloned()
        .unwrap_or_default();
    match event.action.as_deref()? {
        "create" | "rename" if labels::is_released_spec(&name) => {
            Some(RecordChange::Release { record })
        }
        "create" => Some(RecordChange::Supervise { record }),
        "destroy" => Some(RecordChange::Gone { record }),
        _ => None,
    }
}

impl Host {
    /// Subscribes to record events, then lists the records, so none is missed in between.
    async fn subscribe(&mut self) -> BoxStream<'static, std::result::Result<EventMessage, Error>> {
        let filters = HashMap::from([
            ("type".to_string(), vec!["container".to_string()]),
            ("label".to_string(), vec![records_label()]),
            (
                "event".to_string(),
                ["create", "rename", "destroy"].map(String::from).to_vec(),
            ),
        ]);
        let mut options = EventsOptionsBuilder::default().filters(&filters).build();
        options.since = Some(format!("{:.3}", since_now()));
        let stream = self
            .docker
            .events(Some(options))
            .map(|item| item.map_err(|e| Error::docker("watch the events of", "spec records", e)))
            .boxed();
        match self.list().await {
            Ok(records) => {
                let live: Vec<&String> = records.iter().map(|(id, _)| id).collect();
                let gone: Vec<String> = self
                    .tasks
                    .keys()
                    .filter(|id| !live.contains(id))
                    .cloned()
                    .collect();
                for record in gone {
                    self.end(record, false);
                }
                for (record, name) in records {
                    match labels::is_released_spec(&name) {
                        true => self.end(record, true),
                        false => self.start(record),
                    }
                }
            }
            Err(e) => self.ui.line(&format!("podc-supervisor: {e}")),
        }
        stream
    }

    /// Every spec record on the daemon: (ID, name).
    async fn list(&self) -> Result<Vec<(String, String)>> {
        let filters = HashMap::from([("label".to_string(), vec![records_label()])]);
        let options = ListContainersOptionsBuilder::default()
            .all(true)
            .filters(&filters)
            .build();
        let found = self
            .docker
            .list_containers(Some(options))
            .await
            .map_err(|e| Error::docker("list containers of", "spec records", e))?;
        Ok(found
            .into_iter()
            .filter_map(|c| {
                let name = c.names?.first()?.trim_start_matches('/').to_string();
                Some((c.id?, name))
            })
            .collect())
    }

    fn on_event(&mut self, event: &EventMessage) {
        match record_change(event) {
            Some(RecordChange::Supervise { record }) => self.start(record),
            Some(RecordChange::Release { record }) => self.end(record, true),
            Some(RecordChange::Gone { record }) => self.end(record, false),
            None => {}
        }
    }

    /// Starts the task of a record's pod, unless it runs.
    fn start(&mut self, record: String) {
        if self.tasks.contains_key(&record) {
            return;
        }
        let (stop, mut stop_rx) = oneshot::channel();
        let docker = self.docker.clone();
        let ui = self.ui.clone();
        let reports = self.reports.clone();
        let ended = self.ended.clone();
        let id = record.clone();
        let handle = tokio::spawn(async move {
            loop {
                let task = PodTask {
                    docker: docker.clone(),
                    record: id.clone(),
                    ui: ui.clone(),
                    reports: reports.clone(),
                };
                match run::supervise(task, &mut stop_rx).await {
                    Ok(()) => return,
                    Err(e) => ui.line(&format!("podc-supervisor: record {id}: {e}")),
                }
                // A record removed meanwhile (its destroy event may lie before a replayed
                // create): nothing left to supervise.
                if let Err(e) = docker.inspect_container(&id, None).await {
                    if crate::docker::is_not_found(&e) {
                        let _ = ended.send(id.clone());
                        return;
                    }
                }
                tokio::select! {
                    _ = &mut stop_rx => return,
                    _ = tokio::time::sleep(TASK_RETRY) => {}
                }
            }
        });
        self.tasks.insert(record, Task { stop, handle });
    }

    /// Ends the task of a record's pod (if any) off the loop; `acknowledge` then removes the
    /// record, which tells the waiting `down` or `up` that nothing acts on the pod any more.
    fn end(&mut self, record: String, acknowledge: bool) {
        let task = self.tasks.remove(&record);
        let docker = self.docker.clone();
        let ended = self.ended.clone();
        let ui = self.ui.clone();
        tokio::spawn(async move {
            if let Some(task) = task {
                let _ = task.stop.send(());
                let _ = task.handle.await;
            }
            let _ = ended.send(record.clone());
            if acknowledge {
                if let Err(e) = crate::docker::containers::remove(&docker, &record, &record).await {
                    ui.line(&format!("podc-supervisor: {e}"));
                }
            }
        });
    }

    /// A pod's new status: printed with every other pod's as one frame.
    fn report(&mut self, line: StatusLine) {
        // A report that crossed its task's end is history.
        if !self.tasks.contains_key(&line.record) {
            return;
        }
        self.statuses.insert(line.record.clone(), line.clone());
        self.print();
        // A note is news once: later frames repeat the state without it.
        if let Some(stored) = self.statuses.get_mut(&line.record) {
            stored.note = None;
        }
    }

    fn forget(&mut self, record: &str) {
        // A task that ended by itself (its record was gone) leaves its entry behind.
        if self
            .tasks
            .get(record)
            .is_some_and(|t| t.handle.is_finished())
        {
            self.tasks.remove(record);
        }
        if self.statuses.remove(record).is_some() {
            self.print();
        }
    }

    fn print(&self) {
        let mut pods: Vec<StatusLine> = self.statuses.values().cloned().collect();
        pods.sort_by(|a, b| a.pod.cmp(&b.pod));
        self.frames.line(&StatusFrame { pods }.to_line());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bollard::models::EventActor;

    fn event(action: &str, name: &str) -> EventMessage {
        EventMessage {
            action: Some(action.into()),
            actor: Some(EventActor {
                id: Some("rec1".into()),
                attributes: Some(HashMap::from([("name".to_string(), name.to_string())])),
            }),
            ..Default::default()
        }
    }

    #[test]
    fn a_new_record_is_supervised_and_a_released_one_acknowledged() {
        let record = "rec1".to_string();
        assert_eq!(
            record_change(&event("create", "blog_SPEC")),
            Some(RecordChange::Supervise {
                record: record.clone()
            })
        );
        let released = labels::released_spec_name("blog", "rec1");
        assert_eq!(
            record_change(&event("rename", &released)),
            Some(RecordChange::Release {
                record: record.clone()
            })
        );
        assert_eq!(
            record_change(&event("destroy", "blog_SPEC")),
            Some(RecordChange::Gone { record })
        );
        // A rename to anything else is not a release.
        assert_eq!(record_change(&event("rename", "blog_SPEC")), None);
        assert_eq!(record_change(&event("start", "blog_SPEC")), None);
    }
}
