//! Queues and their stored messages.

use serde::{Deserialize, Serialize};

use crate::sim::broker::queue_config::QueueConfig;
use crate::sim::name::Name;
use crate::sim::trace::MessageId;

/// Message counts of a queue by state (CloudWatch's `ApproximateNumberOf...`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueCounts {
    /// Sent but still hidden by a delay.
    pub delayed: usize,
    /// Visible and waiting to be received (in a FIFO queue, possibly behind
    /// an in-flight message of the same group).
    pub waiting: usize,
    /// Received, neither deleted nor visible again.
    pub in_flight: usize,
}

impl QueueCounts {
    /// All stored messages.
    pub fn stored(&self) -> usize {
        self.delayed + self.waiting + self.in_flight
    }
}

/// Cumulative counters of a queue.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueStats {
    /// Messages stored by sends and topic deliveries.
    pub sent: u64,
    /// Extra copies stored by at-least-once duplication.
    pub duplicated: u64,
    /// Sends accepted but dropped as duplicates (FIFO).
    pub deduplicated: u64,
    /// Sends refused (throttled, full, too large).
    pub rejected: u64,
    /// Receives of a message (a message received twice counts twice).
    pub received: u64,
    /// Visibility timeouts that expired.
    pub visible_again: u64,
    /// Messages deleted.
    pub deleted: u64,
    /// Messages that outlived the retention period.
    pub expired: u64,
    /// Messages moved from here to the dead-letter queue.
    pub moved_to_dlq: u64,
    /// Messages that arrived here as a dead-letter queue.
    pub dead_lettered_in: u64,
    /// Messages redriven out of this queue.
    pub redriven_out: u64,
    /// Messages redriven into this queue.
    pub redriven_in: u64,
}

/// Where a stored message is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum MessageState {
    /// Hidden by a delay until `until_ms`.
    Delayed {
        /// When it becomes receivable.
        until_ms: u64,
    },
    /// Visible.
    Waiting,
    /// Received under `receipt_handle`, hidden until `visible_at_ms`.
    InFlight {
        /// The current receipt handle.
        receipt_handle: u64,
        /// When it becomes visible again.
        visible_at_ms: u64,
    },
}

/// One stored message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageSnapshot {
    /// Message id.
    pub message_id: MessageId,
    /// Copy number (standard-queue duplicates).
    pub copy: u8,
    /// State.
    pub state: MessageState,
    /// Receives so far in this queue.
    pub receive_count: u32,
    /// FIFO group.
    pub group_id: Option<Name>,
    /// FIFO deduplication id.
    pub dedup_id: Option<Name>,
    /// Arrival position in this queue.
    pub sequence_number: u64,
    /// When it was first sent.
    pub sent_at_ms: u64,
    /// When retention removes it.
    pub expires_at_ms: u64,
    /// The body.
    pub body: String,
}

/// One queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueSnapshot {
    /// Name.
    pub name: Name,
    /// Settings.
    pub config: QueueConfig,
    /// Current counts.
    pub counts: QueueCounts,
    /// Cumulative counters.
    pub stats: QueueStats,
    /// Stored messages in arrival order.
    pub messages: Vec<MessageSnapshot>,
}
