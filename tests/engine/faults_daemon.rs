//! The Docker daemon restarted while a supervised pod runs: on a PRIVATE dockerd this test
//! starts itself (its own socket, data root, exec root and pidfile, no bridge, no iptables),
//! never the machine's. After the restart the supervisor (`unless-stopped`) comes back, finds
//! the pause dead with the daemon, and rebuilds the pod: it runs again, with no duplicates. It
//! runs alone (`setup_alone`): starting and stopping a second dockerd loads the whole machine,
//! which other tests' time limits would feel.

use crate::support::*;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A dockerd of the test's own, stopped (SIGTERM, by its pid) and its directories removed when
/// dropped.
struct PrivateDaemon {
    root: PathBuf,
    child: Option<Child>,
    host: String,
    /// A bridge interface of its own (`podcit<pid>`), removed when dropped.
    bridge: String,
}

impl PrivateDaemon {
    fn start(root: &Path) -> PrivateDaemon {
        std::fs::create_dir_all(root).expect("the daemon's directory can be made");
        let id = std::process::id();
        let bridge = format!("podcit{}", id % 10_000_000);
        let address = format!("10.213.{}.1/24", id % 250);
        for args in [
            vec!["link", "add", "name", &bridge, "type", "bridge"],
            vec!["addr", "add", &address, "dev", &bridge],
            vec!["link", "set", &bridge, "up"],
        ] {
            let mut cmd = Command::new("ip");
            cmd.args(&args);
            let ran = run_or_panic(cmd);
            assert!(
                ran.success(),
                "cannot make the private daemon's bridge: {ran}"
            );
        }
        let mut daemon = PrivateDaemon {
            root: root.to_path_buf(),
            child: None,
            host: format!("unix://{}/docker.sock", root.display()),
            bridge,
        };
        daemon.launch();
        daemon
    }

    fn launch(&mut self) {
        let root = &self.root;
        // Its own configuration file: the machine's /etc/docker/daemon.json may set data-root.
        std::fs::write(root.join("daemon.json"), "{}").expect("daemon.json can be written");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(root.join("dockerd.log"))
            .expect("the log can be opened");
        let child = Command::new("dockerd")
            .arg("--config-file")
            .arg(root.join("daemon.json"))
            .arg("--host")
            .arg(&self.host)
            .arg("--data-root")
            .arg(root.join("data"))
            .arg("--exec-root")
            .arg(root.join("exec"))
            .arg("--pidfile")
            .arg(root.join("docker.pid"))
            // Its own bridge, made by the test. NEVER `--bridge none`: a dockerd without a bridge
            // deletes the host's `docker0`, breaking the machine's daemon.
            .args([
                "--bridge",
                &self.bridge,
                "--iptables=false",
                "--ip6tables=false",
            ])
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("the log can be shared"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("this test starts a private dockerd, and `dockerd` cannot be run: {e}")
            });
        self.child = Some(child);
        let up = wait_until(Duration::from_secs(60), || {
            self.docker(&["info", "--format", "{{.ServerVersion}}"])
                .success()
        });
        assert!(up, "the private dockerd did not come up:\n{}", self.log());
    }

    /// Stops the daemon the way a service manager does (SIGTERM, wait for it to exit).
    fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        let mut cmd = Command::new("kill");
        cmd.args(["-TERM", &child.id().to_string()]);
        let _ = run_command(cmd, Duration::from_secs(10));
        let (_, timed_out) = wait_with_timeout(&mut child, Duration::from_secs(90));
        assert!(
            !timed_out,
            "the private dockerd did not stop:\n{}",
            self.log()
        );
    }

    fn restart(&mut self) {
        self.stop();
        self.launch();
    }

    fn docker(&self, args: &[&str]) -> Ran {
        let mut cmd = Command::new("docker");
        cmd.arg("-H").arg(&self.host).args(args);
        run_or_panic(cmd)
    }

    fn podc(&self, args: &[&str]) -> Ran {
        let mut cmd = podc_command(args);
        cmd.env("DOCKER_HOST", &self.host);
        run_or_panic(cmd)
    }

    fn containers_of(&self, pod: &str) -> Vec<String> {
        let filter = format!("label=io.podc.pod={pod}");
        let ran = self.docker(&["ps", "-a", "--filter", &filter, "--format", "{{.Names}}"]);
        assert!(ran.success(), "{ran}");
        let mut names: Vec<String> = ran.stdout.lines().map(str::to_string).collect();
        names.sort();
        names
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.root.join("dockerd.log")).unwrap_or_default()
    }
}

