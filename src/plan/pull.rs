//! Registry credentials for pulls from the pod's `imagePullSecrets` (the `.dockerconfigjson` of
//! a `kubernetes.io/dockerconfigjson` Secret), by registry host, and how an image reference
//! names its registry. Pure: the user's Docker config and credential helpers are read by the
//! driver (`docker::auth`), which tries these first.

use super::PodObjects;
use crate::manifest::{decode_base64, Pod};
use serde_json::Value;
use std::fmt;

/// Docker Hub's name in config files and for credential helpers.
pub(crate) const DOCKER_HUB_SERVER: &str = "https://index.docker.io/v1/";

/// The key of a `kubernetes.io/dockerconfigjson` Secret that holds the Docker config.
const DOCKER_CONFIG_KEY: &str = ".dockerconfigjson";

/// Credentials for one registry, as an `auths` entry of a Docker config gives them. Its
/// `Debug` shows the user name and the server only.
#[derive(Clone, PartialEq, Eq, Default)]
pub(crate) struct RegistryCredentials {
    pub username: Option<String>,
    pub password: Option<String>,
    pub identity_token: Option<String>,
    /// The registry as the daemon and the credential helpers name it (`server_address`).
    pub server_address: String,
}

impl fmt::Debug for RegistryCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RegistryCredentials")
            .field("username", &self.username)
            .field("server_address", &self.server_address)
            .finish_non_exhaustive()
    }
}

/// One registry's credentials from one of the pod's `imagePullSecrets`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PullCredential {
    /// The registry host, normalized (`docker.io`, `127.0.0.1:5000`).
    pub host: String,
    pub credentials: RegistryCredentials,
    /// Where they came from, for messages: "imagePullSecret `regcred`".
    pub source: String,
}

/// The credentials of every Secret the pod names in `imagePullSecrets`, in that order. A
/// Secret that is missing, holds no `.dockerconfigjson` or no JSON there is skipped
/// (Kubernetes also runs the pod, pulling without it).
pub(crate) fn pull_credentials(pod: &Pod, objects: &PodObjects) -> Vec<PullCredential> {
    let mut found = Vec::new();
    for r in &pod.spec.image_pull_secrets {
        let Some(secret) = objects.secret(&r.name) else {
            continue;
        };
        let Some(json) = secret.value(DOCKER_CONFIG_KEY) else {
            continue;
        };
        let Ok(config) = serde_json::from_slice::<Value>(&json) else {
            continue;
        };
        for (host, credentials) in auths_entries(&config) {
            found.push(PullCredential {
                host,
                credentials,
                source: format!("imagePullSecret `{}`", r.name),
            });
        }
    }
    found
}

/// The registry host of an image reference, as Docker reads it: the first path component when
/// it has a `.` or a `:` or is `localhost`; Docker Hub (`docker.io`) otherwise.
pub(crate) fn registry_host(image: &str) -> String {
    match image.split_once('/') {
        Some((first, _)) if first.contains('.') || first.contains(':') || first == "localhost" => {
            normalize_host(first)
        }
        _ => "docker.io".to_string(),
    }
}

/// `https://index.docker.io/v1/`, `registry-1.docker.io`, `docker.io` -> `docker.io`;
/// `http://host:5000/v2/` -> `host:5000`.
pub(crate) fn normalize_host(server: &str) -> String {
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

/// How the daemon and the credential helpers name a normalized host's registry.
pub(crate) fn server_address(host: &str) -> String {
    if host == "docker.io" {
        DOCKER_HUB_SERVER.to_string()
    } else {
        host.to_string()
    }
}

/// Every usable entry of a Docker config's `auths` (the shape of both a `.dockerconfigjson`
/// and `config.json`), by normalized host.
pub(crate) fn auths_entries(config: &Value) -> Vec<(String, RegistryCredentials)> {
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

fn auth_entry(entry: &Value, host: &str) -> Option<RegistryCredentials> {
    let text = |k: &str| {
        entry
            .get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let server_address = server_address(host);
    if let Some(token) = text("identitytoken") {
        return Some(RegistryCredentials {
            identity_token: Some(token),
            server_address,
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
    Some(RegistryCredentials {
        username: Some(username),
        password: Some(password),
        server_address,
        ..Default::default()
    })
}

#[cfg(test)]
mod tests;
