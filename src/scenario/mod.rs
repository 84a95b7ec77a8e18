//! Scenarios: the TOML format for whole systems, workloads, checks, sweeps.
//!
//! Flow: [`source`] finds the text (a `.toml` file or a lesson's scenario
//! block), [`parse`] turns it into a validated [`Scenario`] or located
//! [`Diagnostic`]s, [`sweep`] runs it for one seed or many ([`outcome`] runs,
//! [`workload`] schedules the clients), and [`metrics`] and [`checks`] read
//! the trace. Pure: no web crates, no clock, no OS randomness.

pub mod check_saves;
pub mod checks;
pub mod client_message;
pub mod diagnostic;
pub mod figures;
mod files;
pub mod format;
pub mod intervened;
pub mod lesson_check;
pub mod limits;
pub mod locate;
pub mod metric_registry;
pub mod metric_samples;
pub mod metrics;
pub mod outcome;
pub mod parse;
mod problem;
pub mod refusal;
pub mod source;
pub mod sweep;
pub mod validate;
pub mod validate_aws;
mod validate_clients;
pub mod validate_messages;
pub mod variant;
pub mod whatif;
pub mod workload;

pub use checks::CheckResult;
pub use diagnostic::Diagnostic;
pub use format::{
    CheckConfig, CheckKind, ClientConfig, ClientKind, ScenarioFile, ScenarioMeta, Target,
};
pub use intervened::{run_with_interventions, IntervenedRun, RefusedIntervention};
pub use metrics::Metrics;
pub use outcome::RunOutcome;
pub use parse::{parse, Scenario};
pub use refusal::RunRefusal;
pub use source::{load, FileReader, MemoryFiles};
pub use sweep::{
    run_seed, sweep, sweep_parts, RunReport, SweepCheck, SweepPart, SweepResult, SweepRunner,
    VariantTally, FIRST_SEED,
};
