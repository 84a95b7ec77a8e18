//! The SNS JSON envelope: what an SQS subscription without raw message
//! delivery receives as its body (docs/scenarios.md, "Topics").
//!
//! AWS: "By default, Amazon SNS wraps the message in a JSON document"
//! (https://docs.aws.amazon.com/sns/latest/dg/sns-large-payload-raw-message-delivery.html);
//! the fields are those of an HTTP/S notification
//! (https://docs.aws.amazon.com/sns/latest/dg/http-notification-json.html).
//! The message attributes travel inside the envelope, not as SQS message
//! attributes.

use serde_json::{json, Map, Value};

use crate::sim::broker::message::{AttributeValue, Attributes};
use crate::sim::broker::topic::TopicMessage;
use crate::sim::timestamp::{write_decimal, write_iso8601_ms};

/// The ARN of a topic in the simulated account and region.
pub fn topic_arn(topic: &str) -> String {
    format!("arn:aws:sns:sim:000000000000:{topic}")
}

/// Attributes as SNS writes them in an envelope or an SNS event:
/// `{"name": {"Type": "String", "Value": "..."}}`.
pub fn attributes_json(attributes: &Attributes) -> Map<String, Value> {
    attributes
        .iter()
        .map(|(name, value)| {
            (
                name.clone(),
                json!({ "Type": value.data_type(), "Value": value.text() }),
            )
        })
        .collect()
}

/// The envelope of `message` published to `topic`, delivered through
/// `subscription`, as JSON text. FIFO topics add `SequenceNumber`.
///
/// Written field by field rather than through a `serde_json::Map`: every
/// delivery to a queue builds one, and the map's keys, values and sorting
/// were most of the broker's time (docs/performance.md). The text is the
/// map's to the byte: keys in the same (sorted) order, strings escaped as
/// serde_json escapes them; a test compares the two. The fields that never
/// change are written as one literal.
pub fn envelope_body(topic: &str, subscription: &str, message: &TopicMessage) -> String {
    let body: &str = &message.payload.body;
    let mut out = Vec::with_capacity(body.len() + 400 + 2 * topic.len() + subscription.len());
    out.extend_from_slice(b"{\"Message\":\"");
    contents(&mut out, body);
    out.push(b'"');
    if !message.payload.attributes.is_empty() {
        out.extend_from_slice(b",\"MessageAttributes\":");
        attributes_text(&mut out, &message.payload.attributes);
    }
    out.extend_from_slice(b",\"MessageId\":\"m");
    write_decimal(&mut out, message.message_id.0, 1);
    out.push(b'"');
    if message.group_id.is_some() {
        out.extend_from_slice(b",\"SequenceNumber\":\"");
        write_decimal(&mut out, message.message_id.0, 20);
        out.push(b'"');
    }
    out.extend_from_slice(FIXED_FIELDS.as_bytes());
    write_iso8601_ms(&mut out, message.published_at_ms);
    out.extend_from_slice(b"\",\"TopicArn\":\"");
    arn_contents(&mut out, topic);
    out.extend_from_slice(b"\",\"Type\":\"Notification\",\"UnsubscribeURL\":\"");
    out.extend_from_slice(UNSUBSCRIBE_URL.as_bytes());
    arn_contents(&mut out, topic);
    out.push(b':');
    contents(&mut out, subscription);
    out.extend_from_slice(b"\"}");
    // Only UTF-8 was written: `str`s, ASCII and serde_json's escapes.
    String::from_utf8(out).unwrap_or_default()
}

/// The fields between `MessageId`/`SequenceNumber` and the timestamp's
/// value, always the same (in key order, escaped: no character needs it).
const FIXED_FIELDS: &str = concat!(
    r#","Signature":"SIMULATED","SignatureVersion":"1","#,
    r#""SigningCertURL":"https://sns.sim.amazonaws.com/SimpleNotificationService-sim.pem","#,
    r#""Timestamp":""#
);

const UNSUBSCRIBE_URL: &str = "https://sns.sim.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=";

/// [`topic_arn`]'s text, inside a JSON string.
fn arn_contents(out: &mut Vec<u8>, topic: &str) {
    out.extend_from_slice(b"arn:aws:sns:sim:000000000000:");
    contents(out, topic);
}

/// `"name":`, after a comma unless it is the object's first.
fn key(out: &mut Vec<u8>, name: &str) {
    if out.last() != Some(&b'{') {
        out.push(b',');
    }
    out.push(b'"');
    contents(out, name);
    out.extend_from_slice(b"\":");
}

/// `"name":"value"`.
fn field(out: &mut Vec<u8>, name: &str, value: &str) {
    key(out, name);
    out.push(b'"');
    contents(out, value);
    out.push(b'"');
}

