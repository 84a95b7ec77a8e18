//! An event source mapping's settings (queue -> function), with Lambda's
//! defaults and ranges.

use serde::{Deserialize, Serialize};

use crate::sim::aws;
use crate::sim::error::{check_range, SimError};

/// Default batch size.
pub const BATCH_SIZE_DEFAULT: u32 = 10;
/// Largest batch on a FIFO queue.
pub const BATCH_SIZE_FIFO_MAX: u32 = 10;
/// Largest batch on a standard queue.
pub const BATCH_SIZE_STANDARD_MAX: u32 = 10_000;
/// Longest batching window: 300 s.
pub const BATCHING_WINDOW_MAX_MS: u64 = 300 * aws::SECOND_MS;
/// `MaximumConcurrency` range.
pub const MAXIMUM_CONCURRENCY_MIN: u32 = 2;
/// `MaximumConcurrency` range.
pub const MAXIMUM_CONCURRENCY_MAX: u32 = 1_000;
/// How far a mapping on a queue scales without `maximum_concurrency`:
/// 1,250 concurrent invocations ("Lambda scales up to 1,250 concurrent
/// invocations" for SQS event source mappings,
/// https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html).
pub const SCALING_MAX: u32 = 1_250;
/// Concurrent batches when a mapping starts.
pub const INITIAL_CONCURRENCY: u32 = 5;
/// Batches added per minute at most while messages wait.
pub const SCALE_UP_PER_MINUTE: u32 = 300;
/// AWS advice: a queue's visibility timeout of at least 6 times the
/// function timeout.
pub const VISIBILITY_TO_TIMEOUT_ADVICE: u64 = 6;

/// One event source mapping.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MappingConfig {
    /// Unique mapping name.
    pub name: String,
    /// The queue polled.
    pub queue: String,
    /// The function invoked.
    pub function: String,
    /// Records per batch: default 10; 1 to 10 on FIFO, 1 to 10,000 on
    /// standard (over 10 needs a batching window of at least 1 s, as in AWS).
    pub batch_size: u32,
    /// How long to gather records before invoking: default 0, at most
    /// 300,000 ms; FIFO queues have no batching window.
    pub maximum_batching_window_ms: u64,
    /// `MaximumConcurrency`: 2 to 1,000 concurrent batches; `None` lets the
    /// mapping scale to 1,000.
    pub maximum_concurrency: Option<u32>,
    /// `ReportBatchItemFailures`: honour `batchItemFailures` responses.
    pub report_batch_item_failures: bool,
    /// When polling starts.
    pub start_at_ms: u64,
}

impl Default for MappingConfig {
    fn default() -> Self {
        MappingConfig {
            name: String::new(),
            queue: String::new(),
            function: String::new(),
            batch_size: BATCH_SIZE_DEFAULT,
            maximum_batching_window_ms: 0,
            maximum_concurrency: None,
            report_batch_item_failures: false,
            start_at_ms: 0,
        }
    }
}

impl MappingConfig {
    /// A mapping from `queue` to `function` with default settings.
    pub fn new(
        name: impl Into<String>,
        queue: impl Into<String>,
        function: impl Into<String>,
    ) -> Self {
        MappingConfig {
            name: name.into(),
            queue: queue.into(),
            function: function.into(),
            ..MappingConfig::default()
        }
    }

    /// The concurrency ceiling: `maximum_concurrency`, or 1,250.
    pub fn concurrency_cap(&self) -> u32 {
        match self.maximum_concurrency {
            Some(max) => max.min(MAXIMUM_CONCURRENCY_MAX),
            None => SCALING_MAX,
        }
    }

    /// Checks the settings against the queue's type, its visibility timeout
    /// and the function's timeout. The checks run in this order so that a
    /// config with several mistakes always gets the same first error.
    pub fn validate(
        &self,
        fifo: bool,
        visibility_timeout_ms: u64,
        function_timeout_ms: u64,
    ) -> Result<(), SimError> {
        let c = format!("event source mapping {}", self.name);
        if self.name.is_empty() {
            return Err(SimError::InvalidConfig {
                component: c,
                field: "name",
                reason: "a mapping needs a name".into(),
            });
        }
        self.validate_batching(&c, fifo)?;
        if let Some(m) = self.maximum_concurrency {
            check_range(
                &c,
                "maximum_concurrency",
                u64::from(m),
                u64::from(MAXIMUM_CONCURRENCY_MIN),
                u64::from(MAXIMUM_CONCURRENCY_MAX),
            )?;
        }
        self.validate_timeouts(c, visibility_timeout_ms, function_timeout_ms)
    }

    /// Batch size and batching window: their ranges depend on the queue's
    /// type, and a large batch needs a window (AWS rules).
    fn validate_batching(&self, c: &str, fifo: bool) -> Result<(), SimError> {
        let max_batch = if fifo {
            BATCH_SIZE_FIFO_MAX
        } else {
            BATCH_SIZE_STANDARD_MAX
        };
        check_range(
            c,
            "batch_size",
            u64::from(self.batch_size),
            1,
            u64::from(max_batch),
        )?;
        check_range(
            c,
            "maximum_batching_window_ms",
            self.maximum_batching_window_ms,
            0,
            BATCHING_WINDOW_MAX_MS,
        )?;
        if fifo && self.maximum_batching_window_ms > 0 {
            return Err(SimError::InvalidConfig {
                component: c.to_string(),
                field: "maximum_batching_window_ms",
                reason: format!(
                    "queue {} is FIFO: Lambda has no batching window for FIFO queues (leave it at 0)",
                    self.queue
                ),
            });
        }
        if self.batch_size > 10 && self.maximum_batching_window_ms < aws::SECOND_MS {
            return Err(SimError::InvalidConfig {
                component: c.to_string(),
                field: "maximum_batching_window_ms",
                reason:
                    "a batch size over 10 needs a batching window of at least 1,000 ms (AWS rule)"
                        .into(),
            });
        }
        Ok(())
    }

    /// A function that may outlive the queue's visibility timeout would see
    /// its batch delivered again while still processing it.
    fn validate_timeouts(
        &self,
        c: String,
        visibility_timeout_ms: u64,
        function_timeout_ms: u64,
    ) -> Result<(), SimError> {
        if function_timeout_ms > visibility_timeout_ms {
            return Err(SimError::InvalidConfig {
                component: c,
                field: "function timeout_ms",
                reason: format!(
                    "function {} may run for {function_timeout_ms} ms but queue {} hides a received message for only \
                     {visibility_timeout_ms} ms: the batch would become visible again while it is still being \
                     processed and be handled twice. AWS rejects this and advises a visibility timeout of at least \
                     {VISIBILITY_TO_TIMEOUT_ADVICE} times the function timeout (here {} ms).",
                    self.function,
                    self.queue,
                    function_timeout_ms.saturating_mul(VISIBILITY_TO_TIMEOUT_ADVICE)
                ),
            });
        }
        Ok(())
    }
}
