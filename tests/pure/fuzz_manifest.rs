//! Fuzzing the manifest loader (`load_manifest_str`, `check_str`) with proptest: structure-aware
//! mutations of realistic manifests (the seed corpus is every YAML file under `pods/`,
//! `tests/manifests/` and `tests/corpus/`) plus generated documents and random bytes.
//!
//! Asserted for every input: no panic, an answer within a time bound (no hang), every rejection
//! carries at least one diagnostic with a line >= 1, every diagnostic has a non-empty message.
//!
//! The CI run is small (a few hundred cases per property, a few seconds). A long run:
//!
//! ```sh
//! PODC_FUZZ_CASES=200000 cargo test --release --test pure fuzz_manifest
//! ```

use podc::manifest::{check_str, load_manifest_str};
use proptest::prelude::*;
use std::path::Path;
use std::sync::mpsc;
use std::sync::OnceLock;
use std::time::Duration;

/// How long one input may take before it counts as a hang.
const TIME_BOUND: Duration = Duration::from_secs(10);

fn cases() -> u32 {
    std::env::var("PODC_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        // Shrinking a failure is useful, but must not run for ever in CI.
        max_shrink_iters: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Every `.yaml` under the seed directories, sorted so runs are reproducible.
fn seeds() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["pods", "tests/manifests", "tests/corpus"] {
            collect(&root.join(dir), &mut files);
        }
        files.sort();
        let texts: Vec<String> = files
            .iter()
            .filter_map(|f| std::fs::read_to_string(f).ok())
            .collect();
        assert!(texts.len() >= 5, "too few seed manifests: {}", texts.len());
        texts
    })
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

/// Runs both entry points on `text` in a thread and checks the invariants.
fn check_invariants(text: String) -> Result<(), TestCaseError> {
    let (tx, rx) = mpsc::channel();
    let input = text.clone();
    std::thread::spawn(move || {
        let outcome = std::panic::catch_unwind(|| {
            let loaded = load_manifest_str("fuzz.yaml", &input);
            let report = check_str("fuzz.yaml", &input);
            (loaded, report)
        });
        let _ = tx.send(outcome);
    });
    let outcome = match rx.recv_timeout(TIME_BOUND) {
        Ok(o) => o,
        Err(_) => {
            return Err(TestCaseError::fail(format!(
                "no answer within {TIME_BOUND:?} (hang) for:\n{text}"
            )))
        }
    };
    let (loaded, report) =
        outcome.map_err(|_| TestCaseError::fail(format!("panicked on:\n{text:?}")))?;
    match &loaded {
        Ok(manifest) => {
            for w in &manifest.warnings {
                prop_assert!(!w.message.trim().is_empty(), "empty warning for {text:?}");
            }
        }
        Err(err) => {
            prop_assert!(
                !err.errors.is_empty(),
                "a rejection without a diagnostic for {text:?}"
            );
            for e in &err.errors {
                prop_assert!(e.line >= 1, "diagnostic without a line: {e} for {text:?}");
                prop_assert!(
                    e.column >= 1,
                    "diagnostic without a column: {e} for {text:?}"
                );
                prop_assert!(!e.message.trim().is_empty(), "empty message for {text:?}");
            }
        }
    }
    for d in report.errors.iter().chain(report.warnings.iter()) {
        prop_assert!(
            !d.message.trim().is_empty(),
            "empty report message for {text:?}"
        );
    }
    // `check` and `up` agree on whether the file is acceptable.
    prop_assert_eq!(
        loaded.is_ok(),
        report.errors.is_empty(),
        "load and check disagree for {:?}: {:?} vs {:?}",
        text,
        loaded.as_ref().err().map(|e| e.to_string()),
        report.errors
    );
    if let Err(err) = &loaded {
        for e in &report.errors {
            prop_assert!(e.line >= 1, "check: diagnostic without a line: {e}");
        }
        let _ = err.to_string();
    }
    Ok(())
}

/// A YAML scalar of any kind, including awkward ones.
fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("null".to_string()),
        Just("~".to_string()),
        Just("''".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        Just("true".to_string()),
        Just("-1".to_string()),
        Just("0".to_string()),
        Just("65536".to_string()),
        Just("99999999999999999999999".to_string()),
        Just("1e309".to_string()),
        Just(".nan".to_string()),
        Just("0x1F".to_string()),
        Just("&a x".to_string()),
        Just("*a".to_string()),
        Just("!!binary aGVsbG8=".to_string()),
        Just("\"\\u0000\"".to_string()),
        Just("|\n  block".to_string()),
        Just("io.podc.pod".to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|n| n.to_string()),
        "[a-zA-Z0-9_.:/ -]{0,20}",
        "\\PC{0,12}",
    ]
}

