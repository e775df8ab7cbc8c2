//! Tier 1, pure: the library's manifest API (`podc::manifest`) tested by value, and the layers
//! of `src/` read from the source. No Docker, no podc binary; runs in seconds:
//! `cargo test --test pure`.

mod check;
mod corpus;
mod fuzz_manifest;
mod layers;
mod manifest_rules;
