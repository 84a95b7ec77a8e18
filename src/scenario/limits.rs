//! Bounds on what a scenario may ask for. A scenario can come from an
//! untrusted link, so every size that drives memory or run time is capped
//! here, with the unit in the name.

/// Largest scenario text accepted, in bytes.
pub const MAX_SCENARIO_BYTES: usize = 256 * 1024;
/// Largest handler file `code_file` may name, in bytes.
pub const MAX_CODE_FILE_BYTES: usize = 64 * 1024;
/// Most `[[clients]]` sections.
pub const MAX_CLIENTS: usize = 100;
/// Most `[[checks]]` sections.
pub const MAX_CHECKS: usize = 100;
/// Most messages all workloads of one scenario may schedule together: a
/// run of this many messages through a function fits the run budgets of
/// docs/scenarios.md ("Budgets"); 200,000 did not (issue 17).
pub const MAX_SCHEDULED_MESSAGES: u64 = 20_000;
/// Most seeds one sweep may run (`[scenario] seeds` and `sim sweep --seeds`).
pub const MAX_SWEEP_SEEDS: u64 = 100_000;
/// Longest name of a scenario, client or check, in characters.
pub const MAX_NAME_CHARS: usize = 80;
/// Most editors (documents) of one editor client.
pub const MAX_EDITORS: u64 = 10_000;
/// Most versions one editor saves.
pub const MAX_VERSIONS: u64 = 1_000;
/// Longest interval, jitter, spread, start or duration of a workload, in ms
/// (one day: workloads describe bursts and sessions, not months).
pub const MAX_WORKLOAD_MS: u64 = 24 * 60 * 60 * 1000;
/// Highest steady rate, messages per second.
pub const MAX_RATE_PER_SECOND: u64 = 10_000;
/// Points in each queue-depth series of the metrics.
pub const QUEUE_DEPTH_SAMPLES: u64 = 20;
/// Most bytes all `[[clients.messages]]` of one scenario may send together
/// (bodies after padding, and attributes): 16 MiB, so a run with every
/// message at its size limit still fits the run budget.
pub const MAX_MESSAGE_BYTES_TOTAL: u64 = 16 * 1024 * 1024;
/// Deepest nesting of a `json` body: tables and arrays inside each other.
pub const MAX_BODY_JSON_DEPTH: usize = 32;
