//! An unreachable daemon, through the real binary: `up`, `down` and `ps` exit 1 naming the
//! socket and what to do.

use crate::run::*;
use crate::served_pod::served_pod;

#[test]
fn an_unreachable_daemon_is_named_with_what_to_do() {
    let pod = "it-fault-nodaemon";
    let dir = temp_dir();
    let file = write_manifest(dir.path(), "pod.yaml", &served_pod(pod, 1));
    for args in [vec!["up", "-d", arg(&file)], vec!["down", pod], vec!["ps"]] {
        let mut cmd = podc_command(&args);
        cmd.env("DOCKER_HOST", "unix:///nonexistent-podc-it.sock");
        let ran = run(cmd);
        assert_eq!(ran.code, Some(1), "{ran}");
        for needle in ["/nonexistent-podc-it.sock", "dockerd", "DOCKER_HOST"] {
            assert!(ran.stderr.contains(needle), "no {needle:?} in:\n{ran}");
        }
    }
    // Nothing left (containers, volumes): the only daemon podc was given does not exist, so it
    // cannot have created anything anywhere.
}