impl Drop for PrivateDaemon {
    fn drop(&mut self) {
        if self.child.is_some() {
            let _ = run_command(
                {
                    let mut cmd = podc_command(&["down", "it-fault-daemon"]);
                    cmd.env("DOCKER_HOST", &self.host);
                    cmd
                },
                Duration::from_secs(60),
            );
        }
        if let Some(mut child) = self.child.take() {
            let mut cmd = Command::new("kill");
            cmd.args(["-TERM", &child.id().to_string()]);
            let _ = run_command(cmd, Duration::from_secs(10));
            let _ = wait_with_timeout(&mut child, Duration::from_secs(60));
        }
        // The daemon leaves its default network namespace mounted under its exec root.
        let mut cmd = Command::new("umount");
        cmd.arg(self.root.join("exec/netns/default"));
        let _ = run_command(cmd, Duration::from_secs(10));
        let _ = std::fs::remove_dir_all(&self.root);
        let mut cmd = Command::new("ip");
        cmd.args(["link", "del", &self.bridge]);
        let _ = run_command(cmd, Duration::from_secs(10));
    }
}

#[test]
fn a_daemon_restart_brings_the_supervised_pod_back_without_duplicates() {
    let _daemon = setup_alone();
    let pod = "it-fault-daemon";
    let root = PathBuf::from(format!("/tmp/podc-it-dockerd-{}", std::process::id()));
    let host_bridge = |what: &str| {
        let mut cmd = Command::new("ip");
        cmd.args(["-o", "link", "show", "docker0"]);
        let ran = run_or_panic(cmd);
        format!(
            "{what}: {}",
            ran.stdout.split(':').take(2).collect::<Vec<_>>().join(":")
        )
    };
    let docker0_before = host_bridge("docker0");
    let mut daemon = PrivateDaemon::start(&root);
    // The images the pod uses, copied from the machine's daemon (podc makes its own there).
    let mut load = Command::new("sh");
    load.args([
        "-c",
        &format!(
            "docker save podc/busybox:latest | docker -H {} load",
            daemon.host
        ),
    ]);
    let loaded = run_or_panic(load);
    assert!(loaded.success(), "{loaded}");

    let dir = temp_dir();
    let file = write_manifest(
        dir.path(),
        "pod.yaml",
        &format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod}\nspec:\n  terminationGracePeriodSeconds: 2\n  containers:\n    - name: idle\n      image: podc/busybox:latest\n      command: [\"sleep\", \"3600\"]\n    - name: web\n      image: podc/busybox:latest\n      command: [\"sh\", \"-c\", \"echo served-{pod} > /tmp/index.html; exec httpd -f -p 127.0.0.1:8080 -h /tmp\"]\n"),
    );
    let up = daemon.podc(&["up", "-d", arg(&file)]);
    assert!(up.success(), "{up}");
    let expected: Vec<String> = ["POD", "SPEC", "idle", "web"]
        .iter()
        .map(|m| format!("{pod}_{m}"))
        .collect();
    assert_eq!(daemon.containers_of(pod), expected);
    let pause_before = daemon.docker(&["inspect", "--format", "{{.Id}}", &format!("{pod}_POD")]);

    daemon.restart();

    let ps = |daemon: &PrivateDaemon| -> Option<serde_json::Value> {
        let ran = daemon.podc(&["ps", "-o", "json", pod]);
        let all: serde_json::Value = serde_json::from_str(&ran.stdout).ok()?;
        all.as_array()?.iter().find(|p| p["name"] == pod).cloned()
    };
    let mut last = None;
    let back = wait_until(Duration::from_secs(90), || {
        last = ps(&daemon);
        last.as_ref().is_some_and(|p| {
            p["phase"] == "Running"
                && p["podRestarts"].as_u64().unwrap_or(0) >= 1
                && p["containers"]
                    .as_array()
                    .is_some_and(|cs| cs.len() == 2 && cs.iter().all(|c| c["state"] == "running"))
        })
    });
    assert!(
        back,
        "the pod did not come back after the daemon restarted: {last:#?}\n{}",
        daemon.log()
    );
    assert_eq!(daemon.containers_of(pod), expected, "no duplicates");
    let pause_after = daemon.docker(&["inspect", "--format", "{{.Id}}", &format!("{pod}_POD")]);
    assert_ne!(
        pause_before.stdout, pause_after.stdout,
        "the pause died with the daemon: a new one runs"
    );
    // The rebuilt pod serves inside its namespace (the probe path podc itself uses).
    let served = wait_until(Duration::from_secs(20), || {
        daemon
            .podc(&[
                "exec",
                pod,
                "-c",
                "idle",
                "--",
                "wget",
                "-q",
                "-O",
                "-",
                "http://127.0.0.1:8080/index.html",
            ])
            .stdout
            .contains(&format!("served-{pod}"))
    });
    assert!(
        served,
        "the rebuilt pod does not serve inside its namespace"
    );

    let down = daemon.podc(&["down", pod]);
    assert!(down.success(), "{down}");
    assert!(daemon.containers_of(pod).is_empty());
    drop(daemon);
    assert_eq!(
        host_bridge("docker0"),
        docker0_before,
        "the machine's docker0 must be left as it was"
    );
}
