//! `podc logs POD [-c NAME] [-f] [--tail N]`.

use super::args::LogsArgs;
use crate::docker::{self, logs::Source};
use crate::engine::find::{find_member, find_pod};
use crate::error::Result;
use crate::ui::Ui;

/// Prints the logs of one member, or of all members merged with a name prefix.
pub(crate) async fn logs(args: LogsArgs, ui: &Ui) -> Result<i32> {
    let docker = docker::connect().await?;
    let pod = find_pod(&docker, &args.pod).await?;
    let sources: Vec<Source> = match &args.container {
        Some(name) => {
            let c = find_member(&pod, Some(name))?;
            vec![Source {
                id: c.id.clone(),
                label: c.name.clone(),
            }]
        }
        None => pod
            .containers
            .iter()
            .map(|c| Source {
                id: c.id.clone(),
                label: c.name.clone(),
            })
            .collect(),
    };
    ui.finish();
    docker::logs::stream(&docker, &sources, args.follow, args.tail, ui).await?;
    Ok(0)
}
