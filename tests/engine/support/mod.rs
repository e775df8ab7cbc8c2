//! Shared helpers of the engine tier: they drive the real `podc` binary against the real Docker
//! daemon and observe the result with the docker CLI. Nothing here fakes Docker.
//!
//! Every test module says `use crate::support::*;`; one file per kind of helper.

mod command;
mod docker;
mod events;
mod guards;
mod host;
mod podc;
mod registry;

pub(crate) use command::*;
pub(crate) use docker::*;
pub(crate) use events::*;
pub(crate) use guards::*;
pub(crate) use host::*;
pub(crate) use podc::*;
pub(crate) use registry::*;

pub(crate) use crate::served_pod::served_pod;

use std::fmt;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{OnceLock, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Tests of different modules run in parallel in this one binary. Most touch only their own
/// pods; the few that act on the whole daemon take this exclusively (`setup_alone`).
static DAEMON_TURNS: RwLock<()> = RwLock::new(());

/// The repository root (where Cargo.toml is).
pub(crate) fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The podc binary cargo built for these tests.
pub(crate) fn podc_bin() -> &'static str {
    env!("CARGO_BIN_EXE_podc")
}

/// Fails the test loudly when no Docker daemon answers.
#[track_caller]
pub(crate) fn require_docker() {
    static INFO: OnceLock<Result<(), String>> = OnceLock::new();
    let result = INFO.get_or_init(|| {
        let mut cmd = Command::new("docker");
        cmd.args(["info", "--format", "{{.ServerVersion}}"]);
        match run_command(cmd, Duration::from_secs(60)) {
            Ok(ran) if ran.success() => Ok(()),
            Ok(ran) => Err(format!("{}{}", ran.stderr.trim(), ran.stdout.trim())),
            Err(e) => Err(e),
        }
    });
    if let Err(why) = result {
        panic!("these tests need a running Docker daemon (docker info failed: {why})");
    }
}

/// Builds the local images once per run of this binary (images/build.sh), serialised across test
/// processes with a lock file.
#[track_caller]
pub(crate) fn ensure_images() {
    static BUILT: OnceLock<Result<(), String>> = OnceLock::new();
    let result = BUILT.get_or_init(|| {
        let mut cmd = Command::new("flock");
        cmd.arg("/tmp/podc-test-images.lock")
            .arg(repo_root().join("images/build.sh"))
            .current_dir(repo_root());
        match run_command(cmd, Duration::from_secs(600)) {
            Ok(ran) if ran.success() => Ok(()),
            Ok(ran) => Err(ran.to_string()),
            Err(e) => Err(e),
        }
    });
    if let Err(why) = result {
        panic!("images/build.sh failed (run tests/prepare.sh to see why):\n{why}");
    }
}

/// Every test that talks to Docker starts with `let _daemon = setup();`: the daemon is there,
/// the images are built, and no test that needs the daemon to itself runs until the guard drops.
#[track_caller]
pub(crate) fn setup() -> RwLockReadGuard<'static, ()> {
    require_docker();
    ensure_images();
    DAEMON_TURNS.read().unwrap_or_else(PoisonError::into_inner)
}

/// `setup`, for a test that acts on the whole daemon (`down --all`, the one supervisor, a second
/// dockerd): it waits for every running test to end and runs alone until the guard drops.
#[track_caller]
pub(crate) fn setup_alone() -> RwLockWriteGuard<'static, ()> {
    require_docker();
    ensure_images();
    DAEMON_TURNS.write().unwrap_or_else(PoisonError::into_inner)
}

/// Every container a `served_pod` has once `up` finished, sorted.
pub(crate) fn full_pod(pod: &str) -> Vec<String> {
    let mut names: Vec<String> = ["POD", "SPEC", "idle", "web"]
        .iter()
        .map(|m| format!("{pod}_{m}"))
        .collect();
    names.sort();
    names
}
