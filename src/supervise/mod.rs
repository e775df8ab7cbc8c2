//! Supervision against the engine: the host-wide supervisor (`host`: a task per pod's spec
//! record, the hand-over, the status frames) and one pod's event loop (`run`), which turns
//! Docker's events and the probes' results into facts for the pure decisions in
//! [`crate::state::decide`] and carries out the actions that come out.
//!
//! - [`host`]: the host-wide supervisor.
//! - [`run`]: one pod's event loop.
//! - [`record`]: a pod's plan, read from its spec record.
//! - [`legacy`]: the plan of a pod started by podc before the stored plan (pure).

pub(crate) mod host;
pub(crate) mod legacy;
pub(crate) mod record;
pub(crate) mod run;
