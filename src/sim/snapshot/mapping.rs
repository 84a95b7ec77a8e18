//! Event source mappings.

use serde::{Deserialize, Serialize};

use crate::sim::mapping::MappingConfig;
use crate::sim::name::Name;

/// Counters of one mapping.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingStats {
    /// Batches handed to the function.
    pub batches: u64,
    /// Records in those batches.
    pub records: u64,
    /// Records deleted after success.
    pub deleted: u64,
    /// Records returned to the queue (failed or throttled batches, failed items).
    pub returned: u64,
    /// Batches throttled.
    pub throttled: u64,
    /// Highest number of batches in flight at once.
    pub peak_batches: u32,
}

/// What one slot is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlotState {
    /// Between polls.
    Idle,
    /// In a long poll.
    Polling,
    /// Gathering a batch during the batching window.
    Gathering,
    /// Waiting for the function.
    Invoking,
    /// Waiting after a throttle.
    Backoff,
}

/// A mapping, for inspectors and checkers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingSnapshot {
    /// Name.
    pub name: Name,
    /// Settings.
    pub config: MappingConfig,
    /// Whether the queue is FIFO.
    pub fifo: bool,
    /// Current number of slots (concurrent batches allowed now).
    pub concurrency: u32,
    /// Batches in flight (invoking).
    pub batches_in_flight: u32,
    /// Slots.
    pub slots: Vec<SlotState>,
    /// Counters.
    pub stats: MappingStats,
}
