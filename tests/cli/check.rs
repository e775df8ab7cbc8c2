//! `podc check` through the real binary: the report on stdout, exit 0 or 2, `-o json`. It never
//! needs Docker: `DOCKER_HOST` names no daemon.

use crate::run::NO_DAEMON;
use std::process::{Command, Output};

const GOOD: &str = "tests/manifests/good/check.yaml";
const BAD: &str = "tests/manifests/bad/multi-doc.yaml";

/// `podc ARGS...` run from the repository root, so file names in the output are relative.
fn podc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_podc"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("DOCKER_HOST", NO_DAEMON)
        .output()
        .expect("run podc")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The lines `podc check` prints for the good fixture (the pure tier compares the library's
/// report with the same file).
fn good_lines() -> Vec<&'static str> {
    include_str!("../manifests/good/check.report.txt")
        .lines()
        .collect()
}

#[test]
fn the_binary_prints_the_report_and_exits_0_without_errors() {
    let out = podc(&["check", GOOD]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let got: Vec<String> = stdout(&out).lines().map(str::to_string).collect();
    assert_eq!(got, good_lines());
    assert!(out.stderr.is_empty(), "{out:?}");
}

#[test]
fn the_binary_exits_2_with_errors() {
    let out = podc(&["check", BAD]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let text = stdout(&out);
    assert!(text.contains("\nerror: tests/manifests/bad/multi-doc.yaml:3:7: kind `Deployment` is not supported: podc runs Pods and the ConfigMaps and Secrets they use; for a Deployment, run its spec.template as a Pod\n"), "{text}");
    assert!(text.contains("\ntests/manifests/bad/multi-doc.yaml:38:25: `spec.volumes[0].configMap.name` refers to ConfigMap `web-config`, which is not in this file\n"), "{text}");
    assert!(
        text.ends_with("\n7 errors in tests/manifests/bad/multi-doc.yaml\n11 applied, 6 emulated, 0 ignored, 7 errors\n"),
        "{text}"
    );
    assert!(
        !text.contains("s3cr3t"),
        "a Secret value was printed:\n{text}"
    );
    let out = podc(&["check", "tests/manifests/no-such-file.yaml"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_eq!(
        stdout(&out),
        "error: tests/manifests/no-such-file.yaml: cannot read tests/manifests/no-such-file.yaml: No such file or directory (os error 2)\n1 error in tests/manifests/no-such-file.yaml\n0 applied, 0 emulated, 0 ignored, 1 error\n"
    );
}

#[test]
fn the_binary_prints_json_with_o_json() {
    let out = podc(&["check", "-o", "json", GOOD]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("a JSON array");
    assert_eq!(items.len(), 14);
    assert_eq!(
        items[11],
        serde_json::json!({
            "document": "pod/blog",
            "path": "spec.containers[0].livenessProbe.terminationGracePeriodSeconds",
            "status": "ignored",
            "note": "not supported yet by podc",
            "line": 26,
            "column": 9,
        })
    );
    assert_eq!(items[13]["status"], "warning");
    assert_eq!(items[13]["document"], "pod/blog");
    let out = podc(&["-o", "json", "check", BAD]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let errors: Vec<&serde_json::Value> = items.iter().filter(|i| i["status"] == "error").collect();
    assert_eq!(errors.len(), 7);
    assert_eq!(
        errors[5],
        &serde_json::json!({
            "document": "pod/web",
            "path": "",
            "status": "error",
            "note": "duplicate pod name `web`: the Pod at line 21 has it too",
            "hint": "podc names containers after their pod: give every Pod in the file its own name",
            "line": 43,
            "column": 9,
        })
    );
}
