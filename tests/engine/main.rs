//! Tier 3, engine: the real podc binary against the real Docker daemon, one module per area.
//! The helpers (`support`) are compiled once and the images built once per run; tests of
//! different modules run in parallel, except the few that need the daemon to themselves
//! (`support::setup_alone`). Run under the shared lock:
//! `flock /tmp/podc-docker.lock cargo test --test engine`.

#[path = "../shared/secret_pod.rs"]
mod secret_pod;
#[path = "../shared/served_pod.rs"]
mod served_pod;
mod support;

mod down_all;
mod failures;
mod faults;
mod faults_daemon;
mod faults_leaks;
mod foreground;
mod foreign_pause;
mod grpc_probes;
mod health;
mod host_supervisor;
mod https_probes;
mod large_frames;
mod lifecycle;
mod namespaces;
mod order;
mod pause_death;
mod races;
mod registry;
mod registry_auth;
mod restarts;
mod security;
mod settings;
mod up_down;
mod upgrade;
mod volumes;
