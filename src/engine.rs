//! The operations a user asks for, on the engine: `up`, `down`, waiting for readiness, and
//! finding a pod. They drive the Docker driver (`docker`) with the plan and the pure decisions
//! (`state`); the commands (`commands`) only read arguments and print.

pub mod down;
pub mod find;
pub mod up;
pub mod wait;
