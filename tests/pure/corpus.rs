//! A corpus of realistic Pod manifests (`tests/corpus/*.yaml`, in the shapes the Kubernetes
//! docs and `kubectl` produce): each loads without an error; the fields podc applies or
//! emulates give no warning; those it does not apply give a warning naming them.
//!
//! A file's first lines may say `# warns: A, B, ...`: every warning must contain one of those
//! texts and every text must be in some warning. Without that line the file must load with no
//! warning at all.

use podc::manifest::{check_str, load_manifest_str, Status};
use std::path::{Path, PathBuf};

fn corpus() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

fn expected_warnings(text: &str) -> Vec<String> {
    text.lines()
        .take_while(|l| l.starts_with('#'))
        .filter_map(|l| l.strip_prefix("# warns:"))
        .flat_map(|l| l.split(','))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

#[test]
fn the_corpus_is_large_enough() {
    let n = corpus().len();
    assert!(n >= 25, "only {n} manifests in tests/corpus");
}

#[test]
fn every_corpus_manifest_loads_and_warns_exactly_about_what_podc_does_not_apply() {
    let mut failures = Vec::new();
    for path in corpus() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let manifest = match load_manifest_str(&name, &text) {
            Ok(m) => m,
            Err(e) => {
                failures.push(format!("{name}: refused:\n{e}"));
                continue;
            }
        };
        if manifest.pods.is_empty() {
            failures.push(format!("{name}: no pod loaded"));
        }
        let expected = expected_warnings(&text);
        let warnings: Vec<String> = manifest.warnings.iter().map(|w| w.to_string()).collect();
        for w in &warnings {
            if !expected.iter().any(|e| w.contains(e.as_str())) {
                failures.push(format!("{name}: unexpected warning: {w}"));
            }
        }
        for e in &expected {
            if !warnings.iter().any(|w| w.contains(e.as_str())) {
                failures.push(format!(
                    "{name}: no warning names `{e}`; warnings:\n  {}",
                    warnings.join("\n  ")
                ));
            }
        }
        // `podc check` agrees: no error, and an ignored field only where a warning is expected.
        let report = check_str(&name, &text);
        if !report.errors.is_empty() {
            failures.push(format!("{name}: check reports errors: {:?}", report.errors));
        }
        if expected.is_empty() && report.count(Status::Ignored) > 0 {
            failures.push(format!(
                "{name}: check lists ignored fields but no warning was expected:\n{}",
                report.plain_lines().join("\n")
            ));
        }
        if report.count(Status::Applied) == 0 {
            failures.push(format!("{name}: check lists no applied field"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_corpus_round_trips_through_the_typed_model() {
    // Everything the typed model holds is what the plan reads: names and images survive.
    for path in corpus() {
        let text = std::fs::read_to_string(&path).unwrap();
        let manifest = load_manifest_str("corpus.yaml", &text).unwrap();
        for pod in &manifest.pods {
            assert!(!pod.metadata.name.is_empty(), "{}", path.display());
            assert!(!pod.spec.containers.is_empty(), "{}", path.display());
            for c in &pod.spec.containers {
                assert!(!c.image.is_empty(), "{}: {}", path.display(), c.name);
            }
        }
    }
}
