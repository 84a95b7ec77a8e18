//! Declarative checks evaluated on a finished run. Each reads only the
//! trace, the snapshot and the store, and explains a failure: what was
//! expected, what happened, when (virtual ms) and to which message.

use serde::Serialize;

use super::check_saves::every_save_applied;
use super::format::{bounds_text, kind_name, CheckConfig, CheckKind, ClientConfig};
use super::metric_registry::metric_names;
use super::metric_samples::samples_behind;
use super::metrics::Metrics;
use super::outcome::RunOutcome;
use crate::sim::{ActorId, TraceEvent, TraceKind};

/// The verdict of one check on one run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckResult {
    /// The check's name.
    pub name: String,
    /// Whether it held.
    pub ok: bool,
    /// What was found; on failure, what was expected instead and where.
    pub detail: String,
}

/// Evaluates one check.
pub fn evaluate(
    check: &CheckConfig,
    outcome: &RunOutcome,
    metrics: &Metrics,
    clients: &[ClientConfig],
) -> CheckResult {
    let name = check.display_name();
    if let Some(error) = &outcome.error {
        return CheckResult {
            name,
            ok: false,
            detail: format!("the run did not finish, so nothing can be checked: {error}"),
        };
    }
    let (ok, detail) = match check.kind {
        CheckKind::FinalValue => final_value(check, outcome),
        CheckKind::NoStaleOverwrite => no_stale_overwrite(outcome),
        CheckKind::NoMessageLost => no_message_lost(&outcome.trace),
        CheckKind::Metric => metric(check, outcome, metrics),
        CheckKind::TraceCount => trace_count(check, &outcome.trace),
        CheckKind::EverySaveApplied => every_save_applied(check, outcome, clients),
    };
    CheckResult { name, ok, detail }
}

fn final_value(check: &CheckConfig, outcome: &RunOutcome) -> (bool, String) {
    let key = check.key.as_deref().unwrap_or_default();
    let expected = check.equals.as_deref().unwrap_or_default();
    let Some(store) = outcome.snapshot.as_ref().map(|s| &s.store) else {
        return (
            false,
            format!("expected {key} to be {expected}, but the run has no final snapshot"),
        );
    };
    let Some(item) = store.item(key) else {
        return (
            false,
            format!("expected {key} to be {expected}, but nothing was stored under {key}"),
        );
    };
    let value = match &item.value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let version = item.effective_version.clone();
    let shown = version.clone().unwrap_or_else(|| value.clone());
    let matches = version.as_deref() == Some(expected) || value == expected;
    let last = store.history.iter().rev().find(|w| w.key == key);
    let by = last
        .map(|w| format!("by {} at {} ms", w.writer, w.time_ms))
        .unwrap_or_else(|| "no write recorded".into());
    let detail = if matches {
        format!("{key} is {shown}, written {by}")
    } else {
        format!("expected {key} to be {expected}, but it is {shown}: the last write was {by}")
    };
    (matches, detail)
}

fn no_stale_overwrite(outcome: &RunOutcome) -> (bool, String) {
    let Some(store) = outcome.snapshot.as_ref().map(|s| &s.store) else {
        return (
            false,
            "expected no stale overwrite, but the run has no final snapshot".into(),
        );
    };
    match store.stale_overwrites.first() {
        None => (true, "no write replaced a newer version with an older one".into()),
        Some(first) => (
            false,
            format!(
                "expected no write to replace a newer version with an older one, but {} did; first: {} at {} ms wrote {} of {} over {}",
                store.stale_overwrites.len(),
                first.writer,
                first.time_ms,
                first.written,
                first.key,
                first.replaced
            ),
        ),
    }
}

/// Why a trace event means a message was lost, if it does. Asked of every
/// event of every seed of a check, so the kind decides before any text is
/// made.
fn loss(e: &TraceEvent) -> Option<String> {
    let at = e.time_ms;
    match e.kind {
        TraceKind::Expired => Some(format!(
            "{} expired in {} at {at} ms{}",
            message_of(e),
            place_of(e),
            why_of(e)
        )),
        TraceKind::Dropped => Some(format!(
            "{} was dropped by {} at {at} ms{}",
            message_of(e),
            place_of(e),
            why_of(e)
        )),
        TraceKind::ExecutionFailed | TraceKind::ExecutionRejected => Some(execution_loss(e)),
        TraceKind::SendRejected if e.actor == ActorId::External => Some(format!(
            "a send to {} was refused at {at} ms{}",
            place_of(e),
            why_of(e)
        )),
        _ => None,
    }
}

fn message_of(e: &TraceEvent) -> String {
    e.message_id
        .map(|m| m.to_string())
        .unwrap_or_else(|| "a message".into())
}

fn place_of(e: &TraceEvent) -> String {
    e.details
        .queue()
        .map(|q| format!("queue {q}"))
        .or_else(|| e.details.topic().map(|t| format!("topic {t}")))
        .unwrap_or_else(|| "the broker".into())
}

fn why_of(e: &TraceEvent) -> String {
    e.details
        .reason()
        .map(|r| format!(" ({r})"))
        .unwrap_or_default()
}

/// A workflow execution that failed or was refused.
fn execution_loss(e: &TraceEvent) -> String {
    let execution = e
        .details
        .execution()
        .map(|x| x.to_string())
        .unwrap_or_default();
    let workflow = e
        .details
        .workflow()
        .map(|x| x.to_string())
        .unwrap_or_default();
    let step = e
        .details
        .step()
        .map(|s| format!(" at step {s}"))
        .unwrap_or_default();
    let verb = if e.kind == TraceKind::ExecutionFailed {
        "failed"
    } else {
        "was refused"
    };
    format!(
        "execution {execution} of workflow {workflow} {verb}{step} at {} ms{}",
        e.time_ms,
        why_of(e)
    )
}

