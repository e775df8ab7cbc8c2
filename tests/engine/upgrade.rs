//! An upgrade of podc while a pod runs: a pod started by the previous build (the parent of the
//! stored-plan redesign, whose spec record holds the pod spec and no plan) is reconciled,
//! supervised and torn down by this build, its Secret-sourced env kept through restarts and a
//! rebuild. tests/prepare.sh builds the previous podc once.

use crate::support::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The previous build: the last commit whose spec records hold the pod spec (`io.podc.spec`).
const PREVIOUS_COMMIT: &str = "ca8c6db";

/// Where tests/prepare.sh builds it.
fn previous_podc_bin() -> PathBuf {
    let bin = repo_root()
        .join("target/podc-previous")
        .join(PREVIOUS_COMMIT)
        .join("target/debug/podc");
    assert!(
        bin.is_file(),
        "the previous build of podc (commit {PREVIOUS_COMMIT}) is not at {}: run tests/prepare.sh, which builds it",
        bin.display()
    );
    bin
}

/// `podc -o plain ARGS` with the previous build.
fn previous_podc(args: &[&str]) -> Ran {
    let mut cmd = Command::new(previous_podc_bin());
    cmd.args(["-o", "plain"])
        .args(args)
        .current_dir(repo_root());
    run_or_panic(cmd)
}

/// A Secret-sourced env var, a readiness probe on busybox httpd, a preStop hook that appends
/// the secret to the test's directory (a hostPath), an emptyDir, and an idle second member.
fn upgraded_pod(pod: &str, dir: &Path) -> String {
    format!(
        r#"apiVersion: v1
kind: Secret
metadata: {{name: upgrade-creds}}
stringData: {{password: s3cret-upgrade}}
---
apiVersion: v1
kind: Pod
metadata:
  name: {pod}
spec:
  terminationGracePeriodSeconds: 5
  volumes:
    - name: trace
      hostPath: {{path: {dir}, type: Directory}}
    - name: www
      emptyDir: {{}}
  containers:
    - name: web
      image: podc/busybox:latest
      command: ["sh", "-c", "echo ok > /www/index.html && exec httpd -f -p 8080 -h /www"]
      ports: [{{name: http, containerPort: 8080}}]
      env:
        - name: PASSWORD
          valueFrom: {{secretKeyRef: {{name: upgrade-creds, key: password}}}}
      readinessProbe:
        httpGet: {{path: /index.html, port: http}}
        periodSeconds: 1
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "echo pre-stop $PASSWORD >> /trace/trace.log"]
      volumeMounts:
        - {{name: trace, mountPath: /trace}}
        - {{name: www, mountPath: /www}}
    - name: idle
      image: podc/busybox:latest
      command: ["sleep", "3600"]
"#,
        dir = dir.display()
    )
}

/// The lines the preStop hook wrote.
fn trace(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("trace.log"))
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

/// The container's environment, one `NAME=value` a line.
fn env_of(container: &str) -> String {
    inspect(container, "{{range .Config.Env}}{{println .}}{{end}}")
}

/// The IDs of the pause and the members.
fn ids(pod: &str) -> Vec<(String, Option<String>)> {
    ["POD", "web", "idle"]
        .iter()
        .map(|n| {
            let name = format!("{pod}_{n}");
            let id = container_id(&name);
            (name, id)
        })
        .collect()
}

/// Whether `podc ps` shows the pod supervised, Running, with `web` ready.
fn supervised_running_ready(view: &serde_json::Value) -> bool {
    view["supervised"] == true
        && view["phase"] == "Running"
        && find_member(view, "web").is_some_and(|w| w["ready"] == true)
}

