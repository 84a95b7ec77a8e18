//! The details of an event as one plain struct: how events are built, and
//! the shape of their JSON.
//!
//! Engine code fills in the fields an event needs and leaves the rest at their
//! defaults; the trace stores only the fields that are set (see
//! [`super::compact`]). The serde attributes below define the JSON of a
//! trace's details, field by field and in this order.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::{DestinationKind, MessageId};
use crate::sim::name::Name;

/// Details of an event. Fields not relevant to an event's kind are `None`
/// and are left out of the JSON.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TraceDetails {
    /// The queue the event happened in (the source queue for moves).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queue: Option<Name>,
    /// The topic the event happened in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<Name>,
    /// The subscription of `topic`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subscription: Option<Name>,
    /// Where a message went: the dead-letter queue, the redrive target, or
    /// the endpoint a topic delivered to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination: Option<Name>,
    /// Whether `destination` is a queue or a function.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination_kind: Option<DestinationKind>,
    /// FIFO message group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_id: Option<Name>,
    /// FIFO deduplication id (explicit or the content hash).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dedup_id: Option<Name>,
    /// Which stored copy of a standard-queue message (0 is the original).
    #[serde(skip_serializing_if = "is_zero")]
    pub copy: u8,
    /// Position of the message in its queue's arrival order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sequence_number: Option<u64>,
    /// The receipt handle a receive issued or a delete used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receipt_handle: Option<u64>,
    /// The message's receive count after the event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receive_count: Option<u32>,
    /// Which receive call (batch) returned the message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receive_request: Option<u64>,
    /// Delivery attempt number (1 is the first attempt).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempt: Option<u32>,
    /// When the event's consequence is due: a sent message becomes
    /// receivable, an in-flight message becomes visible again, a failed
    /// delivery is retried.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_at_ms: Option<u64>,
    /// A message this one relates to: the topic message a queue message came
    /// from, or the original a duplicate was dropped in favour of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related_message_id: Option<MessageId>,
    /// Why, in words, when the kind alone does not say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Cow<'static, str>>,
    /// The function concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub function: Option<Name>,
    /// The event source mapping concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mapping: Option<Name>,
    /// The execution environment (run-wide id, from 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment: Option<u64>,
    /// The invocation's request id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<Name>,
    /// Whether the invocation started a new environment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cold_start: Option<bool>,
    /// How long the invocation ran (virtual milliseconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    /// The kind of a handler error (e.g. `Thrown`, `Timeout`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_kind: Option<Cow<'static, str>>,
    /// Line in the learner's code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// Column in the learner's code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// A store key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<Name>,
    /// A document version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<Name>,
    /// Concurrent executions (or batches) in effect.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concurrency: Option<u32>,
    /// The client concerned (endpoint events).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client: Option<Name>,
    /// A client's call (its position in the client's workload, from 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call: Option<u64>,
    /// The HTTP status a client got (200, 400, 429, 502, 504).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_code: Option<u16>,
    /// The receipt handles of a batch.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub receipt_handles: Vec<u64>,
    /// The receipt handles of a batch's failed records.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failed_receipt_handles: Vec<u64>,
    /// The workflow concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workflow: Option<Name>,
    /// The workflow execution's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub execution: Option<Name>,
    /// The workflow step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<Name>,
}

fn is_zero(value: &u8) -> bool {
    *value == 0
}
