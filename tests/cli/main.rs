//! Tier 2, cli: the real podc binary, with no Docker daemon (`DOCKER_HOST` names a socket that
//! does not exist): `podc check`, manifests refused before anything is created, errors about
//! Secrets, an unreachable daemon. `cargo test --test cli`.

mod bad_manifests;
mod check;
mod json_errors;
mod run;
#[path = "../shared/secret_pod.rs"]
mod secret_pod;
mod security;
#[path = "../shared/served_pod.rs"]
mod served_pod;
mod unreachable_daemon;
