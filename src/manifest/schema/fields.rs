//! The Kubernetes v1 field tables, as data: for every object podc descends into, ALL the fields
//! Kubernetes defines for it (as of Kubernetes v1.34, sorted by name), each with what podc does
//! with it — the type it checks, and whether podc **applies** it (maps it onto Docker),
//! **emulates** it (does it itself) or **ignores** it (with a warning). The schema walk
//! (`schema.rs`) and `podc check` both read these tables and nothing else. The tables use
//! only the vocabulary (`vocabulary.rs`); one file per area of the Pod API.

mod documents;
mod env;
mod host;
mod pod;
mod probes;
mod security;
mod volumes;

pub(crate) use documents::*;
pub(crate) use env::*;
pub(crate) use host::*;
pub(crate) use pod::*;
pub(crate) use probes::*;
pub(crate) use security::*;
pub(crate) use volumes::*;

#[cfg(test)]
mod tests;

use super::vocabulary::Ty;

/// Any integer: the range is checked by `validate.rs`, with a better message.
const ANY_INT: Ty = Ty::Int {
    min: i64::MIN,
    max: i64::MAX,
};
