//! Docker's event stream, narrowed to one pod's containers: what the supervisor reacts to
//! instead of polling (an idle pod costs no CPU).

use crate::error::{Error, Result};
use crate::labels;
use crate::state::Role;
use bollard::models::EventMessage;
use bollard::query_parameters::EventsOptionsBuilder;
use bollard::Docker;
use futures_util::{Stream, StreamExt};
use std::collections::HashMap;

/// A container event of one pod, decoded from the labels Docker copies into every event.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PodEvent {
    pub action: Action,
    pub container_id: String,
    /// The member's manifest name; None for the pause (and other roles).
    pub member: Option<String>,
    /// `None` for a container of a role this podc never writes.
    pub role: Option<Role>,
    /// `die` events carry the exit code.
    pub exit_code: Option<i64>,
}

/// The container actions the supervisor cares about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    Start,
    Die,
    Oom,
    Destroy,
}

/// Events of `pod`'s containers from now on, the daemon first replaying those since `since`
/// (Unix seconds); the stream ends (with an error) when the daemon goes away.  bollard sends
/// the request only when the stream is first polled, so "subscribe, then read the state" leaves
/// a gap unless the subscription reaches back to before the read.
pub(crate) fn watch_since(
    docker: &Docker,
    pod: &str,
    since: Option<f64>,
) -> impl Stream<Item = Result<PodEvent>> + Send + use<> {
    let filters = HashMap::from([
        ("type".to_string(), vec!["container".to_string()]),
        ("label".to_string(), vec![format!("{}={pod}", labels::POD)]),
        (
            "event".to_string(),
            ["start", "die", "oom", "destroy"]
                .map(String::from)
                .to_vec(),
        ),
    ]);
    let mut options = EventsOptionsBuilder::default().filters(&filters).build();
    options.since = since.map(|s| format!("{s:.3}"));
    let pod = pod.to_string();
    docker.events(Some(options)).filter_map(move |item| {
        let pod = pod.clone();
        async move {
            match item {
                Ok(message) => decode(&message).map(Ok),
                Err(e) => Some(Err(Error::docker("watch the events of pod", &pod, e))),
            }
        }
    })
}

/// Turns one event into a `PodEvent`, or None for actions and shapes it does not care about.
pub(crate) fn decode(message: &EventMessage) -> Option<PodEvent> {
    let action = match message.action.as_deref()? {
        "start" => Action::Start,
        "die" => Action::Die,
        "oom" => Action::Oom,
        "destroy" => Action::Destroy,
        _ => return None,
    };
    let actor = message.actor.as_ref()?;
    let attributes = actor.attributes.clone().unwrap_or_default();
    Some(PodEvent {
        action,
        container_id: actor.id.clone().unwrap_or_default(),
        member: attributes.get(labels::CONTAINER).cloned(),
        role: Role::of(&attributes),
        exit_code: attributes.get("exitCode").and_then(|c| c.parse().ok()),
    })
}

/// Now, as Unix seconds, minus a margin for clock skew between podc and the daemon: a replayed
/// duplicate costs nothing (decisions ignore it), a missed event loses a restart.
pub(crate) fn since_now() -> f64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0);
    now - 2.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use bollard::models::EventActor;

    #[test]
    fn die_event_carries_member_and_exit_code() {
        let message = EventMessage {
            action: Some("die".into()),
            actor: Some(EventActor {
                id: Some("abc".into()),
                attributes: Some(HashMap::from([
                    ("io.podc.container".to_string(), "web".to_string()),
                    ("io.podc.role".to_string(), "container".to_string()),
                    ("exitCode".to_string(), "137".to_string()),
                ])),
            }),
            ..Default::default()
        };
        let event = decode(&message).unwrap();
        assert_eq!(event.action, Action::Die);
        assert_eq!(event.member.as_deref(), Some("web"));
        assert_eq!(event.role, Some(Role::App));
        assert_eq!(event.exit_code, Some(137));
        assert_eq!(event.container_id, "abc");
    }

    #[test]
    fn other_actions_are_ignored() {
        let message = EventMessage {
            action: Some("exec_start: ps".into()),
            ..Default::default()
        };
        assert_eq!(decode(&message), None);
    }
}
