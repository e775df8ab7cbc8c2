//! The supervisor container `<pod>_SUPERVISOR`: podc itself (`podc supervise POD`), running next
//! to the pod with the Docker socket, restarted by Docker (`unless-stopped`) if it crashes and
//! after a daemon restart. Its unique name is the lease: two supervisors never fight over a pod.
//! It prints its status as JSON lines on stdout, which `podc ps` and foreground `up` read.

use crate::error::{Error, Result};
use crate::labels;
use bollard::models::{
    ContainerCreateBody, HostConfig, HostConfigLogConfig, RestartPolicy, RestartPolicyNameEnum,
};
use bollard::query_parameters::CreateContainerOptionsBuilder;
use bollard::Docker;
use std::collections::HashMap;

/// Where the supervisor finds the Docker socket inside its container.
const SOCKET_IN_CONTAINER: &str = "/var/run/docker.sock";

/// What the supervisor container is created from.
pub struct SupervisorSpec<'a> {
    pub pod: &'a str,
    /// The validated pod as JSON (label `io.podc.spec`).
    pub spec_json: &'a str,
    /// The plan's whole-pod hash: a changed spec replaces the supervisor (`reconcile`).
    pub spec_hash: &'a str,
    pub pause_image: &'a str,
    pub manifest: &'a str,
    pub grace_seconds: u64,
    /// The pod's memory-backed volumes (secret, configMap on tmpfs, `emptyDir: Memory`): the
    /// supervisor holds them mounted, so their contents outlive a dead pause and a rebuild.
    pub mounts: Vec<bollard::models::Mount>,
}

/// Creates and starts the supervisor unless one already runs. A supervisor that exists but is
/// not running (it crashed for good, or the daemon restarted without it) is started again.
pub async fn ensure_running(docker: &Docker, spec: &SupervisorSpec<'_>, image: &str) -> Result<()> {
    let name = labels::supervisor_name(spec.pod);
    let options = CreateContainerOptionsBuilder::default().name(&name).build();
    match docker
        .create_container(Some(options), body(spec, image))
        .await
    {
        Ok(_) => {}
        // Name taken: a supervisor exists already (ours, or a racing `up`'s); start it below.
        Err(e) if super::is_conflict(&e) => {}
        Err(e) => return Err(Error::docker("create container", &name, e)),
    }
    match docker.start_container(&name, None).await {
        Ok(()) => Ok(()),
        Err(e) if super::is_not_modified(&e) => Ok(()),
        Err(e) => Err(Error::docker("start container", &name, e)),
    }
}

/// The supervisor's container: `up` creates it while the pause starts, and starts it with the
/// members (`apply::Companion`).
pub fn body(spec: &SupervisorSpec<'_>, image: &str) -> ContainerCreateBody {
    let labels = HashMap::from([
        (labels::POD.to_string(), spec.pod.to_string()),
        (
            labels::ROLE.to_string(),
            labels::ROLE_SUPERVISOR.to_string(),
        ),
        (labels::SPEC.to_string(), spec.spec_json.to_string()),
        (labels::CONFIG_HASH.to_string(), spec.spec_hash.to_string()),
        (
            labels::PAUSE_IMAGE.to_string(),
            spec.pause_image.to_string(),
        ),
        (labels::MANIFEST.to_string(), spec.manifest.to_string()),
        (
            labels::GRACE_SECONDS.to_string(),
            spec.grace_seconds.to_string(),
        ),
    ]);
    let (binds, env) = docker_access(std::env::var("DOCKER_HOST").ok().as_deref());
    ContainerCreateBody {
        image: Some(image.to_string()),
        cmd: Some(vec![spec.pod.to_string()]),
        env,
        labels: Some(labels),
        host_config: Some(HostConfig {
            binds,
            mounts: (!spec.mounts.is_empty()).then(|| spec.mounts.clone()),
            // Host networking: a DOCKER_HOST on the host's loopback stays reachable.
            network_mode: Some("host".into()),
            // Not a PID 1: SIGTERM's default action ends it the moment it is sent (run.rs).
            pid_mode: Some("host".into()),
            restart_policy: Some(RestartPolicy {
                name: Some(RestartPolicyNameEnum::UNLESS_STOPPED),
                maximum_retry_count: None,
            }),
            // Status lines go on for as long as the pod runs: keep Docker's copy bounded.
            log_config: Some(HostConfigLogConfig {
                typ: Some("json-file".into()),
                config: Some(HashMap::from([
                    ("max-size".to_string(), "1m".to_string()),
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
pub fn docker_access(docker_host: Option<&str>) -> (Option<Vec<String>>, Option<Vec<String>>) {
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
    use super::docker_access;

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
}
