//! One pod's supervision, a task of the host supervisor (`supervise::host`): Docker's event
//! stream and the probes' timers feed facts into the pure `PodSupervisor`, and the actions it
//! returns are carried out here. Nothing polls: an idle pod without probes costs no CPU.

use crate::docker::apply;
use crate::docker::containers::{self, RestartInfo};
use crate::docker::events::{self, Action as DockerAction, PodEvent};
use crate::docker::probe::{self, NetworkRoute};
use crate::docker::{guard, inventory};
use crate::error::Result;
use crate::labels;
use crate::plan::Plan;
use crate::state::decide::{Action, Fact, PodSupervisor};
use crate::state::probe::{ProbeKind, ProbeOutcome};
use crate::state::status::{MemberLine, StatusLine};
use crate::state::Role;
use crate::ui::Ui;
use bollard::query_parameters::StopContainerOptionsBuilder;
use bollard::Docker;
use futures_util::stream::{BoxStream, StreamExt};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot};

/// After a failed rebuild (e.g. the host port is still held), try again this much later.
const REBUILD_RETRY: Duration = Duration::from_secs(10);
/// Pause between reconnects when the daemon's event stream breaks.
const RECONNECT_PAUSE: Duration = Duration::from_secs(1);
/// `up` creates the spec record while it starts the members, so they may still be `created`
/// when the supervisor first looks; one still not started this much later was left so by an
/// interrupted `up`, and is started (a pause: the pod rebuilt) like any stopped one.
const NEVER_STARTED_GRACE: Duration = Duration::from_secs(30);
const NEVER_STARTED: &str = "it was created but never started";

/// What a pod's task needs from the host supervisor.
pub(crate) struct PodTask {
    pub docker: Docker,
    /// The ID of the pod's spec record, whose labels hold the spec.
    pub record: String,
    pub ui: Arc<Ui>,
    /// Every status change goes here (the host supervisor prints them as frames).
    pub reports: mpsc::UnboundedSender<StatusLine>,
}

/// Supervises one pod until `stop` fires. The loop checks `stop` only between steps, so once
/// it returns, nothing it started (a restart, a rebuild) is half done.
pub(crate) async fn supervise(task: PodTask, stop: &mut oneshot::Receiver<()>) -> Result<()> {
    let mut supervisor = Supervisor::load(task).await?;
    supervisor.run(stop).await
}

/// One probe's result, sent back from its task.
struct ProbeDone {
    member: String,
    kind: ProbeKind,
    outcome: ProbeOutcome,
}

struct Member {
    id: Option<String>,
}

struct Supervisor {
    docker: Docker,
    ui: Arc<Ui>,
    record: String,
    reports: mpsc::UnboundedSender<StatusLine>,
    plan: Plan,
    decisions: PodSupervisor,
    clock: Instant,
    pause_id: Option<String>,
    /// A pause that `up` is starting right now (state `created`): its start event is awaited.
    pause_starting: Option<String>,
    route: Option<NetworkRoute>,
    members: HashMap<String, Member>,
    restarts_due: Vec<(Duration, String, String)>,
    rebuild_due: Option<(Duration, String)>,
    oom_killed: HashSet<String>,
    note: Option<String>,
    last: Option<StatusLine>,
}

impl Supervisor {
    /// Reads the pod's plan from its record: the plan `up` stored, or for a record of an
    /// earlier podc, the pod spec in its label planned again (`legacy`).
    async fn load(task: PodTask) -> Result<Supervisor> {
        let PodTask {
            docker,
            record,
            ui,
            reports,
        } = task;
        let plan = super::record::plan_of(&docker, &record).await?;
        let members = plan
            .supervised_members()
            .map(|m| {
                let member = Member { id: None };
                (m.name.clone(), member)
            })
            .collect();
        Ok(Supervisor {
            decisions: PodSupervisor::new(&plan),
            docker,
            ui,
            record,
            reports,
            plan,
            clock: Instant::now(),
            pause_id: None,
            pause_starting: None,
            route: None,
            members,
            restarts_due: Vec::new(),
            rebuild_due: None,
            oom_killed: HashSet::new(),
            note: None,
            last: None,
        })
    }

