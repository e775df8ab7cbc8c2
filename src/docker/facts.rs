//! What only Docker knows about a plan: checked before anything is created (runAsNonRoot
//! against the image's user), or filled in once the pause runs (its IP, volume mountpoints).

use crate::error::{Error, Result};
use crate::plan::{self, MemberSpec, MountSource, Plan};
use bollard::Docker;
use std::collections::BTreeMap;

/// Refuses a container whose effective user is root (or cannot be told) under runAsNonRoot, the
/// kubelet's way, before anything is created: the image's USER decides when runAsUser is unset.
pub(super) async fn check_non_root(docker: &Docker, plan: &Plan) -> Result<()> {
    let strict: Vec<&MemberSpec> = plan
        .init
        .iter()
        .chain(&plan.members)
        .filter(|m| m.security.run_as_non_root)
        .collect();
    let users = image_users(docker, strict.iter().map(|m| m.image.as_str())).await?;
    let problems: Vec<String> = strict
        .iter()
        .filter_map(|m| {
            let image_user = users.get(&m.image).map(String::as_str).unwrap_or("");
            let why = m.security.non_root_violation(image_user)?;
            Some(format!("container {} (image {}): {why}", m.name, m.image))
        })
        .collect();
    if problems.is_empty() {
        return Ok(());
    }
    Err(Error::Runtime(format!(
        "pod {} cannot start: {}\n  hint: set securityContext.runAsUser to a non-zero UID, or use an image whose USER is a non-root UID",
        plan.pod,
        problems.join("; ")
    )))
}

/// Each image's Config.User (empty: root).
async fn image_users<'a>(
    docker: &Docker,
    images: impl Iterator<Item = &'a str>,
) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for image in images {
        if out.contains_key(image) {
            continue;
        }
        let inspected = docker
            .inspect_image(image)
            .await
            .map_err(|e| Error::docker("inspect image", image, e))?;
        let user = inspected.config.and_then(|c| c.user).unwrap_or_default();
        out.insert(image.to_string(), user);
    }
    Ok(out)
}

/// What the plan could not know, gathered from Docker once the pause runs.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RuntimeFacts {
    /// The pause's address (`status.podIP`); 127.0.0.1 under hostNetwork.
    pub pod_ip: String,
    /// Docker volume -> its mountpoint on the daemon's host (subPath binds).
    pub mountpoints: BTreeMap<String, String>,
    /// Image -> its Config.User (runAsGroup without runAsUser).
    pub image_users: BTreeMap<String, String>,
}

/// `member` with `status.podIP` filled in, subPaths of Docker volumes turned into binds of the
/// volume's mountpoint (Docker API 1.41 has no volume subpath), and a group-only user completed
/// with the image's user. Pure. Its labels (and config hash) stay the plan's.
pub(crate) fn resolve(member: &MemberSpec, facts: &RuntimeFacts) -> MemberSpec {
    let mut out = member.clone();
    for e in &mut out.env {
        e.value = e.value.with_pod_ip(&facts.pod_ip);
    }
    for arg in out.entrypoint.iter_mut().chain(&mut out.cmd).flatten() {
        *arg = plan::with_pod_ip(arg, &facts.pod_ip);
    }
    for m in &mut out.mounts {
        if let MountSource::Volume {
            docker_name,
            sub_path: Some(sub),
        } = &m.source
        {
            if let Some(point) = facts.mountpoints.get(docker_name) {
                m.source = MountSource::Host {
                    path: point.clone(),
                    sub_path: Some(sub.clone()),
                };
            }
        }
    }
    if out.security.user.is_none() {
        let image_user = facts.image_users.get(&out.image).map(String::as_str);
        out.security.user = out.security.docker_user(image_user.unwrap_or(""));
    }
    out
}

/// Gathers the facts `members` need (nothing is asked that none of them needs).
pub(crate) async fn runtime_facts(
    docker: &Docker,
    members: &[&MemberSpec],
    pause_id: &str,
) -> Result<RuntimeFacts> {
    let mut facts = RuntimeFacts::default();
    if members.iter().any(|m| m.needs_pod_ip()) {
        facts.pod_ip = pod_ip(docker, pause_id).await?;
    }
    let sub_volumes: std::collections::BTreeSet<String> = members
        .iter()
        .flat_map(|m| &m.mounts)
        .filter(|m| m.source.sub_path().is_some())
        .filter_map(|m| m.source.docker_volume().map(str::to_string))
        .collect();
    facts.mountpoints = crate::docker::volumes::mountpoints(docker, sub_volumes).await?;
    let group_only = members
        .iter()
        .filter(|m| m.security.user.is_none() && m.security.run_as_group.is_some())
        .map(|m| m.image.as_str());
    facts.image_users = image_users(docker, group_only).await?;
    Ok(facts)
}

/// The pause's IP address; 127.0.0.1 when it has none of its own (hostNetwork).
pub(crate) async fn pod_ip(docker: &Docker, pause_id: &str) -> Result<String> {
    let inspected = docker
        .inspect_container(pause_id, None)
        .await
        .map_err(|e| Error::docker("inspect container", pause_id, e))?;
    let ip = inspected
        .network_settings
        .and_then(|s| s.networks)
        .unwrap_or_default()
        .into_values()
        .filter_map(|n| n.ip_address)
        .find(|ip| !ip.is_empty())
        .unwrap_or_else(|| "127.0.0.1".to_string());
    Ok(ip)
}

/// One member, resolved against the running pause.
pub(crate) async fn resolve_member(
    docker: &Docker,
    member: &MemberSpec,
    pause_id: &str,
) -> Result<MemberSpec> {
    let facts = runtime_facts(docker, &[member], pause_id).await?;
    Ok(resolve(member, &facts))
}

/// The plan with its init containers and members resolved against the running pause.
pub(crate) async fn resolve_plan(docker: &Docker, plan: &Plan, pause_id: &str) -> Result<Plan> {
    let all: Vec<&MemberSpec> = plan.init.iter().chain(&plan.members).collect();
    let facts = runtime_facts(docker, &all, pause_id).await?;
    let mut out = plan.clone();
    for m in out.init.iter_mut().chain(out.members.iter_mut()) {
        *m = resolve(m, &facts);
    }
    Ok(out)
}
