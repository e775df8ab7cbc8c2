//! `podc up -d --wait`: follow the supervisor's status until every member runs and is ready,
//! or the timeout runs out (exit 1, naming what is not ready and its last probe result).

use crate::docker::logs;
use crate::error::{Error, Result};
use crate::labels;
use crate::state::status::{MemberLine, StatusFrame, StatusLine};
use crate::state::Phase;
use crate::ui::{ContainerState, Event, Ui};
use bollard::query_parameters::LogsOptionsBuilder;
use bollard::Docker;
use futures_util::stream::{BoxStream, StreamExt};
use std::time::{Duration, Instant};

/// Waits for readiness; Ok once ready (or the pod Succeeded), Err on timeout or failure.
pub(crate) async fn ready(docker: &Docker, pod: &str, timeout: Duration, ui: &Ui) -> Result<()> {
    let started = Instant::now();
    let record = record_id(docker, pod).await;
    // The last frames so far and every new one: a snapshot that is already ready counts.
    let mut statuses = statuses(docker, pod, record, "20");
    let mut last: Option<StatusLine> = None;
    let deadline = tokio::time::sleep(timeout);
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            _ = &mut deadline => return Err(not_ready(pod, timeout, last.as_ref())),
            status = statuses.next() => {
                let Some(status) = status else {
                    return Err(Error::Runtime(format!(
                        "pod {pod}: the supervisor stopped while podc waited for readiness\n  hint: `podc logs {pod}` and `docker logs {}` show why",
                        labels::HOST_SUPERVISOR
                    )));
                };
                report(pod, &status, started, ui);
                if let Some(outcome) = outcome(pod, &status) {
                    return outcome;
                }
                last = Some(status);
            }
        }
    }
}

/// The supervisor's latest status of `pod`, waiting up to `timeout` for its first one: `up`
/// returns only once its pod is supervised, so an immediate `ps` sees its verdict.
pub(crate) async fn supervised(
    docker: &Docker,
    pod: &str,
    timeout: Duration,
) -> Option<StatusLine> {
    let record = record_id(docker, pod).await?;
    // Usually reported already: the latest frame, read whole even when Docker's log driver cut
    // it into entries (many pods), and read from one entry when it was not.
    let latest = crate::docker::supervisor::last_frame(docker).await;
    if let Some(line) = latest.as_ref().and_then(|f| f.pod(pod, Some(&record))) {
        return Some(line.clone());
    }
    let mut statuses = statuses(docker, pod, Some(record), "1");
    tokio::time::timeout(timeout, statuses.next())
        .await
        .ok()
        .flatten()
}

/// The ID of the pod's live spec record (None: it has none).
pub(crate) async fn record_id(docker: &Docker, pod: &str) -> Option<String> {
    docker
        .inspect_container(&labels::spec_name(pod), None)
        .await
        .ok()?
        .id
}

/// `pod`'s statuses in the supervisor's frames, from the last `tail` frames on, as it works
/// from `record` (from any record when None). Ends when the supervisor's log does.
pub(crate) fn statuses(
    docker: &Docker,
    pod: &str,
    record: Option<String>,
    tail: &str,
) -> BoxStream<'static, StatusLine> {
    let options = LogsOptionsBuilder::default()
        .stdout(true)
        .follow(true)
        .tail(tail)
        .build();
    let mut pending = Vec::new();
    let pod = pod.to_string();
    docker
        .logs(labels::HOST_SUPERVISOR, Some(options))
        .take_while(|chunk| std::future::ready(chunk.is_ok()))
        .filter_map(|chunk| async move { chunk.ok() })
        .flat_map(move |chunk| {
            let found: Vec<StatusLine> = logs::split_lines(&mut pending, &chunk.into_bytes())
                .iter()
                .filter_map(|l| StatusFrame::last_in(l))
                .filter_map(|frame| frame.pod(&pod, record.as_deref()).cloned())
                .collect();
            futures_util::stream::iter(found)
        })
        .boxed()
}

