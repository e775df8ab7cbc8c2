//! Pulling from a real registry: Debian's `docker-registry` served on a loopback port (Docker
//! trusts 127.0.0.0/8 registries over plain HTTP), so `podc up` pulls without the internet.

use crate::support::*;

#[test]
fn up_pulls_a_missing_image_from_a_loopback_registry() {
    let _daemon = setup();
    let registry = LocalRegistry::start("podc-test/busybox", None);
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
    let _daemon = setup();
    let registry = LocalRegistry::start("podc-test/busybox", None);
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
