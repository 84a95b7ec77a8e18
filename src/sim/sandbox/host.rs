//! The state the script engine's native functions reach during a call.
//!
//! Why a shared cell: functions registered on a `rhai::Engine` must be
//! `'static`, but the store belongs to the simulation. For the length of one
//! invocation the sandbox swaps the caller's store, version store and the
//! environment's globals into this cell, and swaps them back afterwards, so
//! the caller keeps plain ownership (`&mut Store`) and nothing is copied.
//! Borrows are always `try_borrow_mut`: a failure is a script error, never
//! a panic.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use rhai::{Dynamic, EvalAltResult, Map, Position};

use super::limits::{LimitKind, SandboxLimits};
use super::outcome::{LogLine, StoreCall, StoreCallResult, StoreOp, Usage};
use crate::sim::store::Store;
use crate::sim::version_store::VersionStore;

/// Why the sandbox stopped a script from the outside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StopReason {
    /// A limit that the engine cannot raise by itself.
    Limit(LimitKind),
    /// Store calls used up the remaining time.
    Timeout,
}

/// What one run of the engine costs the run's `max_handler_operations`
/// budget before its first operation.
pub(crate) const ENGINE_RUN_COST_OPS: u64 = 500;

/// Operation counting shared with the engine's progress callback.
#[derive(Debug, Default)]
pub(crate) struct Meter {
    pub ops: Cell<u64>,
    pub max_ops: Cell<u64>,
    pub stop: Cell<Option<StopReason>>,
    /// Variable reads so far, for the size guard's scans; per invocation,
    /// so where a runaway value is caught never depends on earlier ones.
    pub var_reads: Cell<u64>,
    /// Operations of every invocation of this program so far (never reset:
    /// the run's `max_handler_operations` reads it).
    pub run_ops: Cell<u64>,
}

impl Meter {
    pub fn reset(&self) {
        // Each run of the engine (an invocation, a cold start) costs like
        // this many operations besides its own: building the event,
        // tracing, the broker's work (docs/scenarios.md, "Budgets").
        self.run_ops
            .set(self.run_ops.get().saturating_add(ENGINE_RUN_COST_OPS));
        self.ops.set(0);
        self.stop.set(None);
        self.var_reads.set(0);
    }
}

/// Everything one invocation's native calls need.
#[derive(Debug, Default)]
pub(crate) struct HostState {
    pub store: Store,
    pub drafts: VersionStore,
    pub globals: Map,
    pub writer: String,
    pub now_ms: u64,
    pub remaining_time_ms: u64,
    pub usage: Usage,
    pub log_bytes: usize,
    pub limits: SandboxLimits,
    /// The workflows `workflows.start` may name (set once per world).
    pub workflow_names: Rc<[String]>,
}

pub(crate) type HostCell = Rc<RefCell<HostState>>;

/// The name of a catchable error a native function throws.
pub(crate) const INVALID_ARGUMENT: &str = "InvalidArgument";
/// The name of the catchable error of a failed conditional write.
pub(crate) const CONDITIONAL_CHECK_FAILED: &str = "ConditionalCheckFailed";
/// The name of the catchable error of a store call made during a
/// `store_errors` fault.
pub(crate) const SERVICE_UNAVAILABLE: &str = "ServiceUnavailable";

/// A catchable script error: `#{ name, message, ... }`.
pub(crate) fn script_error(
    name: &str,
    message: String,
    extra: &[(&str, Dynamic)],
) -> Box<EvalAltResult> {
    let mut map = Map::new();
    map.insert("name".into(), name.into());
    map.insert("message".into(), message.into());
    for (k, v) in extra {
        map.insert((*k).into(), v.clone());
    }
    EvalAltResult::ErrorRuntime(Dynamic::from_map(map), Position::NONE).into()
}

/// An error that `try`/`catch` cannot swallow; the sandbox reads `meter.stop`.
pub(crate) fn stop_error(meter: &Meter, reason: StopReason) -> Box<EvalAltResult> {
    meter.stop.set(Some(reason));
    EvalAltResult::ErrorTerminated(Dynamic::UNIT, Position::NONE).into()
}

/// Runs `f` with the host state borrowed mutably.
pub(crate) fn with_host<T>(
    host: &HostCell,
    f: impl FnOnce(&mut HostState) -> Result<T, Box<EvalAltResult>>,
) -> Result<T, Box<EvalAltResult>> {
    match host.try_borrow_mut() {
        Ok(mut state) => f(&mut state),
        Err(_) => Err("the store is busy (a store call was made from inside another)".into()),
    }
}

impl HostState {
    /// Charges one store call: stamps its time and adds its cost. Fails with
    /// a timeout when the call would end after the remaining time.
    pub fn charge(&mut self, meter: &Meter, cost_ms: u64) -> Result<u64, Box<EvalAltResult>> {
        let spent = self.usage.store_cost_ms;
        if spent.saturating_add(cost_ms) > self.remaining_time_ms {
            return Err(stop_error(meter, StopReason::Timeout));
        }
        self.usage.store_cost_ms = spent + cost_ms;
        Ok(self.now_ms.saturating_add(spent))
    }

    /// Records a store call in the usage.
    pub fn record(
        &mut self,
        op: StoreOp,
        key: &str,
        result: StoreCallResult,
        cost_ms: u64,
        time_ms: u64,
    ) {
        self.usage.store_calls.push(StoreCall {
            op,
            key: key.to_string(),
            result,
            cost_ms,
            time_ms,
        });
    }

    /// Appends a log line, or reports which log limit it would break.
    pub fn log(&mut self, line: Option<u32>, text: &str) -> Result<(), LimitKind> {
        if self.usage.logs.len() >= self.limits.max_log_lines {
            return Err(LimitKind::LogLines);
        }
        if self.log_bytes + text.len() > self.limits.max_log_bytes {
            return Err(LimitKind::LogBytes);
        }
        self.log_bytes += text.len();
        self.usage.logs.push(LogLine {
            line,
            text: text.to_string(),
        });
        Ok(())
    }

    /// The time left for the handler after the store calls so far.
    pub fn remaining_ms(&self) -> u64 {
        self.remaining_time_ms
            .saturating_sub(self.usage.store_cost_ms)
    }
}
