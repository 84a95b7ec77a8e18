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

use super::call::{serve, Call, Served, Serving};
use super::limits::{LimitKind, SandboxLimits};
use super::outcome::{LogLine, StoreCall, StoreCallResult, StoreOp, Usage};
use crate::sim::kernel::{splitmix64, SimRng};
use crate::sim::store::{Store, StoreConfig};
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
    /// This run's calls in order. A run that replays starts with the calls
    /// already served (the journal) and appends the ones it makes past
    /// them; see `call.rs`.
    pub calls: Vec<Served>,
    /// How many calls this run has made so far.
    pub cursor: usize,
    /// How calls past the journal are served.
    pub serving: Serving,
    /// Seeds each call's latency draw (with the call's position), so a
    /// replay draws the same latencies.
    pub latency_seed: u64,
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
    /// Charges one call's latency and returns the time it is served (when
    /// its latency has elapsed). Fails with a timeout when that is after
    /// the remaining time.
    fn charge(&mut self, meter: &Meter, latency_ms: u64) -> Result<u64, Box<EvalAltResult>> {
        let spent = self.usage.store_cost_ms.saturating_add(latency_ms);
        if spent > self.remaining_time_ms {
            return Err(stop_error(meter, StopReason::Timeout));
        }
        self.usage.store_cost_ms = spent;
        Ok(self.now_ms.saturating_add(spent))
    }

    /// Makes `call`: answered from the journal when this run replays it,
    /// else served now (for real or speculatively, see [`Serving`]) at the
    /// invocation's time so far plus its drawn latency. Returns its
    /// position in [`HostState::calls`].
    pub fn call(&mut self, meter: &Meter, call: Call) -> Result<usize, Box<EvalAltResult>> {
        let index = self.cursor;
        if let Some(known) = self.calls.get(index) {
            // Replayed: the same code with the same answers makes the same
            // call (it cannot be past the deadline: it was served).
            debug_assert_eq!(known.call, call, "a replayed handler made another call");
            self.usage.store_cost_ms = self.usage.store_cost_ms.saturating_add(known.latency_ms);
        } else {
            if index >= self.limits.max_store_calls {
                return Err(stop_error(meter, StopReason::Limit(LimitKind::StoreCalls)));
            }
            let latency_ms = call_latency(self.latency_seed, index, call.op, self.store.config());
            let time_ms = self.charge(meter, latency_ms)?;
            let answer = serve(
                &call,
                time_ms,
                &self.writer,
                &mut self.store,
                &mut self.drafts,
                self.serving,
            );
            self.calls.push(Served {
                call,
                answer,
                latency_ms,
                time_ms,
            });
        }
        self.cursor += 1;
        let served = &self.calls[index];
        self.usage.store_calls.push(StoreCall {
            op: served.call.op,
            key: served.call.key.clone(),
            result: served.answer.result(),
            cost_ms: served.latency_ms,
            time_ms: served.time_ms,
        });
        Ok(index)
    }

    /// Records a call refused for its arguments (it costs nothing and is
    /// never served).
    pub fn record_refused(&mut self, op: StoreOp, key: &str, message: String) {
        self.usage.store_calls.push(StoreCall {
            op,
            key: key.to_string(),
            result: StoreCallResult::Rejected(message),
            cost_ms: 0,
            time_ms: self.now_ms.saturating_add(self.usage.store_cost_ms),
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
            calls_before: u32::try_from(self.cursor).unwrap_or(u32::MAX),
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

/// Virtual time one `workflows.start` takes (an API call to the workflow
/// service).
pub const START_EXECUTION_COST_MS: u64 = 10;

/// The latency of call `index` of an invocation whose draws are seeded with
/// `seed`: a draw of its own per position, so a replay that makes the same
/// calls draws the same latencies, whatever else happened in the world.
fn call_latency(seed: u64, index: usize, op: StoreOp, config: &StoreConfig) -> u64 {
    if op == StoreOp::WorkflowStart {
        return START_EXECUTION_COST_MS;
    }
    let latency = if op.is_read() {
        &config.read_latency
    } else {
        &config.write_latency
    };
    let mut rng = SimRng::counter(seed ^ splitmix64(index as u64));
    latency.sample(&mut rng)
}
