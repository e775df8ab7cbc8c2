//! Registry credentials for pulls, matched by the registry host of the image reference:
//!
//! 1. the pod's `imagePullSecrets` (a `kubernetes.io/dockerconfigjson` Secret in the same
//!    file, its `.dockerconfigjson` key), remembered when the manifest is loaded;
//! 2. the user's Docker config (`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`):
//!    `credHelpers[host]`, then `auths[host]` (`auth` = base64 `user:password`, or
//!    `username`/`password`, or `identitytoken`), then `credsStore` — a helper is run as
//!    `docker-credential-<helper> get`, as the docker CLI does.
//!
//! Credentials only travel to the daemon in the pull request's header; nothing here prints
//! them, and their `Debug` hides them.

use crate::manifest::{decode_base64, Manifest};
use bollard::auth::DockerCredentials;
use serde_json::Value;
use std::fmt;
use std::path::PathBuf;
use std::sync::Mutex;

/// Docker Hub's name in config files and for credential helpers.
const DOCKER_HUB_SERVER: &str = "https://index.docker.io/v1/";

/// Credentials for one registry and where they came from (for messages: never the secret).
#[derive(Clone)]
pub struct Found {
    pub credentials: DockerCredentials,
    pub source: String,
}

impl fmt::Debug for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Found")
            .field("username", &self.credentials.username)
            .field("serveraddress", &self.credentials.serveraddress)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

/// (registry host, credentials) from the `imagePullSecrets` of the manifests loaded so far.
static PULL_SECRETS: Mutex<Vec<(String, Found)>> = Mutex::new(Vec::new());

/// Remembers the credentials of every `imagePullSecrets` Secret the file's Pods name. A
/// Secret that is missing or holds no `.dockerconfigjson` is skipped (Kubernetes also runs
/// the pod, pulling without it).
pub fn remember_pull_secrets(manifest: &Manifest) {
    let mut found = Vec::new();
    for pod in &manifest.pods {
        for r in &pod.spec.image_pull_secrets {
            let Some(secret) = manifest.secret(&r.name) else {
                continue;
            };
            let Some(json) = secret.value(".dockerconfigjson") else {
                continue;
            };
            let Ok(config) = serde_json::from_slice::<Value>(&json) else {
                continue;
            };
            for (host, credentials) in auths_entries(&config) {
                found.push((
                    host,
                    Found {
                        credentials,
                        source: format!("imagePullSecret `{}`", r.name),
                    },
                ));
            }
        }
    }
    let mut store = PULL_SECRETS.lock().unwrap_or_else(|e| e.into_inner());
    store.extend(found);
}

/// The registry host of an image reference, as Docker reads it: the first path component when
/// it has a `.` or a `:` or is `localhost`; Docker Hub (`docker.io`) otherwise.
pub fn registry_host(image: &str) -> String {
    match image.split_once('/') {
        Some((first, _)) if first.contains('.') || first.contains(':') || first == "localhost" => {
            normalize_host(first)
        }
        _ => "docker.io".to_string(),
    }
}

/// `https://index.docker.io/v1/`, `registry-1.docker.io`, `docker.io` -> `docker.io`;
/// `http://host:5000/v2/` -> `host:5000`.
fn normalize_host(server: &str) -> String {
    let s = server
        .trim()
        .trim_start_matches("https://")
        .trim_start_matches("http://");
    let host = s.split('/').next().unwrap_or(s).to_ascii_lowercase();
    match host.as_str() {
        "index.docker.io" | "registry-1.docker.io" | "docker.io" => "docker.io".to_string(),
        _ => host,
    }
}

fn server_address(host: &str) -> String {
    if host == "docker.io" {
        DOCKER_HUB_SERVER.to_string()
    } else {
        host.to_string()
    }
}

/// Every usable entry of a config's `auths`, by normalized host.
fn auths_entries(config: &Value) -> Vec<(String, DockerCredentials)> {
    let Some(auths) = config.get("auths").and_then(Value::as_object) else {
        return Vec::new();
    };
    auths
        .iter()
        .filter_map(|(server, entry)| {
            let host = normalize_host(server);
            auth_entry(entry, &host).map(|c| (host, c))
        })
        .collect()
}

fn auth_entry(entry: &Value, host: &str) -> Option<DockerCredentials> {
    let text = |k: &str| {
        entry
            .get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let serveraddress = Some(server_address(host));
    if let Some(token) = text("identitytoken") {
        return Some(DockerCredentials {
            identitytoken: Some(token),
            serveraddress,
            ..Default::default()
        });
    }
    let (username, password) = match text("auth") {
        Some(auth) => {
            let decoded = String::from_utf8(decode_base64(&auth).ok()?).ok()?;
            let (u, p) = decoded.split_once(':')?;
            (u.to_string(), p.to_string())
        }
        None => (text("username")?, text("password")?),
    };
    Some(DockerCredentials {
        username: Some(username),
        password: Some(password),
        serveraddress,
        ..Default::default()
    })
}

/// The Docker config file podc reads: `$DOCKER_CONFIG/config.json`, else
/// `$HOME/.docker/config.json`.
pub fn docker_config_path() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("DOCKER_CONFIG").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir).join("config.json"));
    }
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty())?;
    Some(PathBuf::from(home).join(".docker").join("config.json"))
}