/// Done waiting? Ready (or Succeeded) is Ok, Failed is an error, anything else is not yet.
fn outcome(pod: &str, status: &StatusLine) -> Option<Result<()>> {
    match status.phase {
        Phase::Succeeded => Some(Ok(())),
        Phase::Failed => Some(Err(Error::Runtime(format!(
            "pod {pod} failed while podc waited for it: {}",
            describe(&status.containers)
        )))),
        _ if !status.containers.is_empty()
            && status.containers.iter().all(|c| c.running && c.ready) =>
        {
            Some(Ok(()))
        }
        _ => None,
    }
}

fn report(pod: &str, status: &StatusLine, started: Instant, ui: &Ui) {
    for c in &status.containers {
        let (state, detail) = match (c.running, c.ready) {
            (true, true) => (ContainerState::Ready, None),
            (true, false) => (ContainerState::Waiting, Some(waiting_for(c))),
            (false, _) => (
                ContainerState::Waiting,
                Some(
                    c.last_reason
                        .clone()
                        .unwrap_or_else(|| "not running".into()),
                ),
            ),
        };
        ui.event(Event::Container {
            pod: pod.to_string(),
            container: labels::member_name(pod, &c.name),
            state,
            elapsed: started.elapsed(),
            detail,
        });
    }
}

fn waiting_for(c: &MemberLine) -> String {
    match &c.last_probe_failure {
        Some(failure) => format!("not ready: {failure}"),
        None => "waiting for its probes".into(),
    }
}

fn not_ready(pod: &str, timeout: Duration, last: Option<&StatusLine>) -> Error {
    let detail = match last {
        Some(status) => describe(&status.containers),
        None => "its supervisor reported nothing".into(),
    };
    Error::Runtime(format!(
        "pod {pod} is not ready after {}s: {detail}\n  hint: `podc ps {pod}` shows the probes' last results; `podc logs {pod}` the containers' output",
        timeout.as_secs()
    ))
}

/// "web (not ready: HTTP probe failed with statuscode: 503), blog (Error (exit 1))".
fn describe(containers: &[MemberLine]) -> String {
    let not_ready: Vec<String> = containers
        .iter()
        .filter(|c| !(c.running && c.ready))
        .map(|c| {
            let why = match (c.running, &c.last_probe_failure, &c.last_reason) {
                (true, Some(f), _) => format!("not ready: {f}"),
                (true, None, _) => "not ready: no probe result yet".into(),
                (false, _, Some(r)) => format!("not running: {r}"),
                (false, _, None) => "not running".into(),
            };
            format!("{} ({why})", c.name)
        })
        .collect();
    not_ready.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(name: &str, running: bool, ready: bool, failure: Option<&str>) -> MemberLine {
        MemberLine {
            name: name.into(),
            running,
            ready,
            restart_count: 0,
            last_exit_code: None,
            last_reason: None,
            last_probe_failure: failure.map(str::to_string),
        }
    }

    fn status(phase: Phase, containers: Vec<MemberLine>) -> StatusLine {
        StatusLine {
            pod: "p".into(),
            record: "r".into(),
            phase,
            pod_restarts: 0,
            containers,
            note: None,
        }
    }

    #[test]
    fn ready_when_every_member_runs_and_is_ready() {
        let all = status(
            Phase::Running,
            vec![member("a", true, true, None), member("b", true, true, None)],
        );
        assert!(matches!(outcome("p", &all), Some(Ok(()))));
        let one_waiting = status(
            Phase::Running,
            vec![
                member("a", true, true, None),
                member("b", true, false, None),
            ],
        );
        assert!(outcome("p", &one_waiting).is_none());
    }

    #[test]
    fn a_failed_pod_ends_the_wait_with_an_error() {
        let failed = status(Phase::Failed, vec![member("a", false, false, None)]);
        assert!(matches!(outcome("p", &failed), Some(Err(_))));
    }

    #[test]
    fn timeout_names_each_container_and_its_last_probe_result() {
        let last = status(
            Phase::Running,
            vec![
                member(
                    "web",
                    true,
                    false,
                    Some("HTTP probe failed with statuscode: 503"),
                ),
                member("db", true, true, None),
            ],
        );
        let message = not_ready("p", Duration::from_secs(6), Some(&last)).to_string();
        assert!(message.starts_with("pod p is not ready after 6s: web (not ready: HTTP probe failed with statuscode: 503)"), "{message}");
        assert!(!message.contains("db"), "{message}");
    }
}
