//! Functions and their execution environments.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::sim::function::FunctionConfig;
use crate::sim::name::Name;

/// Counters of one function.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionStats {
    /// Invocations started.
    pub invocations: u64,
    /// Of which in a new environment.
    pub cold_starts: u64,
    /// Ended without error.
    pub succeeded: u64,
    /// Ended with an error.
    pub failed: u64,
    /// Refused over a concurrency limit.
    pub throttled: u64,
    /// Asynchronous retries scheduled.
    pub retried: u64,
    /// Asynchronous events dropped after their last retry.
    pub dropped: u64,
    /// Environments retired after idling.
    pub retired: u64,
    /// Times a handler ran again from the top because a call it made was
    /// served with another answer than the one it ran ahead with (another
    /// invocation acted in between; see `serving.rs`).
    pub reruns: u64,
    /// Highest concurrency seen.
    pub peak_concurrency: u32,
}

/// One execution environment, for inspectors.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnvironmentSnapshot {
    /// Run-wide id.
    pub id: u64,
    /// Running an invocation.
    pub busy: bool,
    /// Initialized (its next invocation is warm).
    pub warm: bool,
    /// Provisioned (never retired).
    pub provisioned: bool,
    /// Invocations run in it.
    pub invocations: u64,
    /// Idle since (meaningless while busy).
    pub idle_since_ms: u64,
    /// Its `globals`.
    pub globals: Value,
}

/// A function, for inspectors and checkers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FunctionSnapshot {
    /// Name.
    pub name: Name,
    /// Settings.
    pub config: FunctionConfig,
    /// Invocations in progress.
    pub concurrency: u32,
    /// Live environments by id.
    pub environments: Vec<EnvironmentSnapshot>,
    /// Counters.
    pub stats: FunctionStats,
}
