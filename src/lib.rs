//! podc: Kubernetes Pods on a single Docker Engine.
//!
//! The pipeline, one layer per module, each importing only the ones before it (ARCHITECTURE.md):
//! `manifest` (parse, strict, located) -> `plan` (pure: the whole contract for one pod) ->
//! `state` (pure: typed state and decisions) -> `docker` (the engine driver) -> `engine` and
//! `supervise` (the operations) -> `commands` and `cli`; `ui` prints, `error` renders.
//!
//! The public surface is small: the command line (`cli::run`), the manifest's loading and
//! checking (`manifest`), and `connect` for the benchmark's floor. Everything else is internal.

pub mod cli;
pub(crate) mod commands;
pub(crate) mod docker;
pub(crate) mod engine;
pub(crate) mod error;
pub(crate) mod host_paths;
pub(crate) mod labels;
pub mod manifest;
pub(crate) mod pause_binary;
pub(crate) mod plan;
pub(crate) mod state;
pub(crate) mod supervise;
pub(crate) mod ui;

pub use docker::connect;
pub use error::Error;
