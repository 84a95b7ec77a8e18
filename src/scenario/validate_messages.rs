//! Parse-time checks of `[[clients.messages]]`: what SNS, SQS or Lambda
//! would refuse (sizes, attribute names and types, FIFO ids, per-message
//! delays) is refused here, with the field and what to change, before any
//! body is built (docs/scenarios.md, "Client messages").

use super::client_message::{attribute_value, json_value, MessageConfig};
use super::format::{ClientConfig, ScenarioFile, Target};
use super::limits::{MAX_BODY_JSON_DEPTH, MAX_WORKLOAD_MS};
use super::problem::Problem;
use crate::sim::attributes_size_bytes;
use crate::sim::{aws, AttributeValue};

/// What the client's target accepts.
struct Rules {
    /// `topic`, `queue` or `endpoint`.
    kind: &'static str,
    fifo: bool,
    content_dedup: bool,
    max_bytes: usize,
    /// Where `max_bytes` comes from, for the error.
    limit_source: &'static str,
}

fn rules(c: &ClientConfig, file: &ScenarioFile) -> Option<Rules> {
    Some(match &c.target {
        Target::Topic(name) => {
            let t = file.topics.iter().find(|t| &t.name == name)?;
            Rules {
                kind: "topic",
                fifo: t.fifo,
                content_dedup: t.content_based_deduplication,
                max_bytes: aws::SNS_MESSAGE_BYTES_MAX,
                limit_source: "SNS Publish: 256 KiB",
            }
        }
        Target::Queue(name) => {
            let q = file.queues.iter().find(|q| &q.name == name)?;
            Rules {
                kind: "queue",
                fifo: q.fifo,
                content_dedup: q.content_based_deduplication,
                max_bytes: q.max_message_bytes,
                limit_source: "the queue's max_message_bytes",
            }
        }
        Target::Endpoint(_) => Rules {
            kind: "endpoint",
            fifo: false,
            content_dedup: false,
            max_bytes: aws::LAMBDA_SYNC_PAYLOAD_BYTES_MAX,
            limit_source: "Lambda's synchronous payload: 6 MB",
        },
    })
}

/// Every problem of one client's messages, and the bytes they send (body
/// after padding plus attributes), for the scenario-wide budget.
pub fn check_messages(
    base: &str,
    c: &ClientConfig,
    file: &ScenarioFile,
    problems: &mut Vec<Problem>,
) -> u64 {
    let Some(messages) = &c.messages else {
        return 0;
    };
    let Some(rules) = rules(c, file) else {
        return 0; // The unknown target is already reported.
    };
    let mut total = 0u64;
    for (j, m) in messages.iter().enumerate() {
        let field = format!("{base}.messages[{j}]");
        if m.at_ms > MAX_WORKLOAD_MS {
            problems.push(Problem::new(
                format!("{field}.at_ms"),
                format!(
                    "{} is out of range: allowed 0 to {MAX_WORKLOAD_MS}",
                    m.at_ms
                ),
            ));
        }
        let bytes = check_body(&field, m, &rules, problems);
        total = total.saturating_add(bytes as u64);
        check_attributes(&field, m, &rules, problems);
        check_ids(&field, m, &rules, problems);
        check_delay(&field, m, &rules, problems);
    }
    total
}

/// Body, padding and size; returns the message's size in bytes.
fn check_body(field: &str, m: &MessageConfig, rules: &Rules, problems: &mut Vec<Problem>) -> usize {
    let mut push = |at: &str, message: String, fix: &str| {
        let mut p = Problem::new(format!("{field}{at}"), message);
        p.suggestion = Some(fix.to_string());
        problems.push(p);
    };
    if m.body.is_some() && m.json.is_some() {
        push(
            ".json",
            "a message has `body` (text) or `json` (a value), not both".into(),
            "keep one of them",
        );
        return 0;
    }
    if let Some(value) = &m.json {
        if deeper_than(value, MAX_BODY_JSON_DEPTH) {
            push(
                ".json",
                format!("the body nests deeper than {MAX_BODY_JSON_DEPTH} tables and arrays"),
                "flatten the body",
            );
            return 0;
        }
        if json_value(value).is_none() {
            push(
                ".json",
                "JSON cannot carry a date or a non-finite number".into(),
                "write dates as strings",
            );
            return 0;
        }
    }
    let unpadded = m.unpadded_body().map_or(0, |b| b.len());
    let pad = m.pad_to_bytes.unwrap_or(0);
    if m.pad_to_bytes.is_some() && pad < unpadded as u64 {
        push(
            ".pad_to_bytes",
            format!("the body is already {unpadded} bytes, more than pad_to_bytes = {pad}"),
            "raise pad_to_bytes or remove it",
        );
    }
    let body = usize::try_from(pad).unwrap_or(usize::MAX).max(unpadded);
    let size = body.saturating_add(attributes_size_bytes(&m.attribute_values()));
    if size > rules.max_bytes {
        push(
            if m.pad_to_bytes.is_some() { ".pad_to_bytes" } else { "" },
            format!(
                "the message is {size} bytes (body and attributes); the {} takes at most {} bytes ({})",
                rules.kind, rules.max_bytes, rules.limit_source
            ),
            "make the body or the attributes smaller",
        );
    }
    size
}

