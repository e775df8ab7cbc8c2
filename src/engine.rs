//! The operations a user asks for, on the engine: `up`, `down`, waiting for readiness, and
//! finding a pod. They drive the Docker driver (`docker`) with the plan and the pure decisions
//! (`state`); the commands (`commands`) only read arguments and print.

pub(crate) mod down;
pub(crate) mod find;
pub(crate) mod up;
pub(crate) mod wait;
