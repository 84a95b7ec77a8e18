//! Run limits: every run is bounded, and crossing a bound is a typed error.

use serde::{Deserialize, Serialize};

use crate::sim::aws::DAY_MS;
use crate::sim::error::{check_range, SimError};

/// Bounds on a run and on the sizes of its parts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Events a run may process before it stops with `EventLimitReached`.
    pub max_events: u64,
    /// Virtual time a run may reach before it stops with `TimeLimitReached`.
    pub max_time_ms: u64,
    /// Trace length at which a run stops with `TraceLimitReached`.
    pub max_trace_events: usize,
    /// Scheduled events at which a run stops with `PendingEventLimitReached`.
    pub max_pending_events: usize,
    /// Messages one queue may hold; sends beyond it fail with `QueueFull`.
    pub max_messages_per_queue: usize,
    /// Estimated bytes the trace may hold before the run stops with
    /// `TraceBytesLimitReached` (log lines and long keys make events large).
    pub max_trace_bytes: u64,
    /// Script operations all handlers of a run may use together before the
    /// run stops with `HandlerOperationLimitReached`: each invocation has its
    /// own `max_operations`, this bounds the run's wall time.
    pub max_handler_operations: u64,
    /// Events processed without the clock moving before the run stops with
    /// `ZeroTimeLivelock` (a message bounced between queues, or failed and
    /// made visible again, with no delay, forever).
    pub max_events_at_one_time: u64,
}

impl Limits {
    /// Hard ceiling on `max_events`: about 2 s of a browser tab (an event
    /// costs about 0.3 µs natively, a few times more in wasm; see
    /// docs/performance.md and docs/scenarios.md, "Budgets").
    pub const MAX_EVENTS_CEILING: u64 = 5_000_000;
    /// Hard ceiling on `max_time_ms`: 60 days, long enough for SNS's 23-day
    /// retry policy and SQS's 14-day retention.
    pub const MAX_TIME_CEILING_MS: u64 = 60 * DAY_MS;
    /// Hard ceiling on `max_trace_events`, `max_pending_events` and
    /// `max_messages_per_queue`: each entry costs 100 to 400 bytes, and a
    /// run must fit in 256 MB (docs/scenarios.md, "Budgets").
    pub const MAX_SIZE_CEILING: usize = 1_000_000;
    /// Hard ceiling on `max_trace_bytes`: with the run's other state, a run
    /// stays under the 256 MB a browser tab can always hold (docs/scenarios.md,
    /// "Budgets").
    pub const MAX_TRACE_BYTES_CEILING: u64 = 96 * 1024 * 1024;
    /// Hard ceiling on `max_handler_operations`.
    pub const MAX_HANDLER_OPERATIONS_CEILING: u64 = 200_000_000;
    /// Hard ceiling on `max_events_at_one_time`.
    pub const MAX_EVENTS_AT_ONE_TIME_CEILING: u64 = 10_000_000;

    /// Checks every bound is positive and below its ceiling.
    pub fn validate(&self) -> Result<(), SimError> {
        let c = "limits";
        let size = Self::MAX_SIZE_CEILING as u64;
        check_range(
            c,
            "max_events",
            self.max_events,
            1,
            Self::MAX_EVENTS_CEILING,
        )?;
        check_range(
            c,
            "max_time_ms",
            self.max_time_ms,
            1,
            Self::MAX_TIME_CEILING_MS,
        )?;
        check_range(c, "max_trace_events", self.max_trace_events as u64, 1, size)?;
        check_range(
            c,
            "max_pending_events",
            self.max_pending_events as u64,
            1,
            size,
        )?;
        check_range(
            c,
            "max_messages_per_queue",
            self.max_messages_per_queue as u64,
            1,
            size,
        )?;
        self.validate_budgets()
    }

    fn validate_budgets(&self) -> Result<(), SimError> {
        let c = "limits";
        check_range(
            c,
            "max_trace_bytes",
            self.max_trace_bytes,
            1024,
            Self::MAX_TRACE_BYTES_CEILING,
        )?;
        check_range(
            c,
            "max_handler_operations",
            self.max_handler_operations,
            1,
            Self::MAX_HANDLER_OPERATIONS_CEILING,
        )?;
        check_range(
            c,
            "max_events_at_one_time",
            self.max_events_at_one_time,
            1,
            Self::MAX_EVENTS_AT_ONE_TIME_CEILING,
        )
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_events: 2_000_000,
            max_time_ms: 30 * DAY_MS,
            max_trace_events: 1_000_000,
            max_pending_events: 1_000_000,
            max_messages_per_queue: 1_000_000,
            max_trace_bytes: 64 * 1024 * 1024,
            max_handler_operations: 20_000_000,
            max_events_at_one_time: 100_000,
        }
    }
}