/// True when `value` nests more than `limit` tables and arrays; stops
/// looking at the limit, so a hostile value costs no deep recursion.
fn deeper_than(value: &toml::Value, limit: usize) -> bool {
    let children: Box<dyn Iterator<Item = &toml::Value>> = match value {
        toml::Value::Array(items) => Box::new(items.iter()),
        toml::Value::Table(table) => Box::new(table.values()),
        _ => return false,
    };
    if limit == 0 {
        return true;
    }
    children
        .into_iter()
        .any(|child| deeper_than(child, limit - 1))
}

fn check_attributes(field: &str, m: &MessageConfig, rules: &Rules, problems: &mut Vec<Problem>) {
    if m.attributes.is_empty() {
        return;
    }
    if rules.kind == "endpoint" {
        problems.push(not_for_endpoint(field, "attributes"));
        return;
    }
    if m.attributes.len() > aws::MESSAGE_ATTRIBUTES_MAX {
        let mut p = Problem::new(
            format!("{field}.attributes"),
            format!(
                "{} attributes; SNS and SQS take at most {} per message",
                m.attributes.len(),
                aws::MESSAGE_ATTRIBUTES_MAX
            ),
        );
        p.suggestion = Some("move the rest into the body".into());
        problems.push(p);
        return;
    }
    for (name, value) in &m.attributes {
        let at = format!("{field}.attributes.{name}");
        if let Err(reason) = attribute_name(name) {
            problems.push(Problem::new(at.clone(), reason));
        }
        let checked = attribute_value(value).and_then(|v| match &v {
            AttributeValue::String(s) if s.is_empty() => {
                Err("an attribute value cannot be empty".into())
            }
            AttributeValue::Number(text) => number_text(text),
            _ => Ok(()),
        });
        if let Err(reason) = checked {
            problems.push(Problem::new(at, reason));
        }
    }
}

