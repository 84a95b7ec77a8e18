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
use crate::sim::timestamp::iso8601_ms;

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
pub fn envelope_body(topic: &str, subscription: &str, message: &TopicMessage) -> String {
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