fn no_message_lost(trace: &[TraceEvent]) -> (bool, String) {
    let losses: Vec<String> = trace.iter().filter_map(loss).collect();
    if losses.is_empty() {
        return (
            true,
            "every message was processed, is still queued, or is parked in a dead-letter queue"
                .into(),
        );
    }
    let shown: Vec<&str> = losses.iter().take(3).map(String::as_str).collect();
    let more = if losses.len() > 3 {
        format!("; and {} more", losses.len() - 3)
    } else {
        String::new()
    };
    (
        false,
        format!(
            "expected every message to be processed or parked in a dead-letter queue, but {} {} lost: {}{more}",
            losses.len(),
            if losses.len() == 1 { "was" } else { "were" },
            shown.join("; ")
        ),
    )
}

fn within(value: u64, check: &CheckConfig) -> bool {
    check.at_least.is_none_or(|low| value >= low) && check.at_most.is_none_or(|high| value <= high)
}

fn metric(check: &CheckConfig, outcome: &RunOutcome, metrics: &Metrics) -> (bool, String) {
    let name = check.metric.as_deref().unwrap_or_default();
    let found = match &check.client {
        Some(client) => metrics.get_for_client(client, name),
        None => metrics.get(name),
    };
    let Some(value) = found else {
        return (
            false,
            format!(
                "no metric is called {name}; known: {}",
                metric_names().collect::<Vec<_>>().join(", ")
            ),
        );
    };
    let bounds = bounds_text(check.at_least, check.at_most);
    let samples = samples_behind(name, check.client.as_deref(), &outcome.trace);
    if let Some(samples) = samples.as_ref().filter(|s| s.count == 0) {
        // A percentile of nothing is 0, which would pass any "at most".
        return (
            false,
            format!(
                "expected {name} {bounds}, but there is nothing to measure it over: {} in this run",
                samples.describe()
            ),
        );
    }
    let over = samples
        .map(|s| format!(" over {}", s.describe()))
        .unwrap_or_default();
    if within(value, check) {
        return (true, format!("{name} = {value}{over}"));
    }
    let context = metric_context(name, &outcome.trace)
        .map(|c| format!("; {c}"))
        .unwrap_or_default();
    (
        false,
        format!("expected {name} {bounds}, but it was {value}{over}{context}"),
    )
}

/// The first event behind a metric, to say when and which message.
fn metric_context(name: &str, trace: &[TraceEvent]) -> Option<String> {
    let kind = match name {
        "expired" => TraceKind::Expired,
        "dropped" => TraceKind::Dropped,
        "rejected_sends" => TraceKind::SendRejected,
        "processing_failures" => TraceKind::ProcessingFailed,
        "messages_in_dlq" => TraceKind::MovedToDlq,
        "duplicates_delivered" => {
            let mut seen = std::collections::BTreeSet::new();
            let e = trace.iter().find(|e| {
                matches!(e.kind, TraceKind::Deleted | TraceKind::DeleteIgnored)
                    && matches!(
                        e.actor,
                        ActorId::Consumer(_) | ActorId::Mapping(_) | ActorId::Function(_)
                    )
                    && e.message_id.is_some_and(|id| !seen.insert(id))
            })?;
            return Some(format!(
                "first duplicate: {} processed again at {} ms",
                describe(e),
                e.time_ms
            ));
        }
        _ => return None,
    };
    let e = trace.iter().find(|e| e.kind == kind)?;
    Some(format!("first at {} ms: {}", e.time_ms, describe(e)))
}

/// `m12 in queue orders`.
fn describe(e: &TraceEvent) -> String {
    let id = e
        .message_id
        .map(|m| m.to_string())
        .unwrap_or_else(|| "no message".into());
    match (e.details.queue(), e.details.topic()) {
        (Some(q), _) => format!("{id} in queue {q}"),
        (None, Some(t)) => format!("{id} in topic {t}"),
        _ => id,
    }
}

fn trace_count(check: &CheckConfig, trace: &[TraceEvent]) -> (bool, String) {
    let Some(kind) = check.event else {
        return (false, "no event kind was given".into());
    };
    let matching: Vec<&TraceEvent> = trace
        .iter()
        .filter(|e| e.kind == kind)
        .filter(|e| match &check.queue {
            Some(q) => e.details.queue().is_some_and(|name| name.as_str() == q),
            None => true,
        })
        .collect();
    let count = matching.len() as u64;
    let what = match &check.queue {
        Some(q) => format!("{} events in queue {q}", kind_name(kind)),
        None => format!("{} events", kind_name(kind)),
    };
    if within(count, check) {
        return (true, format!("counted {count} {what}"));
    }
    let bounds = bounds_text(check.at_least, check.at_most);
    let context = match check.at_most {
        Some(high) if count > high => matching
            .get(high as usize)
            .map(|e| {
                format!(
                    "; the one over the bound: {} at {} ms",
                    describe(e),
                    e.time_ms
                )
            })
            .unwrap_or_default(),
        _ => match matching.last() {
            Some(e) => format!("; the last was {} at {} ms", describe(e), e.time_ms),
            None => " (none happened)".to_string(),
        },
    };
    (
        false,
        format!("expected {what} {bounds}, but counted {count}{context}"),
    )
}
