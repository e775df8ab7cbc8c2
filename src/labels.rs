//! The Docker labels that hold all of podc's state, and the container names it derives.
//! No state files: any shell, after any crash, can find a pod by `io.podc.pod=<pod>`.

/// The pod a container or volume belongs to. podc never touches anything without it.
pub(crate) const POD: &str = "io.podc.pod";
/// `pause`, `container`, `init`, `sidecar`, `spec`, `volumes`, `holder` or `host-supervisor`
/// (`supervisor` on the per-pod supervisors of podc before 0.2).
pub(crate) const ROLE: &str = "io.podc.role";
/// The member's name in the manifest (absent on the pause).
pub(crate) const CONTAINER: &str = "io.podc.container";
/// Hash of the effective configuration: the pod's on the pause, the member's own on a member.
pub(crate) const CONFIG_HASH: &str = "io.podc.config-hash";
/// `terminationGracePeriodSeconds`, so `podc down NAME` needs no manifest.
pub(crate) const GRACE_SECONDS: &str = "io.podc.grace-seconds";
/// The ports a member declared, `[hostIP:]hostPort->containerPort/proto` or `containerPort/proto`.
pub(crate) const PORTS: &str = "io.podc.ports";
/// The member's position in `spec.containers`, so `ps` lists them in manifest order.
pub(crate) const INDEX: &str = "io.podc.index";
/// The manifest file the pod came from (informational).
pub(crate) const MANIFEST: &str = "io.podc.manifest";
/// On images podc made itself (the pause image).
pub(crate) const IMAGE: &str = "io.podc.image";
/// Every key podc owns starts with this; manifests may not set such labels.
pub(crate) const RESERVED_PREFIX: &str = "io.podc.";

/// Value of `ROLE` on the pause container.
pub(crate) const ROLE_PAUSE: &str = "pause";
/// Value of `ROLE` on member containers.
pub(crate) const ROLE_MEMBER: &str = "container";
/// Value of `ROLE` on a pod's own supervisor container, as podc made them before the host-wide
/// supervisor: `down` still ends such a one, `up` replaces it by a spec record.
pub(crate) const ROLE_SUPERVISOR: &str = "supervisor";
/// Value of `ROLE` on a pod's spec record: a container that is never started, whose labels carry
/// the pod's spec for the host-wide supervisor.
pub(crate) const ROLE_SPEC: &str = "spec";
/// Value of `ROLE` on the host-wide supervisor container (`podc-supervisor`, no `POD` label).
pub(crate) const ROLE_HOST_SUPERVISOR: &str = "host-supervisor";
/// Value of `ROLE` on the container that holds a pod's memory-backed volumes while the
/// supervisor rebuilds the pod.
pub(crate) const ROLE_HOLDER: &str = "holder";
/// Value of `ROLE` on init containers (run to completion, in order, before the members).
pub(crate) const ROLE_INIT: &str = "init";
/// Value of `ROLE` on native sidecars (init containers with `restartPolicy: Always`).
pub(crate) const ROLE_SIDECAR: &str = "sidecar";
/// Value of `ROLE` on the short-lived container that fills the pod's volumes (never started).
pub(crate) const ROLE_VOLUMES: &str = "volumes";

/// On a Docker volume: the name of the pod volume it holds (with `POD`).
pub(crate) const VOLUME: &str = "io.podc.volume";
/// On a claim's Docker volume: the `persistentVolumeClaim.claimName`. Such volumes survive
/// `podc down`; `podc down --volumes` removes them.
pub(crate) const PVC: &str = "io.podc.pvc";

