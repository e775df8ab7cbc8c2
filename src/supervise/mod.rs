//! Supervision of a running pod. The decisions are pure (no Docker, no clock, no I/O) and
//! tested by value; the event loop (`run`, driven by Docker's event stream and a timer) turns
//! what it sees into facts, feeds them to [`decide::PodSupervisor`], and executes the actions
//! that come out. Every time is an offset on one monotonic clock.
//!
//! - [`backoff`]: Kubernetes' CrashLoopBackOff delays (pure).
//! - [`probe`]: one probe's thresholds over time (pure).
//! - [`decide`]: restart policy, probes, pause death and the pod's phase, per pod (pure).
//! - [`legacy`]: the plan of a pod started by podc before the stored plan (pure).
//! - [`run`], [`status`]: one pod's event loop against Docker, and the status it publishes.
//! - [`host`]: the host-wide supervisor: a task per pod's spec record, the hand-over, the frames.

pub mod backoff;
pub mod decide;
pub mod host;
pub mod legacy;
pub mod probe;
pub mod run;
pub mod status;
