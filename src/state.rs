//! The pure middle of the pipeline: podc's typed state vocabulary and every decision made on
//! it, with no Docker, no clock and no I/O, tested by value. The Docker driver (`docker`) reads
//! the engine into these types; the supervisor and the operations act on the decisions.
//!
//! - [`container_state`], [`role`], [`phase`]: what a container is and where it is in its life.
//! - [`pod_view`]: a pod as found in the engine, read from labels alone.
//! - [`backoff`], [`probe`], [`decide`]: the supervisor's decisions for one pod.
//! - [`reconcile`]: what `up` changes in a running pod.
//! - [`status`]: the status lines the supervisor publishes.

pub mod backoff;
pub mod container_state;
pub mod decide;
pub mod phase;
pub mod pod_view;
pub mod probe;
pub mod reconcile;
pub mod role;
pub mod status;

pub use container_state::ContainerState;
pub use phase::Phase;
pub use role::Role;
