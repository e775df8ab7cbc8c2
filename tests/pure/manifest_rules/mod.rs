//! The manifest rules, by value: exact messages and places, no Docker.
//!
//! Shared helpers here; one module per group of rules.

use podc::manifest::*;
use std::collections::BTreeMap;
use std::path::Path;

mod documents;
mod examples;
mod fields_and_types;
mod names_and_ports;
mod never_panic;
mod pod_fields;
mod probes;
mod shop_fixture;
mod syntax_and_kind;
mod volumes;

const FILE: &str = "pods/t.yaml";

fn fixture(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/manifests")
        .join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn load_fixture(rel: &str) -> Result<Loaded, ManifestError> {
    load_str(rel, &fixture(rel))
}

/// "line:column: message" of every error.
fn errors(text: &str) -> Vec<String> {
    match load_str(FILE, text) {
        Ok(l) => panic!("expected errors, got {:?}", l.pod),
        Err(e) => e.errors.iter().map(short).collect(),
    }
}

fn warnings(text: &str) -> Vec<String> {
    match load_str(FILE, text) {
        Ok(l) => l.warnings.iter().map(short).collect(),
        Err(e) => panic!("expected a pod, got:\n{e}"),
    }
}

fn short(d: &Diagnostic) -> String {
    assert_eq!(d.file, FILE);
    format!("{}:{}: {}", d.line, d.column, d.message)
}

/// The only error, with its hint.
fn only_error(text: &str) -> (String, Option<String>) {
    let err = load_str(FILE, text).expect_err("expected an error");
    assert_eq!(err.errors.len(), 1, "{err}");
    let d = &err.errors[0];
    (short(d), d.hint.clone())
}

/// A valid pod around one container's extra lines (indented for a container item).
fn pod_with(container_lines: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\nspec:\n  containers:\n    - name: web\n      image: nginx\n{container_lines}"
    )
}

/// A small deterministic generator (xorshift) for mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

// ---------------------------------------------------------------------------------------------
// Multi-document files (rule 8)

fn m_errors(text: &str) -> Vec<String> {
    match load_manifest_str(FILE, text) {
        Ok(m) => panic!("expected errors, got {m:?}"),
        Err(e) => e.errors.iter().map(short).collect(),
    }
}

fn m_warnings(text: &str) -> Vec<String> {
    match load_manifest_str(FILE, text) {
        Ok(m) => m.warnings.iter().map(short).collect(),
        Err(e) => panic!("expected a manifest, got:\n{e}"),
    }
}

/// The only error of a multi-document file, with its hint.
fn m_only_error(text: &str) -> (String, Option<String>) {
    let err = load_manifest_str(FILE, text).expect_err("expected an error");
    assert_eq!(err.errors.len(), 1, "{err}");
    let d = &err.errors[0];
    (short(d), d.hint.clone())
}

/// A valid pod with extra spec lines (indented for `spec:`, from line 6) before its one
/// container `web` (lines after them).
fn spec_with(spec_lines: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\nspec:\n{spec_lines}  containers:\n    - name: web\n      image: nginx\n")
}

const CONFIG_MAP: &str =
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata: {MODE: fast, app.ini: x}\n";
const SECRET: &str = "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\ndata: {password: czNjcjN0}\nstringData: {user: admin}\n";

/// Documents joined by `---`.
fn docs(parts: &[&str]) -> String {
    parts.join("---\n")
}
