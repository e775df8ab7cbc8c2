//! Registry credentials for pulls, matched by the registry host of the image reference:
//!
//! 1. the pod's `imagePullSecrets`, which the plan carries (`plan::pull`);
//! 2. the user's Docker config (`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`):
//!    `credHelpers[host]`, then `auths[host]` (`auth` = base64 `user:password`, or
//!    `username`/`password`, or `identitytoken`), then `credsStore` — a helper is run as
//!    `docker-credential-<helper> get`, as the docker CLI does.
//!
//! Credentials only travel to the daemon in the pull request's header; nothing here prints
//! them, and their `Debug` hides them.

use crate::plan::pull::{auths_entries, normalize_host, registry_host, server_address};
use crate::plan::{PullCredential, RegistryCredentials};
use bollard::auth::DockerCredentials;
use serde_json::Value;
use std::fmt;
use std::path::PathBuf;

/// Credentials for one registry and where they came from (for messages: never the secret).
#[derive(Clone)]
pub(crate) struct Found {
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

impl Found {
    fn new(credentials: &RegistryCredentials, source: String) -> Found {
        Found {
            credentials: DockerCredentials {
                username: credentials.username.clone(),
                password: credentials.password.clone(),
                identitytoken: credentials.identity_token.clone(),
                serveraddress: Some(credentials.server_address.clone()),
                ..Default::default()
            },
            source,
        }
    }
}

/// The Docker config file podc reads: `$DOCKER_CONFIG/config.json`, else
/// `$HOME/.docker/config.json`.
pub(crate) fn docker_config_path() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("DOCKER_CONFIG").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir).join("config.json"));
    }
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty())?;
    Some(PathBuf::from(home).join(".docker").join("config.json"))
}

/// The credentials for `image`: the pod's pull secrets (`from_plan`) first, then the Docker
/// config. Errors (an unreadable config, a failing helper) are returned as text without any
/// secret.
pub(crate) async fn credentials_for(
    image: &str,
    from_plan: &[PullCredential],
) -> Result<Option<Found>, String> {
    let host = registry_host(image);
    if let Some(p) = from_plan.iter().find(|p| p.host == host) {
        return Ok(Some(Found::new(&p.credentials, p.source.clone())));
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
    if let Some((_, c)) = auths_entries(&config).into_iter().find(|(h, _)| *h == host) {
        return Ok(Some(Found::new(&c, source)));
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

    #[tokio::test]
    async fn the_plans_credentials_come_first_and_convert_field_for_field() {
        let from_plan = [PullCredential {
            host: "127.0.0.1:5000".into(),
            credentials: RegistryCredentials {
                username: Some("u".into()),
                password: Some("p".into()),
                identity_token: None,
                server_address: "127.0.0.1:5000".into(),
            },
            source: "imagePullSecret `regcred`".into(),
        }];
        let found = credentials_for("127.0.0.1:5000/a/b:v1", &from_plan)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found.source, "imagePullSecret `regcred`");
        assert_eq!(
            found.credentials,
            DockerCredentials {
                username: Some("u".into()),
                password: Some("p".into()),
                serveraddress: Some("127.0.0.1:5000".into()),
                ..Default::default()
            }
        );
    }
}
