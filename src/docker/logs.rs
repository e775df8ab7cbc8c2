//! Container logs: the tail shown when a member dies during `up`, and the prefixed, merged
//! streams of `podc logs` and foreground `podc up`.

use crate::error::{Error, Result};
use crate::ui::Ui;
use bollard::query_parameters::LogsOptionsBuilder;
use bollard::Docker;
use futures_util::stream::{self, select_all, BoxStream, StreamExt};

/// The last `lines` lines a container wrote (stdout and stderr), best effort.
pub(crate) async fn tail(docker: &Docker, container: &str, lines: usize) -> String {
    tail_of(docker, container, lines, true).await
}

/// The last `lines` lines of a container's stdout alone.
pub(crate) async fn tail_stdout(docker: &Docker, container: &str, lines: usize) -> String {
    tail_of(docker, container, lines, false).await
}

async fn tail_of(docker: &Docker, container: &str, lines: usize, stderr: bool) -> String {
    let options = LogsOptionsBuilder::default()
        .stdout(true)
        .stderr(stderr)
        .tail(&lines.to_string())
        .build();
    let chunks: Vec<_> = docker.logs(container, Some(options)).collect().await;
    let mut text = String::new();
    for chunk in chunks.into_iter().flatten() {
        text.push_str(&String::from_utf8_lossy(&chunk.into_bytes()));
    }
    text
}

/// A container's last output, quoted line by line for an error or warning message.
pub(crate) fn indented(text: &str) -> String {
    if text.trim().is_empty() {
        return "  (no output)".into();
    }
    text.lines()
        .map(|l| format!("  | {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One container whose logs to stream, and the prefix its lines get.
pub(crate) struct Source {
    pub id: String,
    pub label: String,
}

/// How lines are prefixed: names padded to `width`, colored on a terminal, none for a single
/// container.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Prefixing {
    pub width: usize,
    pub color: bool,
    pub show: bool,
}

/// The lines of one container's logs, prefixed; partial lines are held until their newline, so
/// a member writing as fast as it can costs at most one line of memory here.
pub(crate) fn lines(
    docker: &Docker,
    source: &Source,
    index: usize,
    follow: bool,
    tail: Option<usize>,
    prefixing: Prefixing,
) -> BoxStream<'static, Result<String>> {
    let options = LogsOptionsBuilder::default()
        .stdout(true)
        .stderr(true)
        .follow(follow)
        .tail(&tail.map(|n| n.to_string()).unwrap_or_else(|| "all".into()))
        .build();
    let prefix = prefix(
        &source.label,
        prefixing.width,
        index,
        prefixing.color,
        prefixing.show,
    );
    let label = source.label.clone();
    let mut pending = Vec::new();
    let chunks = docker
        .logs(&source.id, Some(options))
        .map(Some)
        .chain(stream::iter([None]));
    chunks
        .flat_map(move |item| {
            let out: Vec<Result<String>> = match item {
                Some(Ok(chunk)) => split_lines(&mut pending, &chunk.into_bytes())
                    .into_iter()
                    .map(|l| Ok(format!("{prefix}{l}")))
                    .collect(),
                Some(Err(e)) => vec![Err(Error::docker("read logs of", &label, e))],
                // End of stream: flush a last line that had no newline.
                None if !pending.is_empty() => {
                    let rest = String::from_utf8_lossy(&std::mem::take(&mut pending)).into_owned();
                    vec![Ok(format!("{prefix}{rest}"))]
                }
                None => Vec::new(),
            };
            stream::iter(out)
        })
        .boxed()
}

/// Streams the logs of `sources`, merged, one prefixed line at a time, until every stream ends
/// (never, with `follow`, until the caller drops the future).
pub(crate) async fn stream(
    docker: &Docker,
    sources: &[Source],
    follow: bool,
    tail: Option<usize>,
    ui: &Ui,
) -> Result<()> {
    let prefixing = Prefixing {
        width: sources.iter().map(|s| s.label.len()).max().unwrap_or(0),
        color: ui.is_tty(),
        show: sources.len() > 1,
    };
    let mut merged = select_all(
        sources
            .iter()
            .enumerate()
            .map(|(i, s)| lines(docker, s, i, follow, tail, prefixing)),
    );
    while let Some(line) = merged.next().await {
        ui.line(&line?);
    }
    Ok(())
}

/// The longest unfinished line held back: a member writing without newlines gets its output
/// emitted in pieces of this size instead of growing podc's memory.
pub(crate) const MAX_PENDING_LINE: usize = 64 * 1024;

/// Appends `chunk` to `pending` and returns the complete lines, keeping any unfinished tail
/// (at most `MAX_PENDING_LINE` bytes: a longer one is emitted as it is).
pub(crate) fn split_lines(pending: &mut Vec<u8>, chunk: &[u8]) -> Vec<String> {
    pending.extend_from_slice(chunk);
    let mut lines = Vec::new();
    while let Some(end) = pending.iter().position(|&b| b == b'\n') {
        let line: Vec<u8> = pending.drain(..=end).collect();
        let text = String::from_utf8_lossy(&line[..line.len() - 1]);
        lines.push(text.trim_end_matches('\r').to_string());
    }
    while pending.len() >= MAX_PENDING_LINE {
        let piece: Vec<u8> = pending.drain(..MAX_PENDING_LINE).collect();
        lines.push(String::from_utf8_lossy(&piece).into_owned());
    }
    lines
}

pub(crate) fn prefix(label: &str, width: usize, index: usize, color: bool, show: bool) -> String {
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
    fn a_line_without_newline_is_emitted_in_bounded_pieces() {
        let mut pending = Vec::new();
        let mut emitted = Vec::new();
        for _ in 0..100 {
            emitted.extend(split_lines(&mut pending, &[b'x'; 10_000]));
            assert!(pending.len() < MAX_PENDING_LINE, "{}", pending.len());
        }
        assert_eq!(emitted.len(), 1_000_000 / MAX_PENDING_LINE);
        assert!(emitted.iter().all(|l| l.len() == MAX_PENDING_LINE));
        assert_eq!(
            emitted.len() * MAX_PENDING_LINE + pending.len(),
            1_000_000,
            "nothing is lost"
        );
        assert_eq!(split_lines(&mut pending, b"\n").len(), 1);
        assert!(pending.is_empty());
    }

    #[test]
    fn prefix_aligns_names_and_is_absent_for_one_container() {
        assert_eq!(prefix("web", 4, 0, false, true), "web  | ");
        assert_eq!(prefix("web", 4, 0, false, false), "");
    }
}
