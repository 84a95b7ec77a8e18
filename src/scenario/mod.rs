//! Scenarios: the TOML format for whole systems, workloads, checks, sweeps.

pub mod diagnostic;

pub use diagnostic::Diagnostic;
