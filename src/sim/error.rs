//! Every way the engine can refuse: a typed error the UI can show, never a
//! panic (a panic kills the page in wasm) and never a hang.

use std::fmt;

/// An error returned by a verb, by config validation or by a run limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SimError {
    // ---- configuration ----
    /// A numeric setting is outside the range AWS (or the simulator) allows.
    OutOfRange {
        /// The component, e.g. `queue orders`.
        component: String,
        /// The setting, named with its unit, e.g. `visibility_timeout_ms`.
        field: &'static str,
        /// The rejected value.
        value: u64,
        /// Smallest accepted value.
        min: u64,
        /// Largest accepted value.
        max: u64,
    },
    /// A setting is malformed in a way a range cannot express.
    InvalidConfig {
        /// The component, e.g. `topic orders subscription billing`.
        component: String,
        /// The setting.
        field: &'static str,
        /// Why it was rejected.
        reason: String,
    },
    /// Two components of one kind share a name.
    DuplicateName {
        /// `queue`, `topic`, `subscription` or `consumer`.
        kind: &'static str,
        /// The repeated name.
        name: String,
    },
    /// No queue has this name.
    UnknownQueue {
        /// The name asked for.
        name: String,
    },
    /// No topic has this name.
    UnknownTopic {
        /// The name asked for.
        name: String,
    },
    /// The topic has no subscription with this name.
    UnknownSubscription {
        /// The topic.
        topic: String,
        /// The subscription asked for.
        name: String,
    },
    /// No consumer has this name.
    UnknownConsumer {
        /// The name asked for.
        name: String,
    },
    /// No function has this name.
    UnknownFunction {
        /// The name asked for.
        name: String,
    },
    /// No API endpoint has this name.
    UnknownEndpoint {
        /// The name asked for.
        name: String,
    },
    /// A function's code does not compile (or has no `fn handler`).
    HandlerCompile {
        /// The function.
        function: String,
        /// 1-based line, when known.
        line: Option<u32>,
        /// 1-based column, when known.
        column: Option<u32>,
        /// What is wrong, in the lessons' words.
        message: String,
    },
    /// AWS: "the dead-letter queue of a FIFO queue must also be a FIFO queue",
    /// and a standard queue's must be standard.
    DeadLetterQueueTypeMismatch {
        /// The source queue.
        queue: String,
        /// The configured dead-letter queue.
        dead_letter_queue: String,
    },
    /// A filter policy has more keys than SNS allows (5).
    FilterPolicyTooManyKeys {
        /// Keys in the policy.
        keys: usize,
        /// The limit.
        max: usize,
    },
    /// A filter policy's value combinations exceed SNS's limit (150).
    FilterPolicyTooManyCombinations {
        /// Product of the number of values per key.
        combinations: usize,
        /// The limit.
        max: usize,
    },

    // ---- requests ----
    /// The body is larger than the queue's (or SNS's) maximum message size.
    MessageTooLarge {
        /// Queue or topic.
        target: String,
        /// Body size.
        bytes: usize,
        /// The limit.
        max_bytes: usize,
    },
    /// More message attributes than AWS allows (10).
    TooManyAttributes {
        /// Queue or topic.
        target: String,
        /// Attributes given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// FIFO queues and topics require a message group id.
    MissingMessageGroupId {
        /// Queue or topic.
        target: String,
    },
    /// A FIFO queue without content-based deduplication requires a
    /// deduplication id.
    MissingDeduplicationId {
        /// Queue or topic.
        target: String,
    },
    /// AWS: FIFO queues do not support per-message delays.
    PerMessageDelayOnFifo {
        /// The FIFO queue.
        queue: String,
    },
    /// The FIFO send rate quota is used up for this second.
    SendThrottled {
        /// The FIFO queue.
        queue: String,
        /// The quota.
        max_sends_per_second: u32,
    },
    /// The queue holds as many messages as the simulation allows.
    QueueFull {
        /// The queue.
        queue: String,
        /// The limit.
        max_messages: usize,
    },
    /// AWS `EmptyBatchRequest`: a batch call with no entries.
    EmptyBatch {
        /// The queue.
        queue: String,
    },
    /// AWS `TooManyEntriesInBatchRequest`.
    TooManyEntriesInBatch {
        /// The queue.
        queue: String,
        /// Entries in the call.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// AWS `BatchEntryIdsNotDistinct`.
    BatchEntryIdsNotDistinct {
        /// The queue.
        queue: String,
        /// The repeated id.
        id: String,
    },
    /// AWS `InvalidBatchEntryId`: empty, too long or with other characters
    /// than letters, digits, hyphens and underscores.
    InvalidBatchEntryId {
        /// The queue.
        queue: String,
        /// The id.
        id: String,
    },
    /// AWS `BatchRequestTooLong`: the bodies together exceed the maximum
    /// message size.
    BatchRequestTooLong {
        /// The queue.
        queue: String,
        /// Total body size.
        bytes: usize,
        /// The limit.
        max_bytes: usize,
    },
    /// AWS `OverLimit`: a standard queue has reached its in-flight quota.
    OverLimit {
        /// The queue.
        queue: String,
        /// The quota.
        max_in_flight: usize,
    },
    /// AWS `ReceiptHandleIsInvalid`: this receipt handle was never issued.
    InvalidReceiptHandle {
        /// The queue.
        queue: String,
        /// The handle given.
        receipt_handle: u64,
    },
    /// AWS `MessageNotInflight`: visibility can only change while in flight
    /// under the most recent receipt handle.
    MessageNotInFlight {
        /// The queue.
        queue: String,
        /// The handle given.
        receipt_handle: u64,
    },
    /// AWS: a message's visibility cannot extend past 12 hours from its receive.
    VisibilityBeyondMaximum {
        /// The queue.
        queue: String,
        /// Total invisibility the change asked for, counted from the receive.
        requested_ms: u64,
        /// The limit.
        max_ms: u64,
    },
    /// Something was scheduled before the current virtual time.
    TimeInPast {
        /// The requested time.
        at_ms: u64,
        /// The current time.
        now_ms: u64,
    },
    /// Redrive needs a destination: none was given and the message's source
    /// queue is unknown.
    NoRedriveDestination {
        /// The dead-letter queue.
        queue: String,
    },

    // ---- run limits ----
    /// The run processed `max_events` events.
    EventLimitReached {
        /// The limit.
        max_events: u64,
    },
    /// The next event lies beyond `max_time_ms`.
    TimeLimitReached {
        /// The limit.
        max_time_ms: u64,
    },
    /// The trace holds `max_trace_events` events.
    TraceLimitReached {
        /// The limit.
        max_trace_events: usize,
    },
    /// More than `max_pending_events` events are scheduled.
    PendingEventLimitReached {
        /// The limit.
        max_pending_events: usize,
    },
    /// The trace's estimated size reached `max_trace_bytes`.
    TraceBytesLimitReached {
        /// The limit.
        max_trace_bytes: u64,
    },
    /// The run's handlers used `max_handler_operations` script operations.
    HandlerOperationLimitReached {
        /// The limit.
        max_handler_operations: u64,
    },
    /// `max_events_at_one_time` events ran without the clock moving.
    ZeroTimeLivelock {
        /// The limit.
        max_events_at_one_time: u64,
        /// The virtual time that never moved.
        time_ms: u64,
    },
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use SimError::*;
        match self {
            OutOfRange { component, field, value, min, max } => write!(
                f,
                "{component}: {field} = {value} is out of range ({min} to {max})"
            ),
            InvalidConfig { component, field, reason } => {
                write!(f, "{component}: {field} is invalid: {reason}")
            }
            DuplicateName { kind, name } => write!(f, "two {kind}s are named \"{name}\""),
            UnknownQueue { name } => write!(f, "no queue is named \"{name}\""),
            UnknownTopic { name } => write!(f, "no topic is named \"{name}\""),
            UnknownSubscription { topic, name } => {
                write!(f, "topic \"{topic}\" has no subscription \"{name}\"")
            }
            UnknownConsumer { name } => write!(f, "no consumer is named \"{name}\""),
            UnknownFunction { name } => write!(f, "no function is named \"{name}\""),
            UnknownEndpoint { name } => write!(f, "no API endpoint is named \"{name}\""),
            HandlerCompile { function, line, column, message } => match (line, column) {
                (Some(l), Some(c)) => write!(f, "function {function}: line {l}, column {c}: {message}"),
                (Some(l), None) => write!(f, "function {function}: line {l}: {message}"),
                _ => write!(f, "function {function}: {message}"),
            },
            DeadLetterQueueTypeMismatch { queue, dead_letter_queue } => write!(
                f,
                "queue \"{queue}\" and its dead-letter queue \"{dead_letter_queue}\" must both be FIFO or both be standard"
            ),
            FilterPolicyTooManyKeys { keys, max } => {
                write!(f, "filter policy has {keys} keys; SNS allows at most {max}")
            }
            FilterPolicyTooManyCombinations { combinations, max } => write!(
                f,
                "filter policy has {combinations} value combinations; SNS allows at most {max}"
            ),
            MessageTooLarge { target, bytes, max_bytes } => write!(
                f,
                "message of {bytes} bytes is larger than {target}'s limit of {max_bytes} bytes"
            ),
            TooManyAttributes { target, count, max } => write!(
                f,
                "message to {target} has {count} attributes; at most {max} are allowed"
            ),
            MissingMessageGroupId { target } => {
                write!(f, "{target} is FIFO: every message needs a message group id")
            }
            MissingDeduplicationId { target } => write!(
                f,
                "{target} is FIFO without content-based deduplication: every message needs a deduplication id"
            ),
            PerMessageDelayOnFifo { queue } => write!(
                f,
                "queue \"{queue}\" is FIFO: per-message delays are not supported, set the queue's delay instead"
            ),
            SendThrottled { queue, max_sends_per_second } => write!(
                f,
                "queue \"{queue}\" throttled the send: FIFO allows {max_sends_per_second} sends per second"
            ),
            QueueFull { queue, max_messages } => write!(
                f,
                "queue \"{queue}\" holds its maximum of {max_messages} messages"
            ),
            OverLimit { queue, max_in_flight } => write!(
                f,
                "OverLimit: queue \"{queue}\" has {max_in_flight} messages in flight"
            ),
            InvalidReceiptHandle { queue, receipt_handle } => write!(
                f,
                "ReceiptHandleIsInvalid: queue \"{queue}\" never issued receipt handle {receipt_handle}"
            ),
            MessageNotInFlight { queue, receipt_handle } => write!(
                f,
                "MessageNotInflight: receipt handle {receipt_handle} of queue \"{queue}\" is not the current receipt of an in-flight message"
            ),
            VisibilityBeyondMaximum { queue, requested_ms, max_ms } => write!(
                f,
                "queue \"{queue}\": visibility of {requested_ms} ms from the receive exceeds the maximum of {max_ms} ms"
            ),
            EmptyBatch { queue } => write!(f, "batch call to \"{queue}\" has no entries"),
            TooManyEntriesInBatch { queue, count, max } => write!(
                f,
                "batch call to \"{queue}\" has {count} entries; at most {max} are allowed"
            ),
            BatchEntryIdsNotDistinct { queue, id } => write!(
                f,
                "batch call to \"{queue}\" uses entry id \"{id}\" more than once"
            ),
            InvalidBatchEntryId { queue, id } => write!(
                f,
                "batch call to \"{queue}\": entry id \"{id}\" must be 1 to 80 letters, digits, hyphens or underscores"
            ),
            BatchRequestTooLong { queue, bytes, max_bytes } => write!(
                f,
                "batch call to \"{queue}\" carries {bytes} bytes; at most {max_bytes} are allowed"
            ),
            TimeInPast { at_ms, now_ms } => {
                write!(f, "cannot schedule at {at_ms} ms: the time is already {now_ms} ms")
            }
            NoRedriveDestination { queue } => write!(
                f,
                "redrive from \"{queue}\": no destination given and the message's source queue is unknown"
            ),
            EventLimitReached { max_events } => {
                write!(f, "the run stopped after max_events = {max_events} events: something never settles (a poison message without a dead-letter queue?); set run_until_ms, or fewer messages")
            }
            TimeLimitReached { max_time_ms } => {
                write!(f, "the run reached max_time_ms = {max_time_ms} ms of virtual time: set run_until_ms, or give repeating failures a dead-letter queue")
            }
            TraceLimitReached { max_trace_events } => write!(
                f,
                "the trace reached max_trace_events = {max_trace_events} events: send fewer messages or set run_until_ms"
            ),
            PendingEventLimitReached { max_pending_events } => write!(
                f,
                "more than max_pending_events = {max_pending_events} events are scheduled: send fewer messages at once"
            ),
            TraceBytesLimitReached { max_trace_bytes } => write!(
                f,
                "the trace reached max_trace_bytes = {max_trace_bytes} bytes: fewer messages, shorter log lines or a shorter run_until_ms make it smaller"
            ),
            HandlerOperationLimitReached { max_handler_operations } => write!(
                f,
                "the handlers used max_handler_operations = {max_handler_operations} script operations in this run: make the handler do less per message, or send fewer messages"
            ),
            ZeroTimeLivelock { max_events_at_one_time, time_ms } => write!(
                f,
                "{max_events_at_one_time} events ran at {time_ms} ms without time moving (max_events_at_one_time): something repeats with no delay, like a message failing with visibility_timeout_ms = 0 or bouncing between queues; give it a delay or a dead-letter queue"
            ),
        }
    }
}

impl std::error::Error for SimError {}

/// Checks `min <= value <= max`, naming the component and field on failure.
pub(crate) fn check_range(
    component: &str,
    field: &'static str,
    value: u64,
    min: u64,
    max: u64,
) -> Result<(), SimError> {
    if value < min || value > max {
        return Err(SimError::OutOfRange {
            component: component.to_string(),
            field,
            value,
            min,
            max,
        });
    }
    Ok(())
}
