//! The label check before a stop, kill or remove: podc never touches a container or volume
//! without `io.podc.pod` (of the expected pod, when one is given), whatever its name or ID.
//! For call sites that hold only an ID or a name (rollbacks, restarts, rebuilds); teardown
//! checks the labels of the views it listed itself.

use crate::error::{Error, Result};
use crate::labels;
use bollard::Docker;

/// What the object is, when it may be touched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Owned {
    /// It carries `io.podc.pod` (this value).
    Pod(String),
    /// It does not exist (any more): nothing to touch.
    Gone,
}

/// Fails unless the container carries `io.podc.pod` (equal to `pod` when given).
pub(crate) async fn container(
    docker: &Docker,
    id_or_name: &str,
    pod: Option<&str>,
) -> Result<Owned> {
    let found = match docker.inspect_container(id_or_name, None).await {
        Ok(found) => found,
        Err(e) if super::is_not_found(&e) => return Ok(Owned::Gone),
        Err(e) => return Err(Error::docker("inspect container", id_or_name, e)),
    };
    let found_labels = found.config.and_then(|c| c.labels).unwrap_or_default();
    check(
        "container",
        found.name.as_deref().unwrap_or(id_or_name),
        found_labels.get(labels::POD),
        pod,
    )
}

/// The pure rule: the label must be there, and be `pod` when one is expected.
pub(crate) fn check(
    what: &str,
    name: &str,
    label: Option<&String>,
    pod: Option<&str>,
) -> Result<Owned> {
    match (label, pod) {
        (Some(owner), Some(pod)) if owner == pod => Ok(Owned::Pod(owner.clone())),
        (Some(owner), None) => Ok(Owned::Pod(owner.clone())),
        _ => Err(Error::Runtime(format!(
            "refusing to touch {what} {}: it does not carry the label {}{}, so podc did not create it",
            name.trim_start_matches('/'),
            labels::POD,
            pod.map(|p| format!("={p}")).unwrap_or_default()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_labelled_objects_of_the_pod_may_be_touched() {
        let blog = "blog".to_string();
        let other = "other".to_string();
        assert_eq!(
            check("container", "/blog_web", Some(&blog), Some("blog")).unwrap(),
            Owned::Pod("blog".into())
        );
        assert_eq!(
            check("container", "x", Some(&other), None).unwrap(),
            Owned::Pod("other".into())
        );
        let refused = check("container", "/blog_web", Some(&other), Some("blog"))
            .unwrap_err()
            .to_string();
        assert!(
            refused.contains("refusing to touch container blog_web")
                && refused.contains("io.podc.pod=blog"),
            "{refused}"
        );
        assert!(check("volume", "data", None, None).is_err());
        assert!(check("container", "blog_web", None, Some("blog")).is_err());
    }
}
