//! The loading entry points on texts serde_yaml and the located tree read differently.

use super::*;

#[test]
fn a_parse_only_libyaml_refuses_is_still_reported_with_its_place() {
    // saphyr-parser accepts a flow mapping's `:` on the next line; libyaml does not.
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: {app\n  : a}\nspec: {containers: [{name: a, image: b}]}\n";
    let err = load_str("t.yaml", text).unwrap_err();
    assert_eq!(err.errors.len(), 1, "{err}");
    let d = &err.errors[0];
    assert!(d.message.starts_with("YAML: "), "{err}");
    assert_eq!(d.line, 6, "{err}");
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let text = "\u{feff}apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: a, image: b}]}\n";
    assert_eq!(load_str("t.yaml", text).unwrap().pod.metadata.name, "a");
}
