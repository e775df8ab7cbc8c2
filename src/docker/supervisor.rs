//! The host-wide supervisor and the pods' spec records.
//!
//! One container, `podc-supervisor` (podc itself, `podc supervise`, with the Docker socket),
//! supervises every pod on the daemon; Docker restarts it (`unless-stopped`) if it crashes and
//! after a daemon restart. Each pod has a spec record `<pod>_SPEC`: a container that is never
//! started, whose labels carry the pod's spec. The supervisor takes a pod in hand when its
//! record appears and lets it go when the record is released (`handover`). The supervisor
//! prints every pod's status as one JSON line on stdout, which `ps` and `up` read.

use crate::error::{Error, Result};
use crate::labels;
use crate::plan::{stored, Plan};
use crate::state::status::StatusFrame;
use crate::state::Role;
use bollard::models::{
    ContainerCreateBody, ContainerInspectResponse, HostConfig, HostConfigLogConfig, RestartPolicy,
    RestartPolicyNameEnum,
};
use bollard::query_parameters::CreateContainerOptionsBuilder;
use bollard::Docker;
use std::collections::HashMap;

/// Where the supervisor finds the Docker socket inside its container.
const SOCKET_IN_CONTAINER: &str = "/var/run/docker.sock";
/// How long `ensure_host` keeps looking while racing `up`s replace the supervisor.
const RACE_DEADLINE: std::time::Duration = std::time::Duration::from_secs(15);
/// Its pause between looks (a forced removal takes the daemon about 100 ms).
const RACE_PAUSE: std::time::Duration = std::time::Duration::from_millis(50);

/// What a pod's spec record carries.
pub(crate) struct RecordSpec<'a> {
    /// The plan the supervisor works from (stored in the record's environment).
    pub plan: &'a Plan,
    pub manifest: &'a str,
}

