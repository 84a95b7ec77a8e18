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
use crate::sim::digits::decimal;

/// What the function is invoked with.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A batch from a queue's event source mapping (`event.Records`).
    Sqs(Vec<SqsRecord>),
    /// The same batch from a mapping without `report_batch_item_failures`:
    /// the handler sees the same `event.Records`, and its return value is
    /// ignored, as Lambda ignores it ("Lambda treats a batch as a complete
    /// success" unless the function errors;
    /// https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html).
    SqsUnreported(Vec<SqsRecord>),
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
    /// Virtual time at which the handler's first call is made, in
    /// milliseconds; each call is served at this plus the latencies of the
    /// calls so far, its own included.
    pub now_ms: u64,
    /// Time left before the function times out, in milliseconds, at the start
    /// of the handler. Store calls use it up; one that would go past it ends
    /// the invocation with a timeout.
    pub remaining_time_ms: u64,
    /// Seeds the latency of each store call (drawn per call from the
    /// store's `StoreConfig`, by the call's position).
    pub latency_seed: u64,
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
/// formatted without an intermediate `String`, maps are built from lists
/// already in key order, and collections become script values with `Dynamic::from_map` /
/// `from_array` (rhai's `From` impls rebuild the whole collection). The
/// result is the same value as before.
pub(crate) fn event_value(event: &Event) -> Dynamic {
    match event {
        Event::Json(value) => from_json(value),
        Event::Sqs(records) | Event::SqsUnreported(records) => {
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
fn number(n: u64) -> Dynamic {
    let mut buf = [0u8; 20];
    decimal(n, &mut buf).into()
}

/// A map from `(key, value)` pairs given in key order.
///
/// Why `Map::from` and not one `insert` per pair: `from` sorts the array
/// (already sorted: one comparison per key) and builds the tree in one
/// pass, where each `insert` searches the tree again.
fn sorted_map<const N: usize>(pairs: [(&str, Dynamic); N]) -> Dynamic {
    Dynamic::from_map(Map::from(pairs.map(|(k, v)| (k.into(), v))))
}

/// The keys of a record, in byte order (upper case sorts first).
const RECORD_KEYS: [&str; 7] = [
    "attributes",
    "body",
    "eventSource",
    "eventSourceARN",
    "messageAttributes",
    "messageId",
    "receiptHandle",
];

/// The keys of `attributes` on a standard queue, in byte order.
const ATTRIBUTE_KEYS: [&str; 4] = [
    "ApproximateFirstReceiveTimestamp",
    "ApproximateReceiveCount",
    "SenderId",
    "SentTimestamp",
];

/// The keys of `attributes` on a FIFO queue, in byte order.
const FIFO_ATTRIBUTE_KEYS: [&str; 7] = [
    "ApproximateFirstReceiveTimestamp",
    "ApproximateReceiveCount",
    "MessageDeduplicationId",
    "MessageGroupId",
    "SenderId",
    "SentTimestamp",
    "SequenceNumber",
];

/// Maps with every key of a record, valued `()`, to fill in.
///
/// Why templates: a record's maps always have the same keys. Cloning a
/// template copies its keys and tree in one pass, and the values are then
/// set in key order with no key comparison at all; building the same map
/// key by key (or sorting the pairs) was most of what a record cost.
struct Templates {
    record: Map,
    attributes: Map,
    fifo_attributes: Map,
}

impl Templates {
    fn new() -> Self {
        let template = |keys: &[&str]| keys.iter().map(|&k| (k.into(), Dynamic::UNIT)).collect();
        Self {
            record: template(&RECORD_KEYS),
            attributes: template(&ATTRIBUTE_KEYS),
            fifo_attributes: template(&FIFO_ATTRIBUTE_KEYS),
        }
    }
}

thread_local! {
    // Thread-locals because script values are `Rc`s (not `Sync`).
    static TEMPLATES: Templates = Templates::new();
    /// `eventSource`, the same text in every record: shared, not allocated
    /// per record.
    static EVENT_SOURCE: ImmutableString = ImmutableString::from("aws:sqs");
}

/// A copy of `template` with `values` set in key order (`values` must be
/// given in the order of the template's keys: see the `*_KEYS` lists).
fn filled<const N: usize>(template: &Map, values: [Dynamic; N]) -> Map {
    let mut map = template.clone();
    debug_assert_eq!(map.len(), N);
    for (slot, value) in map.values_mut().zip(values) {
        *slot = value;
    }
    map
}

fn record_value(record: &SqsRecord) -> Dynamic {
    let a = &record.attributes;
    let received = number(a.approximate_first_receive_timestamp_ms);
    let count = number(u64::from(a.approximate_receive_count));
    let sender = text(&a.sender_id);
    let sent = number(a.sent_timestamp_ms);
    // The FIFO-only attributes, by key.
    let fifo = [
        ("MessageDeduplicationId", &a.message_deduplication_id),
        ("MessageGroupId", &a.message_group_id),
        ("SequenceNumber", &a.sequence_number),
    ];
    let attributes = TEMPLATES.with(|t| {
        if fifo.iter().all(|(_, v)| v.is_none()) {
            return filled(&t.attributes, [received, count, sender, sent]);
        }
        let [dedup, group, sequence] = fifo.map(|(_, v)| v.as_deref().map_or(Dynamic::UNIT, text));
        let mut map = filled(
            &t.fifo_attributes,
            [received, count, dedup, group, sender, sent, sequence],
        );
        // One that is not set is absent, not `()`.
        for (key, value) in fifo {
            if value.is_none() {
                map.remove(key);
            }
        }
        map
    });
    let mut message_attributes = Map::new();
    for (name, attr) in &record.message_attributes {
        message_attributes.insert(
            name.as_str().into(),
            // Lambda's SQS event shape, list members included
            // (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html).
            sorted_map([
                ("binaryListValues", Dynamic::from_array(Vec::new())),
                ("dataType", text(&attr.data_type)),
                ("stringListValues", Dynamic::from_array(Vec::new())),
                ("stringValue", text(&attr.string_value)),
            ]),
        );
    }
    let values = [
        Dynamic::from_map(attributes),
        body_value(&record.body),
        EVENT_SOURCE.with(|s| s.clone().into()),
        text(&record.event_source_arn),
        Dynamic::from_map(message_attributes),
        text(&record.message_id),
        text(&record.receipt_handle),
    ];
    Dynamic::from_map(TEMPLATES.with(|t| filled(&t.record, values)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `filled` sets values by position, so each key list must be in the
    /// order of the map's keys (byte order).
    #[test]
    fn key_lists_are_in_map_order() {
        let lists: [&[&str]; 3] = [&RECORD_KEYS, &ATTRIBUTE_KEYS, &FIFO_ATTRIBUTE_KEYS];
        for keys in lists {
            let map: Map = keys.iter().map(|&k| (k.into(), Dynamic::UNIT)).collect();
            let in_map: Vec<&str> = map.keys().map(|k| k.as_str()).collect();
            assert_eq!(in_map, keys);
        }
    }
}
