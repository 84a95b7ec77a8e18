//! What an invocation produced: the handler's answer and what it cost.
//!
//! Why `Usage` is on both the success and the error: writes made before a
//! crash did happen, their store time counts in the duration, and the logs
//! printed before the crash are what a learner needs most.

use rhai::{Dynamic, Map};
use serde_json::Value;

use super::convert::to_json;

/// One store or version-store call made by the handler, in call order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreCall {
    /// Which call.
    pub op: StoreOp,
    /// The key (store) or document id (version store).
    pub key: String,
    /// How it ended.
    pub result: StoreCallResult,
    /// Its cost in virtual milliseconds.
    pub cost_ms: u64,
    /// Virtual time at which it was served (the store read or wrote at
    /// this moment), in milliseconds.
    pub time_ms: u64,
}

/// The calls a handler can make on `store` and `drafts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreOp {
    /// `store.get`.
    Get,
    /// `store.put`.
    Put,
    /// `store.put_if_not_exists`.
    PutIfNotExists,
    /// `store.put_if_version`.
    PutIfVersion,
    /// `store.put_if_newer`.
    PutIfNewer,
    /// `store.delete`.
    Delete,
    /// `drafts.save`.
    DraftSave,
    /// `drafts.latest`.
    DraftLatest,
    /// `drafts.get`.
    DraftGet,
    /// `drafts.versions`.
    DraftVersions,
    /// `store.add`: an atomic counter update.
    Add,
    /// `workflows.start`.
    WorkflowStart,
}

impl StoreOp {
    /// The call as the handler writes it.
    pub fn name(self) -> &'static str {
        match self {
            StoreOp::Get => "store.get",
            StoreOp::Put => "store.put",
            StoreOp::PutIfNotExists => "store.put_if_not_exists",
            StoreOp::PutIfVersion => "store.put_if_version",
            StoreOp::PutIfNewer => "store.put_if_newer",
            StoreOp::Delete => "store.delete",
            StoreOp::DraftSave => "drafts.save",
            StoreOp::DraftLatest => "drafts.latest",
            StoreOp::DraftGet => "drafts.get",
            StoreOp::DraftVersions => "drafts.versions",
            StoreOp::Add => "store.add",
            StoreOp::WorkflowStart => "workflows.start",
        }
    }

    /// Whether the call reads only (its latency is the store's read
    /// latency; the others take its write latency).
    pub fn is_read(self) -> bool {
        matches!(
            self,
            StoreOp::Get | StoreOp::DraftLatest | StoreOp::DraftGet | StoreOp::DraftVersions
        )
    }
}

/// How a store call ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreCallResult {
    /// Done (a read that found something, or an applied write).
    Ok,
    /// A read or delete that found nothing.
    NotFound,
    /// `drafts.save` of a version that was already saved.
    AlreadySaved,
    /// A conditional put whose condition did not hold.
    ConditionalCheckFailed,
    /// Refused for another reason (bad arguments, store full...).
    Rejected(String),
    /// Failed because the store was unavailable (a `store_errors` fault).
    Unavailable(String),
}

/// One log line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    /// Line in the learner's code, when known.
    pub line: Option<u32>,
    /// How many store and workflow calls the handler had made when it
    /// printed this line: the line belongs to the moment the last of them
    /// was served (or to the start, for 0).
    pub calls_before: u32,
    /// The text.
    pub text: String,
}

/// What an invocation (or a failed one) used.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Usage {
    /// Store calls in order, including failed ones.
    pub store_calls: Vec<StoreCall>,
    /// Sum of the store calls' costs: add it to the invocation's duration.
    pub store_cost_ms: u64,
    /// Script operations used (cold-start init included).
    pub ops_used: u64,
    /// Log lines in order.
    pub logs: Vec<LogLine>,
    /// Workflow executions the handler asked to start, in order. Boxed:
    /// most handlers start none, and this struct travels inside every
    /// handler error.
    pub workflow_starts: Option<Box<Vec<WorkflowStart>>>,
}

/// A `workflows.start(...)` call, carried out by the world after the
/// handler ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkflowStart {
    /// The workflow.
    pub workflow: String,
    /// Its input: the execution's first state.
    pub input: Value,
    /// The execution's name, if the handler gave one.
    pub name: Option<String>,
}

/// A successful invocation.
#[derive(Debug, Clone, PartialEq)]
pub struct HandlerOutcome {
    /// For queue events: `None` when the handler reported no failures (it
    /// returned nothing, or no `batchItemFailures`), else the raw
    /// `itemIdentifier`s in the order returned. A `()`/null identifier is
    /// given as `""`. Apply [`super::resolve_batch_failures`] to get what
    /// to delete. Always `None` for [`super::Event::Json`] events.
    pub batch_item_failures: Option<Vec<String>>,
    /// The returned value as JSON (`Null` for nothing): the response of a
    /// synchronous invocation.
    pub response: Value,
    /// Whether this invocation ran the init code first (a cold start).
    pub cold_start: bool,
    /// What it used.
    pub usage: Usage,
}

/// Reads the handler's return value. For queue events, follows Lambda's
/// partial batch response shape; anything malformed is an error message.
pub(crate) fn parse_return(
    value: &Dynamic,
    is_queue_event: bool,
) -> Result<(Option<Vec<String>>, Value), String> {
    let response = to_json(value, "the returned value")?;
    if !is_queue_event || value.is_unit() {
        return Ok((None, response));
    }
    let Some(map) = value.read_lock::<Map>() else {
        return Err(format!(
            "a queue handler must return nothing, or #{{ batchItemFailures: [#{{ itemIdentifier: record.messageId }}] }}; it returned a {}",
            value.type_name()
        ));
    };
    let Some(failures) = map.get("batchItemFailures") else {
        if let Some(near) = map
            .keys()
            .find(|k| k.eq_ignore_ascii_case("batchItemFailures") || k.starts_with("batchItem"))
        {
            return Err(format!(
                "the returned map has '{near}': did you mean 'batchItemFailures'?"
            ));
        }
        return Ok((None, response));
    };
    if failures.is_unit() {
        return Ok((None, response));
    }
    let Some(items) = failures.read_lock::<rhai::Array>() else {
        return Err(format!(
            "batchItemFailures must be an array like [#{{ itemIdentifier: record.messageId }}]; it is a {}",
            failures.type_name()
        ));
    };
    let mut ids = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let Some(entry) = item.read_lock::<Map>() else {
            return Err(format!(
                "batchItemFailures[{i}] must be a map like #{{ itemIdentifier: record.messageId }}; it is a {}",
                item.type_name()
            ));
        };
        let Some(id) = entry.get("itemIdentifier") else {
            let keys: Vec<&str> = entry.keys().map(|k| k.as_str()).collect();
            return Err(format!(
                "batchItemFailures[{i}] has no 'itemIdentifier' (it has: {})",
                keys.join(", ")
            ));
        };
        if id.is_unit() {
            ids.push(String::new());
        } else if id.is_string() {
            ids.push(id.to_string());
        } else {
            return Err(format!(
                "batchItemFailures[{i}].itemIdentifier must be the record's messageId (a string); it is a {}",
                id.type_name()
            ));
        }
    }
    Ok((Some(ids), response))
}
