//! Each command's arguments, as clap reads them (`cli` holds the command line itself).

use clap::Args;
use std::path::PathBuf;

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
