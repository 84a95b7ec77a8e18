//! `[[clients.messages]]`: the messages a `kind = "messages"` client sends,
//! each of the author's choosing: a text or JSON body (padded to a size if
//! asked), String, Number and String.Array attributes, FIFO group and
//! deduplication ids and a per-message delay (docs/scenarios.md, "Client
//! messages"). Turned into the engine's calls only after
//! `validate_message` accepted every field, so nothing here allocates more
//! than the validated sizes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::sim::{aws, AttributeValue, Attributes, ClientCall};

/// One `[[clients.messages]]` entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageConfig {
    /// When it leaves, ms after the client's `start_ms` (default 0).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub at_ms: u64,
    /// A body sent as it is written (plain text, or JSON text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// A body written as a TOML value and sent as its JSON text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json: Option<toml::Value>,
    /// Pads the body with trailing spaces to exactly this many bytes (a
    /// JSON body stays valid JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pad_to_bytes: Option<u64>,
    /// Message attributes: a string is `String`, a number `Number`, an
    /// array `String.Array`; `{ number = "12.50" }` keeps a number's text.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, toml::Value>,
    /// `MessageGroupId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    /// `MessageDeduplicationId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dedup_id: Option<String>,
    /// SQS `DelaySeconds` (standard queues only), 0 to 900.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_seconds: Option<u64>,
}

fn is_zero(value: &u64) -> bool {
    *value == 0
}

impl MessageConfig {
    /// The body's text before padding (empty when neither `body` nor
    /// `json` is set). `None` when `json` holds what JSON cannot carry.
    pub fn unpadded_body(&self) -> Option<String> {
        match (&self.body, &self.json) {
            (Some(text), _) => Some(text.clone()),
            (None, Some(value)) => json_value(value).map(|v| v.to_string()),
            (None, None) => Some(String::new()),
        }
    }

    /// The body as sent: padded with spaces to `pad_to_bytes`.
    pub fn body_text(&self) -> String {
        let mut text = self.unpadded_body().unwrap_or_default();
        // Validation refuses more; the cap keeps an unvalidated file (built
        // in code) from asking for an unbounded allocation.
        let wanted = usize::try_from(self.pad_to_bytes.unwrap_or(0))
            .unwrap_or(usize::MAX)
            .min(aws::LAMBDA_SYNC_PAYLOAD_BYTES_MAX);
        if wanted > text.len() {
            text.push_str(&" ".repeat(wanted - text.len()));
        }
        text
    }

    /// The attributes as the engine types them (each already validated).
    pub fn attribute_values(&self) -> Attributes {
        self.attributes
            .iter()
            .filter_map(|(name, value)| Some((name.clone(), attribute_value(value).ok()?)))
            .collect()
    }

    /// This message as a call of a client that started at `start_ms`.
    pub fn call(&self, start_ms: u64, chain: u64) -> ClientCall {
        ClientCall {
            at_ms: start_ms.saturating_add(self.at_ms),
            body: self.body_text(),
            attributes: self.attribute_values(),
            group_id: self.group_id.clone(),
            dedup_id: self.dedup_id.clone(),
            delay_ms: self.delay_seconds.map(|s| s.saturating_mul(1000)),
            chain,
        }
    }
}

/// A TOML value as JSON; `None` for a datetime or a float JSON cannot hold.
pub fn json_value(value: &toml::Value) -> Option<serde_json::Value> {
    Some(match value {
        toml::Value::String(s) => serde_json::Value::String(s.clone()),
        toml::Value::Integer(i) => serde_json::Value::from(*i),
        toml::Value::Float(f) => serde_json::Value::Number(serde_json::Number::from_f64(*f)?),
        toml::Value::Boolean(b) => serde_json::Value::Bool(*b),
        toml::Value::Datetime(_) => return None,
        toml::Value::Array(items) => {
            serde_json::Value::Array(items.iter().map(json_value).collect::<Option<_>>()?)
        }
        toml::Value::Table(table) => serde_json::Value::Object(
            table
                .iter()
                .map(|(k, v)| Some((k.clone(), json_value(v)?)))
                .collect::<Option<_>>()?,
        ),
    })
}

/// The explicit forms: `{ string = "..." }`, `{ number = "..." }`,
/// `{ string_array = [...] }`.
pub const TYPED_FORMS: [&str; 3] = ["string", "number", "string_array"];

/// A written attribute as SNS/SQS type it, or why it cannot be one.
pub fn attribute_value(value: &toml::Value) -> Result<AttributeValue, String> {
    match value {
        toml::Value::String(s) => Ok(AttributeValue::String(s.clone())),
        toml::Value::Integer(i) => Ok(AttributeValue::Number(i.to_string())),
        toml::Value::Float(f) if f.is_finite() => Ok(AttributeValue::Number(f.to_string())),
        toml::Value::Float(_) => Err("a Number must be finite".into()),
        toml::Value::Array(items) => array_text(items).map(AttributeValue::StringArray),
        toml::Value::Table(table) => typed(table),
        toml::Value::Boolean(_) => Err(
            "SNS and SQS attributes have no boolean type: write it as a string (\"true\") or in an array ([true])"
                .into(),
        ),
        toml::Value::Datetime(_) => Err("a date is not an attribute type: write it as a string".into()),
    }
}

fn typed(table: &toml::Table) -> Result<AttributeValue, String> {
    let forms = TYPED_FORMS.join("`, `");
    let mut entries = table.iter();
    let (Some((kind, value)), None) = (entries.next(), entries.next()) else {
        return Err(format!("write exactly one of `{forms}`"));
    };
    match (kind.as_str(), value) {
        ("string", toml::Value::String(s)) => Ok(AttributeValue::String(s.clone())),
        ("number", toml::Value::String(s)) => Ok(AttributeValue::Number(s.clone())),
        ("number", toml::Value::Integer(_) | toml::Value::Float(_)) => attribute_value(value),
        ("string_array", toml::Value::Array(items)) => {
            array_text(items).map(AttributeValue::StringArray)
        }
        ("string" | "number" | "string_array", _) => {
            Err(format!("`{kind}` holds the wrong kind of value"))
        }
        _ => Err(format!(
            "`{kind}` is not an attribute type; use one of `{forms}`"
        )),
    }
}

/// A String.Array's JSON text: strings, numbers, booleans (AWS also takes
/// null, which TOML cannot write).
fn array_text(items: &[toml::Value]) -> Result<String, String> {
    let mut values = Vec::with_capacity(items.len());
    for item in items {
        match item {
            toml::Value::String(_)
            | toml::Value::Integer(_)
            | toml::Value::Float(_)
            | toml::Value::Boolean(_) => {
                values.push(json_value(item).ok_or("a String.Array number must be finite")?)
            }
            _ => return Err(
                "a String.Array holds strings, numbers and booleans, not tables, arrays or dates"
                    .into(),
            ),
        }
    }
    Ok(serde_json::Value::Array(values).to_string())
}
