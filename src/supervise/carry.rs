//! What a restarted or rebuilt member keeps from its previous container. The supervisor plans
//! from the pod spec in its label, which holds no ConfigMaps or Secrets (Secret values never go
//! into labels), so env taken from them would be lost; the previous container's env, which
//! Docker already holds, is carried over instead, and so is its config hash, so that the next
//! `podc up` still sees the member unchanged. Pure.

use crate::labels;
use crate::plan::{EnvValue, EnvVarSpec, MemberSpec};
use std::collections::HashMap;

/// What is read back from the previous container.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Previous {
    /// `NAME=value`, as Docker reports the container's env.
    pub env: Vec<String>,
    pub config_hash: Option<String>,
}

/// `spec` with the previous container's env values and hash. Entries the plan fills at start
/// (the pod's IP) stay placeholders, so a rebuilt pod gets its new address.
pub fn carry_over(spec: &MemberSpec, previous: &Previous) -> MemberSpec {
    let mut next = spec.clone();
    let placeholders: Vec<&str> = spec
        .env
        .iter()
        .filter(|e| e.value == EnvValue::PodIp)
        .map(|e| e.name.as_str())
        .collect();
    let old: Vec<(&str, &str)> = previous
        .env
        .iter()
        .filter_map(|kv| kv.split_once('='))
        .collect();
    if !old.is_empty() {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut env: Vec<EnvVarSpec> = Vec::new();
        for (name, value) in old {
            let value = match placeholders.contains(&name) {
                true => EnvValue::PodIp,
                false => EnvValue::Literal(value.to_string()),
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
    use crate::manifest::{Container, EnvVar, Metadata, Pod, PodSpec};

    fn spec() -> MemberSpec {
        let pod = Pod {
            metadata: Metadata {
                name: "p".into(),
                ..Default::default()
            },
            spec: PodSpec {
                containers: vec![Container {
                    name: "app".into(),
                    image: "i".into(),
                    env: vec![EnvVar {
                        name: "MODE".into(),
                        value: "plain".into(),
                        ..Default::default()
                    }],
                    ..Default::default()
                }],
                ..Default::default()
            },
        };
        let mut spec = crate::plan::plan(&pod, "pause", "f").members.remove(0);
        spec.env.push(EnvVarSpec {
            name: "POD_IP".into(),
            value: EnvValue::PodIp,
        });
        spec
    }

    #[test]
    fn env_from_secrets_survives_a_restart_through_the_previous_container() {
        let previous = Previous {
            env: vec![
                "MODE=plain".into(),
                "PASSWORD=s3cret".into(),
                "POD_IP=172.17.0.5".into(),
            ],
            config_hash: Some("up-time-hash".into()),
        };
        let next = carry_over(&spec(), &previous);
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
                ("POD_IP", EnvValue::PodIp),
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
    fn without_a_previous_container_the_plan_stands() {
        let plan = spec();
        assert_eq!(carry_over(&plan, &Previous::default()), plan);
    }
}
