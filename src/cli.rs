//! The command line: clap definitions and dispatch. Only parses and hands over to `commands`.

use crate::commands;
use crate::error::Error;
use crate::ui::{OutputFormat, Ui};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

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

/// `podc up`.
#[derive(Debug, Args)]
pub struct UpArgs {
    /// Pod manifest (a Kubernetes v1 Pod).
    #[arg(default_value = "pod.yaml")]
    pub file: PathBuf,
    /// Return once every container runs instead of streaming logs.
    #[arg(short = 'd', long)]
    pub detach: bool,
    /// With -d: return only once every container runs and is ready (readiness and startup
    /// probes passed); exit 1 when --timeout runs out first.
    #[arg(long, requires = "detach")]
    pub wait: bool,
    /// Seconds `--wait` waits at most.
    #[arg(long, default_value_t = 120, requires = "wait")]
    pub timeout: u64,
    /// Rebuild the pod even if nothing changed.
    #[arg(long)]
    pub force_recreate: bool,
    /// Pause image to use instead of podc's built-in one (e.g. registry.k8s.io/pause:3.10).
    #[arg(long, env = "PODC_PAUSE_IMAGE")]
    pub pause_image: Option<String>,
}

/// `podc down`.
#[derive(Debug, Args)]
pub struct DownArgs {
    /// Manifest files or pod names (default ./pod.yaml).
    pub targets: Vec<String>,
    /// Every pod podc created.
    #[arg(long, conflicts_with = "targets")]
    pub all: bool,
    /// Also remove the volumes of the pods' persistentVolumeClaims (`podc-pvc-<claim>`), which
    /// `down` otherwise keeps, and any volume left of pods that no longer exist.
    #[arg(long)]
    pub volumes: bool,
}

/// `podc ps`.
#[derive(Debug, Args)]
pub struct PsArgs {
    /// Only this pod.
    pub pod: Option<String>,
}

/// `podc logs`.
#[derive(Debug, Args)]
pub struct LogsArgs {
    /// The pod.
    pub pod: String,
    /// Only this container (its name in the manifest).
    #[arg(short = 'c', long)]
    pub container: Option<String>,
    /// Keep streaming new output.
    #[arg(short = 'f', long)]
    pub follow: bool,
    /// Only the last N lines of each container.
    #[arg(long)]
    pub tail: Option<usize>,
}

/// `podc exec`.
#[derive(Debug, Args)]
pub struct ExecArgs {
    /// The pod.
    pub pod: String,
    /// The container (its name in the manifest); default: the first one.
    #[arg(short = 'c', long)]
    pub container: Option<String>,
    /// Forward standard input.
    #[arg(short = 'i', long)]
    pub interactive: bool,
    /// Allocate a terminal.
    #[arg(short = 't', long)]
    pub tty: bool,
    /// The command and its arguments, after `--`.
    #[arg(last = true, required = true)]
    pub command: Vec<String>,
}

/// `podc check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Manifest: Pods and the ConfigMaps and Secrets they use.
    #[arg(default_value = "pod.yaml")]
    pub file: PathBuf,
}

/// `podc pause-binary`.
#[derive(Debug, Args)]
pub struct PauseBinaryArgs {
    /// Where to write it.
    pub path: PathBuf,
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
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}
