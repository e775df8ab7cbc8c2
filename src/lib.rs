//! podc: a Kubernetes v1 Pod on a single Docker Engine.
//!
//! The pipeline, one module per step: `manifest` (parse, strict, located) -> `plan` (pure) ->
//! `docker::apply` -> (supervise: later) -> `docker::teardown`; `cli` and `ui` at the edges.

pub mod cli;
pub mod commands;
pub mod docker;
pub mod engine;
pub mod error;
pub mod host_paths;
pub mod labels;
pub mod manifest;
pub mod pause_binary;
pub mod plan;
pub mod state;
pub mod supervise;
pub mod ui;
