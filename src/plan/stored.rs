//! The plan as `up` stores it for the supervisor, which rebuilds and restarts from exactly what
//! `up` planned (ConfigMap and Secret values included) instead of planning again.
//!
//! It travels in the spec record's environment, not its labels: Docker returns every
//! container's labels on each list call (`ps`, `down`, `up` would carry every pod's plan), and
//! Secret values never go into labels. The environment is where Docker already keeps the
//! members' Secret-derived values, readable by the same people. A label carries the format.

use super::Plan;
use serde::Serialize;

/// The format this build writes (label `io.podc.plan-format` on the record).
pub(crate) const FORMAT: u32 = 1;
/// The record's environment variable that holds the plan.
const ENV_KEY: &str = "PODC_PLAN";

/// What the environment entry holds (written from a borrowed plan, read into an owned one).
#[derive(Serialize)]
struct Stored<'a> {
    format: u32,
    plan: &'a Plan,
}

/// Why a stored plan cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum StoredPlanError {
    /// Written by a newer podc: its supervisor (or `podc up` with this build) must take it.
    NewerFormat(u32),
    /// The record holds no plan.
    Missing,
    /// The plan cannot be read (shown as the reason).
    Unreadable(String),
}

impl std::fmt::Display for StoredPlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoredPlanError::NewerFormat(n) => write!(
                f,
                "its plan has format {n}, newer than this podc's ({FORMAT}): run `podc up` with this podc to replace it"
            ),
            StoredPlanError::Missing => write!(f, "it holds no plan"),
            StoredPlanError::Unreadable(why) => write!(f, "its plan cannot be read: {why}"),
        }
    }
}

/// The record's `PODC_PLAN=...` environment entry for `plan`.
pub(crate) fn to_env(plan: &Plan) -> String {
    let stored = Stored {
        format: FORMAT,
        plan,
    };
    let json = serde_json::to_string(&stored).expect("plans always serialize");
    format!("{ENV_KEY}={json}")
}

/// The plan in a record's environment (`NAME=value` entries, as Docker reports them).
pub(crate) fn from_env(env: &[String]) -> Result<Plan, StoredPlanError> {
    let json = env
        .iter()
        .find_map(|kv| kv.strip_prefix(ENV_KEY)?.strip_prefix('='))
        .ok_or(StoredPlanError::Missing)?;
    let unreadable = |e: serde_json::Error| StoredPlanError::Unreadable(e.to_string());
    let mut stored: serde_json::Value = serde_json::from_str(json).map_err(unreadable)?;
    // The format first, so a newer podc's plan says so instead of failing to parse.
    let format = stored.get("format").and_then(serde_json::Value::as_u64);
    match format {
        Some(n) if n > u64::from(FORMAT) => {
            return Err(StoredPlanError::NewerFormat(
                u32::try_from(n).unwrap_or(u32::MAX),
            ))
        }
        Some(_) => {}
        None => return Err(StoredPlanError::Unreadable("it names no format".into())),
    }
    serde_json::from_value(stored["plan"].take()).map_err(unreadable)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::load_manifest_str;

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: shop}\nspec:\n  initContainers:\n    - name: side\n      image: busybox\n      restartPolicy: Always\n      startupProbe: {tcpSocket: {port: 9000}}\n  containers:\n    - name: web\n      image: nginx\n      ports: [{name: http, containerPort: 80}]\n      env: [{name: TOKEN, valueFrom: {secretKeyRef: {name: s, key: token}}}]\n      readinessProbe: {httpGet: {port: http, path: /ready}}\n      lifecycle: {preStop: {exec: {command: [nginx, -s, quit]}}}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {token: s3cret}\n";

    fn planned() -> Plan {
        let loaded = load_manifest_str("shop.yaml", POD).unwrap();
        let objects = super::super::PodObjects {
            config_maps: loaded.config_maps.clone(),
            secrets: loaded.secrets.clone(),
        };
        super::super::plan_with(&loaded.pods[0], &objects, "podc/pause:x", "shop.yaml")
    }

    #[test]
    fn a_stored_plan_reads_back_equal_secrets_and_resolved_checks_included() {
        let plan = planned();
        let env = vec!["PATH=/bin".to_string(), to_env(&plan)];
        let back = from_env(&env).unwrap();
        assert_eq!(back, plan);
        let web = back.member("web").unwrap();
        assert!(web.env.iter().any(|e| e.value.text() == "s3cret"));
        let ready = web.probes.readiness.as_ref().unwrap();
        assert!(matches!(
            &ready.check,
            crate::plan::Check::Http { port: 80, .. }
        ));
        assert!(web.hooks.pre_stop.is_some());
    }

    #[test]
    fn a_newer_format_is_named_not_misread() {
        let env = vec![format!(
            "{ENV_KEY}={{\"format\": 7, \"plan\": {{\"what\": 1}}}}"
        )];
        assert_eq!(from_env(&env), Err(StoredPlanError::NewerFormat(7)));
        assert_eq!(from_env(&[]), Err(StoredPlanError::Missing));
        assert!(matches!(
            from_env(&[format!("{ENV_KEY}=not json")]),
            Err(StoredPlanError::Unreadable(_))
        ));
    }
}
