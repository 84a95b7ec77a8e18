//! SNS subscription filter policies.
//!
//! A policy maps up to 5 keys to lists of conditions. A message matches when,
//! for every key, at least one of that key's conditions holds (AND across
//! keys, OR within a key). String matching is case-sensitive. The policy looks
//! at the message attributes by default, or at the top-level (or dotted
//! nested) fields of a JSON body when the subscription's scope is the body.
//!
//! Numbers are compared as fixed-point decimals with 5 fractional digits, the
//! precision SNS documents, so no float comparison can differ by platform.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::sim::aws;
use crate::sim::broker::message::{AttributeValue, Attributes};
use crate::sim::error::SimError;

/// What a filter policy looks at.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FilterScope {
    /// Message attributes (the SNS default).
    #[default]
    MessageAttributes,
    /// The JSON body.
    MessageBody,
}

/// One condition on one key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// The string value equals this exactly (case-sensitive).
    Exact(String),
    /// The string value starts with this (case-sensitive).
    Prefix(String),
    /// The numeric value equals this.
    NumericEquals(f64),
    /// The numeric value lies in this range (each bound optional).
    NumericRange {
        /// Lower bound.
        #[serde(default)]
        min: Option<f64>,
        /// Whether the lower bound itself matches.
        #[serde(default = "yes")]
        min_inclusive: bool,
        /// Upper bound.
        #[serde(default)]
        max: Option<f64>,
        /// Whether the upper bound itself matches.
        #[serde(default = "yes")]
        max_inclusive: bool,
    },
    /// The key is present (`true`) or absent (`false`).
    Exists(bool),
    /// The string value ends with this (case-sensitive).
    Suffix(String),
    /// The string value equals this, ignoring case.
    EqualsIgnoreCase(String),
    /// The key is present and its value is none of these (one text or a
    /// list; a number's value is never one of these texts).
    AnythingBut(OneOrMany),
}

/// `anything_but = "x"` or `anything_but = ["x", "y"]`, as SNS takes both.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    /// One value.
    One(String),
    /// A list.
    Many(Vec<String>),
}

impl OneOrMany {
    fn contains(&self, text: &str) -> bool {
        match self {
            OneOrMany::One(one) => one == text,
            OneOrMany::Many(many) => many.iter().any(|m| m == text),
        }
    }
}

fn yes() -> bool {
    true
}

/// A filter policy: key to conditions.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FilterPolicy {
    /// Conditions per key (ordered, so evaluation order is fixed).
    pub keys: BTreeMap<String, Vec<Condition>>,
}

/// SNS accepts numbers between -1e9 and 1e9.
const NUMBER_BOUND: i128 = 1_000_000_000 * SCALE;
/// Five decimal places.
const SCALE: i128 = 100_000;

impl FilterPolicy {
    /// An empty policy (matches everything).
    pub fn new() -> Self {
        FilterPolicy::default()
    }

    /// Adds a condition on `key`.
    pub fn with(mut self, key: impl Into<String>, condition: Condition) -> Self {
        self.keys.entry(key.into()).or_default().push(condition);
        self
    }

    /// Checks the SNS limits: at most 5 keys, at most 150 value
    /// combinations, every key with at least one condition, sane numbers.
    pub fn validate(&self, component: &str) -> Result<(), SimError> {
        if self.keys.len() > aws::FILTER_POLICY_MAX_KEYS {
            return Err(SimError::FilterPolicyTooManyKeys {
                keys: self.keys.len(),
                max: aws::FILTER_POLICY_MAX_KEYS,
            });
        }
        let mut combinations: usize = 1;
        for (key, conditions) in &self.keys {
            let invalid = |reason: String| SimError::InvalidConfig {
                component: component.to_string(),
                field: "filter_policy",
                reason,
            };
            if key.is_empty() {
                return Err(invalid("a key is empty".into()));
            }
            if conditions.is_empty() {
                return Err(invalid(format!("key \"{key}\" has no condition")));
            }
            combinations = combinations.saturating_mul(conditions.len());
            for condition in conditions {
                let numbers: Vec<f64> = match condition {
                    Condition::NumericEquals(v) => vec![*v],
                    Condition::NumericRange { min, max, .. } => {
                        min.iter().chain(max.iter()).copied().collect()
                    }
                    _ => Vec::new(),
                };
                for n in numbers {
                    if to_fixed(n).is_none() {
                        return Err(invalid(format!(
                            "key \"{key}\": {n} is not a number between -1e9 and 1e9"
                        )));
                    }
                }
                if let Condition::NumericRange {
                    min: Some(lo),
                    max: Some(hi),
                    ..
                } = condition
                {
                    if lo > hi {
                        return Err(invalid(format!("key \"{key}\": range {lo}..{hi} is empty")));
                    }
                }
            }
        }
        if combinations > aws::FILTER_POLICY_MAX_COMBINATIONS {
            return Err(SimError::FilterPolicyTooManyCombinations {
                combinations,
                max: aws::FILTER_POLICY_MAX_COMBINATIONS,
            });
        }
        Ok(())
    }

