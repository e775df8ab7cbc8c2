//! `podc check`'s compatibility report, by value (the binary's output is in the cli tier).

use podc::manifest::{check_file, check_str, FieldLine, Report, Status};
use std::path::Path;

const GOOD: &str = "tests/manifests/good/check.yaml";
const BAD: &str = "tests/manifests/bad/multi-doc.yaml";

fn report(rel: &str) -> Report {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"));
    check_str(rel, &text)
}

fn line(document: &str, path: &str, status: Status, note: &str, at: (usize, usize)) -> FieldLine {
    FieldLine {
        document: document.into(),
        path: path.into(),
        status,
        note: note.into(),
        line: at.0,
        column: at.1,
    }
}

/// The lines `podc check` prints for the good fixture (the cli tier compares the binary's
/// output with the same file).
fn good_lines() -> Vec<&'static str> {
    include_str!("../manifests/good/check.report.txt")
        .lines()
        .collect()
}

#[test]
fn the_report_on_a_fixture_by_value() {
    use Status::{Applied, Emulated, Ignored};
    let r = report(GOOD);
    let cm = "configmap/blog-config";
    let pod = "pod/blog";
    assert_eq!(
        r.fields,
        [
            line(
                cm,
                "metadata.name",
                Emulated,
                "the name the pods refer to",
                (5, 3)
            ),
            line(
                cm,
                "data",
                Emulated,
                "podc writes it into configMap volumes and the environment",
                (6, 1)
            ),
            line(
                pod,
                "metadata.name",
                Applied,
                "names the containers: <pod>_POD, <pod>_<container>",
                (12, 3)
            ),
            line(
                pod,
                "metadata.namespace",
                Ignored,
                "podc has no namespaces",
                (13, 3)
            ),
            line(
                pod,
                "spec.restartPolicy",
                Emulated,
                "podc's supervisor restarts the containers, with Kubernetes' backoff",
                (15, 3)
            ),
            line(
                pod,
                "spec.dnsPolicy",
                Ignored,
                "not supported yet by podc",
                (16, 3)
            ),
            line(
                pod,
                "spec.containers[0].name",
                Applied,
                "the Docker name <pod>_<name>",
                (18, 7)
            ),
            line(
                pod,
                "spec.containers[0].image",
                Applied,
                "the container's image",
                (19, 7)
            ),
            line(
                pod,
                "spec.containers[0].envFrom",
                Emulated,
                "podc reads every key of the ConfigMap or Secret into the environment",
                (20, 7)
            ),
            line(
                pod,
                "spec.containers[0].ports",
                Applied,
                "published on the pause where a hostPort is set",
                (22, 7)
            ),
            line(
                pod,
                "spec.containers[0].livenessProbe",
                Emulated,
                "run by podc's supervisor; a failure restarts the container",
                (24, 7)
            ),
            line(
                pod,
                "spec.containers[0].livenessProbe.terminationGracePeriodSeconds",
                Ignored,
                "not supported yet by podc",
                (26, 9)
            ),
            line(
                pod,
                "spec.containers[0].securityContext",
                Applied,
                "Docker User, CapAdd/CapDrop, Privileged, ReadonlyRootfs, SecurityOpt (no-new-privileges, seccomp, apparmor)",
                (27, 7)
            ),
        ]
    );
    assert_eq!(
        r.documents
            .iter()
            .map(|d| (d.label.as_str(), d.line))
            .collect::<Vec<_>>(),
        [(cm, 2), (pod, 8)]
    );
    assert_eq!(r.errors, vec![]);
    assert_eq!(r.warnings.len(), 1);
    assert_eq!(r.summary(), "5 applied, 5 emulated, 3 ignored, 0 errors");
    assert_eq!(r.plain_lines(), good_lines());
    // The file reads the same from disk.
    let from_disk = check_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join(GOOD))
        .fields
        .len();
    assert_eq!(from_disk, r.fields.len());
}

#[test]
fn every_ignored_line_is_a_warning_of_podc_up() {
    let rel = "tests/manifests/good/unsupported-fields.yaml";
    let r = report(rel);
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap();
    let warned: Vec<(usize, usize)> = podc::manifest::load_str(rel, &text)
        .unwrap()
        .warnings
        .iter()
        .map(|w| (w.line, w.column))
        .collect();
    let ignored: Vec<(usize, usize)> = r
        .fields
        .iter()
        .filter(|f| f.status == Status::Ignored)
        .map(|f| (f.line, f.column))
        .collect();
    assert_eq!(ignored, warned);
    assert_eq!(r.count(Status::Ignored), 9);
}

#[test]
fn a_mount_of_the_left_out_api_access_volume_is_listed_as_ignored() {
    let r = report("tests/corpus/16-kubectl-get-pod.yaml");
    let dropped: Vec<&FieldLine> = r
        .fields
        .iter()
        .filter(|f| f.path.starts_with("spec.containers[0].volumeMounts["))
        .collect();
    assert_eq!(
        dropped,
        [&line(
            "pod/nginx",
            "spec.containers[0].volumeMounts[0]",
            Status::Ignored,
            "left out with volume `kube-api-access-9zq4m`, the cluster's API access",
            (23, 7)
        )]
    );
}

#[test]
fn errors_are_listed_as_up_prints_them_with_their_document() {
    let r = report(BAD);
    assert_eq!(r.errors.len(), 7);
    let lines = r.plain_lines();
    assert_eq!(
        lines.last().map(String::as_str),
        Some("11 applied, 6 emulated, 0 ignored, 7 errors")
    );
    let error = r.error().unwrap().to_string();
    let at = lines
        .iter()
        .position(|l| l.starts_with("error: "))
        .expect("an error block");
    assert_eq!(
        lines[at..lines.len() - 1].join("\n"),
        format!("error: {error}")
    );
    let docs: Vec<&str> = r
        .errors
        .iter()
        .map(|e| r.document_of(e).unwrap_or(""))
        .collect();
    assert_eq!(
        docs,
        [
            "deployment/web",
            "secret/db",
            "pod/web",
            "pod/web",
            "pod/web",
            "pod/web",
            "pod/web"
        ]
    );
    // Two documents with one name stay two groups.
    let blank = lines.iter().filter(|l| l.is_empty()).count();
    assert_eq!(blank, 3, "{lines:#?}");
}
