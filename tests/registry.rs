//! Pulling from a real registry: Debian's `docker-registry` served on a loopback port (Docker
//! trusts 127.0.0.0/8 registries over plain HTTP), so `podc up` pulls without the internet.

mod support;

use std::process::{Command, Stdio};
use std::time::Duration;
use support::*;

/// A `docker-registry serve` on 127.0.0.1, killed and reaped when dropped.
struct Registry {
    port: u16,
    process: ChildGuard,
    log: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Registry {
    #[track_caller]
    fn start() -> Registry {
        let which = Command::new("sh")
            .args(["-c", "command -v docker-registry"])
            .output()
            .expect("sh runs");
        assert!(
            which.status.success(),
            "docker-registry is not installed: run tests/prepare.sh (it installs Debian's docker-registry)"
        );
        let dir = temp_dir();
        let mut reserved = Port::reserve();
        let config = dir.path().join("config.yml");
        std::fs::write(
            &config,
            format!(
                "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: {}\nhttp:\n  addr: 127.0.0.1:{}\n  secret: podc-tests\n",
                dir.path().join("data").display(),
                reserved.port
            ),
        )
        .expect("write the registry config");
        let log = dir.path().join("registry.log");
        let log_file = std::fs::File::create(&log).expect("create the registry log");
        let port = reserved.release();
        let child = Command::new("docker-registry")
            .arg("serve")
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("clone the log handle"))
            .stderr(log_file)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start docker-registry: {e}"));
        let mut registry = Registry {
            port,
            process: ChildGuard(child),
            log,
            _dir: dir,
        };
        let up = wait_until(Duration::from_secs(10), || {
            http_get(port, "/v2/").is_some_and(|r| {
                r.lines()
                    .next()
                    .is_some_and(|status| status.contains(" 200 "))
            })
        });
        if !up {
            let exited = registry.process.0.try_wait().ok().flatten();
            panic!(
                "docker-registry never answered GET http://127.0.0.1:{port}/v2/ (exited: {exited:?}); its log:\n{}",
                registry.log_text()
            );
        }
        registry
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// `127.0.0.1:PORT/podc-test/busybox:TAG`.
    fn image(&self, tag: &str) -> String {
        format!("127.0.0.1:{}/podc-test/busybox:{tag}", self.port)
    }

    /// Pushes podc/busybox:latest as `image(tag)` and removes the local tag again.
    #[track_caller]
    fn push_busybox(&self, tag: &str) {
        let image = self.image(tag);
        docker_ok(&["tag", "podc/busybox:latest", &image]);
        let _untag = ImageGuard(image.clone());
        let pushed = docker(&["push", &image]);
        assert!(
            pushed.success(),
            "{pushed}\nregistry log:\n{}",
            self.log_text()
        );
    }
}

fn pod_using(pod: &str, image: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod}\nspec:\n  terminationGracePeriodSeconds: 2\n  containers:\n    - name: idle\n      image: {image}\n      command: [\"sleep\", \"3600\"]\n"
    )
}

fn image_exists(image: &str) -> bool {
    docker(&["image", "inspect", image]).success()
}

#[test]
fn up_pulls_a_missing_image_from_a_loopback_registry() {
    setup();
    let registry = Registry::start();
    registry.push_busybox("v1");
    let image = registry.image("v1");
    let _image = ImageGuard(image.clone());
    assert!(
        !image_exists(&image),
        "{image} is still present locally, the pull would prove nothing"
    );

    let pod = "it-registry";
    let dir = temp_dir();
    let file = write_manifest(dir.path(), "registry.yaml", &pod_using(pod, &image));
    let _guard = PodGuard::new(pod);
    let up = podc(&["up", "-d", arg(&file)]);
    up.expect_ok()
        .expect_stdout_contains(&format!("pulled {image}"));

    assert!(image_exists(&image), "{image} is not local after up\n{up}");
    let view = ps_json(pod).unwrap_or_else(|| panic!("podc ps does not list pod {pod}\n{up}"));
    assert_eq!(view["phase"], "Running", "{view:#}");
    assert_eq!(view["containers"][0]["image"], image.as_str(), "{view:#}");
    assert_eq!(view["containers"][0]["state"], "running", "{view:#}");
}

#[test]
fn up_with_a_tag_missing_from_the_registry_fails_and_leaves_nothing() {
    setup();
    let registry = Registry::start();
    // The repository exists; only the tag does not.
    registry.push_busybox("v1");
    let image = registry.image("missing");

    let pod = "it-registry-missing";
    let dir = temp_dir();
    let file = write_manifest(dir.path(), "registry-missing.yaml", &pod_using(pod, &image));
    let _guard = PodGuard::new(pod);
    let run = podc(&["up", "-d", arg(&file)]);
    run.expect_code(1).expect_stderr_contains(&image);
    assert_nothing_left(pod, &run);
    assert!(
        !image_exists(&image),
        "{image} exists locally after a failed pull"
    );
}
