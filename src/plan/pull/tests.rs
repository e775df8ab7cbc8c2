use super::*;
use crate::manifest::load_manifest_str;
use crate::plan::{plan_with, stored, Plan};

/// A pod naming four pull secrets: one absent, one whose `.dockerconfigjson` is no JSON, one
/// without that key, and a usable one with two registries (the second in `auth` form).
const FILE: &str = r#"apiVersion: v1
kind: Secret
metadata: {name: regcred}
type: kubernetes.io/dockerconfigjson
stringData:
  .dockerconfigjson: '{"auths": {"127.0.0.1:5000": {"username": "u", "password": "hunter2"}, "https://index.docker.io/v1/": {"auth": "dXNlcjpwYTpzcw=="}}}'
---
apiVersion: v1
kind: Secret
metadata: {name: notjson}
type: kubernetes.io/dockerconfigjson
stringData: {.dockerconfigjson: "not json"}
---
apiVersion: v1
kind: Secret
metadata: {name: other}
stringData: {token: x}
---
apiVersion: v1
kind: Pod
metadata: {name: shop}
spec:
  imagePullSecrets: [{name: missing}, {name: notjson}, {name: other}, {name: regcred}]
  containers:
    - name: web
      image: 127.0.0.1:5000/shop/web
"#;

fn planned(text: &str) -> Plan {
    let loaded = load_manifest_str("shop.yaml", text).unwrap();
    let objects = PodObjects {
        config_maps: loaded.config_maps.clone(),
        secrets: loaded.secrets.clone(),
    };
    plan_with(&loaded.pods[0], &objects, "podc/pause:x", "shop.yaml")
}

fn password(host: &str, user: &str, password: &str) -> RegistryCredentials {
    RegistryCredentials {
        username: Some(user.into()),
        password: Some(password.into()),
        identity_token: None,
        server_address: server_address(host),
    }
}

#[test]
fn registry_hosts_as_docker_reads_them() {
    assert_eq!(registry_host("nginx"), "docker.io");
    assert_eq!(registry_host("library/nginx:1"), "docker.io");
    assert_eq!(registry_host("127.0.0.1:5000/a/b:v1"), "127.0.0.1:5000");
    assert_eq!(registry_host("localhost/a"), "localhost");
    assert_eq!(registry_host("ghcr.io/o/i@sha256:00"), "ghcr.io");
    assert_eq!(registry_host("docker.io/library/nginx"), "docker.io");
    assert_eq!(normalize_host("http://Host:5000/v2/"), "host:5000");
    assert_eq!(normalize_host("registry-1.docker.io"), "docker.io");
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
    assert_eq!(
        entries,
        vec![
            (
                "127.0.0.1:5000".into(),
                password("127.0.0.1:5000", "u", "p")
            ),
            ("docker.io".into(), password("docker.io", "user", "pa:ss")),
            (
                "quay.io".into(),
                RegistryCredentials {
                    identity_token: Some("tok".into()),
                    server_address: "quay.io".into(),
                    ..Default::default()
                }
            ),
        ]
    );
    assert_eq!(entries[1].1.server_address, "https://index.docker.io/v1/");
}

#[test]
fn the_plan_carries_the_usable_pull_secrets_and_skips_the_rest() {
    let plan = planned(FILE);
    let mut found = plan.pull_credentials.clone();
    found.sort_by(|a, b| a.host.cmp(&b.host));
    let from = |host: &str, credentials| PullCredential {
        host: host.into(),
        credentials,
        source: "imagePullSecret `regcred`".into(),
    };
    assert_eq!(
        found,
        vec![
            from("127.0.0.1:5000", password("127.0.0.1:5000", "u", "hunter2")),
            from("docker.io", password("docker.io", "user", "pa:ss")),
        ]
    );
}

#[test]
fn pull_credentials_are_never_shown_stored_or_hashed() {
    let plan = planned(FILE);
    assert!(!plan.pull_credentials.is_empty());
    let shown = format!("{plan:?}");
    assert!(
        !shown.contains("hunter2") && !shown.contains("pa:ss"),
        "{shown}"
    );
    // The supervisor never pulls: the stored plan holds no credential and reads back without.
    let env = stored::to_env(&plan);
    assert!(!env.contains("hunter2") && !env.contains("dXNlcjpwYTpzcw"));
    let back = stored::from_env(&[env]).unwrap();
    assert!(back.pull_credentials.is_empty());
    assert_eq!(
        back,
        Plan {
            pull_credentials: Vec::new(),
            ..plan.clone()
        }
    );
    // The same pod with other credentials behind the same Secret names is the same pod.
    let other = planned(&FILE.replace("hunter2", "changed"));
    assert_ne!(other.pull_credentials, plan.pull_credentials);
    assert_eq!(other.config_hash, plan.config_hash);
    assert_eq!(other.pause.labels, plan.pause.labels);
    assert_eq!(other.members[0].labels, plan.members[0].labels);
}
