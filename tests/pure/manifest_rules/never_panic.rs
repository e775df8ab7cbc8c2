//! Rule 6: the loader never panics, whatever it is given.

use super::*;

#[test]
fn rule6_never_panics_on_mutated_manifests() {
    const PIECES: &[&str] = &[
        ":",
        "- ",
        "[",
        "]",
        "{",
        "}",
        "\"",
        "'",
        "\t",
        "&a ",
        "*a",
        "!!str ",
        "!x ",
        "|",
        ">",
        "#",
        "\n",
        "\n  ",
        "---\n",
        "...\n",
        "~",
        "<<: ",
        "0x",
        "-1",
        "99999999999999999999",
        "é",
        "\u{feff}",
        "%YAML 1.2\n",
        "? ",
        ",",
        "\r",
        "\0",
    ];
    let sources: Vec<String> = [
        "good/blog.yaml",
        "good/full.yaml",
        "good/unsupported-fields.yaml",
        "good/probes.yaml",
        "bad/five-errors.yaml",
        "bad/port-conflicts.yaml",
    ]
    .iter()
    .map(|rel| fixture(rel))
    .collect();
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut checked = 0;
    for src in &sources {
        let chars: Vec<char> = src.chars().collect();
        // Every prefix.
        for cut in 0..=chars.len() {
            let text: String = chars[..cut].iter().collect();
            let _ = load_str(FILE, &text);
            checked += 1;
        }
        // Random insertions, deletions and replacements.
        for _ in 0..400 {
            let mut text = chars.clone();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(text.len() + 1);
                match rng.below(3) {
                    0 => {
                        let piece = PIECES[rng.below(PIECES.len())];
                        for (k, c) in piece.chars().enumerate() {
                            text.insert(at + k, c);
                        }
                    }
                    1 if at < text.len() => {
                        let end = (at + 1 + rng.below(8)).min(text.len());
                        text.drain(at..end);
                    }
                    _ if at < text.len() => {
                        let swaps = b" :-[]{}\"'a0\n";
                        text[at] = char::from(swaps[rng.below(swaps.len())]);
                    }
                    _ => {}
                }
            }
            let text: String = text.into_iter().collect();
            let _ = load_str(FILE, &text);
            checked += 1;
        }
    }
    assert!(checked > 2000);
}

#[test]
fn rule6_never_panics_on_odd_documents() {
    let deep = format!("a: {}{}\n", "[".repeat(5000), "]".repeat(5000));
    let deep_map = format!("{}x\n", "a:\n ".repeat(200));
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..9 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    for text in [
        deep.as_str(),
        deep_map.as_str(),
        bomb.as_str(),
        "? [a, b]\n: c\n",
        "{[1]: 2}\n",
        "apiVersion: v1\nkind: Pod\nmetadata: &m {name: a}\nspec: {containers: [{name: a, image: b, env: *m}]}\n",
        "apiVersion: !!int v1\n",
        "!!map {}\n",
        "\u{feff}apiVersion: v1\n",
        "\0",
        "key: \"\\u0000\"\n",
    ] {
        let _ = load_str(FILE, text);
    }
}

#[test]
fn anchors_and_aliases_are_followed() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  labels: &l {app: t}\n  annotations: *l\nspec:\n  containers:\n    - name: a\n      image: &img nginx:1.27\n    - name: b\n      image: *img\n";
    let pod = load_str(FILE, text).unwrap().pod;
    assert_eq!(pod.metadata.annotations, pod.metadata.labels);
    assert_eq!(pod.spec.containers[1].image, "nginx:1.27");
}
