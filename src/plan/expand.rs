//! Kubernetes' `$(VAR)` references in `env` values, `command` and `args`, expanded the way the
//! kubelet does (its `third_party/forked/golang/expansion`): `$(NAME)` becomes the variable's
//! value, a reference to an unknown variable stays as written, `$$` is a literal `$` (so
//! `$$(NAME)` stays `$(NAME)`), and any other `$` is kept. Pure.

/// `input` with every `$(NAME)` that `lookup` knows replaced by its value.
pub(super) fn expand<'a>(input: &str, mut lookup: impl FnMut(&str) -> Option<&'a str>) -> String {
    let bytes = input.as_bytes();
    let mut out = String::with_capacity(input.len());
    // Everything before `copied` is in `out`; the operators are ASCII, so every cut below
    // falls on a character boundary.
    let mut copied = 0;
    let mut cursor = 0;
    while cursor + 1 < bytes.len() {
        if bytes[cursor] != b'$' {
            cursor += 1;
            continue;
        }
        out.push_str(&input[copied..cursor]);
        match bytes[cursor + 1] {
            b'$' => {
                out.push('$');
                cursor += 2;
            }
            b'(' => match input[cursor + 2..].find(')') {
                Some(len) => {
                    let name = &input[cursor + 2..cursor + 2 + len];
                    match lookup(name) {
                        Some(value) => out.push_str(value),
                        None => out.push_str(&input[cursor..cursor + 3 + len]),
                    }
                    cursor += 3 + len;
                }
                // An unclosed `$(` is kept, and what follows it is read as plain text.
                None => {
                    out.push_str("$(");
                    cursor += 2;
                }
            },
            _ => {
                out.push('$');
                cursor += 1;
            }
        }
        copied = cursor;
    }
    out.push_str(&input[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::expand;

    fn vars(name: &str) -> Option<&'static str> {
        match name {
            "HOST" => Some("db"),
            "PORT" => Some("5432"),
            "EMPTY" => Some(""),
            _ => None,
        }
    }

    #[test]
    fn known_references_are_replaced_in_place() {
        assert_eq!(expand("$(HOST):$(PORT)", vars), "db:5432");
        assert_eq!(expand("--url=pg://$(HOST)/x", vars), "--url=pg://db/x");
        assert_eq!(expand("a$(EMPTY)b", vars), "ab");
        assert_eq!(expand("$(PORT)$(PORT)", vars), "54325432");
    }

    #[test]
    fn unknown_references_stay_as_written() {
        assert_eq!(expand("$(NOPE)", vars), "$(NOPE)");
        assert_eq!(expand("x $(NO PE) $(HOST)", vars), "x $(NO PE) db");
        assert_eq!(expand("$()", vars), "$()");
    }

    #[test]
    fn a_double_dollar_escapes_and_other_dollars_are_kept() {
        assert_eq!(expand("$$(HOST)", vars), "$(HOST)");
        assert_eq!(expand("$$$(HOST)", vars), "$db");
        assert_eq!(expand("$$", vars), "$");
        assert_eq!(expand("cost: $5, $HOST", vars), "cost: $5, $HOST");
        assert_eq!(expand("ends with $", vars), "ends with $");
        assert_eq!(expand("$", vars), "$");
    }

    #[test]
    fn a_reference_ends_at_the_first_closing_parenthesis() {
        assert_eq!(expand("$(HOST", vars), "$(HOST");
        assert_eq!(expand("$(HOST $$", vars), "$(HOST $");
        // As in the kubelet: the name is everything up to the first `)`, here `$(HOST`.
        assert_eq!(expand("$($(HOST)", vars), "$($(HOST)");
        assert_eq!(expand("$(HOST))", vars), "db)");
    }

    #[test]
    fn text_around_references_keeps_its_characters() {
        assert_eq!(expand("héllo $(HOST) wörld", vars), "héllo db wörld");
        assert_eq!(expand("€$(PORT)€", vars), "€5432€");
        assert_eq!(expand("", vars), "");
    }
}
