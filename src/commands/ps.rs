//! `podc ps`: pods and their containers, from labels, in one list call.

use crate::cli::PsArgs;
use crate::docker::{self, inventory};
use crate::error::Result;
use crate::ui::{OutputFormat, Ui};

/// Prints a table, or with `-o json` an array of pods.
pub async fn ps(args: PsArgs, ui: &Ui) -> Result<i32> {
    let docker = docker::connect().await?;
    let pods = inventory::list(&docker, args.pod.as_deref()).await?;
    if ui.format() == OutputFormat::Json {
        ui.line(&serde_json::to_string_pretty(&pods).unwrap_or_else(|_| "[]".into()));
        return Ok(0);
    }
    let mut rows = vec![[
        "POD",
        "PHASE",
        "READY",
        "CONTAINER",
        "IMAGE",
        "STATE",
        "PORTS",
    ]
    .map(String::from)
    .to_vec()];
    for pod in &pods {
        let (ready, total) = pod.ready_count();
        let mut first = true;
        let pause_ports = pod
            .pause
            .as_ref()
            .map(|p| p.ports.join(","))
            .unwrap_or_default();
        for c in pod.all_containers() {
            let ports = match c.name.as_str() {
                "POD" => pause_ports.clone(),
                _ => c.ports.join(","),
            };
            let state = match c.exit_code {
                Some(code) if c.state == "exited" => format!("exited({code})"),
                _ => c.state.clone(),
            };
            let pod_cols = match first {
                true => [
                    pod.name.clone(),
                    pod.phase.to_string(),
                    format!("{ready}/{total}"),
                ],
                false => Default::default(),
            };
            first = false;
            let mut row = pod_cols.to_vec();
            row.extend([c.name.clone(), c.image.clone(), state, ports]);
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
