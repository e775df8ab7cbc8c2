//! "Did you mean": the candidate closest to a misspelt name.

/// The candidate closest to `name`: an exact match ignoring case, `_` and `-` first, then the
/// smallest edit distance (at most 3, and at most a third of the name), then a name that
/// starts with it.
pub(crate) fn closest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect()
    };
    let wanted = norm(name);
    if let Some(c) = candidates.iter().find(|c| norm(c) == wanted) {
        return Some(c);
    }
    let len = wanted.chars().count();
    if len > 64 {
        // No field name is this long; spare the quadratic distance table.
        return None;
    }
    let limit = (name.chars().count() / 3).clamp(1, 3);
    let best = candidates
        .iter()
        .map(|c| (edit_distance(&wanted, &norm(c)), *c))
        .min_by_key(|(d, _)| *d);
    if let Some((d, c)) = best {
        if d <= limit {
            return Some(c);
        }
    }
    if len >= 4 {
        let mut starts = candidates.iter().filter(|c| norm(c).starts_with(&wanted));
        if let (Some(c), None) = (starts.next(), starts.next()) {
            return Some(c);
        }
    }
    None
}

/// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two
/// neighbouring characters each cost 1.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // rows[i][j]: distance between the first i chars of a and the first j chars of b.
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = d;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests;
