//! The trace: every observable happening, in order.
//!
//! The trace is the single source for the UI's diagrams, inspectors and
//! metrics, and for the invariant checkers in `crate::invariants`. Each event
//! names who acted, what happened, to which message, and the details needed
//! to reconstruct a queue's contents from the trace alone. Serializing a trace
//! with `serde_json` gives the same bytes for the same config and seed on every
//! platform: all times are integer milliseconds and nothing is a float.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::sim::name::Name;

/// Identifies a message. Queue messages and topic messages draw from one
/// counter, so an id names exactly one message in a run. A standard queue's
/// duplicate copy shares its original's id and differs in `copy`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MessageId(pub u64);

impl fmt::Display for MessageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "m{}", self.0)
    }
}

impl fmt::Debug for MessageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "m{}", self.0)
    }
}

/// Who caused an event. New actor kinds (event source mappings, functions,
/// clients) are new variants; nothing that matches on the trace needs more
/// than a catch-all arm for them.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "name", rename_all = "snake_case")]
pub enum ActorId {
    /// A caller outside the simulation: a test, the UI, a workload.
    External,
    /// A client of a workload.
    Client(Name),
    /// A topic (SNS): publishes, fan-out, delivery retries.
    Topic(Name),
    /// A queue (SQS): visibility, expiry, dead-lettering.
    Queue(Name),
    /// A built-in consumer actor polling a queue.
    Consumer(Name),
    /// An event source mapping (part 2).
    Mapping(Name),
    /// A function (part 2).
    Function(Name),
    /// An API endpoint (server-API flow).
    Endpoint(Name),
}

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TraceKind {
    /// A topic accepted a publish. `message_id` is the topic message.
    Published,
    /// A queue stored a message (send, topic delivery, or arrival in a
    /// subscription's dead-letter queue).
    Sent,
    /// A standard queue stored a second copy of a message (at-least-once).
    Duplicated,
    /// A FIFO queue or topic accepted a send but dropped it as a duplicate of
    /// `related_message_id` within the 5-minute deduplication window.
    Deduplicated,
    /// A send was refused (throttled, queue full, too large).
    SendRejected,
    /// A subscription's filter policy did not match the message.
    FilteredOut,
    /// A topic delivered a message to a subscription's endpoint.
    Delivered,
    /// A delivery attempt failed and another is scheduled at `next_at_ms`.
    DeliveryRetried,
    /// A delivery ran out of retries and the subscription has no DLQ.
    Dropped,
    /// A message moved to a dead-letter queue (`destination`).
    MovedToDlq,
    /// A receive returned the message; it is in flight until `next_at_ms`.
    Received,
    /// A receive was refused (`OverLimit`).
    ReceiveRejected,
    /// An in-flight message's visibility timeout expired.
    VisibleAgain,
    /// The visibility timeout of an in-flight message was changed.
    VisibilityChanged,
    /// A message was deleted with its current receipt handle.
    Deleted,
    /// A delete succeeded but deleted nothing: the receipt handle was not the
    /// message's most recent one, or the message was already gone.
    DeleteIgnored,
    /// A message outlived the queue's retention period.
    Expired,
    /// A message moved from a dead-letter queue back to `destination`.
    Redriven,
    /// A consumer failed to process a message and left it to time out.
    ProcessingFailed,
    /// A fault was injected.
    FaultInjected,
    /// A function started a new execution environment (a cold start, or a
    /// provisioned environment at time 0). `environment`, `function`.
    EnvironmentStarted,
    /// An idle execution environment was shut down; its globals are gone.
    EnvironmentRetired,
    /// An invocation started in `environment` (`cold_start` says whether the
    /// environment was new). `request_id`, `function`, and `mapping` when an
    /// event source mapping invoked it (with the batch's `receipt_handles`).
    InvocationStarted,
    /// The invocation ended without error; `duration_ms`.
    InvocationSucceeded,
    /// The invocation ended with an error: `error_kind`, `reason` (the
    /// message), `line`, `column`, `duration_ms`.
    InvocationFailed,
    /// The invocation was refused: the function (reserved concurrency) or
    /// the account is at its concurrency limit (`concurrency`). A synchronous
    /// caller gets a 429.
    InvocationThrottled,
    /// An asynchronous invocation failed or was throttled and is retried at
    /// `next_at_ms` (`attempt` is the next attempt).
    InvocationRetried,
    /// An asynchronous invocation ran out of retries and was dropped.
    InvocationDropped,
    /// A handler's store write was applied (`key`, `version`, `request_id`).
    StoreWrite,
    /// A handler's conditional store write failed its condition.
    ConditionalCheckFailed,
    /// A handler printed a line (`reason` is the text, `line`).
    HandlerLog,
    /// An event source mapping applied an invocation's result to its batch:
    /// `receipt_handles` of the batch, `failed_receipt_handles` that return to
    /// the queue; the others are deleted next.
    BatchCompleted,
    /// An event source mapping changed its number of concurrent batches
    /// (`concurrency`).
    MappingScaled,
    /// A client sent an attempt of a call (`call`, `attempt`) to
    /// `destination` (an endpoint, topic or queue).
    ClientRequested,
    /// An endpoint's token bucket was empty: the request gets a 429
    /// (`client`, `call`).
    EndpointThrottled,
    /// An endpoint passed a request to its function (`client`, `call`,
    /// `function`).
    EndpointAccepted,
    /// A client got the answer to an attempt: `status_code`, `attempt`, and
    /// `duration_ms` since the call's first attempt left.
    ClientResponded,
    /// A client will try a call again at `next_at_ms` (`attempt` is the
    /// next attempt, `status_code` the answer that caused it).
    ClientRetried,
    /// A call ended without success: out of retries, or refused (fire and
    /// forget does not retry). `status_code` is the last answer.
    ClientFailed,
}

/// What kind of endpoint a delivery reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DestinationKind {
    /// An SQS queue.
    Queue,
    /// A function.
    Function,
}

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
}

fn is_zero(value: &u8) -> bool {
    *value == 0
}

/// One observable happening.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceEvent {
    /// Virtual time.
    pub time_ms: u64,
    /// Position in the trace (0-based, gap-free).
    pub seq: u64,
    /// Who acted.
    pub actor: ActorId,
    /// What happened.
    pub kind: TraceKind,
    /// The message concerned, if any.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub message_id: Option<MessageId>,
    /// Everything else.
    pub details: TraceDetails,
}

/// The append-only list of events of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Trace {
    events: Vec<TraceEvent>,
}

impl Trace {
    /// An empty trace.
    pub fn new() -> Self {
        Trace::default()
    }

    /// All events so far.
    pub fn events(&self) -> &[TraceEvent] {
        &self.events
    }

    /// Number of events.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// True if nothing happened yet.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// The trace as JSON; equal configs and seeds give equal bytes.
    pub fn to_json(&self) -> String {
        // Serializing plain data with string keys cannot fail.
        serde_json::to_string(&self.events).unwrap_or_default()
    }

    pub(crate) fn record(
        &mut self,
        time_ms: u64,
        actor: ActorId,
        kind: TraceKind,
        message_id: Option<MessageId>,
        details: TraceDetails,
    ) {
        let seq = self.events.len() as u64;
        self.events.push(TraceEvent {
            time_ms,
            seq,
            actor,
            kind,
            message_id,
            details,
        });
    }
}
