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

/// A filter policy: key to conditions, and optionally `$or`, a list of
/// policies one of which must also match
/// (https://docs.aws.amazon.com/sns/latest/dg/and-or-logic.html).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FilterPolicy {
    /// Conditions per key (ordered, so evaluation order is fixed).
    pub keys: BTreeMap<String, Vec<Condition>>,
    /// `$or`: at least two policies; a message matches the whole policy
    /// when it matches `keys` and at least one of these.
    pub any_of: Vec<FilterPolicy>,
}

/// The key SNS reads as the OR operator.
pub const OR_KEY: &str = "$or";

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

    /// Checks the SNS limits: at most 5 keys per policy object (`$or`
    /// counts as one), at most 150 value combinations (a `$or` adds its
    /// branches' combinations, as LocalStack's `FilterPolicyValidator`
    /// computes them), every key with at least one condition, `$or` with at
    /// least two non-empty policies, sane numbers.
    pub fn validate(&self, component: &str) -> Result<(), SimError> {
        self.validate_object(component)?;
        let combinations = self.combinations();
        if combinations > aws::FILTER_POLICY_MAX_COMBINATIONS {
            return Err(SimError::FilterPolicyTooManyCombinations {
                combinations,
                max: aws::FILTER_POLICY_MAX_COMBINATIONS,
            });
        }
        Ok(())
    }

    /// The number of value combinations: the product of each key's number
    /// of conditions, times the sum of the `$or` branches' combinations.
    pub fn combinations(&self) -> usize {
        let keys = self
            .keys
            .values()
            .fold(1usize, |total, c| total.saturating_mul(c.len()));
        if self.any_of.is_empty() {
            return keys;
        }
        let branches = self
            .any_of
            .iter()
            .fold(0usize, |total, p| total.saturating_add(p.combinations()));
        keys.saturating_mul(branches)
    }

    fn validate_object(&self, component: &str) -> Result<(), SimError> {
        let keys = self.keys.len() + usize::from(!self.any_of.is_empty());
        if keys > aws::FILTER_POLICY_MAX_KEYS {
            return Err(SimError::FilterPolicyTooManyKeys {
                keys,
                max: aws::FILTER_POLICY_MAX_KEYS,
            });
        }
        let invalid = |reason: String| SimError::InvalidConfig {
            component: component.to_string(),
            field: "filter_policy",
            reason,
        };
        if self.any_of.len() == 1 {
            return Err(invalid(format!(
                "\"{OR_KEY}\" needs at least 2 policies to choose from; with one, move its keys up"
            )));
        }
        for branch in &self.any_of {
            if branch.keys.is_empty() && branch.any_of.is_empty() {
                return Err(invalid(format!("a policy in \"{OR_KEY}\" is empty")));
            }
            branch.validate_object(component)?;
        }
        for (key, conditions) in &self.keys {
            validate_key(key, conditions).map_err(invalid)?;
        }
        Ok(())
    }

    /// Whether a message with these attributes and body passes.
    pub fn matches(&self, scope: FilterScope, attributes: &Attributes, body: &str) -> bool {
        match scope {
            FilterScope::MessageAttributes => {
                self.holds_with(&|key, conditions| attribute_holds(conditions, attributes.get(key)))
            }
            FilterScope::MessageBody => {
                let Ok(json) = serde_json::from_str::<serde_json::Value>(body) else {
                    // SNS: a body that is not JSON matches no body policy.
                    return self.keys.is_empty() && self.any_of.is_empty();
                };
                self.holds_with(&|key, conditions| any_holds(conditions, &body_values(&json, key)))
            }
        }
    }

    /// AND across keys, and one `$or` branch when there is a `$or`.
    fn holds_with(&self, key_holds: &dyn Fn(&str, &[Condition]) -> bool) -> bool {
        self.keys.iter().all(|(key, c)| key_holds(key, c))
            && (self.any_of.is_empty() || self.any_of.iter().any(|p| p.holds_with(key_holds)))
    }
}

/// One key's conditions: a name, at least one condition, numbers SNS takes.
fn validate_key(key: &str, conditions: &[Condition]) -> Result<(), String> {
    if key.is_empty() {
        return Err("a key is empty".into());
    }
    if conditions.is_empty() {
        return Err(format!("key \"{key}\" has no condition"));
    }
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
                return Err(format!(
                    "key \"{key}\": {n} is not a number between -1e9 and 1e9"
                ));
            }
        }
        if let Condition::NumericRange {
            min: Some(lo),
            max: Some(hi),
            ..
        } = condition
        {
            if lo > hi {
                return Err(format!("key \"{key}\": range {lo}..{hi} is empty"));
            }
        }
    }
    Ok(())
}

/// One attribute against a key's conditions. A `String.Array` contributes
/// each element (SNS matches when any element matches); one that is not a
/// JSON array is present but matches no value condition.
fn attribute_holds(conditions: &[Condition], value: Option<&AttributeValue>) -> bool {
    match value {
        None => any_holds(conditions, &[]),
        Some(AttributeValue::String(s)) => any_holds(conditions, &[Value::Text(s)]),
        Some(AttributeValue::Number(n)) => {
            any_holds(conditions, &[Value::Number(parse_decimal(n))])
        }
        Some(AttributeValue::StringArray(text)) => {
            match serde_json::from_str::<serde_json::Value>(text) {
                Ok(serde_json::Value::Array(items)) => {
                    let values: Vec<Value<'_>> = items.iter().map(leaf).collect();
                    any_holds(conditions, &values)
                }
                _ => any_holds(conditions, &[Value::Other]),
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
    match node {
        serde_json::Value::Array(items) => items.iter().map(leaf).collect(),
        other => vec![leaf(other)],
    }
}

/// A JSON leaf as a filter sees it.
fn leaf(v: &serde_json::Value) -> Value<'_> {
    match v {
        serde_json::Value::String(s) => Value::Text(s),
        serde_json::Value::Number(n) => Value::Number(parse_decimal(&n.to_string())),
        _ => Value::Other,
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
