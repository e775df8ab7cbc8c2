//! The located tree: places, scalar resolution, YAML problems and the limits.

use super::*;

fn root(text: &str) -> Node {
    let mut s = parse(text).unwrap();
    assert!(s.problems.is_empty(), "{:?}", s.problems);
    s.documents.remove(0).root
}

#[test]
fn positions_are_one_based() {
    let n = root("a:\n  b: [1, x]\n");
    let (k, v) = n.get("a").unwrap();
    assert_eq!(k.pos, Pos { line: 1, column: 1 });
    let (k, v) = v.get("b").unwrap();
    assert_eq!(k.pos, Pos { line: 2, column: 3 });
    let items = v.as_seq().unwrap();
    assert_eq!(
        items[1].pos,
        Pos {
            line: 2,
            column: 10
        }
    );
    assert_eq!(items[0].as_int(), Some(1));
    assert_eq!(items[1].as_str(), Some("x"));
}

#[test]
fn core_schema_resolution_matches_serde_yaml() {
    for (text, expect) in [
        ("", Value::Null),
        ("~", Value::Null),
        ("NULL", Value::Null),
        ("True", Value::Bool(true)),
        ("yes", Value::Str("yes")),
        ("8080", Value::Int(8080)),
        ("+80", Value::Int(80)),
        ("-0x10", Value::Int(-16)),
        ("0o17", Value::Int(15)),
        ("0b11", Value::Int(3)),
        ("0123", Value::Str("0123")),
        ("++1", Value::Str("++1")),
        ("0x+1", Value::Str("0x+1")),
        ("1.5", Value::Float),
        ("1e3", Value::Float),
        (".inf", Value::Float),
        ("inf", Value::Str("inf")),
        ("nan", Value::Str("nan")),
        ("127.0.0.1", Value::Str("127.0.0.1")),
    ] {
        let s = Scalar {
            text: text.to_string(),
            style: Style::Plain,
            tag: None,
        };
        assert_eq!(s.value(), expect, "{text}");
        // serde_yaml must read the same plain scalar the same way.
        let v: serde_yaml::Value = serde_yaml::from_str(&format!("k: {text}\n")).unwrap();
        let v = &v["k"];
        let same = match expect {
            Value::Null => v.is_null(),
            Value::Bool(b) => v.as_bool() == Some(b),
            Value::Int(i) => v.as_i64().map(i128::from) == Some(i),
            Value::Float => v.is_f64(),
            Value::Str(t) => v.as_str() == Some(t),
        };
        assert!(same, "serde_yaml reads `{text}` as {v:?}");
    }
}

#[test]
fn quoted_and_tagged_scalars_are_strings() {
    let n = root("a: \"80\"\nb: !!str 80\nc: |\n  x\n");
    assert_eq!(n.get("a").unwrap().1.as_str(), Some("80"));
    assert_eq!(n.get("b").unwrap().1.as_str(), Some("80"));
    assert_eq!(n.get("c").unwrap().1.as_str(), Some("x\n"));
}

#[test]
fn aliases_copy_the_anchored_node() {
    let n = root("a: &x {k: v}\nb: *x\n");
    let (_, b) = n.get("b").unwrap();
    assert_eq!(b.get("k").unwrap().1.as_str(), Some("v"));
    assert_eq!(b.pos, Pos { line: 2, column: 4 });
}

#[test]
fn alias_bombs_are_refused() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let err = parse(&text).unwrap_err();
    assert!(err.message.contains("aliases expand"), "{}", err.message);
}

#[test]
fn deep_nesting_is_refused() {
    let text = "[".repeat(10_000);
    assert!(parse(&text).is_err());
    let text = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let err = parse(&text).unwrap_err();
    assert!(err.message.contains("nests deeper"), "{}", err.message);
}

#[test]
fn duplicate_keys_are_problems() {
    let s = parse("a: 1\nb: 2\na: 3\n").unwrap();
    assert_eq!(s.problems.len(), 1);
    assert_eq!(s.problems[0].pos, Pos { line: 3, column: 1 });
    assert_eq!(
        s.problems[0].message,
        "duplicate key `a` (first at line 1:1)"
    );
}

#[test]
fn documents_are_counted() {
    let s = parse("a: 1\n---\nb: 2\n---\n").unwrap();
    assert_eq!(s.documents.len(), 3);
    assert!(!s.documents[1].is_empty());
    assert_eq!(s.documents[1].start, Pos { line: 2, column: 1 });
    assert!(s.documents[2].is_empty());
    assert!(parse("# only a comment\n").unwrap().documents.is_empty());
}
