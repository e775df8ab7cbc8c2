//! The command line: clap definitions and dispatch. Only parses and hands over to `commands`.

use crate::commands::{
    self, CheckArgs, DownArgs, ExecArgs, LogsArgs, PauseBinaryArgs, PsArgs, UpArgs,
};
use crate::error::Error;
use crate::ui::{OutputFormat, Ui};
use clap::{Parser, Subcommand};

/// Run a Kubernetes v1 Pod on a single Docker Engine.
#[derive(Debug, Parser)]
#[command(name = "podc", version, about, long_about = None)]
pub struct Cli {
    /// Output: bars on a terminal and plain lines otherwise (auto), always plain lines, or JSON.
    #[arg(
        short = 'o',
        long = "output",
        global = true,
        value_enum,
        default_value = "auto"
    )]
    pub output: OutputFormat,
    #[command(subcommand)]
    pub command: Command,
}

/// podc's commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a pod from a manifest (default ./pod.yaml); foreground streams logs until Ctrl-C.
    Up(UpArgs),
    /// Stop and remove pods: members gracefully, the pause last.
    Down(DownArgs),
    /// List pods and their containers.
    Ps(PsArgs),
    /// Show the logs of a pod's containers.
    Logs(LogsArgs),
    /// Run a command in a pod's container.
    Exec(ExecArgs),
    /// Write the built-in static pause program to a file (for Dockerfile.pause).
    PauseBinary(PauseBinaryArgs),
    /// Report, field by field, what podc applies, emulates or ignores in a manifest (no Docker).
    Check(CheckArgs),
    /// Supervise every pod on the daemon (run by podc inside the `podc-supervisor` container).
    #[command(hide = true)]
    Supervise,
}

/// Parses the command line, runs the command, prints any error, and returns the exit code.
pub fn run() -> i32 {
    let cli = Cli::parse();
    let ui = Ui::new(cli.output);
    if let Command::PauseBinary(args) = &cli.command {
        // No runtime, no daemon: just a file.
        return report(&ui, commands::pause_binary(&args.path, &ui));
    }
    if let Command::Check(args) = &cli.command {
        return report(&ui, commands::check(args, &ui));
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            return report(
                &ui,
                Err(Error::Runtime(format!(
                    "cannot start podc's async runtime: {e}"
                ))),
            )
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Up(args) => commands::up(args, &ui).await,
            Command::Down(args) => commands::down(args, &ui).await,
            Command::Ps(args) => commands::ps(args, &ui).await,
            Command::Logs(args) => commands::logs(args, &ui).await,
            Command::Exec(args) => commands::exec(args, &ui).await,
            Command::Supervise => commands::supervise().await,
            Command::PauseBinary(_) => Ok(0),
            Command::Check(_) => Ok(0),
        }
    });
    report(&ui, result)
}

fn report(ui: &Ui, result: Result<i32, Error>) -> i32 {
    ui.finish();
    match result {
        Ok(code) => code,
        Err(e) => {
            ui.error(&e.to_string(), e.exit_code());
            e.exit_code()
        }
    }
}