/// One structure-aware mutation of a manifest's lines.
#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(usize),
    DuplicateLine(usize),
    /// Replace the value after `key:` on a line (or the list item) with a scalar.
    Retype(usize, String),
    /// Change the indentation of a line.
    Indent(usize, usize),
    /// Split the file into documents at a line.
    Split(usize),
    /// Insert a deeply nested value at a line.
    Nest(usize, usize, bool),
    /// Insert arbitrary bytes (lossily decoded) at a byte offset.
    Bytes(usize, Vec<u8>),
    /// Swap two lines.
    Swap(usize, usize),
    /// Truncate the file at a byte offset.
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let i = any::<usize>();
    prop_oneof![
        i.prop_map(Mutation::DeleteLine),
        i.prop_map(Mutation::DuplicateLine),
        (i, scalar()).prop_map(|(l, s)| Mutation::Retype(l, s)),
        (i, 0usize..40).prop_map(|(l, n)| Mutation::Indent(l, n)),
        i.prop_map(Mutation::Split),
        (i, 1usize..300, any::<bool>()).prop_map(|(l, d, f)| Mutation::Nest(l, d, f)),
        (i, proptest::collection::vec(any::<u8>(), 1..16)).prop_map(|(o, b)| Mutation::Bytes(o, b)),
        (i, i).prop_map(|(a, b)| Mutation::Swap(a, b)),
        i.prop_map(Mutation::Truncate),
    ]
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if lines.is_empty() {
        lines.push(String::new());
    }
    let n = lines.len();
    match m {
        Mutation::DeleteLine(i) => {
            lines.remove(i % n);
        }
        Mutation::DuplicateLine(i) => {
            let l = lines[i % n].clone();
            lines.insert(i % n, l);
        }
        Mutation::Retype(i, s) => {
            let l = &mut lines[i % n];
            if let Some(colon) = l.find(": ") {
                l.truncate(colon + 2);
                l.push_str(s);
            } else if let Some(dash) = l.find("- ") {
                l.truncate(dash + 2);
                l.push_str(s);
            } else {
                l.push_str(": ");
                l.push_str(s);
            }
        }
        Mutation::Indent(i, k) => {
            let l = &mut lines[i % n];
            *l = format!("{}{}", " ".repeat(*k), l.trim_start());
        }
        Mutation::Split(i) => lines.insert(i % n, "---".to_string()),
        Mutation::Nest(i, depth, flow) => {
            let indent: String = lines[i % n].chars().take_while(|c| *c == ' ').collect();
            let nested = if *flow {
                format!(
                    "{indent}deep: {}x{}",
                    "[".repeat(*depth),
                    "]".repeat(*depth)
                )
            } else {
                (0..*depth)
                    .map(|d| format!("{indent}{}k{d}:", " ".repeat(d % 60)))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            lines.insert(i % n, nested);
        }
        Mutation::Swap(a, b) => lines.swap(a % n, b % n),
        Mutation::Bytes(..) | Mutation::Truncate(_) => {}
    }
    let mut out = lines.join("\n");
    out.push('\n');
    match m {
        Mutation::Bytes(offset, bytes) => {
            let mut raw = out.into_bytes();
            let at = offset % (raw.len() + 1);
            raw.splice(at..at, bytes.iter().copied());
            String::from_utf8_lossy(&raw).into_owned()
        }
        Mutation::Truncate(offset) => {
            let mut at = offset % (out.len() + 1);
            while !out.is_char_boundary(at) {
                at -= 1;
            }
            out.truncate(at);
            out
        }
        _ => out,
    }
}

/// A seed with 1..6 mutations applied.
fn mutated() -> impl Strategy<Value = String> {
    (
        any::<prop::sample::Index>(),
        proptest::collection::vec(mutation(), 1..6),
    )
        .prop_map(|(seed, ms)| {
            let seeds = seeds();
            let mut text = seeds[seed.index(seeds.len())].clone();
            for m in &ms {
                text = apply(&text, m);
            }
            text
        })
}

/// A pod generated from scratch, with random keys and values in the places podc reads.
fn generated() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("name".to_string()),
        Just("image".to_string()),
        Just("ports".to_string()),
        Just("env".to_string()),
        Just("volumeMounts".to_string()),
        Just("resources".to_string()),
        Just("securityContext".to_string()),
        Just("livenessProbe".to_string()),
        Just("lifecycle".to_string()),
        "[a-zA-Z]{1,12}",
    ];
    (
        "[a-z0-9.-]{0,70}",
        proptest::collection::vec((key, scalar()), 0..8),
        0usize..4,
    )
        .prop_map(|(name, fields, docs)| {
            let mut text = format!(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n    - name: c\n      image: x\n"
            );
            for (k, v) in &fields {
                text.push_str(&format!("      {k}: {v}\n"));
            }
            for d in 0..docs {
                text.push_str(&format!(
                    "---\napiVersion: v1\nkind: {}\nmetadata:\n  name: o{d}\ndata:\n  k: {}\n",
                    ["ConfigMap", "Secret", "Pod", "Service"][d % 4],
                    fields.first().map(|f| f.1.as_str()).unwrap_or("v")
                ));
            }
            text
        })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn mutated_manifests_never_panic_hang_or_lose_locations(text in mutated()) {
        check_invariants(text)?;
    }

    #[test]
    fn generated_manifests_never_panic_hang_or_lose_locations(text in generated()) {
        check_invariants(text)?;
    }

    #[test]
    fn random_bytes_never_panic_hang_or_lose_locations(
        bytes in proptest::collection::vec(any::<u8>(), 0..512)
    ) {
        check_invariants(String::from_utf8_lossy(&bytes).into_owned())?;
    }
}

#[test]
fn every_seed_passes_the_invariants() {
    for seed in seeds() {
        check_invariants(seed.clone()).unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn pathological_inputs_answer_in_time() {
    let deep_flow = format!("a: {}x{}\n", "[".repeat(5000), "]".repeat(5000));
    let deep_block: String = (0..2000)
        .map(|d| format!("{}k:\n", " ".repeat(d)))
        .collect();
    let aliases = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n".to_string();
    let many_docs = "---\n".repeat(20000);
    let long_line = format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {}\n",
        "a".repeat(200_000)
    );
    for text in [
        deep_flow,
        deep_block,
        aliases,
        many_docs,
        long_line,
        String::new(),
        "\u{feff}".into(),
        "\0".into(),
    ] {
        check_invariants(text).unwrap_or_else(|e| panic!("{e}"));
    }
}
