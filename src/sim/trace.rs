//! The trace: every observable happening, in order.
//!
//! The trace is the single source for the UI's diagrams, inspectors and
//! metrics, and for the invariant checkers in `crate::invariants`. Each event
//! names who acted, what happened, to which message, and the details needed
//! to reconstruct a queue's contents from the trace alone. Serializing a trace
//! with `serde_json` gives the same bytes for the same config and seed on every
//! platform: all times are integer milliseconds and nothing is a float.

mod compact;
mod details;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::sim::name::Name;

pub use compact::CompactDetails;
pub use details::TraceDetails;

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
    /// A workflow (Step Functions-like) and its executions.
    Workflow(Name),
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
    /// A store or version-store call failed because the store was
    /// unavailable (`key`, `reason`; a `store_errors` fault).
    StoreCallFailed,
    /// A workflow execution started (`workflow`, `execution`; `function`
    /// and `request_id` name the invocation that started it).
    ExecutionStarted,
    /// A start with an execution name already used was ignored: the same
    /// execution is running with the same input, or it ran and closed
    /// (`error_kind` `ExecutionAlreadyExists`; its work is done).
    ExecutionDeduplicated,
    /// A start was refused: too many executions running, or its name was
    /// used before with another input (`error_kind` `ExecutionAlreadyExists`).
    ExecutionRejected,
    /// An execution began a step (`step`; for a task, `function` and
    /// `attempt`; for a wait, `next_at_ms` when it ends).
    StepStarted,
    /// A step ended well (`request_id` of a task's invocation).
    StepSucceeded,
    /// A task attempt failed (`error_kind`, `reason`) and is tried again at
    /// `next_at_ms`.
    StepRetried,
    /// A task's last attempt failed: the execution goes to the step's
    /// `catch`, or fails.
    StepFailed,
    /// An execution ended well.
    ExecutionSucceeded,
    /// An execution ended with an error (`error_kind`, `reason`).
    ExecutionFailed,
    /// A handler's store or version-store read was served (`key`; `version`
    /// of what it found, or `reason` "not found"): what the handler saw at
    /// that moment.
    StoreRead,
    /// An intervention was applied (`reason` is its JSON; issue 19,
    /// `docs/interventions.md`). Actor `External`.
    Intervened,
    /// An intervention removed a stored message from `queue`: it is never
    /// received (again).
    MessageDropped,
    /// An intervention made a waiting or delayed message of `queue`
    /// receivable only at `next_at_ms`.
    MessageDelayed,
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
    /// Everything else: the fields of [`TraceDetails`] the event sets,
    /// read with accessors named after them (`details.queue()`).
    pub details: CompactDetails,
}

/// The append-only list of events of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Trace {
    events: Vec<TraceEvent>,
    /// Estimated bytes the events hold (see [`Trace::approx_bytes`]); not
    /// part of the trace's data, so it is neither serialized nor compared.
    #[serde(skip)]
    bytes: ApproxBytes,
}

/// A byte count that every trace compares equal on, so that two traces with
/// the same events are equal whatever was estimated.
#[derive(Clone, Copy, Debug, Default)]
struct ApproxBytes(u64);

impl PartialEq for ApproxBytes {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for ApproxBytes {}

impl Trace {
    /// An empty trace.
    pub fn new() -> Self {
        Trace::default()
    }

    /// All events so far.
    pub fn events(&self) -> &[TraceEvent] {
        &self.events
    }

    /// The events, without a copy.
    pub fn into_events(self) -> Vec<TraceEvent> {
        self.events
    }

    /// Number of events.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// Estimated heap bytes of the events: each event's own size plus the
    /// texts, names and lists it holds (names counted as if not shared, so
    /// the estimate errs high). The run's `max_trace_bytes` bounds it.
    pub fn approx_bytes(&self) -> u64 {
        self.bytes.0
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

    /// Appends an event (inlined so that its details convert in place; see
    /// `CompactDetails`'s `From`).
    #[inline(always)]
    pub(crate) fn record(
        &mut self,
        time_ms: u64,
        actor: ActorId,
        kind: TraceKind,
        message_id: Option<MessageId>,
        details: TraceDetails,
    ) {
        let seq = self.events.len() as u64;
        let details: CompactDetails = details.into();
        let bytes = std::mem::size_of::<TraceEvent>() + details.heap_bytes();
        self.bytes.0 = self.bytes.0.saturating_add(bytes as u64);
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