/// The spec record's container: created from the supervisor image (any image would do, this one
/// is always there), never started, on no network. Its labels say whose it is; its environment
/// holds the plan (`plan::stored`).
pub(crate) fn record_body(spec: &RecordSpec<'_>, image: &str) -> ContainerCreateBody {
    let plan = spec.plan;
    let labels = HashMap::from([
        (labels::POD.to_string(), plan.pod.clone()),
        (labels::ROLE.to_string(), Role::Spec.label().to_string()),
        (labels::PLAN_FORMAT.to_string(), stored::FORMAT.to_string()),
        // The plan's whole-pod hash: a changed spec replaces the record (`reconcile`).
        (labels::CONFIG_HASH.to_string(), plan.config_hash.clone()),
        (labels::PAUSE_IMAGE.to_string(), plan.pause.image.clone()),
        (labels::MANIFEST.to_string(), spec.manifest.to_string()),
        (
            labels::GRACE_SECONDS.to_string(),
            plan.grace.as_secs().to_string(),
        ),
    ]);
    ContainerCreateBody {
        image: Some(image.to_string()),
        // Started by hand by mistake, it prints podc's version and exits.
        entrypoint: Some(vec![super::supervisor_image::BINARY_IN_IMAGE.to_string()]),
        cmd: Some(vec!["--version".to_string()]),
        env: Some(vec![stored::to_env(plan)]),
        labels: Some(labels),
        host_config: Some(HostConfig {
            network_mode: Some("none".into()),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// How many log entries `last_frame` reads at most: Docker's json-file and journald drivers
/// cut a line into entries of 16 KiB, and a frame of many pods (about 220 bytes each) is one
/// line; 512 entries hold a frame of some 35,000 pods.
const FRAME_ENTRIES: [usize; 4] = [1, 8, 64, 512];

/// The supervisor's latest status frame. Its stdout holds nothing but frames, one per line, so
/// the last entry is usually the latest whole frame; a frame longer than one log entry comes
/// back whole only when all its entries are read, so fewer entries are tried first, then more.
pub(crate) async fn last_frame(docker: &Docker) -> Option<StatusFrame> {
    for entries in FRAME_ENTRIES {
        let text = super::logs::tail_stdout(docker, labels::HOST_SUPERVISOR, entries).await;
        if text.is_empty() {
            return None;
        }
        if let Some(frame) = StatusFrame::last_in(&text) {
            return Some(frame);
        }
    }
    None
}

/// Creates the pod's spec record unless it exists.
pub(crate) async fn ensure_record(
    docker: &Docker,
    spec: &RecordSpec<'_>,
    image: &str,
) -> Result<()> {
    let name = labels::spec_name(&spec.plan.pod);
    let options = CreateContainerOptionsBuilder::default().name(&name).build();
    match docker
        .create_container(Some(options), record_body(spec, image))
        .await
    {
        Ok(_) => Ok(()),
        // Name taken: it exists already (the same pod's: an unchanged pod, or a racing `up`).
        Err(e) if super::is_conflict(&e) => Ok(()),
        Err(e) => Err(Error::docker("create container", &name, e)),
    }
}

/// The host supervisor as Docker sees it now (None: there is none).
pub(crate) async fn inspect_host(docker: &Docker) -> Result<Option<ContainerInspectResponse>> {
    match docker
        .inspect_container(labels::HOST_SUPERVISOR, None)
        .await
    {
        Ok(found) => Ok(Some(found)),
        Err(e) if super::is_not_found(&e) => Ok(None),
        Err(e) => Err(Error::docker(
            "inspect container",
            labels::HOST_SUPERVISOR,
            e,
        )),
    }
}

/// True when the inspected container runs.
pub(crate) fn is_running(found: &ContainerInspectResponse) -> bool {
    found
        .state
        .as_ref()
        .and_then(|s| s.running)
        .unwrap_or(false)
}

/// Makes sure the host supervisor runs this podc's image: started if stopped, replaced if it
/// runs another podc build (a replaced one is dead before the new one reads the records).
pub(crate) async fn ensure_host(docker: &Docker, image: &str) -> Result<()> {
    // Racing `up`s (of this build) may create, replace or be removing it between our look and
    // our step: look again, a moment later, until one of this build runs; only another build
    // replacing it all the while ends in an error.
    let deadline = std::time::Instant::now() + RACE_DEADLINE;
    let mut first = true;
    while std::time::Instant::now() < deadline {
        if !std::mem::take(&mut first) {
            tokio::time::sleep(RACE_PAUSE).await;
        }
        let Some(found) = inspect_host(docker).await? else {
            match create_host(docker, image).await? {
                true => return start_host(docker).await,
                false => continue,
            }
        };
        let labels = found
            .config
            .as_ref()
            .and_then(|c| c.labels.clone())
            .unwrap_or_default();
        if Role::of(&labels) != Some(Role::HostSupervisor) {
            return Err(Error::Runtime(format!(
                "a container named {name} exists that podc did not create; podc supervises pods through a container of that name\n  hint: rename or remove it (`docker rm -f {name}`), then run `podc up` again",
                name = labels::HOST_SUPERVISOR
            )));
        }
        let same_image = found.config.as_ref().and_then(|c| c.image.as_deref()) == Some(image);
        if same_image {
            return match is_running(&found) {
                true => Ok(()),
                false => start_host(docker).await,
            };
        }
        // Another podc build: removed (killed) first, so it cannot act once the new one runs.
        // By ID: a racing `up` may have replaced it by this build's already (then, or while a
        // racing `up` removes it, the next look decides).
        let id = found.id.clone().unwrap_or_default();
        super::containers::remove(docker, &id, labels::HOST_SUPERVISOR).await?;
    }
    Err(Error::Runtime(format!(
        "another podc keeps replacing {}: each run wants its own build\n  hint: run one podc build at a time",
        labels::HOST_SUPERVISOR
    )))
}

/// Removes the host supervisor, if there is one (`podc down --all`).
pub(crate) async fn remove_host(docker: &Docker) -> Result<()> {
    let Some(found) = inspect_host(docker).await? else {
        return Ok(());
    };
    let labels = found.config.and_then(|c| c.labels).unwrap_or_default();
    if Role::of(&labels) != Some(Role::HostSupervisor) {
        // Not ours: left alone, as everything podc did not label.
        return Ok(());
    }
    super::containers::remove(docker, labels::HOST_SUPERVISOR, labels::HOST_SUPERVISOR).await
}

/// Creates the host supervisor; false if the name was taken meanwhile.
async fn create_host(docker: &Docker, image: &str) -> Result<bool> {
    let options = CreateContainerOptionsBuilder::default()
        .name(labels::HOST_SUPERVISOR)
        .build();
    match docker
        .create_container(Some(options), host_body(image))
        .await
    {
        Ok(_) => Ok(true),
        Err(e) if super::is_conflict(&e) => Ok(false),
        Err(e) => Err(Error::docker(
            "create container",
            labels::HOST_SUPERVISOR,
            e,
        )),
    }
}

async fn start_host(docker: &Docker) -> Result<()> {
    match docker.start_container(labels::HOST_SUPERVISOR, None).await {
        Ok(()) => Ok(()),
        Err(e) if super::is_not_modified(&e) => Ok(()),
        Err(e) => Err(Error::docker("start container", labels::HOST_SUPERVISOR, e)),
    }
}

/// The host supervisor's container.
pub(crate) fn host_body(image: &str) -> ContainerCreateBody {
    let labels = HashMap::from([(
        labels::ROLE.to_string(),
        labels::ROLE_HOST_SUPERVISOR.to_string(),
    )]);
    let (binds, env) = docker_access(std::env::var("DOCKER_HOST").ok().as_deref());
    ContainerCreateBody {
        image: Some(image.to_string()),
        env,
        labels: Some(labels),
        host_config: Some(HostConfig {
            binds,
            // Host networking: a DOCKER_HOST on the host's loopback stays reachable.
            network_mode: Some("host".into()),
            // Not a PID 1: SIGTERM's default action ends it the moment it is sent.
            pid_mode: Some("host".into()),
            restart_policy: Some(RestartPolicy {
                name: Some(RestartPolicyNameEnum::UNLESS_STOPPED),
                maximum_retry_count: None,
            }),
            // Status lines go on for as long as pods run: keep Docker's copy bounded.
            log_config: Some(HostConfigLogConfig {
                typ: Some("json-file".into()),
                config: Some(HashMap::from([
                    ("max-size".to_string(), "4m".to_string()),
                    ("max-file".to_string(), "2".to_string()),
                ])),
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// How the supervisor reaches the daemon: the same unix socket, bind-mounted, or the same
/// DOCKER_HOST address for a TCP daemon.
pub(crate) fn docker_access(
    docker_host: Option<&str>,
) -> (Option<Vec<String>>, Option<Vec<String>>) {
    match docker_host {
        None | Some("") => (
            Some(vec![format!("/var/run/docker.sock:{SOCKET_IN_CONTAINER}")]),
            None,
        ),
        Some(host) => match host.strip_prefix("unix://") {
            Some(path) => (Some(vec![format!("{path}:{SOCKET_IN_CONTAINER}")]), None),
            None => (None, Some(vec![format!("DOCKER_HOST={host}")])),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn socket_is_mounted_or_address_passed() {
        assert_eq!(
            docker_access(None).0.unwrap(),
            ["/var/run/docker.sock:/var/run/docker.sock"]
        );
        assert_eq!(
            docker_access(Some("unix:///tmp/d/docker.sock")).0.unwrap(),
            ["/tmp/d/docker.sock:/var/run/docker.sock"]
        );
        let (binds, env) = docker_access(Some("tcp://127.0.0.1:2375"));
        assert!(binds.is_none());
        assert_eq!(env.unwrap(), ["DOCKER_HOST=tcp://127.0.0.1:2375"]);
    }

    #[test]
    fn the_record_carries_the_plan_and_never_joins_a_network() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: blog}\nspec:\n  terminationGracePeriodSeconds: 5\n  containers: [{name: web, image: nginx}]\n";
        let pod = crate::manifest::load_str("pod.yaml", text).unwrap().pod;
        let plan = crate::plan::plan(&pod, "podc/pause:1", "pod.yaml");
        let spec = RecordSpec {
            plan: &plan,
            manifest: "pod.yaml",
        };
        let body = record_body(&spec, "podc/supervisor:1");
        let labels = body.labels.unwrap();
        assert_eq!(labels[labels::ROLE], labels::ROLE_SPEC);
        assert_eq!(labels[labels::POD], "blog");
        assert_eq!(labels[labels::CONFIG_HASH], plan.config_hash);
        assert_eq!(labels[labels::GRACE_SECONDS], "5");
        assert_eq!(labels[labels::PLAN_FORMAT], stored::FORMAT.to_string());
        assert!(
            !labels.contains_key(labels::SPEC),
            "the plan is not a label"
        );
        assert_eq!(stored::from_env(&body.env.unwrap()), Ok(plan));
        assert_eq!(
            body.host_config.unwrap().network_mode.as_deref(),
            Some("none")
        );
    }
}