#[test]
fn a_pod_of_the_previous_build_is_reconciled_supervised_and_torn_down_by_this_one() {
    // Before any Docker work: a missing previous build fails at once, naming tests/prepare.sh.
    previous_podc_bin();
    // Alone: it puts the previous build's supervisor in charge for a moment, which cannot read
    // the other tests' records.
    let _daemon = setup_alone();
    let pod = "it-upgrade";
    let dir = temp_dir();
    let file = write_manifest(dir.path(), "pod.yaml", &upgraded_pod(pod, dir.path()));
    let _guard = PodGuard::new(pod);
    let (web, pause, record) = (
        format!("{pod}_web"),
        format!("{pod}_POD"),
        format!("{pod}_SPEC"),
    );

    // The previous build starts the pod and its own supervisor.
    let old_up = previous_podc(&["up", "-d", "--wait", "--timeout", "60", arg(&file)]);
    assert!(old_up.success(), "{old_up}");
    let record_labels = inspect(&record, "{{json .Config.Labels}}");
    assert!(
        record_labels.contains("\"io.podc.spec\"") && !record_labels.contains("plan-format"),
        "{record} is not a record of the previous build ({PREVIOUS_COMMIT}): {record_labels}"
    );
    let old_supervisor = inspect("podc-supervisor", "{{.Config.Image}}");
    assert!(env_of(&web).contains("PASSWORD=s3cret-upgrade\n"));
    let before = ids(pod);

    // This build: the pod is unchanged, nothing recreated, and its supervisor takes over.
    let up = podc(&["up", "-d", arg(&file)]);
    up.expect_ok()
        .expect_stdout_contains(&format!("pod {pod} is already running and unchanged"));
    assert_eq!(ids(pod), before, "podc up recreated containers\n{up}");
    let supervisor = inspect("podc-supervisor", "{{.Config.Image}}");
    assert!(
        supervisor.starts_with("podc/supervisor:") && supervisor != old_supervisor,
        "podc-supervisor still runs the previous build's image {old_supervisor}: {supervisor}\n{up}"
    );
    assert_eq!(
        container_state("podc-supervisor").as_deref(),
        Some("running")
    );
    let (reported, view) = wait_for_pod(pod, Duration::from_secs(20), supervised_running_ready);
    assert!(
        reported,
        "this build's supervisor does not report the pod Running and ready: {view:#?}"
    );

    // A killed member is restarted by this build's supervisor with the Secret's value.
    let old_web = container_id(&web).expect("web exists");
    docker_ok(&["kill", &web]);
    let (restarted, view) = wait_for_pod(pod, Duration::from_secs(20), |p| {
        container_id(&web).is_some_and(|id| id != old_web)
            && container_state(&web).as_deref() == Some("running")
            && supervised_running_ready(p)
    });
    assert!(restarted, "{web} was not restarted and ready: {view:#?}");
    let env = env_of(&web);
    assert!(
        env.contains("PASSWORD=s3cret-upgrade\n"),
        "the restarted {web} lost the Secret's value; its env:\n{env}"
    );

    // A killed pause: the pod is rebuilt, one of each container, the Secret's value kept.
    let old_pause = container_id(&pause).expect("the pause exists");
    docker_ok(&["kill", &pause]);
    let (rebuilt, view) = wait_for_pod(pod, Duration::from_secs(30), |p| {
        p["podRestarts"] == 1
            && container_id(&pause).is_some_and(|id| id != old_pause)
            && supervised_running_ready(p)
    });
    assert!(rebuilt, "pod {pod} was not rebuilt: {view:#?}");
    let expected: Vec<String> = ["POD", "SPEC", "idle", "web"]
        .iter()
        .map(|n| format!("{pod}_{n}"))
        .collect();
    assert_eq!(
        containers_of(pod),
        expected,
        "after the rebuild the pod has other containers than one of each"
    );
    let new_pause = container_id(&pause).expect("the new pause exists");
    for member in ["web", "idle"] {
        let name = format!("{pod}_{member}");
        assert_eq!(container_state(&name).as_deref(), Some("running"), "{name}");
        let joined = inspect(&name, "{{.HostConfig.NetworkMode}}");
        assert_eq!(
            joined,
            format!("container:{new_pause}"),
            "{name} is not in the new pause"
        );
    }
    let env = env_of(&web);
    assert!(
        env.contains("PASSWORD=s3cret-upgrade\n"),
        "the rebuilt {web} lost the Secret's value; its env:\n{env}"
    );
    let view = ps_json(pod).expect("the pod is listed");
    assert_eq!(view["supervised"], true, "{view:#}");
    assert_eq!(view["phase"], "Running", "{view:#}");

    // The rebuilt pod is still what the file says.
    let rebuilt_ids = ids(pod);
    podc(&["up", "-d", arg(&file)])
        .expect_ok()
        .expect_stdout_contains(&format!("pod {pod} is already running and unchanged"));
    assert_eq!(ids(pod), rebuilt_ids, "podc up recreated the rebuilt pod");

    // This build's `down`: the preStop hook ran (with the Secret's value), nothing is left.
    assert!(trace(dir.path()).is_empty(), "{:?}", trace(dir.path()));
    let down = podc(&["down", pod]);
    down.expect_ok();
    assert_eq!(
        trace(dir.path()),
        ["pre-stop s3cret-upgrade"],
        "the preStop hook did not run once at down\n{down}"
    );
    assert_nothing_left(pod, &down);
    let volumes = volumes_of(pod);
    assert!(volumes.is_empty(), "volumes left: {volumes:?}\n{down}");
}