/// How many times podc restarted this member (a restart recreates the container).
pub(crate) const RESTART_COUNT: &str = "io.podc.restart-count";
/// The exit code and reason of the member's previous run, e.g. `1` and `Error`.
pub(crate) const LAST_EXIT_CODE: &str = "io.podc.last-exit-code";
/// See `LAST_EXIT_CODE`.
pub(crate) const LAST_REASON: &str = "io.podc.last-reason";
/// How many times the pod was rebuilt because its pause died (on every container).
pub(crate) const POD_RESTARTS: &str = "io.podc.pod-restarts";
/// The validated pod, as JSON, on the spec records of podc before the stored plan (format 1):
/// read only to take over such a pod (`plan::stored` holds the plan now).
pub(crate) const SPEC: &str = "io.podc.spec";
/// On a spec record: the format of the plan its environment holds (`plan::stored::FORMAT`).
pub(crate) const PLAN_FORMAT: &str = "io.podc.plan-format";
/// On a member with a preStop hook: the resolved hook, as JSON, so `down` needs only the list.
pub(crate) const PRE_STOP: &str = "io.podc.pre-stop";
/// The pause image the pod runs (on the spec record).
pub(crate) const PAUSE_IMAGE: &str = "io.podc.pause-image";

/// Docker name of the pause: `<pod>_POD`. Uppercase cannot appear in a member name (a DNS-1123
/// label), so a member called `pause` or `pod` never collides (the dockershim's convention).
pub(crate) fn pause_name(pod: &str) -> String {
    format!("{pod}_POD")
}

/// Docker name of a pod's spec record: `<pod>_SPEC` (uppercase: never a member's name).
pub(crate) fn spec_name(pod: &str) -> String {
    format!("{pod}_SPEC")
}

/// The name a spec record is renamed to when its pod is handed back from the supervisor
/// (`down`, or `up` replacing the spec): `<pod>_SPEC_RELEASED_<id prefix>`, unique per record.
pub(crate) fn released_spec_name(pod: &str, record_id: &str) -> String {
    let short: String = record_id.chars().take(12).collect();
    format!("{pod}_SPEC_RELEASED_{short}")
}

/// True for a spec record's name once its pod was released (`released_spec_name`).
pub(crate) fn is_released_spec(name: &str) -> bool {
    name.trim_start_matches('/').contains("_SPEC_RELEASED_")
}

/// Docker name of the host-wide supervisor (one per daemon, for every pod).
pub(crate) const HOST_SUPERVISOR: &str = "podc-supervisor";

/// Docker name of the container holding a pod's memory-backed volumes during a rebuild.
pub(crate) fn holder_name(pod: &str) -> String {
    format!("{pod}_HOLDER")
}

/// Docker name of the container that fills a pod's volumes: `<pod>_VOLUMES` (never a member's).
pub(crate) fn volumes_helper_name(pod: &str) -> String {
    format!("{pod}_VOLUMES")
}

/// Docker name of a member: `<pod>_<container>`. Pod names cannot contain `_`, so the split is
/// unambiguous and two pods never collide.
pub(crate) fn member_name(pod: &str, container: &str) -> String {
    format!("{pod}_{container}")
}

/// A label filter selecting every container of one pod (or of every pod when `pod` is None).
pub(crate) fn pod_filter(pod: Option<&str>) -> std::collections::HashMap<String, Vec<String>> {
    let value = match pod {
        Some(pod) => format!("{POD}={pod}"),
        None => POD.to_string(),
    };
    std::collections::HashMap::from([("label".to_string(), vec![value])])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_called_pause_does_not_collide_with_the_pause() {
        assert_ne!(pause_name("blog"), member_name("blog", "pause"));
        assert_ne!(pause_name("blog"), member_name("blog", "pod"));
    }

    #[test]
    fn names_of_different_pods_never_collide() {
        // "a-b" + "c" versus "a" + "b-c": the underscore separates pod from member.
        assert_ne!(member_name("a-b", "c"), member_name("a", "b-c"));
        assert_eq!(member_name("blog", "web"), "blog_web");
        assert_eq!(pause_name("blog"), "blog_POD");
    }

    #[test]
    fn a_released_spec_record_is_told_apart_from_a_live_one() {
        let released = released_spec_name("blog", "0123456789abcdef");
        assert_eq!(released, "blog_SPEC_RELEASED_0123456789ab");
        assert!(is_released_spec(&released));
        assert!(is_released_spec(&format!("/{released}")));
        assert!(!is_released_spec(&spec_name("blog")));
    }

    #[test]
    fn pod_filter_selects_one_pod_or_all() {
        assert_eq!(pod_filter(Some("blog"))["label"], vec!["io.podc.pod=blog"]);
        assert_eq!(pod_filter(None)["label"], vec!["io.podc.pod"]);
    }
}
