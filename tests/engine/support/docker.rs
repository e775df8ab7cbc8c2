//! The docker CLI, to observe what podc did: containers, volumes and images by name or label.

use super::*;

/// `docker ARGS`, whatever it exits with.
pub(crate) fn docker(args: &[&str]) -> Ran {
    let mut cmd = Command::new("docker");
    cmd.args(args);
    run_or_panic(cmd)
}

/// `docker ARGS`, which must succeed; its stdout.
#[track_caller]
pub(crate) fn docker_ok(args: &[&str]) -> String {
    let ran = docker(args);
    assert!(ran.success(), "{ran}");
    ran.stdout
}

/// Names of every container (any state) labelled `io.podc.pod=<pod>`, sorted.
#[track_caller]
pub(crate) fn containers_of(pod: &str) -> Vec<String> {
    let filter = format!("label=io.podc.pod={pod}");
    let out = docker_ok(&["ps", "-a", "--filter", &filter, "--format", "{{.Names}}"]);
    let mut names: Vec<String> = out.lines().map(str::to_string).collect();
    names.sort();
    names
}

/// Fails the test when any container of `pod` exists.
#[track_caller]
pub(crate) fn assert_nothing_left(pod: &str, context: &dyn fmt::Display) {
    let left = containers_of(pod);
    assert!(
        left.is_empty(),
        "containers of pod {pod} are left over: {left:?}\n{context}"
    );
}

/// Fails the test unless the pause and each of `members` exist for `pod` (other containers
/// podc may add to a pod are not counted).
#[track_caller]
pub(crate) fn assert_pod_has(pod: &str, members: &[&str]) {
    let found = containers_of(pod);
    let wanted =
        std::iter::once(format!("{pod}_POD")).chain(members.iter().map(|m| format!("{pod}_{m}")));
    for name in wanted {
        assert!(
            found.contains(&name),
            "pod {pod} has no container {name}; it has {found:?}"
        );
    }
}

/// The state word of a container (`running`, `exited`...), or None when it does not exist.
pub(crate) fn container_state(name: &str) -> Option<String> {
    let ran = docker(&["inspect", "--format", "{{.State.Status}}", name]);
    ran.success().then(|| ran.stdout.trim().to_string())
}

/// The full ID of the container `name`, or None when it does not exist.
pub(crate) fn container_id(name: &str) -> Option<String> {
    let ran = docker(&["inspect", "--format", "{{.Id}}", name]);
    ran.success().then(|| ran.stdout.trim().to_string())
}

/// Names of every Docker volume labelled `io.podc.pod=<pod>`, sorted.
#[track_caller]
pub(crate) fn volumes_of(pod: &str) -> Vec<String> {
    let filter = format!("label=io.podc.pod={pod}");
    let out = docker_ok(&["volume", "ls", "-q", "--filter", &filter]);
    let mut names: Vec<String> = out.lines().map(str::to_string).collect();
    names.sort();
    names
}

/// Whether the Docker volume `name` exists.
pub(crate) fn volume_exists(name: &str) -> bool {
    docker(&["volume", "inspect", name]).success()
}

/// `docker inspect --format FORMAT NAME`, which must succeed; its trimmed output.
#[track_caller]
pub(crate) fn inspect(name: &str, format: &str) -> String {
    docker_ok(&["inspect", "--format", format, name])
        .trim()
        .to_string()
}

/// Whether the daemon has `image` locally.
pub(crate) fn image_exists(image: &str) -> bool {
    docker(&["image", "inspect", image]).success()
}
