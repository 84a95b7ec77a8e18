//! Event Playground: learn event-driven serverless architecture in the browser.
//!
//! The crate is split so that everything a learner's result depends on is pure
//! Rust that plain `cargo test` covers:
//!
//! - [`sim`]: the deterministic discrete-event engine (broker, functions, store).
//! - [`scenario`]: the TOML scenario format, workloads, checks and seed sweeps.
//! - [`lessons`]: markdown lessons parsed into a `Lesson` model.
//! - [`ui`]: Leptos components; the only module that touches the browser.
//!
//! `sim`, `scenario` and `lessons` import no web crate and read no wall clock or
//! OS randomness; `tests/purity.rs` fails the build if they do.

pub mod invariants;
pub mod lessons;
pub mod scenario;
pub mod sim;
pub mod ui;
