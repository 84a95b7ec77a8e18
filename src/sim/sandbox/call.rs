//! One call a handler makes to the store, the version store or the workflow
//! service, as plain values: what was asked ([`Call`]), what was answered
//! ([`Answer`]), and the one function that serves a call ([`serve`]).
//!
//! Why values: a handler's calls happen at their own virtual times, in
//! global time order with every other invocation's calls (see
//! `docs/architecture.md`, "Handlers in virtual time"). The handler runs
//! ahead speculatively, and the function engine serves each call again when
//! its time comes, compares the answer with the one the handler was given
//! and runs the handler again from the top when they differ. Both use
//! [`serve`], so a speculative answer and a served one can only differ
//! because the store changed in between.

use serde_json::Value;

use super::outcome::{StoreCallResult, StoreOp, WorkflowStart};
use crate::sim::store::{Condition, Item, Store, StoreError, WriteMeta};
use crate::sim::store_condition::{ConditionFailure, ConditionUnmet};
use crate::sim::version::Version;
use crate::sim::version_store::{Draft, SaveOutcome, VersionStore};

/// What a call asks besides its operation and key.
#[derive(Debug, Clone, PartialEq)]
pub enum CallArgs {
    /// `store.get`, `store.delete`, `drafts.latest`, `drafts.versions`.
    None,
    /// A put with its condition.
    Write {
        /// The item to write.
        item: Item,
        /// When it may be written.
        condition: Condition,
    },
    /// `store.add`: the amount to add.
    Add {
        /// The amount.
        amount: i64,
    },
    /// `drafts.save`.
    DraftSave {
        /// The version.
        version: Version,
        /// The draft's body.
        body: Value,
    },
    /// `drafts.get`.
    DraftGet {
        /// The version.
        version: Version,
    },
    /// `workflows.start`.
    Start(WorkflowStart),
}

/// One call, as the handler made it.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// Which call.
    pub op: StoreOp,
    /// The key, document id or workflow name.
    pub key: String,
    /// The rest of what it asks.
    pub args: CallArgs,
}

/// What a call was answered. Two answers are equal exactly when the handler
/// cannot tell them apart.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// `store.get`: the item, if any.
    Item(Option<Item>),
    /// A put was applied.
    Written,
    /// A conditional put's condition did not hold (why: its text is the
    /// words the handler reads).
    ConditionFailed(ConditionFailure),
    /// `store.delete`: whether an item was removed.
    Deleted(bool),
    /// `store.add`: the new value.
    Counter(i64),
    /// `drafts.save`: whether the version was new.
    DraftSaved(bool),
    /// `drafts.latest` / `drafts.get`: the version and body, if any.
    Draft(Option<(Version, Value)>),
    /// `drafts.versions`, oldest first.
    Versions(Vec<Version>),
    /// `workflows.start` was accepted (the world starts it when served).
    Started,
    /// The store was unavailable (a `store_errors` fault); the message.
    Unavailable(String),
    /// The store refused the call (full, not a number...); the message.
    Refused(String),
}

impl Answer {
    /// The answer as the usage's summary of a call.
    pub fn result(&self) -> StoreCallResult {
        match self {
            Answer::DraftSaved(false) => StoreCallResult::AlreadySaved,
            Answer::ConditionFailed(_) => StoreCallResult::ConditionalCheckFailed,
            Answer::Unavailable(m) => StoreCallResult::Unavailable(m.clone()),
            Answer::Refused(m) => StoreCallResult::Rejected(m.clone()),
            _ if self.is_empty() => StoreCallResult::NotFound,
            _ => StoreCallResult::Ok,
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            Answer::Item(i) => i.is_none(),
            Answer::Deleted(d) => !d,
            Answer::Draft(d) => d.is_none(),
            Answer::Versions(v) => v.is_empty(),
            _ => false,
        }
    }
}

/// A call with its answer and when it was served.
#[derive(Debug, Clone, PartialEq)]
pub struct Served {
    /// The call.
    pub call: Call,
    /// Its answer.
    pub answer: Answer,
    /// Its latency (the time from the handler's previous call, or the end
    /// of its compute time, to this one being served).
    pub latency_ms: u64,
    /// The virtual time at which it is served: the store reads and writes
    /// at this moment.
    pub time_ms: u64,
}

