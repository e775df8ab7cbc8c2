//! `podc exec POD [-c NAME] [-i] [-t] -- COMMAND...`.

use super::args::ExecArgs;
use crate::docker;
use crate::engine::find::{find_member, find_pod};
use crate::error::{Error, Result};
use crate::ui::Ui;

/// Runs the command in the member and exits with its exit code.
pub(crate) async fn exec(args: ExecArgs, ui: &Ui) -> Result<i32> {
    let docker = docker::connect().await?;
    let pod = find_pod(&docker, &args.pod).await?;
    let member = find_member(&pod, args.container.as_deref())?;
    if !member.state.is_running() {
        return Err(Error::Runtime(format!(
            "container {} of pod {} is {}, not running\n  hint: `podc logs {} -c {}` shows why",
            member.name, pod.name, member.state, pod.name, member.name
        )));
    }
    ui.finish();
    let label = format!("{} (pod {})", member.name, pod.name);
    let code = docker::exec::exec(
        &docker,
        &member.id,
        &label,
        &args.command,
        args.interactive,
        args.tty,
    )
    .await?;
    Ok(code.clamp(0, 255) as i32)
}
