//! A pod's memory-backed volumes (secret, configMap, `emptyDir: Memory`) are tmpfs mounts that
//! Docker unmounts, contents and all, when the last container using them stops. When the pause
//! dies, the kernel ends every member with it (they live in its PID namespace), so a container of
//! its own holds them: `<pod>_HOLDER` (the pause image, on no network), started by `up` with the
//! pause and left in place by the supervisor's rebuild, so their contents live as long as the
//! pod, as in Kubernetes.

use crate::error::{Error, Result};
use crate::labels;
use crate::plan::Plan;
use crate::state::Role;
use bollard::models::{ContainerCreateBody, HostConfig};
use bollard::query_parameters::CreateContainerOptionsBuilder;
use bollard::Docker;
use std::collections::HashMap;

/// Makes sure the pod's holder runs if the pod has memory-backed volumes; returns its ID and
/// whether this call created it (None: nothing to hold).
pub(crate) async fn ensure(docker: &Docker, plan: &Plan) -> Result<Option<(String, bool)>> {
    if plan.pause.mounts.is_empty() {
        return Ok(None);
    }
    let name = labels::holder_name(&plan.pod);
    let options = CreateContainerOptionsBuilder::default().name(&name).build();
    let (id, created) = match docker.create_container(Some(options), body(plan)).await {
        Ok(response) => (response.id, true),
        // One exists (an earlier `up`'s): kept, with what it holds.
        Err(e) if super::is_conflict(&e) => match docker.inspect_container(&name, None).await {
            Ok(found) => (found.id.unwrap_or_default(), false),
            Err(e) => return Err(Error::docker("inspect container", &name, e)),
        },
        Err(e) => return Err(Error::docker("create container", &name, e)),
    };
    match docker.start_container(&id, None).await {
        Ok(()) => Ok(Some((id, created))),
        Err(e) if super::is_not_modified(&e) => Ok(Some((id, created))),
        Err(e) => {
            if created {
                super::containers::remove(docker, &id, &name).await?;
            }
            Err(Error::docker("start container", &name, e))
        }
    }
}

fn body(plan: &Plan) -> ContainerCreateBody {
    let mut labels = HashMap::from([
        (labels::POD.to_string(), plan.pod.clone()),
        (labels::ROLE.to_string(), Role::Holder.label().to_string()),
    ]);
    // The pause's: the holder goes with what the pause owns (the volumes among it).
    if let Some(hash) = plan.pause.labels.get(labels::CONFIG_HASH) {
        labels.insert(labels::CONFIG_HASH.to_string(), hash.clone());
    }
    let mounts = plan
        .pause
        .mounts
        .iter()
        .map(|m| {
            // Under a path of its own, read-only: the holder never reads them.
            let mut mount = super::volumes::docker_mount(m);
            mount.target = mount.target.map(|t| format!("/held{t}"));
            mount.read_only = Some(true);
            mount
        })
        .collect();
    ContainerCreateBody {
        image: Some(plan.pause.image.clone()),
        labels: Some(labels),
        host_config: Some(HostConfig {
            network_mode: Some("none".into()),
            mounts: Some(mounts),
            ..Default::default()
        }),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::{Container, Metadata, Pod, PodSpec};
    use crate::plan::{MountSource, MountSpec};

    #[test]
    fn the_holder_mounts_the_pauses_volumes_read_only_on_no_network() {
        let pod = Pod {
            metadata: Metadata {
                name: "blog".into(),
                ..Default::default()
            },
            spec: PodSpec {
                containers: vec![Container {
                    name: "web".into(),
                    image: "podc/busybox:latest".into(),
                    ..Default::default()
                }],
                ..Default::default()
            },
        };
        let mut plan = crate::plan::plan(&pod, "pause", "f");
        plan.pause.mounts = vec![MountSpec {
            source: MountSource::Volume {
                docker_name: "blog_fast".into(),
                sub_path: None,
            },
            target: "/v/fast".into(),
            read_only: false,
        }];
        let body = body(&plan);
        let host = body.host_config.unwrap();
        assert_eq!(host.network_mode.as_deref(), Some("none"));
        let mount = &host.mounts.unwrap()[0];
        assert_eq!(mount.target.as_deref(), Some("/held/v/fast"));
        assert_eq!(mount.read_only, Some(true));
        assert_eq!(body.labels.unwrap()[labels::ROLE], labels::ROLE_HOLDER);
    }
}