    fn now(&self) -> Duration {
        self.clock.elapsed()
    }

    async fn run(&mut self, stop: &mut oneshot::Receiver<()>) -> Result<()> {
        let (probe_tx, mut probe_rx) = mpsc::channel::<ProbeDone>(64);
        let mut stream = self.subscribe().await?;
        loop {
            self.publish();
            let wake = self.next_wakeup().map(|at| self.clock + at);
            let sleep = async {
                match wake {
                    Some(at) => tokio::time::sleep_until(at.into()).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                // Checked first: a released pod gets no further step.
                biased;
                _ = &mut *stop => return Ok(()),
                event = stream.next() => match event {
                    Some(Ok(event)) => self.on_event(event).await,
                    // The daemon went away (restart, upgrade): reconnect and re-read the pod.
                    Some(Err(_)) | None => {
                        tokio::time::sleep(RECONNECT_PAUSE).await;
                        if let Ok(fresh) = self.subscribe().await {
                            stream = fresh;
                        }
                    }
                },
                Some(done) = probe_rx.recv() => {
                    let fact = Fact::ProbeResult { member: done.member, kind: done.kind, outcome: done.outcome, at: self.now() };
                    let actions = self.decisions.handle(fact);
                    self.act(actions).await;
                }
                _ = sleep => self.on_timer(&probe_tx).await,
            }
        }
    }

    /// Subscribes first, then reads the pod, so no event falls between the two.
    async fn subscribe(&mut self) -> Result<BoxStream<'static, Result<PodEvent>>> {
        let stream =
            events::watch_since(&self.docker, &self.plan.pod, Some(events::since_now())).boxed();
        self.reconcile().await?;
        Ok(stream)
    }

    /// Feeds what Docker says now into the decisions, as if it had just happened.
    async fn reconcile(&mut self) -> Result<()> {
        let view = inventory::list(&self.docker, Some(&self.plan.pod))
            .await?
            .into_iter()
            .next();
        let now = self.now();
        let pause = view.as_ref().and_then(|v| v.pause.clone());
        // What an earlier supervisor counted, from the labels: the decisions own the counts.
        if let Some(view) = &view {
            let restarts: Vec<(String, u32)> = view
                .containers
                .iter()
                .map(|c| (c.name.clone(), c.restart_count))
                .collect();
            self.decisions.adopt_counts(&restarts, view.pod_restarts);
        }
        self.pause_starting = None;
        match pause {
            // The record may appear while the pause starts: the pause's start event brings
            // the supervisor back here; a pause never started at all is rebuilt after the grace.
            Some(p) if p.state.never_started() => {
                self.pause_id = None;
                self.pause_starting = Some(p.id);
                let reason = "its pause was created but never started".to_string();
                self.rebuild_due = Some((now + NEVER_STARTED_GRACE, reason));
                return Ok(());
            }
            Some(p) if p.state.is_running() => {
                if self.pause_id.as_deref() != Some(p.id.as_str()) {
                    self.route = Some(self.route_for(&p.id).await);
                }
                self.pause_id = Some(p.id);
            }
            _ => {
                self.pause_id = None;
                let actions = self.decisions.handle(Fact::PauseDied { at: now });
                self.act(actions).await;
                return Ok(());
            }
        }
        let found: Vec<_> = view.map(|v| v.containers).unwrap_or_default();
        let names: Vec<String> = self.members.keys().cloned().collect();
        for name in names {
            let current = found.iter().find(|c| c.name == name);
            let known_id = self.members[&name].id.clone();
            match current {
                Some(c) if known_id.as_deref() == Some(c.id.as_str()) => continue,
                Some(c) => {
                    let member = self
                        .members
                        .get_mut(&name)
                        .expect("member names come from the map");
                    member.id = Some(c.id.clone());
                    if c.state.never_started() {
                        // Being started by `up` right now: its start event says when it runs.
                        let at = now + NEVER_STARTED_GRACE;
                        self.restarts_due
                            .push((at, name.clone(), NEVER_STARTED.into()));
                        continue;
                    }
                    let mut actions = self.decisions.handle(Fact::MemberStarted {
                        member: name.clone(),
                        at: now,
                    });
                    if !c.state.is_running() {
                        actions.extend(self.decisions.handle(Fact::MemberExited {
                            member: name.clone(),
                            exit_code: c.exit_code.unwrap_or(-1),
                            oom_killed: false,
                            at: now,
                        }));
                    }
                    self.act(actions).await;
                }
                // Someone removed it: it runs again, like any exit under the restart policy.
                None => self
                    .restarts_due
                    .push((now, name.clone(), "container was removed".into())),
            }
        }
        Ok(())
    }

