//! Read-only pictures of every component, for the UI's inspectors and for the
//! invariant checkers. A snapshot is plain data: it holds no reference into
//! the engine and changing it changes nothing.

use serde::{Deserialize, Serialize};

use crate::sim::api::{ClientSnapshot, EndpointSnapshot};
use crate::sim::broker::queue_config::QueueConfig;
use crate::sim::broker::topic_config::TopicConfig;
use crate::sim::consumer::ConsumerConfig;
use crate::sim::fault::Fault;
use crate::sim::function::FunctionSnapshot;
use crate::sim::mapping::MappingSnapshot;
use crate::sim::name::Name;
use crate::sim::trace::MessageId;

/// The whole world at one instant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorldSnapshot {
    /// Virtual time.
    pub time_ms: u64,
    /// The root seed.
    pub seed: u64,
    /// Events processed so far.
    pub events_processed: u64,
    /// Events scheduled and not yet processed.
    pub pending_events: usize,
    /// Trace length.
    pub trace_len: usize,
    /// Queues in configuration order.
    pub queues: Vec<QueueSnapshot>,
    /// Topics in configuration order.
    pub topics: Vec<TopicSnapshot>,
    /// Consumers in configuration order.
    pub consumers: Vec<ConsumerSnapshot>,
    /// Faults injected so far.
    pub faults: Vec<Fault>,
    /// Function deliveries not yet taken (deliveries to functions the world
    /// does not define).
    pub pending_function_deliveries: usize,
    /// Functions in configuration order.
    pub functions: Vec<FunctionSnapshot>,
    /// Event source mappings in configuration order.
    pub mappings: Vec<MappingSnapshot>,
    /// The account's concurrency limit.
    pub account_concurrency_limit: u32,
    /// The store (items, write history, stale overwrites).
    pub store: StoreSnapshot,
    /// The version store.
    pub drafts: DraftsSnapshot,
    /// API endpoints in configuration order.
    pub endpoints: Vec<EndpointSnapshot>,
    /// Clients in the order they were added.
    pub clients: Vec<ClientSnapshot>,
    /// Workflows in configuration order.
    #[serde(default)]
    pub workflows: Vec<crate::sim::workflow::WorkflowSnapshot>,
}

/// One stored item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoreItemSnapshot {
    /// Key.
    pub key: String,
    /// Value.
    pub value: serde_json::Value,
    /// Explicit version, if any.
    pub version: Option<String>,
    /// Version used for stale-overwrite checks (explicit, or the value's
    /// `version` field).
    pub effective_version: Option<String>,
}

/// One applied write.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoreWriteSnapshot {
    /// Position in the history.
    pub seq: u64,
    /// Key.
    pub key: String,
    /// `put` or `delete`.
    pub kind: String,
    /// The condition, in words.
    pub condition: String,
    /// Who wrote (request id).
    pub writer: String,
    /// When.
    pub time_ms: u64,
    /// Version written.
    pub version: Option<String>,
    /// Version replaced.
    pub replaced_version: Option<String>,
}

/// A write that replaced a newer version with an older one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaleOverwriteSnapshot {
    /// Position in the history.
    pub seq: u64,
    /// Key.
    pub key: String,
    /// Who wrote.
    pub writer: String,
    /// When.
    pub time_ms: u64,
    /// Version written.
    pub written: String,
    /// Newer version replaced.
    pub replaced: String,
}

/// The store.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StoreSnapshot {
    /// Items by key.
    pub items: Vec<StoreItemSnapshot>,
    /// Every applied write, in order.
    pub history: Vec<StoreWriteSnapshot>,
    /// Writes that moved a document backwards.
    pub stale_overwrites: Vec<StaleOverwriteSnapshot>,
}

impl StoreSnapshot {
    /// The item with `key`.
    pub fn item(&self, key: &str) -> Option<&StoreItemSnapshot> {
        self.items.iter().find(|i| i.key == key)
    }
}

/// One document of the version store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftDocumentSnapshot {
    /// Document id.
    pub doc: String,
    /// Saved versions, oldest first.
    pub versions: Vec<String>,
    /// The newest version.
    pub latest: Option<String>,
}

/// The version store.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftsSnapshot {
    /// Documents by id.
    pub documents: Vec<DraftDocumentSnapshot>,
}

impl WorldSnapshot {
    /// The queue called `name`.
    pub fn queue(&self, name: &str) -> Option<&QueueSnapshot> {
        self.queues.iter().find(|q| q.name == name)
    }

    /// The topic called `name`.
    pub fn topic(&self, name: &str) -> Option<&TopicSnapshot> {
        self.topics.iter().find(|t| t.name == name)
    }

    /// The function called `name`.
    pub fn function(&self, name: &str) -> Option<&FunctionSnapshot> {
        self.functions.iter().find(|f| f.name == name)
    }

    /// The mapping called `name`.
    pub fn mapping(&self, name: &str) -> Option<&MappingSnapshot> {
        self.mappings.iter().find(|m| m.name == name)
    }

    /// The consumer called `name`.
    pub fn consumer(&self, name: &str) -> Option<&ConsumerSnapshot> {
        self.consumers.iter().find(|c| c.name == name)
    }
}

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

/// Builds the store's snapshot.
pub(crate) fn store_snapshot(store: &crate::sim::store::Store) -> StoreSnapshot {
    use crate::sim::store::{Condition, WriteKind};
    let version = |item: Option<&crate::sim::store::Item>| {
        item.and_then(|i| i.effective_version())
            .map(|v| v.to_string())
    };
    StoreSnapshot {
        items: store
            .items()
            .iter()
            .map(|(key, item)| StoreItemSnapshot {
                key: key.clone(),
                value: item.value.clone(),
                version: item.version.as_ref().map(ToString::to_string),
                effective_version: item.effective_version().map(|v| v.to_string()),
            })
            .collect(),
        history: store
            .history()
            .iter()
            .map(|w| StoreWriteSnapshot {
                seq: w.seq,
                key: w.key.clone(),
                kind: match w.kind {
                    WriteKind::Put => "put".into(),
                    WriteKind::Delete => "delete".into(),
                },
                condition: match &w.condition {
                    Condition::Always => "always".into(),
                    Condition::NotExists => "attribute_not_exists".into(),
                    Condition::VersionEquals(v) => format!("version = {v}"),
                    Condition::IncomingIsNewer => "version < incoming".into(),
                },
                writer: w.writer.clone(),
                time_ms: w.time_ms,
                version: version(w.new.as_ref()),
                replaced_version: version(w.replaced.as_ref()),
            })
            .collect(),
        stale_overwrites: store
            .stale_overwrites()
            .into_iter()
            .map(|s| StaleOverwriteSnapshot {
                seq: s.seq,
                key: s.key,
                writer: s.writer,
                time_ms: s.time_ms,
                written: s.written.to_string(),
                replaced: s.replaced.to_string(),
            })
            .collect(),
    }
}

/// Builds the version store's snapshot.
pub(crate) fn drafts_snapshot(drafts: &crate::sim::version_store::VersionStore) -> DraftsSnapshot {
    DraftsSnapshot {
        documents: drafts
            .documents()
            .map(|doc| DraftDocumentSnapshot {
                doc: doc.to_string(),
                versions: drafts
                    .versions(doc)
                    .into_iter()
                    .map(ToString::to_string)
                    .collect(),
                latest: drafts.latest(doc).map(|(v, _)| v.to_string()),
            })
            .collect(),
    }
}
