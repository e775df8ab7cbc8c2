//! A registry on loopback (Debian's `docker-registry`), with htpasswd auth when asked.

use super::*;

/// A `docker-registry serve` (Debian's) on a free 127.0.0.1 port, with htpasswd auth when a
/// login is given; killed and reaped when dropped.
pub(crate) struct LocalRegistry {
    pub port: u16,
    _process: ChildGuard,
    log: PathBuf,
    pub dir: tempfile::TempDir,
    repository: String,
    login: Option<(String, String)>,
}

impl LocalRegistry {
    /// Starts it and waits until `/v2/` answers (200, or 401 with auth on).
    #[track_caller]
    pub(crate) fn start(repository: &str, login: Option<(&str, &str)>) -> LocalRegistry {
        let tools: &[&str] = if login.is_some() {
            &["docker-registry", "htpasswd"]
        } else {
            &["docker-registry"]
        };
        for tool in tools {
            let found = Command::new("sh")
                .args(["-c", &format!("command -v {tool}")])
                .output()
                .expect("sh runs");
            assert!(
                found.status.success(),
                "{tool} is not installed: run tests/prepare.sh"
            );
        }
        let dir = temp_dir();
        let mut auth = String::new();
        if let Some((user, password)) = login {
            let made = Command::new("htpasswd")
                .args(["-Bbn", user, password])
                .output()
                .expect("htpasswd runs");
            assert!(made.status.success(), "htpasswd failed: {made:?}");
            let htpasswd = dir.path().join("htpasswd");
            std::fs::write(&htpasswd, &made.stdout).expect("write htpasswd");
            auth = format!(
                "auth:\n  htpasswd:\n    realm: podc-tests\n    path: {}\n",
                htpasswd.display()
            );
        }
        let mut reserved = Port::reserve();
        let config = dir.path().join("config.yml");
        let yaml = format!(
            "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: {}\nhttp:\n  addr: 127.0.0.1:{}\n  secret: podc-tests\n{auth}",
            dir.path().join("data").display(),
            reserved.port
        );
        std::fs::write(&config, yaml).expect("write the registry config");
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
        let registry = LocalRegistry {
            port,
            _process: ChildGuard(child),
            log,
            dir,
            repository: repository.to_string(),
            login: login.map(|(u, p)| (u.to_string(), p.to_string())),
        };
        let ready = if registry.login.is_some() {
            " 401 "
        } else {
            " 200 "
        };
        let up = wait_until(Duration::from_secs(10), || {
            http_get(port, "/v2/").is_some_and(|r| {
                r.lines()
                    .next()
                    .is_some_and(|status| status.contains(ready))
            })
        });
        assert!(
            up,
            "docker-registry never answered{ready}on /v2/ at 127.0.0.1:{port}; its log:\n{}",
            registry.log_text()
        );
        registry
    }

    /// `127.0.0.1:PORT`.
    pub(crate) fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// `127.0.0.1:PORT/<repository>:TAG`.
    pub(crate) fn image(&self, tag: &str) -> String {
        format!("{}/{}:{tag}", self.host(), self.repository)
    }

    pub(crate) fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Pushes podc/busybox:latest as `image(tag)` (logged in with a temporary DOCKER_CONFIG
    /// when the registry has auth: the machine's own docker login is never touched) and removes
    /// the local tag again.
    #[track_caller]
    pub(crate) fn push_busybox(&self, tag: &str) {
        let config = self.dir.path().join("push-config");
        std::fs::create_dir_all(&config).expect("create the push config");
        let config = config.to_str().expect("a UTF-8 temp path").to_string();
        if let Some((user, password)) = &self.login {
            let mut child = Command::new("docker")
                .args([
                    "--config",
                    &config,
                    "login",
                    &self.host(),
                    "-u",
                    user,
                    "--password-stdin",
                ])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("docker login starts");
            child
                .stdin
                .take()
                .expect("piped stdin")
                .write_all(password.as_bytes())
                .expect("write the password");
            let (status, timed_out) = wait_with_timeout(&mut child, Duration::from_secs(60));
            assert!(
                !timed_out && status.is_some_and(|s| s.success()),
                "docker login {} failed; registry log:\n{}",
                self.host(),
                self.log_text()
            );
        }
        let image = self.image(tag);
        docker_ok(&["tag", "podc/busybox:latest", &image]);
        let _untag = ImageGuard(image.clone());
        let pushed = docker(&["--config", &config, "push", &image]);
        assert!(
            pushed.success(),
            "{pushed}\nregistry log:\n{}",
            self.log_text()
        );
    }
}

/// A one-member pod running `image`.
pub(crate) fn pod_using(pod: &str, image: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod}\nspec:\n  terminationGracePeriodSeconds: 2\n  containers:\n    - name: idle\n      image: {image}\n      command: [\"sleep\", \"3600\"]\n"
    )
}
