//! One SNS topic: publish, filter, fan-out bookkeeping.

use crate::sim::broker::append_map::AppendMap;
use crate::sim::broker::dedup_window::DedupWindow;
use crate::sim::broker::message::Payload;
use crate::sim::broker::topic_config::{SubscriptionConfig, TopicConfig};
use crate::sim::kernel::SimRng;
use crate::sim::name::Name;
use crate::sim::snapshot::{
    PendingDelivery, SubscriptionSnapshot, SubscriptionStats, TopicSnapshot,
};
use crate::sim::trace::MessageId;

/// A published message, shared by all of its deliveries.
#[derive(Debug)]
pub struct TopicMessage {
    /// The topic message id.
    pub message_id: MessageId,
    /// Body and attributes.
    pub payload: Payload,
    /// FIFO group.
    pub group_id: Option<Name>,
    /// FIFO deduplication id.
    pub dedup_id: Option<Name>,
    /// Publish time.
    pub published_at_ms: u64,
}

/// A subscription's endpoint, resolved to an index.
#[derive(Clone, Debug)]
pub(crate) enum ResolvedEndpoint {
    Queue { index: usize, name: Name },
    Function(Name),
}

#[derive(Clone)]
pub(crate) struct Subscription {
    pub name: Name,
    pub config: SubscriptionConfig,
    pub endpoint: ResolvedEndpoint,
    pub dead_letter_queue: Option<(usize, Name)>,
    pub rng: SimRng,
    pub stats: SubscriptionStats,
    /// FIFO topics: the latest scheduled arrival, so later publishes never
    /// arrive first.
    pub last_arrival_ms: u64,
}

#[derive(Clone)]
pub(crate) struct Topic {
    pub name: Name,
    pub config: TopicConfig,
    pub subscriptions: Vec<Subscription>,
    pub dedup: DedupWindow,
    /// Deliveries under way: (message, subscription) -> (next attempt, at).
    pub pending: AppendMap<(MessageId, usize), (u32, u64)>,
    pub published: u64,
    pub deduplicated: u64,
}

impl Topic {
    pub fn snapshot(&self) -> TopicSnapshot {
        TopicSnapshot {
            name: self.name.clone(),
            config: self.config.clone(),
            published: self.published,
            deduplicated: self.deduplicated,
            subscriptions: self
                .subscriptions
                .iter()
                .map(|s| SubscriptionSnapshot {
                    name: s.name.clone(),
                    stats: s.stats,
                })
                .collect(),
            pending_deliveries: self
                .pending
                .iter()
                .map(|(&(message_id, sub), &(attempt, at))| PendingDelivery {
                    message_id,
                    subscription: self.subscriptions[sub].name.clone(),
                    attempt,
                    next_attempt_at_ms: at,
                })
                .collect(),
        }
    }
}
