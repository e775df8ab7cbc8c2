//! Private registries: Debian's `docker-registry` on a loopback port with htpasswd auth. podc
//! pulls with the credentials of a (temporary) Docker config, of a credential helper, and of an
//! `imagePullSecrets` Secret; a wrong password is a clear error; no credential is ever printed.
//! The machine's own docker login is never touched: every docker CLI call here uses a
//! temporary `DOCKER_CONFIG`.

use crate::support::*;
use std::path::{Path, PathBuf};

const USER: &str = "podc-user";
const PASSWORD: &str = "Pw-7sQ2-podc-registry";

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A Docker config directory holding `config.json`.
fn docker_config(dir: &Path, name: &str, json: &str) -> PathBuf {
    let d = dir.join(name);
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("config.json"), json).unwrap();
    d
}

fn auths_json(host: &str, user: &str, password: &str) -> String {
    format!(
        r#"{{"auths": {{"{host}": {{"auth": "{}"}}}}}}"#,
        base64(format!("{user}:{password}").as_bytes())
    )
}

#[track_caller]
fn assert_no_credentials(run: &PodcRun) {
    let b64 = base64(format!("{USER}:{PASSWORD}").as_bytes());
    for needle in [PASSWORD, b64.as_str()] {
        assert!(
            !run.stdout.contains(needle) && !run.stderr.contains(needle),
            "podc printed a credential ({needle:?})\n{run}"
        );
    }
}

#[track_caller]
fn assert_pulled_and_running(pod: &str, image: &str, up: &PodcRun) {
    up.expect_ok()
        .expect_stdout_contains(&format!("pulled {image}"));
    assert_no_credentials(up);
    assert!(image_exists(image), "{image} is not local after up\n{up}");
    let view = ps_json(pod).unwrap_or_else(|| panic!("podc ps does not list pod {pod}\n{up}"));
    assert_eq!(view["phase"], "Running", "{view:#}");
}

#[test]
fn up_pulls_with_the_docker_config_credentials() {
    let _daemon = setup();
    let registry = LocalRegistry::start("podc-test/private", Some((USER, PASSWORD)));
    registry.push_busybox("config");
    let image = registry.image("config");
    let _image = ImageGuard(image.clone());
    assert!(!image_exists(&image), "{image} is still local");

    let dir = temp_dir();
    let config = docker_config(
        dir.path(),
        "docker",
        &auths_json(&registry.host(), USER, PASSWORD),
    );
    let pod = "it-regauth-config";
    let file = write_manifest(dir.path(), "pod.yaml", &pod_using(pod, &image));
    let _guard = PodGuard::new(pod);
    let up = podc_env(
        &["up", "-d", arg(&file)],
        &[("DOCKER_CONFIG", config.to_str().unwrap())],
    );
    assert_pulled_and_running(pod, &image, &up);
}

