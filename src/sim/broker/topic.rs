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
    rng: SimRng,
    stats: SubscriptionStats,
    /// FIFO topics: the latest scheduled arrival, so later publishes never
    /// arrive first.
    last_arrival_ms: u64,
}

impl Subscription {
    /// A subscription with its endpoint and dead-letter queue resolved,
    /// drawing its delivery latencies from `rng`.
    pub fn new(
        config: SubscriptionConfig,
        endpoint: ResolvedEndpoint,
        dead_letter_queue: Option<(usize, Name)>,
        rng: SimRng,
    ) -> Subscription {
        Subscription {
            name: Name::from(&config.name),
            config,
            endpoint,
            dead_letter_queue,
            rng,
            stats: SubscriptionStats::default(),
            last_arrival_ms: 0,
        }
    }
}

/// Where a published message goes through one subscription (see
/// [`Topic::route`]).
pub(crate) enum Route<'a> {
    /// The filter policy rejected it.
    FilteredOut {
        /// The subscription.
        subscription: &'a Name,
    },
    /// Its first delivery attempt is due at `at_ms`.
    Deliver {
        /// The subscription's index.
        subscription: usize,
        /// When the first attempt happens.
        at_ms: u64,
    },
}

#[derive(Clone)]
pub(crate) struct Topic {
    pub name: Name,
    pub config: TopicConfig,
    pub subscriptions: Vec<Subscription>,
    dedup: DedupWindow,
    /// Deliveries under way: (message, subscription) -> (next attempt, at).
    pending: AppendMap<(MessageId, usize), (u32, u64)>,
    published: u64,
    deduplicated: u64,
}

/// The verbs of publishing and delivering (`topic_delivery.rs`): each keeps
/// the counters and the deliveries under way in step.
impl Topic {
    pub fn new(config: &TopicConfig, subscriptions: Vec<Subscription>) -> Topic {
        Topic {
            name: Name::from(&config.name),
            config: config.clone(),
            subscriptions,
            dedup: DedupWindow::default(),
            pending: AppendMap::default(),
            published: 0,
            deduplicated: 0,
        }
    }

    /// The original of a FIFO publish whose deduplication id was seen
    /// within the window; the publish is counted as deduplicated.
    pub fn duplicate_of(&mut self, dedup_id: &Name, now_ms: u64) -> Option<MessageId> {
        let original = self.dedup.original(dedup_id, now_ms)?;
        self.deduplicated += 1;
        Some(original)
    }

    /// Counts an accepted publish and remembers its deduplication id.
    pub fn accept(&mut self, message_id: MessageId, dedup_id: Option<&Name>, now_ms: u64) {
        if let Some(dedup) = dedup_id {
            self.dedup.remember(dedup.clone(), message_id, now_ms);
        }
        self.published += 1;
    }

    /// Sends a published message through every subscription's filter
    /// policy, in order: a match is counted, its arrival drawn (never
    /// before an earlier publish's on a FIFO topic) and its delivery kept
    /// as under way. `each` is told every subscription's route.
    pub fn route(&mut self, message: &TopicMessage, now_ms: u64, mut each: impl FnMut(Route<'_>)) {
        let fifo = self.config.fifo;
        for (index, sub) in self.subscriptions.iter_mut().enumerate() {
            let passes = sub.config.filter_policy.as_ref().is_none_or(|policy| {
                policy.matches(
                    sub.config.filter_scope,
                    &message.payload.attributes,
                    &message.payload.body,
                )
            });
            if !passes {
                sub.stats.filtered_out += 1;
                each(Route::FilteredOut {
                    subscription: &sub.name,
                });
                continue;
            }
            sub.stats.matched += 1;
            let mut at = now_ms + sub.config.delivery_latency.sample(&mut sub.rng);
            if fifo {
                at = at.max(sub.last_arrival_ms);
                sub.last_arrival_ms = at;
            }
            self.pending.insert((message.message_id, index), (1, at));
            each(Route::Deliver {
                subscription: index,
                at_ms: at,
            });
        }
    }

    /// A delivery succeeded.
    pub fn delivered(&mut self, message_id: MessageId, subscription: usize) {
        self.pending.remove(&(message_id, subscription));
        self.subscriptions[subscription].stats.delivered += 1;
    }

    /// A failed delivery is tried again: attempt `attempt` at `at_ms`.
    pub fn retry(&mut self, message_id: MessageId, subscription: usize, attempt: u32, at_ms: u64) {
        self.subscriptions[subscription].stats.retried += 1;
        self.pending
            .insert((message_id, subscription), (attempt, at_ms));
    }

    /// A delivery gave up after its last retry: moved to the
    /// subscription's dead-letter queue (`dead_lettered`) or dropped.
    pub fn gave_up(&mut self, message_id: MessageId, subscription: usize, dead_lettered: bool) {
        self.pending.remove(&(message_id, subscription));
        let stats = &mut self.subscriptions[subscription].stats;
        if dead_lettered {
            stats.moved_to_dlq += 1;
        } else {
            stats.dropped += 1;
        }
    }

    /// True while some delivery is under way.
    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

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
