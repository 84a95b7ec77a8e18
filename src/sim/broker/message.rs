//! Messages and the requests and answers of the broker's verbs.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::sim::name::Name;
use crate::sim::trace::MessageId;

/// A message attribute value, as SNS and SQS type them.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum AttributeValue {
    /// `String`.
    String(String),
    /// `Number`, kept as its decimal text (SNS compares numbers with five
    /// decimal places of precision; see `filter_policy`).
    Number(String),
    /// `String.Array`: a JSON array kept as its text, as SNS and SQS carry
    /// it (`["a", 1, true]`); a filter matches when any element matches.
    StringArray(String),
}

/// Message attributes by name (ordered, so they serialize stably).
pub type Attributes = BTreeMap<String, AttributeValue>;

/// The bytes attributes add to a message's size: name, data type and value
/// of each.
pub fn attributes_size_bytes(attributes: &Attributes) -> usize {
    attributes.iter().fold(0usize, |total, (name, value)| {
        total
            .saturating_add(name.len())
            .saturating_add(value.data_type().len())
            .saturating_add(value.text().len())
    })
}

/// Body and attributes, shared (not copied) by every copy of a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payload {
    /// The body text.
    pub body: Arc<str>,
    /// The attributes.
    pub attributes: Arc<Attributes>,
}

impl Payload {
    /// The size SNS and SQS count against the message size limit: the body
    /// and, for each attribute, its name, data type and value, in bytes
    /// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html).
    pub fn size_bytes(&self) -> usize {
        attributes_size_bytes(&self.attributes).saturating_add(self.body.len())
    }

    /// A payload from owned parts.
    pub fn new(body: String, attributes: Attributes) -> Self {
        Payload {
            body: Arc::from(body),
            attributes: Arc::new(attributes),
        }
    }
}

/// `SendMessage` to a queue.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SendRequest {
    /// Body.
    pub body: String,
    /// Message attributes (at most 10).
    pub attributes: Attributes,
    /// Per-message delay overriding the queue's (standard queues only),
    /// 0 to 900,000 ms.
    pub delay_ms: Option<u64>,
    /// FIFO message group (required on FIFO queues).
    pub group_id: Option<String>,
    /// FIFO deduplication id (required on FIFO queues without content-based
    /// deduplication).
    pub dedup_id: Option<String>,
}

impl SendRequest {
    /// A send with just a body.
    pub fn body(body: impl Into<String>) -> Self {
        SendRequest {
            body: body.into(),
            ..SendRequest::default()
        }
    }

    /// Sets the FIFO group.
    pub fn group(mut self, group_id: impl Into<String>) -> Self {
        self.group_id = Some(group_id.into());
        self
    }

    /// Sets the deduplication id.
    pub fn dedup(mut self, dedup_id: impl Into<String>) -> Self {
        self.dedup_id = Some(dedup_id.into());
        self
    }

    /// Sets a per-message delay.
    pub fn delay_ms(mut self, delay_ms: u64) -> Self {
        self.delay_ms = Some(delay_ms);
        self
    }

    /// Adds a string attribute.
    pub fn attribute(mut self, name: impl Into<String>, value: AttributeValue) -> Self {
        self.attributes.insert(name.into(), value);
        self
    }
}

/// `Publish` to a topic.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PublishRequest {
    /// Body.
    pub body: String,
    /// Message attributes (at most 10), the default filter scope.
    pub attributes: Attributes,
    /// FIFO message group (required on FIFO topics, passed to FIFO queues).
    pub group_id: Option<String>,
    /// FIFO deduplication id (passed to FIFO queues).
    pub dedup_id: Option<String>,
}

impl PublishRequest {
    /// A publish with just a body.
    pub fn body(body: impl Into<String>) -> Self {
        PublishRequest {
            body: body.into(),
            ..PublishRequest::default()
        }
    }

    /// Sets the FIFO group.
    pub fn group(mut self, group_id: impl Into<String>) -> Self {
        self.group_id = Some(group_id.into());
        self
    }

    /// Sets the deduplication id.
    pub fn dedup(mut self, dedup_id: impl Into<String>) -> Self {
        self.dedup_id = Some(dedup_id.into());
        self
    }

    /// Adds an attribute.
    pub fn attribute(mut self, name: impl Into<String>, value: AttributeValue) -> Self {
        self.attributes.insert(name.into(), value);
        self
    }
}

/// `ReceiveMessage` from a queue. An external receive is a short poll; long
/// polling is what consumer actors do (they wait up to 20 s for a message).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReceiveRequest {
    /// 1 to 10 messages.
    pub max_messages: u32,
    /// Overrides the queue's visibility timeout for this receive (0 to 12 h).
    pub visibility_timeout_ms: Option<u64>,
}

impl Default for ReceiveRequest {
    fn default() -> Self {
        ReceiveRequest {
            max_messages: 1,
            visibility_timeout_ms: None,
        }
    }
}

impl ReceiveRequest {
    /// A receive of up to `max_messages`.
    pub fn up_to(max_messages: u32) -> Self {
        ReceiveRequest {
            max_messages,
            visibility_timeout_ms: None,
        }
    }

    /// Overrides the visibility timeout.
    pub fn visibility_timeout_ms(mut self, ms: u64) -> Self {
        self.visibility_timeout_ms = Some(ms);
        self
    }
}

/// A message as a receive returns it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceivedMessage {
    /// The queue it came from.
    pub queue: Name,
    /// Message id.
    pub message_id: MessageId,
    /// Which copy (standard-queue duplicates share an id).
    pub copy: u8,
    /// The handle to delete or change visibility with; new on every receive.
    pub receipt_handle: u64,
    /// Body and attributes.
    pub payload: Payload,
    /// `ApproximateReceiveCount`, including this receive.
    pub receive_count: u32,
    /// `ApproximateFirstReceiveTimestamp`: the time of the first receive.
    pub first_received_at_ms: u64,
    /// FIFO group.
    pub group_id: Option<Name>,
    /// FIFO deduplication id (`MessageDeduplicationId`).
    pub dedup_id: Option<Name>,
    /// Arrival position in the queue.
    pub sequence_number: u64,
    /// When the message was first sent (`SentTimestamp`).
    pub sent_at_ms: u64,
    /// When it becomes visible again unless deleted or changed.
    pub visible_again_at_ms: u64,
}

/// The answer to a send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SendOutcome {
    /// The stored message's id, or the original's when deduplicated.
    pub message_id: MessageId,
    /// True if the send was accepted but dropped as a duplicate.
    pub deduplicated: bool,
}

/// The answer to a delete. AWS answers success in all three cases.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeleteOutcome {
    /// The message is gone.
    Deleted,
    /// The handle is not the message's most recent one: nothing was deleted.
    StaleReceipt,
    /// The message had already left the queue (deleted, expired, moved).
    AlreadyGone,
}

/// Move messages out of a dead-letter queue (`StartMessageMoveTask`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RedriveRequest {
    /// Target queue; `None` sends each message back to the queue it was
    /// dead-lettered from.
    pub destination: Option<String>,
    /// Move at most this many (all waiting messages when `None`).
    pub max_messages: Option<usize>,
}