/// SQS attribute names: 1 to 256 of `A-Z a-z 0-9 _ - .`, not starting with
/// `AWS.` or `Amazon.`, no leading, trailing or doubled period.
fn attribute_name(name: &str) -> Result<(), String> {
    let lower = name.to_ascii_lowercase();
    if name.is_empty() || name.len() > aws::ATTRIBUTE_NAME_CHARS_MAX {
        return Err(format!(
            "an attribute name has 1 to {} characters",
            aws::ATTRIBUTE_NAME_CHARS_MAX
        ));
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
    {
        return Err("an attribute name takes letters, digits, `_`, `-` and `.` only".into());
    }
    if lower.starts_with("aws.") || lower.starts_with("amazon.") {
        return Err("names starting with `AWS.` or `Amazon.` are reserved".into());
    }
    if name.starts_with('.') || name.ends_with('.') || name.contains("..") {
        return Err("an attribute name cannot start or end with `.` or hold `..`".into());
    }
    Ok(())
}

/// A `Number` as SQS takes it: a sign, digits, a fraction and an exponent
/// (at most 38 significant digits, exponent within -128 to 126).
fn number_text(text: &str) -> Result<(), String> {
    let bad = || {
        Err(format!(
            "`{text}` is not a number such as 12, -0.5 or 1.5e3"
        ))
    };
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (unsigned, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !digits(whole) || !digits(fraction) {
        return bad();
    }
    let significant = format!("{whole}{fraction}");
    let significant = significant.trim_start_matches('0').trim_end_matches('0');
    if significant.len() > aws::ATTRIBUTE_NUMBER_DIGITS_MAX {
        return Err(format!(
            "`{text}` has more than {} significant digits",
            aws::ATTRIBUTE_NUMBER_DIGITS_MAX
        ));
    }
    if let Some(e) = exponent {
        let e_digits = e.strip_prefix(['-', '+']).unwrap_or(e);
        if e_digits.is_empty() || e_digits.len() > 4 || !digits(e_digits) {
            return bad();
        }
        let value: i32 = e.parse().unwrap_or(i32::MAX);
        if !(-128..=126).contains(&value) {
            return Err(format!(
                "`{text}`: a Number lies between 10^-128 and 10^126"
            ));
        }
    }
    Ok(())
}

fn check_ids(field: &str, m: &MessageConfig, rules: &Rules, problems: &mut Vec<Problem>) {
    let ids = [("group_id", &m.group_id), ("dedup_id", &m.dedup_id)];
    if rules.kind == "endpoint" {
        for (name, id) in ids {
            if id.is_some() {
                problems.push(not_for_endpoint(field, name));
            }
        }
        return;
    }
    for (name, id) in ids {
        if let Some(Err(reason)) = id.as_deref().map(message_id) {
            problems.push(Problem::new(format!("{field}.{name}"), reason));
        }
    }
    let mut need = |name: &str, fix: &str, message: String| {
        let mut p = Problem::new(format!("{field}.{name}"), message);
        p.suggestion = Some(fix.to_string());
        problems.push(p);
    };
    if !rules.fifo {
        if m.dedup_id.is_some() {
            need(
                "dedup_id",
                "remove it, or target a FIFO queue or topic",
                format!(
                    "a deduplication id applies only to FIFO targets; this {} is standard",
                    rules.kind
                ),
            );
        }
        return;
    }
    if m.group_id.is_none() {
        need(
            "group_id",
            "add `group_id = \"...\"`",
            format!(
                "a FIFO {} needs a message group id on every message",
                rules.kind
            ),
        );
    }
    if m.dedup_id.is_none() && !rules.content_dedup {
        need(
            "dedup_id",
            "add `dedup_id = \"...\"`, or turn on content_based_deduplication",
            format!("this FIFO {} has no content-based deduplication, so every message needs a deduplication id", rules.kind),
        );
    }
}

/// `MessageGroupId` / `MessageDeduplicationId`: 1 to 128 characters,
/// letters, digits and ASCII punctuation.
fn message_id(id: &str) -> Result<(), String> {
    if id.is_empty() || id.len() > aws::MESSAGE_ID_CHARS_MAX {
        return Err(format!(
            "an id has 1 to {} characters",
            aws::MESSAGE_ID_CHARS_MAX
        ));
    }
    if !id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b.is_ascii_punctuation())
    {
        return Err("an id takes letters, digits and ASCII punctuation only (no spaces)".into());
    }
    Ok(())
}

fn check_delay(field: &str, m: &MessageConfig, rules: &Rules, problems: &mut Vec<Problem>) {
    let Some(delay) = m.delay_seconds else {
        return;
    };
    let at = format!("{field}.delay_seconds");
    let refuse = |message: String, fix: &str| {
        let mut p = Problem::new(at.clone(), message);
        p.suggestion = Some(fix.to_string());
        p
    };
    if rules.kind != "queue" {
        problems.push(refuse(
            format!(
                "a per-message delay is SQS's DelaySeconds; a {} has none",
                rules.kind
            ),
            "remove it, or send to a standard queue",
        ));
    } else if rules.fifo && delay > 0 {
        problems.push(refuse(
            "FIFO queues refuse a per-message DelaySeconds other than 0; only the queue's own delay applies"
                .into(),
            "remove it and set the queue's delay_ms instead",
        ));
    } else if delay > aws::MESSAGE_DELAY_SECONDS_MAX {
        problems.push(refuse(
            format!(
                "{delay} is out of range: allowed 0 to {} seconds",
                aws::MESSAGE_DELAY_SECONDS_MAX
            ),
            "use at most 900 (15 minutes)",
        ));
    }
}

fn not_for_endpoint(field: &str, name: &str) -> Problem {
    let mut p = Problem::new(
        format!("{field}.{name}"),
        format!("`{name}` applies to topic and queue targets; an endpoint gets only the body"),
    );
    p.suggestion = Some("remove it, or target a topic or queue".into());
    p
}
