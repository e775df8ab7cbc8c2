//! Rules 1 and 2: YAML syntax, empty and multi-document files; `kind: Pod` and
//! `apiVersion: v1`.

use super::*;

#[test]
fn rule1_syntax_errors_have_line_and_column() {
    let (e, _) = only_error(&fixture("bad/syntax.yaml"));
    assert_eq!(
        e,
        "10:1: YAML syntax error: while parsing a flow sequence, expected ',' or ']'"
    );
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n   bad: indent\n";
    assert_eq!(
        only_error(text).0,
        "5:7: YAML syntax error: mapping values are not allowed in this context"
    );
    let tab = "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: a\n";
    assert_eq!(
        only_error(tab).0,
        "4:2: YAML syntax error: tabs disallowed within this context (block indentation)"
    );
}

#[test]
fn rule1_both_parsers_agree_on_what_is_yaml() {
    for rel in [
        "good/blog.yaml",
        "good/full.yaml",
        "good/unsupported-fields.yaml",
        "good/probes.yaml",
        "bad/five-errors.yaml",
        "bad/deployment.yaml",
        "bad/port-conflicts.yaml",
    ] {
        let text = fixture(rel);
        serde_yaml::from_str::<serde_yaml::Value>(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
        if let Err(e) = load_str(rel, &text) {
            assert!(!e.to_string().contains("YAML"), "{e}");
        }
    }
    for bad in [
        fixture("bad/syntax.yaml"),
        "a: [1, 2\n".into(),
        "a: {b: 1\n".into(),
        "a:\n  b: 1\n c: 2\n".into(),
        "a: 'unterminated\n".into(),
        "a: \"bad \\q escape\"\n".into(),
        "a: b: c\n".into(),
        "- a\nb: c\n".into(),
        "a:\n\t- b\n".into(),
        "a: *nope\n".into(),
        "a: &x 1\n&y\n".into(),
        "@a: 1\n".into(),
    ] {
        assert!(
            serde_yaml::from_str::<serde_yaml::Value>(&bad).is_err(),
            "serde_yaml accepts {bad:?}"
        );
        let err = load_str(FILE, &bad).expect_err(&bad);
        assert_eq!(err.errors.len(), 1, "{err}");
        let d = &err.errors[0];
        assert!(d.message.starts_with("YAML syntax error: "), "{err}");
        assert!(d.line >= 1 && d.column >= 1, "{err}");
    }
}

#[test]
fn rule1_empty_files_are_refused() {
    for text in [
        "",
        "\n\n",
        "# only a comment\n",
        "---\n",
        "---\n...\n",
        "--- # nothing\n---\n",
    ] {
        assert_eq!(
            only_error(text),
            (
                "1:1: pods/t.yaml is empty: expected a Kubernetes v1 Pod".to_string(),
                None
            ),
            "{text:?}"
        );
    }
}

#[test]
fn rule1_multiple_documents_are_refused_at_the_second() {
    let one = fixture("good/blog.yaml");
    let text = format!("{one}---\n{one}");
    assert_eq!(
        only_error(&text),
        (
            "20:1: multiple documents are not supported yet; put one Pod per file".to_string(),
            None
        )
    );
    // Empty documents around the pod are not documents of their own.
    let text = format!("---\n# the pod\n---\n{one}---\n");
    assert_eq!(load_str(FILE, &text).unwrap().pod.metadata.name, "blog");
}

// ---------------------------------------------------------------------------------------------
// Rule 2: apiVersion v1, kind Pod

const BODY: &str = "metadata:\n  name: a\nspec:\n  containers: [{name: a, image: b}]\n";

#[test]
fn rule2_kind_must_be_pod() {
    let (e, hint) = only_error(&format!("apiVersion: v1\nkind: Deployment\n{BODY}"));
    assert_eq!(
        e,
        "2:7: kind `Deployment` is not supported: podc runs Pods and the ConfigMaps and Secrets they use; for a Deployment, run its spec.template as a Pod"
    );
    assert_eq!(hint.as_deref(), Some("copy `spec.template`'s `metadata` and `spec` into a document with `apiVersion: v1` and `kind: Pod`"));
    let (e, hint) = only_error(&format!("apiVersion: v1\nkind: pod\n{BODY}"));
    assert_eq!(
        e,
        "2:7: kind `pod` is not supported: podc runs Pods and the ConfigMaps and Secrets they use"
    );
    assert_eq!(hint.as_deref(), Some("did you mean `Pod`?"));
    let (e, hint) = only_error(&format!("apiVersion: v1\n{BODY}"));
    assert_eq!(
        e,
        "1:1: missing `kind`: podc runs `kind: Pod` (apiVersion v1)"
    );
    assert_eq!(
        hint.as_deref(),
        Some("add `kind: Pod` at the top of the document")
    );
    let (e, _) = only_error(&format!("apiVersion: v1\nkind: [Pod]\n{BODY}"));
    assert_eq!(e, "2:7: kind must be `Pod`, found a list");
}

#[test]
fn rule2_api_version_must_be_v1() {
    let (e, hint) = only_error(&format!("apiVersion: apps/v1\nkind: Pod\n{BODY}"));
    assert_eq!(
        e,
        "1:13: apiVersion `apps/v1` is not supported: podc runs `apiVersion: v1` with `kind: Pod`"
    );
    assert_eq!(hint.as_deref(), Some("write `apiVersion: v1`"));
    let (e, _) = only_error(&format!("kind: Pod\n{BODY}"));
    assert_eq!(
        e,
        "1:1: missing `apiVersion`: podc runs `apiVersion: v1` with `kind: Pod`"
    );
    let (e, _) = only_error(&format!("apiVersion: 1\nkind: Pod\n{BODY}"));
    assert_eq!(e, "1:13: apiVersion must be `v1`, found integer `1`");
    let (e, _) = only_error(&format!("apiVersion:\nkind: Pod\n{BODY}"));
    assert_eq!(e, "1:1: apiVersion must be `v1`, found null");
}

#[test]
fn rule2_other_kinds_are_not_checked_as_pods() {
    let err = load_fixture("bad/deployment.yaml").unwrap_err();
    let got: Vec<String> = err
        .errors
        .iter()
        .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
        .collect();
    // One error that says what to do: its apiVersion is right for a Deployment.
    assert_eq!(
        got,
        ["2:7: kind `Deployment` is not supported: podc runs Pods and the ConfigMaps and Secrets they use; for a Deployment, run its spec.template as a Pod"]
    );
}

#[test]
fn rule2_the_document_must_be_a_mapping() {
    assert_eq!(
        only_error("- a\n- b\n").0,
        "1:1: expected a Kubernetes v1 Pod (a mapping with `apiVersion`, `kind`, `metadata` and `spec`), found a list"
    );
    assert_eq!(
        only_error("just text\n").0,
        "1:1: expected a Kubernetes v1 Pod (a mapping with `apiVersion`, `kind`, `metadata` and `spec`), found string \"just text\""
    );
}
