//! The handler's inputs: a Lambda-shaped `event` and a `context`.
//!
//! Why Lambda's shape: lessons quote AWS documentation and learners move on to
//! real Lambda, so `event.Records[i].messageId`, `attributes.
//! ApproximateReceiveCount` (a string, as in AWS) and friends mean the same
//! thing here. One deliberate difference: a JSON object or array `body` arrives
//! already parsed (a map or an array); any other body is the raw string.

use std::collections::BTreeMap;

use rhai::{Array, Dynamic, ImmutableString, Map};
use serde_json::Value;

use super::convert::{dynamic_from_json_text, from_json};

/// What the function is invoked with.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A batch from a queue's event source mapping (`event.Records`).
    Sqs(Vec<SqsRecord>),
    /// Any other event (an API request, a direct invocation), given as JSON.
    Json(Value),
}

/// One queue message as the event source mapping hands it over.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SqsRecord {
    /// `messageId`: the identifier a partial batch response reports.
    pub message_id: String,
    /// `receiptHandle`.
    pub receipt_handle: String,
    /// `body`: parsed when it is a JSON object or array.
    pub body: String,
    /// `attributes`.
    pub attributes: SqsAttributes,
    /// `messageAttributes`, by name.
    pub message_attributes: BTreeMap<String, MessageAttribute>,
    /// `eventSourceARN`.
    pub event_source_arn: String,
}

/// The system attributes of a queue message.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SqsAttributes {
    /// `ApproximateReceiveCount` (1 on the first delivery).
    pub approximate_receive_count: u32,
    /// `SentTimestamp`, virtual milliseconds.
    pub sent_timestamp_ms: u64,
    /// `ApproximateFirstReceiveTimestamp`, virtual milliseconds.
    pub approximate_first_receive_timestamp_ms: u64,
    /// `SenderId`.
    pub sender_id: String,
    /// `MessageGroupId` (FIFO queues only).
    pub message_group_id: Option<String>,
    /// `MessageDeduplicationId` (FIFO queues only).
    pub message_deduplication_id: Option<String>,
    /// `SequenceNumber` (FIFO queues only).
    pub sequence_number: Option<String>,
}

/// A message attribute (`messageAttributes.<name>`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MessageAttribute {
    /// `dataType`: `String`, `Number` or `Binary`.
    pub data_type: String,
    /// `stringValue`.
    pub string_value: String,
}

/// Who is invoked and how much time is left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    /// The request id (`context.request_id`, `context.awsRequestId`); also the
    /// writer id of every store write.
    pub request_id: String,
    /// `context.function_name`.
    pub function_name: String,
    /// Virtual time at which the handler starts, in milliseconds; store calls
    /// are stamped with this plus the store time spent before them.
    pub now_ms: u64,
    /// Time left before the function times out, in milliseconds, at the start
    /// of the handler. Store calls use it up; one that would go past it ends
    /// the invocation with a timeout.
    pub remaining_time_ms: u64,
}

/// The `context` value a handler sees.
#[derive(Debug, Clone)]
pub struct Context {
    pub(crate) request_id: ImmutableString,
    pub(crate) function_name: ImmutableString,
}

impl Context {
    pub(crate) fn new(invocation: &Invocation) -> Self {
        Self {
            request_id: invocation.request_id.as_str().into(),
            function_name: invocation.function_name.as_str().into(),
        }
    }
}

/// Builds the script value of `event`.
///
/// Why it is written this way: this runs once per invocation and used to be
/// half of a small handler's cost. JSON bodies are parsed straight into
/// script values (no intermediate `serde_json::Value`), numbers are
/// formatted without an intermediate `String`, maps are filled in key
/// order, and collections become script values with `Dynamic::from_map` /
/// `from_array` (rhai's `From` impls rebuild the whole collection). The
/// result is the same value as before.
pub(crate) fn event_value(event: &Event) -> Dynamic {
    match event {
        Event::Json(value) => from_json(value),
        Event::Sqs(records) => {
            let records: Array = records.iter().map(record_value).collect();
            let mut map = Map::new();
            map.insert("Records".into(), Dynamic::from_array(records));
            Dynamic::from_map(map)
        }
    }
}

fn body_value(body: &str) -> Dynamic {
    let trimmed = body.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        if let Some(value) = dynamic_from_json_text(body) {
            return value;
        }
    }
    body.into()
}

fn text(s: &str) -> Dynamic {
    s.into()
}

/// A decimal number as a script string, formatted on the stack.
fn number(mut n: u64) -> Dynamic {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    std::str::from_utf8(&buf[at..]).map_or(Dynamic::UNIT, |s| s.into())
}

/// A map from `(key, value)` pairs, inserted in the given (sorted) order:
/// each insert lands at the end of the map's single node.
fn sorted_map<const N: usize>(pairs: [(&str, Dynamic); N]) -> Dynamic {
    let mut map = Map::new();
    for (k, v) in pairs {
        map.insert(k.into(), v);
    }
    Dynamic::from_map(map)
}

fn record_value(record: &SqsRecord) -> Dynamic {
    let a = &record.attributes;
    // Keys in byte order: ApproximateFirstReceiveTimestamp,
    // ApproximateReceiveCount, MessageDeduplicationId, MessageGroupId,
    // SenderId, SentTimestamp, SequenceNumber.
    let mut attributes = Map::new();
    attributes.insert(
        "ApproximateFirstReceiveTimestamp".into(),
        number(a.approximate_first_receive_timestamp_ms),
    );
    attributes.insert(
        "ApproximateReceiveCount".into(),
        number(u64::from(a.approximate_receive_count)),
    );
    if let Some(v) = &a.message_deduplication_id {
        attributes.insert("MessageDeduplicationId".into(), text(v));
    }
    if let Some(v) = &a.message_group_id {
        attributes.insert("MessageGroupId".into(), text(v));
    }
    attributes.insert("SenderId".into(), text(&a.sender_id));
    attributes.insert("SentTimestamp".into(), number(a.sent_timestamp_ms));
    if let Some(v) = &a.sequence_number {
        attributes.insert("SequenceNumber".into(), text(v));
    }
    let mut message_attributes = Map::new();
    for (name, attr) in &record.message_attributes {
        message_attributes.insert(
            name.as_str().into(),
            sorted_map([
                ("dataType", text(&attr.data_type)),
                ("stringValue", text(&attr.string_value)),
            ]),
        );
    }
    // Keys in byte order (upper case sorts first).
    sorted_map([
        ("attributes", Dynamic::from_map(attributes)),
        ("body", body_value(&record.body)),
        ("eventSource", text("aws:sqs")),
        ("eventSourceARN", text(&record.event_source_arn)),
        ("messageAttributes", Dynamic::from_map(message_attributes)),
        ("messageId", text(&record.message_id)),
        ("receiptHandle", text(&record.receipt_handle)),
    ])
}
