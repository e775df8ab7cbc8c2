//! The layers import one way: manifest -> plan -> state -> docker -> engine/supervise ->
//! commands -> cli, with `labels`, `ui`, `error` and `pause_binary` as leaves, and no two
//! modules of `src/` import each other, directly or through others. Read from the source, so a
//! new upward import fails here, with the path that makes it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module's layer: a module may import only modules of a lower or equal layer
/// (equal: within itself).
const LAYERS: [(&str, u8); 15] = [
    ("labels", 0),
    ("ui", 0),
    ("pause_binary", 0),
    ("manifest", 1),
    ("error", 2),
    ("plan", 2),
    ("state", 3),
    ("host_paths", 3),
    ("docker", 4),
    ("engine", 5),
    ("supervise", 5),
    ("commands", 6),
    ("cli", 7),
    ("lib", 8),
    ("main", 8),
];

/// `src/` as module paths (`docker::apply`) -> file, test files left out.
fn modules(src: &Path) -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().and_then(|e| e.to_str()) != Some("rs") {
                continue;
            }
            let rel = path.strip_prefix(src).unwrap().with_extension("");
            let mut parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if parts.iter().any(|p| p == "tests") {
                continue;
            }
            if parts.last().is_some_and(|p| p == "mod") {
                parts.pop();
            }
            out.insert(parts.join("::"), path);
        }
    }
    out
}

/// Every `crate::...` and `super::...` path in the non-test part of `text`.
fn paths(text: &str) -> Vec<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    let mut found = Vec::new();
    for start in ["crate::", "super::"] {
        let mut rest = code;
        while let Some(at) = rest.find(start) {
            let before = rest[..at].chars().next_back();
            let tail = &rest[at..];
            let end = tail
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(tail.len());
            if !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                found.push(tail[..end].trim_end_matches(':').to_string());
            }
            rest = &tail[start.len()..];
        }
    }
    found
}

/// The module a path names, from module `from`: the longest prefix that is a module.
fn resolve(from: &str, path: &str, known: &BTreeMap<String, PathBuf>) -> Option<String> {
    let mut segs: Vec<&str> = path.split("::").collect();
    let mut base: Vec<&str> = if from.is_empty() {
        Vec::new()
    } else {
        from.split("::").collect()
    };
    match segs.first() {
        Some(&"crate") => {
            base.clear();
            segs.remove(0);
        }
        Some(&"super") => {
            while segs.first() == Some(&"super") {
                base.pop();
                segs.remove(0);
            }
        }
        _ => return None,
    }
    (0..=segs.len()).rev().find_map(|n| {
        let candidate = base.iter().chain(&segs[..n]).copied().collect::<Vec<_>>();
        let name = candidate.join("::");
        known.contains_key(&name).then_some(name)
    })
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let known = modules(&src);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, file) in &known {
        let text = std::fs::read_to_string(file).expect("a source file");
        let targets = edges.entry(module.clone()).or_default();
        for path in paths(&text) {
            let Some(target) = resolve(module, &path, &known) else {
                continue;
            };
            // A module and its own children are one unit (a parent declares its children).
            let related = target == *module
                || module.starts_with(&format!("{target}::"))
                || target.starts_with(&format!("{module}::"));
            if !related {
                targets.insert(target);
            }
        }
    }
    edges
}

/// Strongly connected components with more than one module (Tarjan).
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        found: Vec<Vec<String>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, v: &'a str) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.edges.get(v).into_iter().flatten() {
                let w = w.as_str();
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w]);
                    self.low.insert(v, low);
                } else if self.on_stack.contains(w) {
                    let low = self.low[v].min(self.index[w]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    component.push(w.to_string());
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    self.found.push(component);
                }
            }
        }
    }
    let mut walk = Walk {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in edges.keys() {
        if !walk.index.contains_key(v.as_str()) {
            walk.visit(v);
        }
    }
    walk.found
}

fn layer(module: &str) -> u8 {
    let top = module.split("::").next().unwrap_or_default();
    let top = if top.is_empty() { "lib" } else { top };
    LAYERS
        .iter()
        .find(|(name, _)| *name == top)
        .map(|(_, layer)| *layer)
        .unwrap_or_else(|| panic!("module {top} has no layer: add it to LAYERS in {}", file!()))
}

#[test]
fn no_module_imports_another_that_imports_it_back() {
    let found = cycles(&graph());
    assert!(found.is_empty(), "import cycles in src/: {found:#?}");
}

#[test]
fn every_import_goes_down_the_layers() {
    let mut upward = Vec::new();
    for (from, targets) in graph() {
        for to in targets {
            let (a, b) = (from.split("::").next(), to.split("::").next());
            if a != b && layer(&to) > layer(&from) {
                upward.push(format!("{from} imports {to}"));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports that go up the layers: {upward:#?}"
    );
}

#[test]
fn the_checker_sees_imports_and_cycles() {
    let known: BTreeMap<String, PathBuf> = ["a", "a::b", "c"]
        .into_iter()
        .map(|m| (m.to_string(), PathBuf::new()))
        .collect();
    assert_eq!(
        resolve("a::b", "super::super::c::X", &known).as_deref(),
        Some("c")
    );
    assert_eq!(
        resolve("c", "crate::a::b::f", &known).as_deref(),
        Some("a::b")
    );
    assert_eq!(
        paths("use crate::x::y;\n#[cfg(test)]\nuse crate::z;"),
        ["crate::x::y"]
    );
    let edges: BTreeMap<String, BTreeSet<String>> =
        [("a", vec!["c"]), ("c", vec!["a"]), ("d", vec!["a"])]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.into_iter().map(str::to_string).collect()))
            .collect();
    assert_eq!(cycles(&edges), [vec!["a".to_string(), "c".to_string()]]);
}
