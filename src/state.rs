//! The pure middle of the pipeline: podc's typed state vocabulary and every decision made on
//! it, with no Docker, no clock and no I/O, tested by value. The Docker driver (`docker`) reads
//! the engine into these types; the supervisor and the operations act on the decisions.
//!
//! - [`container_state`], [`role`], [`phase`]: what a container is and where it is in its life.
//! - [`pod_view`]: a pod as found in the engine, read from labels alone.
//! - [`backoff`], [`probe`], [`decide`]: the supervisor's decisions for one pod.
//! - [`reconcile`]: what `up` changes in a running pod.
//! - [`status`]: the status lines the supervisor publishes.

pub(crate) mod backoff;
pub(crate) mod container_state;
pub(crate) mod decide;
pub(crate) mod phase;
pub(crate) mod pod_view;
pub(crate) mod probe;
pub(crate) mod reconcile;
pub(crate) mod role;
pub(crate) mod status;

pub(crate) use container_state::ContainerState;
pub(crate) use phase::Phase;
pub(crate) use role::Role;
