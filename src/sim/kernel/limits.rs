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
}

impl Limits {
    /// Hard ceiling on `max_events`.
    pub const MAX_EVENTS_CEILING: u64 = 1_000_000_000;
    /// Hard ceiling on `max_time_ms`: 60 days, long enough for SNS's 23-day
    /// retry policy and SQS's 14-day retention.
    pub const MAX_TIME_CEILING_MS: u64 = 60 * DAY_MS;
    /// Hard ceiling on `max_trace_events`, `max_pending_events` and
    /// `max_messages_per_queue`.
    pub const MAX_SIZE_CEILING: usize = 100_000_000;

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
        )
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_events: 10_000_000,
            max_time_ms: 30 * DAY_MS,
            max_trace_events: 5_000_000,
            max_pending_events: 5_000_000,
            max_messages_per_queue: 1_000_000,
        }
    }
}
