//! Foreground `podc up`: the members' logs, prefixed, followed across restarts; the
//! supervisor's notes; Ctrl-C/SIGTERM tears the pod down (exit 0); a pod that finished under
//! its restart policy is torn down with its outcome (Succeeded 0, Failed 1).

use super::signals;
use crate::docker::events::{self, Action};
use crate::docker::inventory;
use crate::docker::logs::{self, Prefixing, Source};
use crate::docker::teardown;
use crate::error::Result;
use crate::state::status::StatusLine;
use crate::state::{Phase, Role};
use crate::ui::{Event, Ui};
use bollard::Docker;
use futures_util::stream::{select_all, BoxStream, StreamExt};
use std::collections::HashSet;

/// Follows the pod until a signal or until it finished; then tears it down.
pub(super) async fn follow(docker: &Docker, pod_name: &str, ui: &Ui) -> Result<i32> {
    ui.finish();
    // Subscribe before listing, so a member restarted in between is not missed.
    let mut pod_events = events::watch_since(docker, pod_name, Some(events::since_now())).boxed();
    let pod = crate::engine::find::find_pod(docker, pod_name).await?;
    let names: Vec<String> = pod.containers.iter().map(|c| c.name.clone()).collect();
    let prefixing = Prefixing {
        width: names.iter().map(String::len).max().unwrap_or(0),
        color: ui.is_tty(),
        show: true,
    };
    let index_of = |name: &str| names.iter().position(|n| n == name).unwrap_or(0);
    let mut followed: HashSet<String> = HashSet::new();
    let mut member_logs = select_all(Vec::<BoxStream<'static, Result<String>>>::new());
    for c in &pod.containers {
        followed.insert(c.id.clone());
        let source = Source {
            id: c.id.clone(),
            label: c.name.clone(),
        };
        member_logs.push(logs::lines(
            docker,
            &source,
            index_of(&c.name),
            true,
            None,
            prefixing,
        ));
    }
    let record = pod.live_record().map(|r| r.id.clone());
    let mut status = crate::engine::wait::statuses(docker, pod_name, record, "0");
    let shutdown = signals::shutdown();
    tokio::pin!(shutdown);

    let finished: Option<StatusLine> = loop {
        tokio::select! {
            _ = &mut shutdown => break None,
            Some(item) = member_logs.next() => {
                // A log stream that broke (container removed mid-read) is not fatal here.
                if let Ok(text) = item {
                    ui.line(&text);
                }
            }
            Some(Ok(event)) = pod_events.next() => {
                let restarted = event.action == Action::Start && event.role.is_some_and(Role::is_member);
                if let (true, Some(name)) = (restarted, event.member.as_deref()) {
                    if followed.insert(event.container_id.clone()) {
                        let source = Source { id: event.container_id.clone(), label: name.to_string() };
                        member_logs.push(logs::lines(docker, &source, index_of(name), true, None, prefixing));
                    }
                }
            }
            Some(snapshot) = status.next() => {
                if let Some(note) = &snapshot.note {
                    ui.event(Event::Pod { pod: pod_name.to_string(), message: format!("podc: {note}") });
                }
                if snapshot.is_finished() {
                    break Some(snapshot);
                }
            }
        }
    };
    let message = match &finished {
        None => format!("stopping pod {pod_name}"),
        Some(line) => format!("pod {pod_name} {}: removing it", line.phase),
    };
    ui.event(Event::Pod {
        pod: pod_name.to_string(),
        message,
    });
    if let Some(current) = inventory::list(docker, Some(pod_name))
        .await?
        .into_iter()
        .next()
    {
        teardown::teardown(docker, &current, ui).await?;
    }
    Ok(match finished {
        Some(line) if line.phase != Phase::Succeeded => 1,
        _ => 0,
    })
}
