//! `podc ps`: pods and their containers, from labels, in one list call.

use super::args::PsArgs;
use crate::docker::inventory::PodView;
use crate::docker::{self, inventory};
use crate::error::Result;
use crate::labels;
use crate::plan::stored;
use crate::state::{ContainerState, Role};
use crate::ui::{OutputFormat, Ui};

/// Prints a table, or with `-o json` an array of pods.
pub(crate) async fn ps(args: PsArgs, ui: &Ui) -> Result<i32> {
    let docker = docker::connect().await?;
    let pods = inventory::list(&docker, args.pod.as_deref()).await?;
    let pods = inventory::with_supervisor_status(&docker, pods).await;
    if ui.format() == OutputFormat::Json {
        ui.line(&serde_json::to_string_pretty(&pods).unwrap_or_else(|_| "[]".into()));
        return Ok(0);
    }
    let header = [
        "POD",
        "PHASE",
        "READY",
        "CONTAINER",
        "IMAGE",
        "STATE",
        "READY",
        "RESTARTS",
        "PORTS",
        "LAST",
    ];
    let mut rows = vec![header.map(String::from).to_vec()];
    for pod in &pods {
        let (ready, total) = pod.ready_count();
        let phase = match pod.pod_restarts {
            0 => pod.phase.to_string(),
            n => format!("{} ({n} rebuilds)", pod.phase),
        };
        let mut pod_cols = vec![pod.name.clone(), phase, format!("{ready}/{total}")];
        if let Some((state, hint)) = unsupervised(pod) {
            // Nobody restarts or probes this pod: say so, with what to do.
            let mut row = std::mem::replace(&mut pod_cols, vec![String::new(); 3]);
            row.extend(["SUPERVISOR", "", state, "", "", "", hint.as_str()].map(String::from));
            rows.push(row);
        }
        for c in pod.containers.iter().chain(pod.pause.iter()) {
            let state = match c.exit_code {
                Some(code) if c.state == ContainerState::Exited => format!("exited({code})"),
                _ => c.state.to_string(),
            };
            let is_member = c.role != Role::Pause;
            let member_col = |text: String| if is_member { text } else { String::new() };
            let last = c
                .last_probe_failure
                .clone()
                .or_else(|| c.last_reason.clone())
                .unwrap_or_default();
            let mut row = std::mem::replace(&mut pod_cols, vec![String::new(); 3]);
            row.extend([
                c.name.clone(),
                c.image.clone(),
                state,
                member_col(if c.ready { "yes" } else { "no" }.into()),
                member_col(c.restart_count.to_string()),
                c.ports.join(","),
                last,
            ]);
            rows.push(row);
        }
    }
    if pods.is_empty() {
        ui.line("no pods");
        return Ok(0);
    }
    for line in table(&rows) {
        ui.line(&line);
    }
    Ok(0)
}

/// Why nobody supervises `pod`, as a state and a hint (None: the supervisor reports on it).
fn unsupervised(pod: &PodView) -> Option<(&'static str, String)> {
    if pod.supervised {
        return None;
    }
    Some(match pod.record.as_ref() {
        Some(r) if r.role == Role::PodSupervisor => (
            "own",
            "supervised by its own container (an earlier podc): run `podc up` again to hand it to podc-supervisor".into(),
        ),
        // Written by a newer podc: this build's supervisor cannot read its plan.
        Some(r) if r.plan_format.is_some_and(|f| f > stored::FORMAT) => (
            "newer podc",
            "its spec record was written by a newer podc: run `podc up` with that podc, or with this one to replace the record".into(),
        ),
        Some(_) if pod.live_record().is_some() => (
            "no report",
            format!(
                "`docker logs {}` shows why; `podc up` starts it again",
                labels::HOST_SUPERVISOR
            ),
        ),
        _ => ("missing", "run `podc up` again to supervise it".into()),
    })
}

/// Left-aligned columns, two spaces apart, no trailing blanks.
fn table(rows: &[Vec<String>]) -> Vec<String> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    rows.iter()
        .map(|r| {
            let cells: Vec<String> = r
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{c:<w$}", w = widths[i]))
                .collect();
            cells.join("  ").trim_end().to_string()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::table;

    #[test]
    fn columns_align() {
        let rows = vec![
            vec!["POD".to_string(), "X".into()],
            vec!["blog".to_string(), "".into()],
        ];
        assert_eq!(table(&rows), ["POD   X", "blog"]);
    }
}
