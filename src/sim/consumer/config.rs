//! A consumer's settings and their validation.

use serde::{Deserialize, Serialize};

use crate::sim::aws;
use crate::sim::error::{check_range, SimError};
use crate::sim::kernel::Latency;

/// A consumer's settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConsumerConfig {
    /// Unique consumer name.
    pub name: String,
    /// The queue it polls.
    pub queue: String,
    /// Parallel workers, each with its own poll loop: 1 to 100.
    pub workers: u32,
    /// Messages per receive: 1 to 10.
    pub batch_size: u32,
    /// Long-poll wait: 0 (short polling) to 20,000 ms.
    pub wait_time_ms: u64,
    /// With short polling, the pause after an empty receive: 1 to 60,000 ms.
    pub poll_interval_ms: u64,
    /// Time to process one message.
    pub processing: Latency,
    /// Share of messages whose processing fails, in parts per million.
    pub error_rate_ppm: u32,
    /// Visibility timeout requested on receive; `None` uses the queue's.
    pub visibility_timeout_ms: Option<u64>,
    /// When the workers start polling.
    pub start_at_ms: u64,
}

impl Default for ConsumerConfig {
    fn default() -> Self {
        ConsumerConfig {
            name: String::new(),
            queue: String::new(),
            workers: 1,
            batch_size: 10,
            wait_time_ms: aws::LONG_POLL_MAX_MS,
            poll_interval_ms: aws::SECOND_MS,
            processing: Latency::Fixed { ms: 10 },
            error_rate_ppm: 0,
            visibility_timeout_ms: None,
            start_at_ms: 0,
        }
    }
}

impl ConsumerConfig {
    /// A consumer of `queue` with default settings.
    pub fn new(name: impl Into<String>, queue: impl Into<String>) -> Self {
        ConsumerConfig {
            name: name.into(),
            queue: queue.into(),
            ..ConsumerConfig::default()
        }
    }

    /// Checks every setting.
    pub fn validate(&self) -> Result<(), SimError> {
        let c = format!("consumer {}", self.name);
        if self.name.is_empty() {
            return Err(SimError::InvalidConfig {
                component: c,
                field: "name",
                reason: "a consumer needs a name".into(),
            });
        }
        check_range(&c, "workers", u64::from(self.workers), 1, 100)?;
        check_range(
            &c,
            "batch_size",
            u64::from(self.batch_size),
            1,
            u64::from(aws::RECEIVE_MAX_MESSAGES),
        )?;
        check_range(
            &c,
            "wait_time_ms",
            self.wait_time_ms,
            0,
            aws::LONG_POLL_MAX_MS,
        )?;
        check_range(
            &c,
            "poll_interval_ms",
            self.poll_interval_ms,
            1,
            aws::MINUTE_MS,
        )?;
        check_range(
            &c,
            "error_rate_ppm",
            u64::from(self.error_rate_ppm),
            0,
            1_000_000,
        )?;
        if let Some(v) = self.visibility_timeout_ms {
            check_range(
                &c,
                "visibility_timeout_ms",
                v,
                0,
                aws::VISIBILITY_TIMEOUT_MAX_MS,
            )?;
        }
        self.processing.validate(&c)
    }
}
