//! Workflows and their executions.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::sim::workflow::WorkflowConfig;

/// Counts of one workflow.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkflowStats {
    /// Executions started.
    pub started: u64,
    /// Executions that succeeded.
    pub succeeded: u64,
    /// Executions that failed.
    pub failed: u64,
    /// Task retries.
    pub retries: u64,
    /// Starts ignored because the name was already used.
    pub deduplicated: u64,
    /// Starts refused (too many running).
    pub rejected: u64,
}

/// Where an execution stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExecutionStatus {
    /// Still running.
    Running,
    /// Ended successfully.
    Succeeded,
    /// Ended with an error.
    Failed,
}

/// One execution, for the inspector.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExecutionSnapshot {
    /// The execution's name.
    pub name: String,
    /// Where it stands.
    pub status: ExecutionStatus,
    /// The step it is at (or ended at).
    pub step: String,
    /// Retries made by all its steps.
    pub retries: u32,
    /// When it started.
    pub started_at_ms: u64,
    /// Its state (the last state, once ended).
    pub state: Value,
}

/// A workflow, for the inspector and the metrics.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkflowSnapshot {
    /// The workflow's name.
    pub name: String,
    /// Its definition.
    pub config: WorkflowConfig,
    /// Its counts.
    pub stats: WorkflowStats,
    /// Running executions, then the most recent ended ones.
    pub executions: Vec<ExecutionSnapshot>,
}
