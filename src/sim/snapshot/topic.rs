//! Topics, their subscriptions and deliveries under way.

use serde::{Deserialize, Serialize};

use crate::sim::broker::topic_config::TopicConfig;
use crate::sim::name::Name;
use crate::sim::trace::MessageId;

/// Cumulative counters of a subscription.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionStats {
    /// Messages the filter policy let through.
    pub matched: u64,
    /// Messages the filter policy rejected.
    pub filtered_out: u64,
    /// Successful deliveries.
    pub delivered: u64,
    /// Failed attempts that were retried.
    pub retried: u64,
    /// Messages moved to the subscription's dead-letter queue.
    pub moved_to_dlq: u64,
    /// Messages dropped after the last retry.
    pub dropped: u64,
}

/// A delivery that has not finished (its next attempt is scheduled).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingDelivery {
    /// The topic message.
    pub message_id: MessageId,
    /// The subscription.
    pub subscription: Name,
    /// Number of the next attempt (1 is the first).
    pub attempt: u32,
    /// When the next attempt happens.
    pub next_attempt_at_ms: u64,
}

/// One subscription.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubscriptionSnapshot {
    /// Name.
    pub name: Name,
    /// Counters.
    pub stats: SubscriptionStats,
}

/// One topic.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TopicSnapshot {
    /// Name.
    pub name: Name,
    /// Settings (including the subscriptions' settings).
    pub config: TopicConfig,
    /// Messages accepted.
    pub published: u64,
    /// Publishes dropped as duplicates (FIFO topics).
    pub deduplicated: u64,
    /// Subscriptions in configuration order.
    pub subscriptions: Vec<SubscriptionSnapshot>,
    /// Deliveries still under way, ordered by message then subscription.
    pub pending_deliveries: Vec<PendingDelivery>,
}