/// `text` inside a JSON string, escaped as serde_json escapes it.
///
/// Why the scan first: most texts (names, ids, plain bodies) need no
/// escape and are copied in one go; serde_json is asked only for one that
/// does, so its rules (control characters, `"` and `\\`; nothing else) stay
/// the only ones.
fn contents(out: &mut Vec<u8>, text: &str) {
    let plain = text.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\');
    if plain {
        out.extend_from_slice(text.as_bytes());
        return;
    }
    let start = out.len();
    // Writing a `str` to a `Vec` cannot fail.
    let _ = serde_json::to_writer(&mut *out, text);
    // Drop the quotes serde_json put around it.
    out.remove(start);
    out.pop();
}

/// Attributes as [`attributes_json`] writes them, by name (a `BTreeMap`
/// iterates in the order serde_json's map sorts).
fn attributes_text(out: &mut Vec<u8>, attributes: &Attributes) {
    out.push(b'{');
    for (name, value) in attributes {
        key(out, name);
        out.push(b'{');
        field(out, "Type", value.data_type());
        field(out, "Value", value.text());
        out.push(b'}');
    }
    out.push(b'}');
}

impl AttributeValue {
    /// The SNS/SQS data type: `String`, `Number` or `String.Array`.
    pub fn data_type(&self) -> &'static str {
        match self {
            AttributeValue::String(_) => "String",
            AttributeValue::Number(_) => "Number",
            AttributeValue::StringArray(_) => "String.Array",
        }
    }

    /// The value as text (a number's decimal text).
    pub fn text(&self) -> &str {
        match self {
            AttributeValue::String(s)
            | AttributeValue::Number(s)
            | AttributeValue::StringArray(s) => s,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::{Map, Value};

    use super::*;
    use crate::sim::broker::message::{AttributeValue, Payload};
    use crate::sim::name::Name;
    use crate::sim::timestamp::iso8601_ms;
    use crate::sim::trace::MessageId;

    /// The envelope as it was first written, through a `serde_json::Map`.
    fn envelope_by_map(topic: &str, subscription: &str, message: &TopicMessage) -> String {
        let arn = topic_arn(topic);
        let mut envelope = Map::new();
        envelope.insert("Type".into(), "Notification".into());
        envelope.insert("MessageId".into(), message.message_id.to_string().into());
        if message.group_id.is_some() {
            envelope.insert(
                "SequenceNumber".into(),
                format!("{:020}", message.message_id.0).into(),
            );
        }
        envelope.insert("TopicArn".into(), arn.clone().into());
        envelope.insert("Message".into(), (*message.payload.body).into());
        envelope.insert(
            "Timestamp".into(),
            iso8601_ms(message.published_at_ms).into(),
        );
        envelope.insert("SignatureVersion".into(), "1".into());
        envelope.insert("Signature".into(), "SIMULATED".into());
        envelope.insert(
            "SigningCertURL".into(),
            "https://sns.sim.amazonaws.com/SimpleNotificationService-sim.pem".into(),
        );
        envelope.insert(
            "UnsubscribeURL".into(),
            format!("https://sns.sim.amazonaws.com/?Action=Unsubscribe&SubscriptionArn={arn}:{subscription}")
                .into(),
        );
        if !message.payload.attributes.is_empty() {
            envelope.insert(
                "MessageAttributes".into(),
                Value::Object(attributes_json(&message.payload.attributes)),
            );
        }
        Value::Object(envelope).to_string()
    }

    fn message(body: &str, attributes: &[(&str, AttributeValue)], fifo: bool) -> TopicMessage {
        TopicMessage {
            message_id: MessageId(7),
            payload: Payload {
                body: Arc::from(body),
                attributes: Arc::new(
                    attributes
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.clone()))
                        .collect(),
                ),
            },
            group_id: fifo.then(|| Name::from("g")),
            dedup_id: None,
            published_at_ms: 1_234_567,
        }
    }

    #[test]
    fn the_envelope_is_the_maps_text_to_the_byte() {
        let attributes = [
            ("zeta", AttributeValue::String("last \"quoted\"".into())),
            ("Amount", AttributeValue::Number("12.50".into())),
            ("tags", AttributeValue::StringArray("[\"a\",\"b\"]".into())),
            (
                "a.b-c_d",
                AttributeValue::String("line\nbreak\t\u{1}é😀".into()),
            ),
        ];
        let bodies = [
            "",
            "plain",
            "{\"doc\":\"doc-1\",\"version\":\"v1.2\"}",
            "\\ \" \u{7f} \u{2028} ü",
        ];
        for body in bodies {
            for fifo in [false, true] {
                for attrs in [&attributes[..0], &attributes[..1], &attributes[..]] {
                    let m = message(body, attrs, fifo);
                    assert_eq!(
                        envelope_body("orders.fifo", "to-billing", &m),
                        envelope_by_map("orders.fifo", "to-billing", &m),
                        "body {body:?}, fifo {fifo}, {} attributes",
                        attrs.len()
                    );
                }
            }
        }
    }
}