/// How a call is served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Serving {
    /// For real: faults draw whether this call fails.
    #[default]
    Real,
    /// Ahead of its time, to be rolled back: a fault window that fails
    /// only a share of calls is assumed not to fail this one (the real
    /// draw happens when it is served).
    Speculative,
}

/// Whether the store's faults fail a call at `time_ms`.
fn unavailable(call: &Call, time_ms: u64, store: &mut Store, how: Serving) -> Option<Answer> {
    if call.op == StoreOp::WorkflowStart {
        return None;
    }
    let window = match how {
        Serving::Real => store.fails_at(time_ms),
        Serving::Speculative => store.surely_fails_at(time_ms),
    }?;
    Some(Answer::Unavailable(format!(
        "{}('{}'): the store is unavailable (a store_errors fault from {} ms to {} ms); try again later",
        call.op.name(),
        call.key,
        window.from_ms,
        window.until_ms
    )))
}

/// Serves a put: checked first, so a write whose condition fails (the
/// common answer for a late save) copies nothing, not even its key.
fn serve_write(
    key: &str,
    item: &Item,
    condition: &Condition,
    store: &mut Store,
    meta: impl FnOnce() -> WriteMeta,
) -> Answer {
    match store.condition_holds(key, item, condition) {
        Err(ConditionUnmet::Failed(why)) => return Answer::ConditionFailed(why),
        Err(unmet) => return refused(unmet.into_error(key)),
        Ok(()) => {}
    }
    match store.put(key, item.clone(), condition, &meta()) {
        Ok(_) => Answer::Written,
        Err(StoreError::ConditionalCheckFailed { reason, .. }) => Answer::ConditionFailed(*reason),
        Err(e) => refused(e),
    }
}

fn refused(error: impl std::fmt::Display) -> Answer {
    Answer::Refused(error.to_string())
}

/// Serves `call` at `time_ms` for `writer` against the stores.
pub fn serve(
    call: &Call,
    time_ms: u64,
    writer: &str,
    store: &mut Store,
    drafts: &mut VersionStore,
    how: Serving,
) -> Answer {
    if let Some(failed) = unavailable(call, time_ms, store, how) {
        return failed;
    }
    let meta = || WriteMeta {
        writer: writer.to_string(),
        time_ms,
    };
    let key = call.key.as_str();
    match (&call.op, &call.args) {
        (StoreOp::Get, _) => Answer::Item(store.get(key).cloned()),
        (StoreOp::Delete, _) => match store.delete(key, &meta()) {
            Ok(removed) => Answer::Deleted(removed.is_some()),
            Err(e) => refused(e),
        },
        (_, CallArgs::Write { item, condition }) => serve_write(key, item, condition, store, meta),
        (_, CallArgs::Add { amount }) => match store.add(key, *amount, &meta()) {
            Ok(value) => Answer::Counter(value),
            Err(e) => refused(e),
        },
        (_, CallArgs::DraftSave { version, body }) => {
            let draft = Draft {
                body: body.clone(),
                writer: writer.to_string(),
                time_ms,
            };
            match drafts.save(key, version.clone(), draft) {
                Ok(outcome) => Answer::DraftSaved(outcome == SaveOutcome::Saved),
                Err(e) => refused(e),
            }
        }
        (_, CallArgs::DraftGet { version }) => Answer::Draft(
            drafts
                .get(key, version)
                .map(|d| (version.clone(), d.body.clone())),
        ),
        (StoreOp::DraftLatest, _) => {
            Answer::Draft(drafts.latest(key).map(|(v, d)| (v.clone(), d.body.clone())))
        }
        (StoreOp::DraftVersions, _) => {
            Answer::Versions(drafts.versions(key).into_iter().cloned().collect())
        }
        (_, CallArgs::Start(_)) => Answer::Started,
        _ => Answer::Refused(format!(
            "{} was called without its arguments",
            call.op.name()
        )),
    }
}
