//! Container logs: the tail shown when a member dies during `up`, and the prefixed, merged
//! streams of `podc logs` and foreground `podc up`.

use crate::error::{Error, Result};
use crate::ui::Ui;
use bollard::query_parameters::LogsOptionsBuilder;
use bollard::Docker;
use futures_util::stream::{select_all, StreamExt};

/// The last `lines` lines a container wrote (stdout and stderr), best effort.
pub async fn tail(docker: &Docker, container: &str, lines: usize) -> String {
    let options = LogsOptionsBuilder::default()
        .stdout(true)
        .stderr(true)
        .tail(&lines.to_string())
        .build();
    let chunks: Vec<_> = docker.logs(container, Some(options)).collect().await;
    let mut text = String::new();
    for chunk in chunks.into_iter().flatten() {
        text.push_str(&String::from_utf8_lossy(&chunk.into_bytes()));
    }
    text
}

/// One container whose logs to stream, and the prefix its lines get.
pub struct Source {
    pub id: String,
    pub label: String,
}

/// Streams the logs of `sources`, merged, one prefixed line at a time, until every stream ends
/// (never, with `follow`, until the caller drops the future).
pub async fn stream(
    docker: &Docker,
    sources: &[Source],
    follow: bool,
    tail: Option<usize>,
    ui: &Ui,
) -> Result<()> {
    let width = sources.iter().map(|s| s.label.len()).max().unwrap_or(0);
    let streams = sources.iter().enumerate().map(|(i, s)| {
        let options = LogsOptionsBuilder::default()
            .stdout(true)
            .stderr(true)
            .follow(follow)
            .tail(&tail.map(|n| n.to_string()).unwrap_or_else(|| "all".into()))
            .build();
        let prefix = prefix(&s.label, width, i, ui.is_tty(), sources.len() > 1);
        docker
            .logs(&s.id, Some(options))
            .map(move |item| (i, prefix.clone(), item))
    });
    let mut merged = select_all(streams);
    // Partial lines are held per container until their newline arrives.
    let mut pending: Vec<Vec<u8>> = vec![Vec::new(); sources.len()];
    while let Some((i, prefix, item)) = merged.next().await {
        let chunk = item.map_err(|e| Error::docker("read logs of", &sources[i].label, e))?;
        for line in split_lines(&mut pending[i], &chunk.into_bytes()) {
            ui.line(&format!("{prefix}{line}"));
        }
    }
    for (i, rest) in pending.iter().enumerate() {
        if !rest.is_empty() {
            let prefix = prefix(&sources[i].label, width, i, ui.is_tty(), sources.len() > 1);
            ui.line(&format!("{prefix}{}", String::from_utf8_lossy(rest)));
        }
    }
    Ok(())
}

/// Appends `chunk` to `pending` and returns the complete lines, keeping any unfinished tail.
pub fn split_lines(pending: &mut Vec<u8>, chunk: &[u8]) -> Vec<String> {
    pending.extend_from_slice(chunk);
    let mut lines = Vec::new();
    while let Some(end) = pending.iter().position(|&b| b == b'\n') {
        let line: Vec<u8> = pending.drain(..=end).collect();
        let text = String::from_utf8_lossy(&line[..line.len() - 1]);
        lines.push(text.trim_end_matches('\r').to_string());
    }
    lines
}

fn prefix(label: &str, width: usize, index: usize, color: bool, show: bool) -> String {
    if !show {
        return String::new();
    }
    const COLORS: [u8; 6] = [36, 33, 32, 35, 34, 31];
    match color {
        true => format!(
            "\x1b[{}m{label:<width$}\x1b[0m | ",
            COLORS[index % COLORS.len()]
        ),
        false => format!("{label:<width$} | "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_across_chunks() {
        let mut pending = Vec::new();
        assert_eq!(split_lines(&mut pending, b"hel"), Vec::<String>::new());
        assert_eq!(split_lines(&mut pending, b"lo\nwor"), vec!["hello"]);
        assert_eq!(split_lines(&mut pending, b"ld\r\n\n"), vec!["world", ""]);
        assert!(pending.is_empty());
    }

    #[test]
    fn prefix_aligns_names_and_is_absent_for_one_container() {
        assert_eq!(prefix("web", 4, 0, false, true), "web  | ");
        assert_eq!(prefix("web", 4, 0, false, false), "");
    }
}