#[test]
fn up_pulls_with_a_credential_helper() {
    let _daemon = setup();
    let registry = LocalRegistry::start("podc-test/private", Some((USER, PASSWORD)));
    registry.push_busybox("helper");
    let image = registry.image("helper");
    let _image = ImageGuard(image.clone());

    let dir = temp_dir();
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let helper = bin.join("docker-credential-podctest");
    std::fs::write(
        &helper,
        format!(
            "#!/bin/sh\n[ \"$1\" = get ] || exit 1\nread server\nif [ \"$server\" = \"{}\" ]; then\n  printf '{{\"ServerURL\":\"%s\",\"Username\":\"{USER}\",\"Secret\":\"{PASSWORD}\"}}' \"$server\"\nelse\n  echo 'credentials not found in native keychain'; exit 1\nfi\n",
            registry.host()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&helper, std::fs::Permissions::from_mode(0o755)).unwrap();
    let config = docker_config(
        dir.path(),
        "docker",
        &format!(
            r#"{{"credHelpers": {{"{}": "podctest"}}}}"#,
            registry.host()
        ),
    );
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let pod = "it-regauth-helper";
    let file = write_manifest(dir.path(), "pod.yaml", &pod_using(pod, &image));
    let _guard = PodGuard::new(pod);
    let up = podc_env(
        &["up", "-d", arg(&file)],
        &[
            ("DOCKER_CONFIG", config.to_str().unwrap()),
            ("PATH", path.as_str()),
        ],
    );
    assert_pulled_and_running(pod, &image, &up);
}

#[test]
fn up_pulls_with_image_pull_secrets() {
    let _daemon = setup();
    let registry = LocalRegistry::start("podc-test/private", Some((USER, PASSWORD)));
    registry.push_busybox("secret");
    let image = registry.image("secret");
    let _image = ImageGuard(image.clone());

    let dir = temp_dir();
    // An empty Docker config: only the Secret can supply the credentials.
    let config = docker_config(dir.path(), "docker", "{}");
    let pod = "it-regauth-secret";
    let dockerconfigjson = base64(auths_json(&registry.host(), USER, PASSWORD).as_bytes());
    let yaml = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: regcred\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: {dockerconfigjson}\n---\n{}  imagePullSecrets:\n    - name: regcred\n",
        pod_using(pod, &image)
    );
    let file = write_manifest(dir.path(), "pod.yaml", &yaml);
    let check = podc(&["check", arg(&file)]);
    check
        .expect_ok()
        .expect_stdout_contains("spec.imagePullSecrets");
    assert!(
        !check.stdout.contains(&dockerconfigjson),
        "check printed the Secret\n{check}"
    );
    assert_no_credentials(&check);
    let _guard = PodGuard::new(pod);
    let up = podc_env(
        &["up", "-d", arg(&file)],
        &[("DOCKER_CONFIG", config.to_str().unwrap())],
    );
    assert_pulled_and_running(pod, &image, &up);
    assert!(!up.stdout.contains(&dockerconfigjson) && !up.stderr.contains(&dockerconfigjson));
}

#[test]
fn a_wrong_password_is_a_clear_error_that_prints_no_credential() {
    let _daemon = setup();
    let registry = LocalRegistry::start("podc-test/private", Some((USER, PASSWORD)));
    registry.push_busybox("wrong");
    let image = registry.image("wrong");
    let _image = ImageGuard(image.clone());

    let dir = temp_dir();
    let wrong = "Wrong-9kP-podc-password";
    let config = docker_config(
        dir.path(),
        "docker",
        &auths_json(&registry.host(), USER, wrong),
    );
    let pod = "it-regauth-wrong";
    let file = write_manifest(dir.path(), "pod.yaml", &pod_using(pod, &image));
    let _guard = PodGuard::new(pod);
    let up = podc_env(
        &["up", "-d", arg(&file)],
        &[("DOCKER_CONFIG", config.to_str().unwrap())],
    );
    up.expect_code(1)
        .expect_stderr_contains(&format!("registry {}", registry.host()))
        .expect_stderr_contains("authentication required")
        .expect_stderr_contains("docker login");
    assert_no_credentials(&up);
    let b64 = base64(format!("{USER}:{wrong}").as_bytes());
    for needle in [wrong, b64.as_str()] {
        assert!(
            !up.stdout.contains(needle) && !up.stderr.contains(needle),
            "podc printed the wrong password\n{up}"
        );
    }
    assert_nothing_left(pod, &up);
    assert!(!image_exists(&image));

    // No credentials at all: the same clear error, naming where podc looked.
    let empty = docker_config(dir.path(), "empty", "{}");
    let up = podc_env(
        &["up", "-d", arg(&file)],
        &[("DOCKER_CONFIG", empty.to_str().unwrap())],
    );
    up.expect_code(1)
        .expect_stderr_contains("authentication required")
        .expect_stderr_contains("found no credentials");
    assert_nothing_left(pod, &up);
}