    async fn route_for(&self, pause_id: &str) -> NetworkRoute {
        NetworkRoute::for_pause(&self.docker, &self.plan.pause.image, pause_id).await
    }

    async fn on_event(&mut self, event: PodEvent) {
        let now = self.now();
        if event.role == Some(Role::Pause) {
            if event.action == DockerAction::Start
                && self.pause_starting.as_deref() == Some(event.container_id.as_str())
            {
                self.rebuild_due = None;
                if let Err(e) = self.reconcile().await {
                    self.note = Some(format!("reading the pod back failed: {e}"));
                }
                return;
            }
            if event.action == DockerAction::Die
                && self.pause_id.as_deref() == Some(event.container_id.as_str())
            {
                self.pause_id = None;
                let actions = self.decisions.handle(Fact::PauseDied { at: now });
                self.act(actions).await;
            }
            return;
        }
        let Some(name) = event.member.clone() else {
            return;
        };
        // Events of containers this supervisor already replaced are history.
        let is_current = self.members.get(&name).and_then(|m| m.id.as_deref())
            == Some(event.container_id.as_str());
        if !is_current {
            return;
        }
        let fact = match event.action {
            DockerAction::Oom => {
                self.oom_killed.insert(event.container_id);
                return;
            }
            DockerAction::Start => {
                // Started after all (by `up`, or by hand): no restart is due any more.
                self.restarts_due.retain(|(_, m, _)| m != &name);
                Fact::MemberStarted {
                    member: name,
                    at: now,
                }
            }
            DockerAction::Die => Fact::MemberExited {
                member: name,
                exit_code: event.exit_code.unwrap_or(-1),
                oom_killed: self.oom_killed.remove(&event.container_id),
                at: now,
            },
            DockerAction::Destroy => return,
        };
        let actions = self.decisions.handle(fact);
        self.act(actions).await;
    }

    async fn act(&mut self, actions: Vec<Action>) {
        let now = self.now();
        for action in actions {
            match action {
                Action::RestartMember {
                    member,
                    after,
                    reason,
                } => {
                    self.note = Some(format!(
                        "{member} will restart in {}s: {reason}",
                        after.as_secs()
                    ));
                    self.restarts_due.push((now + after, member, reason));
                }
                Action::KillMember { member, reason } => {
                    self.note = Some(format!("killing {member}: {reason}"));
                    if let Some(id) = self.members.get(&member).and_then(|m| m.id.clone()) {
                        // Stopped with its grace period, off the loop; the die event that
                        // follows goes through the restart policy.
                        let docker = self.docker.clone();
                        let (pod, grace) = (self.plan.pod.clone(), self.plan.grace);
                        tokio::spawn(async move {
                            if guard::container(&docker, &id, Some(&pod)).await.is_err() {
                                return;
                            }
                            let options = StopContainerOptionsBuilder::default()
                                .t(grace.as_secs() as i32)
                                .build();
                            let docker = docker.with_timeout(grace + Duration::from_secs(60));
                            let _ = docker.stop_container(&id, Some(options)).await;
                        });
                    }
                }
                Action::RebuildPod { reason } => {
                    self.note = Some(format!("rebuilding the pod: {reason}"));
                    self.rebuild_due = Some((now, reason));
                }
                Action::PodFinished { phase } => {
                    self.note = Some(format!("pod finished: {}", phase.as_str()));
                }
            }
        }
    }

