//! Invariant checkers, outside the engine (in the TigerBeetle style): they
//! read only the engine's public trace and snapshots, rebuild what must be
//! true from them, and report the first violation with the trace position
//! that shows it.
//!
//! Use [`Checker`] incrementally (tests feed it after every step) or
//! [`check_all`] once at the end.

pub mod accounting;
pub mod dead_letter;
pub mod dedup;
pub mod fifo_order;
pub mod functions;
pub mod ledger;
pub mod visibility;
pub mod workflows;

use std::fmt;

use crate::sim::snapshot::WorldSnapshot;
use crate::sim::TraceEvent;

/// Which rule was broken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invariant {
    /// Every sent message is deleted, in flight, waiting, in a DLQ, expired or
    /// deduplicated: never silently gone.
    Accounting,
    /// No message is delivered while invisible (delayed or in flight).
    NoDeliveryWhileInvisible,
    /// FIFO messages of a group are delivered in order.
    FifoGroupOrder,
    /// A FIFO group has at most one batch in flight.
    FifoOneBatchPerGroup,
    /// FIFO deduplication ids are honoured for 5 minutes.
    DedupWindow,
    /// Messages are dead-lettered exactly at max receive count.
    DeadLetterTiming,
    /// Each receive adds one to the receive count.
    ReceiveCount,
    /// Trace time never goes backwards and positions have no gaps.
    TraceOrder,
    /// Concurrent executions never exceed a function's reserved
    /// concurrency, the unreserved pool or the account limit; a mapping's
    /// batches in flight never exceed its scale or `maximum_concurrency`.
    ConcurrencyLimit,
    /// An event source mapping deletes a message only after its invocation
    /// succeeded and did not report the message as failed.
    DeleteOnlyAfterSuccess,
    /// A workflow execution runs one step at a time, retries a step at most
    /// its `max_attempts` and never before the retry delay, stays within
    /// `max_transitions`, uses its name once and does nothing once ended.
    WorkflowSteps,
}

/// A broken invariant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The rule.
    pub invariant: Invariant,
    /// Virtual time of the offending event or snapshot.
    pub time_ms: u64,
    /// Position of the offending event in the trace.
    pub trace_seq: Option<u64>,
    /// What went wrong, in words.
    pub message: String,
}

impl Violation {
    /// A violation shown by `event`.
    pub fn at(invariant: Invariant, event: &TraceEvent, message: String) -> Self {
        let json = serde_json::to_string(event).unwrap_or_default();
        Violation {
            invariant,
            time_ms: event.time_ms,
            trace_seq: Some(event.seq),
            message: format!("{message}\n  event: {json}"),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} violated at {} ms", self.invariant, self.time_ms)?;
        if let Some(seq) = self.trace_seq {
            write!(f, " (trace event {seq})")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for Violation {}

/// Checks a run as it goes: feed it the new trace events after each step,
/// then compare with a snapshot.
#[derive(Debug)]
pub struct Checker {
    ledger: ledger::Ledger,
    dedup: dedup::DedupChecker,
    functions: functions::FunctionChecker,
    workflows: workflows::WorkflowChecker,
    observed: usize,
    last_time_ms: u64,
}

impl Checker {
    /// A checker for the topology in `snapshot` (taken before anything ran,
    /// or at any time: only the configuration is read).
    pub fn new(snapshot: &WorldSnapshot) -> Self {
        Checker {
            ledger: ledger::Ledger::new(snapshot),
            dedup: dedup::DedupChecker::default(),
            functions: functions::FunctionChecker::new(snapshot),
            workflows: workflows::WorkflowChecker::new(snapshot),
            observed: 0,
            last_time_ms: 0,
        }
    }

    /// Trace events checked so far.
    pub fn observed(&self) -> usize {
        self.observed
    }

    /// Checks the events of `trace` not seen yet.
    pub fn observe_trace(&mut self, trace: &[TraceEvent]) -> Result<(), Violation> {
        let start = self.observed.min(trace.len());
        for event in &trace[start..] {
            self.observe(event)?;
        }
        Ok(())
    }

    /// Checks one event (events must come in trace order).
    pub fn observe(&mut self, event: &TraceEvent) -> Result<(), Violation> {
        if event.seq != self.observed as u64 || event.time_ms < self.last_time_ms {
            return Err(Violation::at(
                Invariant::TraceOrder,
                event,
                format!(
                    "expected event {} at or after {} ms",
                    self.observed, self.last_time_ms
                ),
            ));
        }
        visibility::check(&self.ledger, event)?;
        fifo_order::check(&self.ledger, event)?;
        dead_letter::check(&self.ledger, event)?;
        self.dedup.observe(event)?;
        self.functions.observe(event)?;
        self.workflows.observe(event)?;
        self.ledger.apply(event)?;
        self.observed += 1;
        self.last_time_ms = event.time_ms;
        Ok(())
    }

    /// Compares what the trace says with what the engine shows.
    pub fn check_snapshot(&self, snapshot: &WorldSnapshot) -> Result<(), Violation> {
        accounting::check(&self.ledger, snapshot)
    }

    /// Catches up with `trace` and compares with `snapshot`.
    pub fn check(
        &mut self,
        snapshot: &WorldSnapshot,
        trace: &[TraceEvent],
    ) -> Result<(), Violation> {
        self.observe_trace(trace)?;
        self.check_snapshot(snapshot)
    }
}

/// Checks a whole trace and the final snapshot.
pub fn check_all(snapshot: &WorldSnapshot, trace: &[TraceEvent]) -> Result<(), Violation> {
    Checker::new(snapshot).check(snapshot, trace)
}
