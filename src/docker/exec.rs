//! `podc exec`: a command inside a member, output passed through, its exit code returned.

use crate::error::{Error, Result};
use bollard::exec::{CreateExecOptions, StartExecOptions, StartExecResults};
use bollard::Docker;
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;

/// Runs `command` in container `id` (`label` names it in errors). With `interactive`, stdin is
/// forwarded; with `tty`, a terminal is allocated. Returns the command's exit code.
pub(crate) async fn exec(
    docker: &Docker,
    id: &str,
    label: &str,
    command: &[String],
    interactive: bool,
    tty: bool,
) -> Result<i64> {
    let options = CreateExecOptions::<String> {
        cmd: Some(command.to_vec()),
        attach_stdin: Some(interactive),
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        tty: Some(tty),
        ..Default::default()
    };
    let created = docker
        .create_exec(id, options)
        .await
        .map_err(|e| Error::docker("exec in", label, e))?;
    let start = StartExecOptions {
        detach: false,
        tty,
        output_capacity: None,
    };
    let started = docker
        .start_exec(&created.id, Some(start))
        .await
        .map_err(|e| Error::docker("exec in", label, e))?;
    if let StartExecResults::Attached {
        mut output,
        mut input,
    } = started
    {
        let forward_stdin = async move {
            if interactive {
                let mut stdin = tokio::io::stdin();
                // The command may exit before stdin ends; a closed pipe is expected then.
                let _ = tokio::io::copy(&mut stdin, &mut input).await;
                let _ = input.shutdown().await;
            }
            std::future::pending::<()>().await
        };
        let pump_output = async {
            let mut stdout = tokio::io::stdout();
            let mut stderr = tokio::io::stderr();
            while let Some(item) = output.next().await {
                let item =
                    item.map_err(|e| Error::docker("read the output of exec in", label, e))?;
                let is_err = matches!(item, bollard::container::LogOutput::StdErr { .. });
                let bytes = item.into_bytes();
                let written = match is_err {
                    true => stderr.write_all(&bytes).await,
                    false => stdout.write_all(&bytes).await,
                };
                // Our own stdout closed (piped into head): stop reading, keep the exit code.
                if written.is_err() {
                    break;
                }
            }
            let _ = stdout.flush().await;
            Ok::<(), Error>(())
        };
        tokio::select! {
            result = pump_output => result?,
            _ = forward_stdin => {}
        }
    }
    let inspected = docker
        .inspect_exec(&created.id)
        .await
        .map_err(|e| Error::docker("inspect exec in", label, e))?;
    Ok(inspected.exit_code.unwrap_or(0))
}