    fn next_wakeup(&self) -> Option<Duration> {
        let restarts = self.restarts_due.iter().map(|(at, _, _)| *at);
        let rebuild = self.rebuild_due.iter().map(|(at, _)| *at);
        restarts
            .chain(rebuild)
            .chain(self.decisions.next_wakeup())
            .min()
    }

    async fn on_timer(&mut self, probe_tx: &mpsc::Sender<ProbeDone>) {
        let now = self.now();
        if let Some((at, reason)) = self.rebuild_due.clone() {
            if at <= now {
                self.rebuild_due = None;
                self.rebuild(&reason).await;
                return;
            }
        }
        let (due, later): (Vec<_>, Vec<_>) = self
            .restarts_due
            .drain(..)
            .partition(|(at, _, _)| *at <= now);
        self.restarts_due = later;
        for (_, member, reason) in due {
            self.restart(&member, &reason).await;
        }
        // Each due probe is handed out once, until its result comes back.
        for (member, kind) in self.decisions.due_probes(now) {
            self.spawn_probe(member, kind, probe_tx.clone());
        }
    }

    async fn restart(&mut self, name: &str, reason: &str) {
        let Some(pause_id) = self.pause_id.clone() else {
            return;
        };
        let Some(spec) = self.plan.member(name).cloned() else {
            return;
        };
        let Some(member) = self.members.get_mut(name) else {
            return;
        };
        let old = member.id.take();
        let info = RestartInfo {
            restart_count: self.decisions.replacing(name),
            last_exit_code: None,
            last_reason: Some(reason.to_string()),
        };
        match containers::recreate_member(&self.docker, &spec, &pause_id, old.as_deref(), &info)
            .await
        {
            Ok(id) => {
                self.note = Some(format!("restarted {name} ({reason})"));
                if let Some(member) = self.members.get_mut(name) {
                    member.id = Some(id.clone());
                }
                // A failed postStart kills the container; its exit goes through the policy.
                let route = match self.route.clone() {
                    Some(route) => route,
                    None => self.route_for(&pause_id).await,
                };
                if let Err(e) =
                    apply::post_start(&self.docker, &self.plan, &spec, &id, &route).await
                {
                    self.note = Some(e.to_string());
                    if guard::container(&self.docker, &id, Some(&self.plan.pod))
                        .await
                        .is_ok()
                    {
                        let no_options = None::<bollard::query_parameters::KillContainerOptions>;
                        let _ = self.docker.kill_container(&id, no_options).await;
                    }
                }
            }
            // The pause is gone or the daemon failed: the pause's die event or the next
            // reconcile takes it from here.
            Err(e) => self.note = Some(format!("cannot restart {name}: {e}")),
        }
    }

    /// The pause died: every member still holds the dead namespaces, so all of them go, a new
    /// pause is created (same ports), and the members are created again joined to it.
    async fn rebuild(&mut self, reason: &str) {
        // Normally there since `up`; one missing (removed by hand) is made now, before
        // anything is created on the volumes.
        if let Err(e) = crate::docker::holder::ensure(&self.docker, &self.plan).await {
            self.note = Some(format!(
                "cannot hold the memory-backed volumes, retrying in {}s: {e}",
                REBUILD_RETRY.as_secs()
            ));
            self.rebuild_due = Some((self.now() + REBUILD_RETRY, reason.to_string()));
            return;
        }
        self.replace_pod(reason).await;
    }