/// The credentials for `image`: the pod's pull secrets first, then the Docker config. Errors
/// (an unreadable config, a failing helper) are returned as text without any secret.
pub async fn credentials_for(image: &str) -> Result<Option<Found>, String> {
    let host = registry_host(image);
    {
        let store = PULL_SECRETS.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, found)) = store.iter().find(|(h, _)| *h == host) {
            return Ok(Some(found.clone()));
        }
    }
    let Some(path) = docker_config_path() else {
        return Ok(None);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let config: Value = serde_json::from_str(&text)
        .map_err(|e| format!("{} is not valid JSON: {e}", path.display()))?;
    let source = path.display().to_string();
    if let Some(helper) = config
        .get("credHelpers")
        .and_then(Value::as_object)
        .and_then(|h| {
            h.iter()
                .find(|(server, _)| normalize_host(server) == host)
                .and_then(|(_, v)| v.as_str())
        })
    {
        return run_helper(helper, &host, &source).await;
    }
    if let Some(c) = auths_entries(&config)
        .into_iter()
        .find(|(h, _)| *h == host)
        .map(|(_, c)| c)
    {
        return Ok(Some(Found {
            credentials: c,
            source,
        }));
    }
    if let Some(store) = config
        .get("credsStore")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
    {
        // The default store for every registry: one that fails (not installed, locked) means
        // no credentials, as for a registry it does not know, rather than no pull at all.
        return Ok(run_helper(store, &host, &source).await.unwrap_or(None));
    }
    Ok(None)
}

/// `docker-credential-<helper> get` with the server on stdin; "not found" is no credentials.
async fn run_helper(helper: &str, host: &str, config: &str) -> Result<Option<Found>, String> {
    use tokio::io::AsyncWriteExt;
    let program = format!("docker-credential-{helper}");
    let mut child = tokio::process::Command::new(&program)
        .arg("get")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("cannot run {program} (named in {config}): {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(server_address(host).as_bytes()).await;
    }
    let output = tokio::time::timeout(std::time::Duration::from_secs(30), child.wait_with_output())
        .await
        .map_err(|_| format!("{program} get did not answer within 30s"))?
        .map_err(|e| format!("{program} get failed: {e}"))?;
    if !output.status.success() {
        let said = String::from_utf8_lossy(&output.stdout).to_string()
            + &String::from_utf8_lossy(&output.stderr);
        if said.to_ascii_lowercase().contains("not found") {
            return Ok(None);
        }
        return Err(format!(
            "{program} get failed for {host} ({}): {}",
            output.status,
            said.trim()
        ));
    }
    let answer: Value = serde_json::from_slice(&output.stdout)
        .map_err(|_| format!("{program} get answered something that is not JSON"))?;
    let field = |k: &str| {
        answer
            .get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let Some(secret) = field("Secret") else {
        return Ok(None);
    };
    let username = field("Username");
    let mut credentials = DockerCredentials {
        serveraddress: Some(server_address(host)),
        ..Default::default()
    };
    if username.as_deref() == Some("<token>") {
        credentials.identitytoken = Some(secret);
    } else {
        credentials.username = username;
        credentials.password = Some(secret);
    }
    Ok(Some(Found {
        credentials,
        source: format!("{program} (named in {config})"),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_hosts_as_docker_reads_them() {
        assert_eq!(registry_host("nginx"), "docker.io");
        assert_eq!(registry_host("library/nginx:1"), "docker.io");
        assert_eq!(registry_host("127.0.0.1:5000/a/b:v1"), "127.0.0.1:5000");
        assert_eq!(registry_host("localhost/a"), "localhost");
        assert_eq!(registry_host("ghcr.io/o/i@sha256:00"), "ghcr.io");
        assert_eq!(registry_host("docker.io/library/nginx"), "docker.io");
    }

    #[test]
    fn auths_entries_decode_auth_and_normalize_servers() {
        let config: Value = serde_json::from_str(
            r#"{"auths": {
                "https://index.docker.io/v1/": {"auth": "dXNlcjpwYTpzcw=="},
                "http://127.0.0.1:5000/v2/": {"username": "u", "password": "p"},
                "ghcr.io": {},
                "quay.io": {"identitytoken": "tok"}
            }}"#,
        )
        .unwrap();
        let mut entries = auths_entries(&config);
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let hosts: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(hosts, ["127.0.0.1:5000", "docker.io", "quay.io"]);
        assert_eq!(entries[0].1.username.as_deref(), Some("u"));
        assert_eq!(
            entries[0].1.serveraddress.as_deref(),
            Some("127.0.0.1:5000")
        );
        assert_eq!(entries[1].1.username.as_deref(), Some("user"));
        assert_eq!(entries[1].1.password.as_deref(), Some("pa:ss"));
        assert_eq!(
            entries[1].1.serveraddress.as_deref(),
            Some("https://index.docker.io/v1/")
        );
        assert_eq!(entries[2].1.identitytoken.as_deref(), Some("tok"));
    }

    #[test]
    fn debug_hides_the_password() {
        let found = Found {
            credentials: DockerCredentials {
                username: Some("u".into()),
                password: Some("hunter2".into()),
                ..Default::default()
            },
            source: "test".into(),
        };
        assert!(!format!("{found:?}").contains("hunter2"));
    }
}