    /// Whether a message with these attributes and body passes.
    pub fn matches(&self, scope: FilterScope, attributes: &Attributes, body: &str) -> bool {
        match scope {
            FilterScope::MessageAttributes => self.keys.iter().all(|(key, conditions)| {
                let value = attributes.get(key).map(|v| match v {
                    AttributeValue::String(s) => Value::Text(s),
                    AttributeValue::Number(n) => Value::Number(parse_decimal(n)),
                });
                let values: &[Value<'_>] = match &value {
                    Some(v) => std::slice::from_ref(v),
                    None => &[],
                };
                any_holds(conditions, values)
            }),
            FilterScope::MessageBody => {
                let Ok(json) = serde_json::from_str::<serde_json::Value>(body) else {
                    // SNS: a body that is not JSON matches no body policy.
                    return self.keys.is_empty();
                };
                self.keys.iter().all(|(key, conditions)| {
                    let values = body_values(&json, key);
                    any_holds(conditions, &values)
                })
            }
        }
    }
}

/// A value found under a key: text, or a number (`None` if unparseable).
enum Value<'a> {
    Text(&'a str),
    Number(Option<i128>),
    Other,
}

/// Values under a dotted key path of a JSON document; arrays contribute each
/// element (SNS matches if any element matches).
fn body_values<'a>(json: &'a serde_json::Value, key: &str) -> Vec<Value<'a>> {
    let mut node = json;
    for part in key.split('.') {
        match node.get(part) {
            Some(next) => node = next,
            None => return Vec::new(),
        }
    }
    let leaf = |v: &'a serde_json::Value| match v {
        serde_json::Value::String(s) => Value::Text(s),
        serde_json::Value::Number(n) => Value::Number(parse_decimal(&n.to_string())),
        _ => Value::Other,
    };
    match node {
        serde_json::Value::Array(items) => items.iter().map(leaf).collect(),
        other => vec![leaf(other)],
    }
}

fn any_holds(conditions: &[Condition], values: &[Value<'_>]) -> bool {
    conditions.iter().any(|condition| match condition {
        Condition::Exists(wanted) => *wanted != values.is_empty(),
        _ => values.iter().any(|value| holds(condition, value)),
    })
}

fn holds(condition: &Condition, value: &Value<'_>) -> bool {
    match (condition, value) {
        (Condition::Exact(expected), Value::Text(text)) => text == expected,
        (Condition::Prefix(prefix), Value::Text(text)) => text.starts_with(prefix.as_str()),
        (Condition::Suffix(suffix), Value::Text(text)) => text.ends_with(suffix.as_str()),
        (Condition::EqualsIgnoreCase(expected), Value::Text(text)) => {
            text.eq_ignore_ascii_case(expected) || text.to_lowercase() == expected.to_lowercase()
        }
        (Condition::AnythingBut(excluded), Value::Text(text)) => !excluded.contains(text),
        (Condition::AnythingBut(_), Value::Number(_)) => true,
        (Condition::NumericEquals(expected), Value::Number(Some(n))) => {
            to_fixed(*expected) == Some(*n)
        }
        (
            Condition::NumericRange {
                min,
                min_inclusive,
                max,
                max_inclusive,
            },
            Value::Number(Some(n)),
        ) => {
            let above = match min.and_then(to_fixed) {
                Some(lo) if *min_inclusive => *n >= lo,
                Some(lo) => *n > lo,
                None => true,
            };
            let below = match max.and_then(to_fixed) {
                Some(hi) if *max_inclusive => *n <= hi,
                Some(hi) => *n < hi,
                None => true,
            };
            above && below
        }
        _ => false,
    }
}

/// A policy bound as fixed point. `f64 * 1e5` and `round` are exact IEEE
/// operations, identical on every platform.
fn to_fixed(value: f64) -> Option<i128> {
    if !value.is_finite() {
        return None;
    }
    let scaled = (value * SCALE as f64).round();
    if scaled.abs() > NUMBER_BOUND as f64 {
        return None;
    }
    Some(scaled as i128)
}

/// Parses `-12.345` style decimal text (no exponent) into fixed point with 5
/// fractional digits (extra digits are cut off). `None` if it is not a plain
/// decimal or lies outside ±1e9.
pub(crate) fn parse_decimal(text: &str) -> Option<i128> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, f),
        None => (digits, ""),
    };
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    if !whole.bytes().all(|b| b.is_ascii_digit()) || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if whole.len() > 10 {
        return None;
    }
    let mut value: i128 = 0;
    for b in whole.bytes() {
        value = value * 10 + i128::from(b - b'0');
    }
    value *= SCALE;
    let mut unit = SCALE / 10;
    for b in fraction.bytes().take(5) {
        value += i128::from(b - b'0') * unit;
        unit /= 10;
    }
    if value > NUMBER_BOUND {
        return None;
    }
    Some(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_parse_to_fixed_point() {
        assert_eq!(parse_decimal("12"), Some(1_200_000));
        assert_eq!(parse_decimal("-0.5"), Some(-50_000));
        assert_eq!(parse_decimal("3.1415926"), Some(314_159));
        assert_eq!(parse_decimal("1e3"), None);
        assert_eq!(parse_decimal("abc"), None);
        assert_eq!(parse_decimal("2000000000"), None);
    }
}
