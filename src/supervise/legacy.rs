//! Pods started by podc before the stored plan (`plan::stored`): their spec record holds the pod
//! spec (label `io.podc.spec`) and no plan. The supervisor plans such a pod again from the spec,
//! which holds no ConfigMap or Secret values, so each member takes its env and config hash from
//! its running container (`$(VAR)` references in command and args expanded again against that
//! env) and the pause its hash: the plan then says what `up` made. Pure.

use crate::labels;
use crate::manifest::{Container, Pod};
use crate::plan::{self, EnvValue, EnvVarSpec, MemberSpec, Plan};
use std::collections::HashMap;

/// What is read back from the previous container.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Previous {
    /// `NAME=value`, as Docker reports the container's env.
    pub env: Vec<String>,
    pub config_hash: Option<String>,
}

/// The plan of a pod whose record holds its `pod` spec, with what its running containers hold:
/// `previous` by member name, `pause_hash` from its pause.
pub(crate) fn legacy_plan(
    pod: &Pod,
    pause_image: &str,
    manifest: &str,
    previous: &HashMap<String, Previous>,
    pause_hash: Option<&str>,
) -> Plan {
    let mut plan = plan::plan(pod, pause_image, manifest);
    for m in plan.members.iter_mut().chain(plan.init.iter_mut()) {
        if let (Some(before), Some(container)) =
            (previous.get(&m.name), pod.spec.container(&m.name))
        {
            *m = carry_over(m, container, before);
        }
    }
    // The pause's hash covers the volumes' contents, which this plan cannot see.
    if let Some(hash) = pause_hash {
        plan.pause
            .labels
            .insert(labels::CONFIG_HASH.into(), hash.to_string());
    }
    plan
}

/// `spec` with the previous container's env values and hash. Entries the plan fills at start
/// (those holding the pod's IP) stay the plan's, so a rebuilt pod gets its new address.
pub(crate) fn carry_over(
    spec: &MemberSpec,
    container: &Container,
    previous: &Previous,
) -> MemberSpec {
    let mut next = spec.clone();
    let placeholders: Vec<&EnvVarSpec> =
        spec.env.iter().filter(|e| e.value.needs_pod_ip()).collect();
    let old: Vec<(&str, &str)> = previous
        .env
        .iter()
        .filter_map(|kv| kv.split_once('='))
        .collect();
    if !old.is_empty() {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut env: Vec<EnvVarSpec> = Vec::new();
        for (name, value) in old {
            let value = match placeholders.iter().find(|e| e.name == name) {
                Some(planned) => planned.value.clone(),
                None => EnvValue::Literal(value.to_string()),
            };
            match seen.get(name) {
                Some(&i) => env[i].value = value,
                None => {
                    seen.insert(name, env.len());
                    env.push(EnvVarSpec {
                        name: name.to_string(),
                        value,
                    });
                }
            }
        }
        next.env = env;
        (next.entrypoint, next.cmd) = plan::entrypoint_and_cmd(container, &next.env);
    }
    if let Some(hash) = &previous.config_hash {
        next.labels
            .insert(labels::CONFIG_HASH.to_string(), hash.clone());
    }
    next
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::{EnvVar, Metadata, Pod, PodSpec};
    use crate::plan::POD_IP_MARK;

    /// A member whose args name a plain variable, a Secret's (known only through the previous
    /// container) and the pod's IP.
    fn spec() -> (MemberSpec, Container) {
        let container = Container {
            name: "app".into(),
            image: "i".into(),
            args: vec![
                "--mode=$(MODE)".into(),
                "--password=$(PASSWORD)".into(),
                "--ip=$(POD_IP)".into(),
            ],
            env: vec![EnvVar {
                name: "MODE".into(),
                value: "plain".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let pod = Pod {
            metadata: Metadata {
                name: "p".into(),
                ..Default::default()
            },
            spec: PodSpec {
                containers: vec![container.clone()],
                ..Default::default()
            },
        };
        let mut spec = crate::plan::plan(&pod, "pause", "f").members.remove(0);
        spec.env.push(EnvVarSpec {
            name: "POD_IP".into(),
            value: EnvValue::Literal(POD_IP_MARK.into()),
        });
        (spec, container)
    }

    fn previous(env: &[&str], config_hash: Option<&str>) -> Previous {
        Previous {
            env: env.iter().map(|kv| kv.to_string()).collect(),
            config_hash: config_hash.map(str::to_string),
        }
    }

    #[test]
    fn env_from_secrets_survives_a_restart_through_the_previous_container() {
        let before = ["MODE=plain", "PASSWORD=s3cret", "POD_IP=172.17.0.5"];
        let (spec, container) = spec();
        let next = carry_over(&spec, &container, &previous(&before, Some("up-time-hash")));
        let names: Vec<_> = next
            .env
            .iter()
            .map(|e| (e.name.as_str(), e.value.clone()))
            .collect();
        assert_eq!(
            names,
            [
                ("MODE", EnvValue::Literal("plain".into())),
                ("PASSWORD", EnvValue::Literal("s3cret".into())),
                ("POD_IP", EnvValue::Literal(POD_IP_MARK.into())),
            ],
            "the pod's IP is filled in again: a rebuilt pod has a new one"
        );
        assert_eq!(
            next.labels[labels::CONFIG_HASH],
            "up-time-hash",
            "the next `up` sees it unchanged"
        );
    }

    #[test]
    fn args_are_expanded_again_against_the_carried_env() {
        let (spec, container) = spec();
        assert_eq!(
            spec.cmd.as_deref().unwrap(),
            ["--mode=plain", "--password=$(PASSWORD)", "--ip=$(POD_IP)"],
            "the supervisor's plan knows no Secret values"
        );
        let before = ["MODE=plain", "PASSWORD=s3cret", "POD_IP=172.17.0.5"];
        let next = carry_over(&spec, &container, &previous(&before, None));
        let ip = format!("--ip={POD_IP_MARK}");
        assert_eq!(
            next.cmd.as_deref().unwrap(),
            ["--mode=plain", "--password=s3cret", ip.as_str()]
        );
    }

    #[test]
    fn without_a_previous_container_the_plan_stands() {
        let (plan, container) = spec();
        assert_eq!(carry_over(&plan, &container, &Previous::default()), plan);
    }
}