    /// Removes every container of the pod and creates it again from the plan.
    async fn replace_pod(&mut self, reason: &str) {
        if let Ok(Some(view)) = inventory::list(&self.docker, Some(&self.plan.pod))
            .await
            .map(|v| v.into_iter().next())
        {
            for c in view.containers.iter().chain(view.pause.iter()) {
                let owned = guard::check(
                    "container",
                    &c.docker_name,
                    c.pod_label.as_ref(),
                    Some(&self.plan.pod),
                );
                if owned.is_ok() {
                    // A failure shows when the new pod is created (its name is still taken).
                    let _ = containers::remove(&self.docker, &c.id, &c.docker_name).await;
                }
            }
        }
        for member in self.members.values_mut() {
            member.id = None;
        }
        let mut plan = self.plan.clone();
        let restarts = self.decisions.rebuilding().to_string();
        let all_labels = std::iter::once(&mut plan.pause.labels)
            .chain(plan.members.iter_mut().map(|m| &mut m.labels))
            .chain(plan.init.iter_mut().map(|m| &mut m.labels));
        for set in all_labels {
            set.insert(labels::POD_RESTARTS.into(), restarts.clone());
        }
        // `reapply`, not `apply`: hostPath checks were made on the user's host by `up`; this
        // runs in the supervisor's container, where those paths do not exist.
        match apply::reapply(&self.docker, &plan, &self.ui).await {
            Ok(_) => {
                self.note = Some(format!("pod rebuilt ({reason})"));
                let actions = self.decisions.handle(Fact::PodRebuilt { at: self.now() });
                self.act(actions).await;
                // Every container is new (sidecars included): read them back from Docker, which
                // also tells the decisions each one started.
                self.pause_id = None;
                if let Err(e) = self.reconcile().await {
                    self.note = Some(format!("pod rebuilt, but reading it back failed: {e}"));
                }
            }
            Err(e) => {
                self.note = Some(format!(
                    "cannot rebuild the pod, retrying in {}s: {e}",
                    REBUILD_RETRY.as_secs()
                ));
                self.rebuild_due = Some((self.now() + REBUILD_RETRY, reason.to_string()));
            }
        }
    }

    /// Runs one probe in its own task; a result always comes back, or the probe would never be
    /// due again.
    fn spawn_probe(&self, member: String, kind: ProbeKind, done: mpsc::Sender<ProbeDone>) {
        let m = self.members.get(&member);
        let probe = self.decisions.probe(&member, kind).cloned();
        let prepared = match (probe, m.and_then(|m| m.id.clone()), self.route.clone()) {
            (Some(probe), Some(id), Some(route)) => Ok((probe, id, route)),
            _ => Err(format!("{member} has no running container to probe")),
        };
        let docker = self.docker.clone();
        tokio::spawn(async move {
            let outcome = match prepared {
                Ok((probe, id, route)) => {
                    match probe::run(&docker, &probe.check, &id, &route, probe.timeout()).await {
                        Ok(()) => ProbeOutcome::Success,
                        Err(message) => ProbeOutcome::Failure(message),
                    }
                }
                Err(message) => ProbeOutcome::Failure(message),
            };
            let _ = done
                .send(ProbeDone {
                    member,
                    kind,
                    outcome,
                })
                .await;
        });
    }

    /// Prints a status line when the state changed (or there is news).
    fn publish(&mut self) {
        let members = self.decisions.status();
        let line = StatusLine {
            pod: self.plan.pod.clone(),
            record: self.record.clone(),
            phase: self.decisions.phase(),
            pod_restarts: self.decisions.pod_restart_count(),
            containers: members
                .into_iter()
                .map(|m| MemberLine {
                    restart_count: m.restart_count,
                    name: m.name,
                    running: m.running,
                    ready: m.ready,
                    last_exit_code: m.last_exit_code,
                    last_reason: m.last_reason,
                    last_probe_failure: m.last_probe_failure,
                })
                .collect(),
            note: self.note.take(),
        };
        let changed = self.last.as_ref().is_none_or(|last| !line.same_state(last));
        if changed || line.note.is_some() {
            // The host supervisor outlives its pods' tasks: a closed channel cannot happen.
            let _ = self.reports.send(line.clone());
            self.last = Some(line);
        }
    }
}
