//! The init sequence, between the pause and the app containers: init containers one at a time,
//! in order, each to exit 0 (retried with backoff unless the pod's restartPolicy is Never), and
//! native sidecars started in their place in that order (the next step waits for the sidecar's
//! startupProbe if it has one, else for it to run).

use super::containers::{self, RestartInfo};
use super::hooks::{self, Hook};
use super::probe::{self, NetworkRoute};
use crate::error::{Error, Result};
use crate::manifest::RestartPolicy;
use crate::plan::{MemberRole, MemberSpec, Plan, ProbePlan};
use crate::state::backoff::Backoff;
use crate::state::probe::{ProbeKind, ProbeOutcome, ProbeState, ProbeTracker};
use crate::ui::{seconds, Event, Ui};
use bollard::query_parameters::WaitContainerOptionsBuilder;
use bollard::Docker;
use futures_util::StreamExt;
use std::sync::Mutex;
use std::time::Instant;

/// Runs the whole init sequence of `plan`; every container it creates is recorded in `created`
/// (for the caller's rollback). `route` reaches the pod for network hooks and startup probes.
pub(crate) async fn run(
    docker: &Docker,
    plan: &Plan,
    pause_id: &str,
    route: &NetworkRoute,
    ui: &Ui,
    created: &Mutex<Vec<(String, String)>>,
) -> Result<()> {
    for spec in &plan.init {
        match spec.role {
            MemberRole::Sidecar => {
                start_sidecar(docker, plan, spec, pause_id, route, ui, created).await?
            }
            _ => {
                let policy = plan.restart_policy;
                run_to_completion(docker, plan, policy, spec, pause_id, ui, created).await?
            }
        }
    }
    Ok(())
}

fn say(ui: &Ui, plan: &Plan, message: String) {
    ui.event(Event::Pod {
        pod: plan.pod.clone(),
        message,
    });
}

async fn run_to_completion(
    docker: &Docker,
    plan: &Plan,
    policy: RestartPolicy,
    spec: &MemberSpec,
    pause_id: &str,
    ui: &Ui,
    created: &Mutex<Vec<(String, String)>>,
) -> Result<()> {
    let mut backoff = Backoff::new();
    let mut restart = RestartInfo::default();
    let mut previous: Option<String> = None;
    loop {
        let started = Instant::now();
        let id = containers::recreate_member(docker, spec, pause_id, previous.as_deref(), &restart)
            .await?;
        record(created, spec, &id);
        let code = wait_exit(docker, &id, &spec.docker_name).await?;
        if code == 0 {
            say(
                ui,
                plan,
                format!(
                    "{}: init container completed ({})",
                    spec.docker_name,
                    seconds(started.elapsed())
                ),
            );
            return Ok(());
        }
        let tail = super::logs::tail(docker, &id, 10).await;
        if policy == RestartPolicy::Never {
            return Err(Error::Runtime(format!(
                "init container {} of pod {} failed with exit code {code} and restartPolicy is Never; its last output:\n{}",
                spec.name,
                plan.pod,
                super::logs::indented(&tail)
            )));
        }
        let delay = backoff.next_delay(started.elapsed());
        say(ui, plan, format!(
            "{}: init container failed with exit code {code}, retrying in {}s; its last output:\n{}",
            spec.docker_name,
            delay.as_secs(),
            super::logs::indented(&tail)
        ));
        tokio::time::sleep(delay).await;
        restart.restart_count += 1;
        restart.last_exit_code = Some(code);
        restart.last_reason = Some(format!("Error (exit {code})"));
        previous = Some(id);
    }
}

async fn start_sidecar(
    docker: &Docker,
    plan: &Plan,
    spec: &MemberSpec,
    pause_id: &str,
    route: &NetworkRoute,
    ui: &Ui,
    created: &Mutex<Vec<(String, String)>>,
) -> Result<()> {
    let started = Instant::now();
    let id =
        containers::recreate_member(docker, spec, pause_id, None, &RestartInfo::default()).await?;
    record(created, spec, &id);
    if let Some(check) = &spec.hooks.post_start {
        hooks::run(docker, Hook::PostStart, check, &id, route, plan.grace)
            .await
            .map_err(|why| {
                Error::Runtime(format!("sidecar {} of pod {}: {why}", spec.name, plan.pod))
            })?;
    }
    if let Some(startup) = &spec.probes.startup {
        wait_for_startup(docker, spec, &id, route, startup).await?;
    }
    say(
        ui,
        plan,
        format!(
            "{}: sidecar running ({})",
            spec.docker_name,
            seconds(started.elapsed())
        ),
    );
    Ok(())
}

/// The sidecar's startup probe, run here because the next init step waits for it, with the
/// supervisor's thresholds (`ProbeTracker`): due at `initialDelaySeconds`, then every
/// `periodSeconds` after the previous result, until it passes or fails for good.
async fn wait_for_startup(
    docker: &Docker,
    spec: &MemberSpec,
    id: &str,
    route: &NetworkRoute,
    startup: &ProbePlan,
) -> Result<()> {
    let started = Instant::now();
    let mut tracker = ProbeTracker::new(ProbeKind::Startup, startup);
    loop {
        tokio::time::sleep_until((started + tracker.next_due()).into()).await;
        let outcome = match probe::run(docker, &startup.check, id, route, tracker.timeout()).await {
            Ok(()) => ProbeOutcome::Success,
            Err(why) => ProbeOutcome::Failure(why),
        };
        match tracker.record(started.elapsed(), outcome) {
            Some(ProbeState::Passing) => return Ok(()),
            Some(ProbeState::Failing) => {
                return Err(Error::Runtime(format!(
                    "sidecar {}'s startup probe did not pass after {} tries: {}",
                    spec.name,
                    startup.failure_threshold,
                    tracker.last_failure().unwrap_or_default()
                )))
            }
            _ => {}
        }
    }
}

/// The container's exit code once it stops.
async fn wait_exit(docker: &Docker, id: &str, name: &str) -> Result<i64> {
    let options = WaitContainerOptionsBuilder::default()
        .condition("not-running")
        .build();
    match docker.wait_container(id, Some(options)).next().await {
        Some(Ok(r)) => Ok(r.status_code),
        Some(Err(bollard::errors::Error::DockerContainerWaitError { code, .. })) => Ok(code),
        Some(Err(e)) => Err(Error::docker("wait for init container", name, e)),
        None => Err(Error::Runtime(format!(
            "init container {name} vanished while podc waited for it"
        ))),
    }
}

fn record(created: &Mutex<Vec<(String, String)>>, spec: &MemberSpec, id: &str) {
    let mut list = created.lock().unwrap_or_else(|e| e.into_inner());
    // A retried init container replaced its previous attempt: track only the live one.
    list.retain(|(name, _)| name != &spec.docker_name);
    list.push((spec.docker_name.clone(), id.to_string()));
}
