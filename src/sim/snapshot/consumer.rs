//! Built-in queue consumers.

use serde::{Deserialize, Serialize};

use crate::sim::consumer::ConsumerConfig;
use crate::sim::name::Name;

/// What a consumer worker is doing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum WorkerState {
    /// About to poll.
    Idle,
    /// In a long poll.
    Polling,
    /// Working through a received batch.
    Processing {
        /// Messages of the batch not yet finished.
        remaining: usize,
    },
}

/// Cumulative counters of a consumer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsumerStats {
    /// Receive calls.
    pub polls: u64,
    /// Messages received.
    pub received: u64,
    /// Messages processed successfully (and deleted, if the receipt was current).
    pub succeeded: u64,
    /// Messages whose processing failed.
    pub failed: u64,
    /// Messages abandoned unprocessed (the rest of a FIFO batch after a failure).
    pub abandoned: u64,
}

/// One consumer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsumerSnapshot {
    /// Name.
    pub name: Name,
    /// Settings.
    pub config: ConsumerConfig,
    /// One entry per worker.
    pub workers: Vec<WorkerState>,
    /// Counters.
    pub stats: ConsumerStats,
}
