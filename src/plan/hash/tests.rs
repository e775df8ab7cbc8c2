//! The hashes must not move: `up` compares them with the labels of pods a previous build
//! started, and a moved hash recreates every running container. The expected values were
//! computed by podc at ca8c6db, before probes and hooks were resolved into the plan.

use crate::manifest::load_manifest_str;
use crate::plan::{plan_with, PodObjects};

fn hashes(file: &str, text: &str) -> Vec<(String, String)> {
    let m = load_manifest_str(file, text).unwrap();
    let objects = PodObjects {
        config_maps: m.config_maps.clone(),
        secrets: m.secrets.clone(),
    };
    let p = plan_with(&m.pods[0], &objects, "podc/pause:x", "f.yaml");
    let mut out = vec![
        ("pod".to_string(), p.config_hash.clone()),
        (
            "pause".to_string(),
            p.pause.labels["io.podc.config-hash"].clone(),
        ),
    ];
    for m in p.init.iter().chain(&p.members) {
        out.push((m.name.clone(), m.labels["io.podc.config-hash"].clone()));
    }
    out
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn the_blog_example_hashes_as_the_previous_build_did() {
    let text = include_str!("../../../pods/blog.yaml");
    let expected = [
        ("pod", "711b8516cb0447c2"),
        ("pause", "946a166b07276d74"),
        ("web", "5e6b050d7da55a2f"),
        ("blog", "5494c8fe9657cc3c"),
    ];
    assert_eq!(hashes("pods/blog.yaml", text), pairs(&expected));
}

#[test]
fn a_pod_with_hooks_probes_sidecars_and_objects_hashes_as_the_previous_build_did() {
    let text = include_str!("rich-pod.yaml");
    let expected = [
        ("pod", "22e0c2e12852261b"),
        ("pause", "1513d70169267b43"),
        ("migrate", "3ff24ffb05dde1f7"),
        ("side", "2cb2eaeccf211a09"),
        ("web", "cf4bf1faa3861a9e"),
    ];
    assert_eq!(hashes("rich.yaml", text), pairs(&expected));
}
