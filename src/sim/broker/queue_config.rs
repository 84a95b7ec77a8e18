//! Queue settings with the AWS defaults and ranges.

use serde::{Deserialize, Serialize};

use crate::sim::aws;
use crate::sim::error::{check_range, SimError};
use crate::sim::kernel::Latency;

/// Where failing messages go (SQS `RedrivePolicy`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedrivePolicy {
    /// The dead-letter queue. It must be of the same type as the source
    /// (FIFO with FIFO, standard with standard).
    pub dead_letter_queue: String,
    /// 1 to 1,000 receives before the message is moved.
    pub max_receive_count: u32,
}

/// One queue's settings. Every duration is in milliseconds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QueueConfig {
    /// Unique queue name.
    pub name: String,
    /// FIFO (ordered per group, deduplicated) instead of standard.
    pub fifo: bool,
    /// FIFO only: deduplicate by a hash of the body when no id is given.
    pub content_based_deduplication: bool,
    /// How long a received message stays hidden: default 30 s, 0 to 12 h.
    pub visibility_timeout_ms: u64,
    /// How long a new message stays hidden: default 0, up to 900 s.
    pub delay_ms: u64,
    /// How long a message may stay in the queue: default 4 days, 60 s to 14 days.
    pub retention_ms: u64,
    /// Largest body: default 256 KiB, 1 KiB to 1 MiB.
    pub max_message_bytes: usize,
    /// Dead-letter queue and `maxReceiveCount`.
    pub redrive_policy: Option<RedrivePolicy>,
    /// In-flight quota; `None` means the AWS quota (120,000 for both kinds).
    pub max_in_flight: Option<usize>,
    /// FIFO only: send calls per second; `None` means 300.
    pub max_sends_per_second: Option<u32>,
    /// Standard only: chance, in parts per million, that a send stores a
    /// second copy that will be delivered separately (at-least-once).
    pub duplicate_rate_ppm: u32,
    /// Standard only: extra per-message time before a sent message becomes
    /// receivable. Different draws let later messages overtake earlier ones,
    /// which is how best-effort ordering shows up. `None` means uniform 0 to
    /// 50 ms for standard queues and zero for FIFO queues (which must not
    /// reorder).
    pub delivery_jitter: Option<Latency>,
}

impl Default for QueueConfig {
    fn default() -> Self {
        QueueConfig {
            name: String::new(),
            fifo: false,
            content_based_deduplication: false,
            visibility_timeout_ms: aws::VISIBILITY_TIMEOUT_DEFAULT_MS,
            delay_ms: 0,
            retention_ms: aws::RETENTION_DEFAULT_MS,
            max_message_bytes: aws::MESSAGE_BYTES_DEFAULT,
            redrive_policy: None,
            max_in_flight: None,
            max_sends_per_second: None,
            duplicate_rate_ppm: 0,
            delivery_jitter: None,
        }
    }
}

impl QueueConfig {
    /// A standard queue with AWS defaults.
    pub fn standard(name: impl Into<String>) -> Self {
        QueueConfig {
            name: name.into(),
            ..QueueConfig::default()
        }
    }

    /// A FIFO queue with AWS defaults.
    pub fn fifo(name: impl Into<String>) -> Self {
        QueueConfig {
            name: name.into(),
            fifo: true,
            ..QueueConfig::default()
        }
    }

    /// Sets the dead-letter queue.
    pub fn with_dlq(
        mut self,
        dead_letter_queue: impl Into<String>,
        max_receive_count: u32,
    ) -> Self {
        self.redrive_policy = Some(RedrivePolicy {
            dead_letter_queue: dead_letter_queue.into(),
            max_receive_count,
        });
        self
    }

    /// The in-flight quota in effect.
    pub fn in_flight_limit(&self) -> usize {
        self.max_in_flight.unwrap_or(if self.fifo {
            aws::IN_FLIGHT_FIFO_MAX
        } else {
            aws::IN_FLIGHT_STANDARD_MAX
        })
    }

    /// The FIFO send quota in effect.
    pub fn send_rate_limit(&self) -> u32 {
        self.max_sends_per_second
            .unwrap_or(aws::FIFO_SENDS_PER_SECOND)
    }

    /// The delivery jitter in effect.
    pub fn jitter(&self) -> Latency {
        match &self.delivery_jitter {
            Some(latency) => latency.clone(),
            None if self.fifo => Latency::ZERO,
            None => Latency::Uniform {
                min_ms: 0,
                max_ms: 50,
            },
        }
    }

    /// Checks every setting against the AWS ranges. Cross-queue rules (the
    /// DLQ exists and has the same type) are checked by the broker. The
    /// first problem found is returned, in the order of the steps below.
    pub fn validate(&self) -> Result<(), SimError> {
        let c = format!("queue {}", self.name);
        if self.name.is_empty() || self.name.len() > 80 {
            return Err(SimError::InvalidConfig {
                component: c,
                field: "name",
                reason: "a queue name has 1 to 80 characters".into(),
            });
        }
        self.check_ranges(&c)?;
        self.check_redrive(&c)?;
        self.check_delivery(&c)?;
        if self.fifo {
            self.check_fifo_rules(&c)
        } else {
            self.check_standard_rules(&c)
        }
    }

    /// Timeouts, delay, retention and size within AWS's ranges.
    fn check_ranges(&self, c: &str) -> Result<(), SimError> {
        check_range(
            c,
            "visibility_timeout_ms",
            self.visibility_timeout_ms,
            0,
            aws::VISIBILITY_TIMEOUT_MAX_MS,
        )?;
        check_range(c, "delay_ms", self.delay_ms, 0, aws::DELAY_MAX_MS)?;
        check_range(
            c,
            "retention_ms",
            self.retention_ms,
            aws::RETENTION_MIN_MS,
            aws::RETENTION_MAX_MS,
        )?;
        check_range(
            c,
            "max_message_bytes",
            self.max_message_bytes as u64,
            aws::MESSAGE_BYTES_MIN as u64,
            aws::MESSAGE_BYTES_MAX as u64,
        )
    }

    /// The redrive policy's receive count, and no queue its own DLQ.
    fn check_redrive(&self, c: &str) -> Result<(), SimError> {
        let Some(policy) = &self.redrive_policy else {
            return Ok(());
        };
        check_range(
            c,
            "redrive_policy.max_receive_count",
            u64::from(policy.max_receive_count),
            u64::from(aws::MAX_RECEIVE_COUNT_MIN),
            u64::from(aws::MAX_RECEIVE_COUNT_MAX),
        )?;
        if policy.dead_letter_queue == self.name {
            return Err(SimError::InvalidConfig {
                component: c.to_string(),
                field: "redrive_policy.dead_letter_queue",
                reason: "a queue cannot be its own dead-letter queue".into(),
            });
        }
        Ok(())
    }

    /// The in-flight quota, the duplicate rate and the delivery jitter.
    fn check_delivery(&self, c: &str) -> Result<(), SimError> {
        if let Some(max) = self.max_in_flight {
            let quota = if self.fifo {
                aws::IN_FLIGHT_FIFO_MAX
            } else {
                aws::IN_FLIGHT_STANDARD_MAX
            };
            check_range(c, "max_in_flight", max as u64, 1, quota as u64)?;
        }
        check_range(
            c,
            "duplicate_rate_ppm",
            u64::from(self.duplicate_rate_ppm),
            0,
            1_000_000,
        )?;
        self.jitter().validate(c)
    }

    /// A FIFO queue: its send quota, and neither duplicates nor jitter.
    fn check_fifo_rules(&self, c: &str) -> Result<(), SimError> {
        if let Some(rate) = self.max_sends_per_second {
            check_range(
                c,
                "max_sends_per_second",
                u64::from(rate),
                1,
                u64::from(aws::FIFO_SENDS_PER_SECOND_MAX),
            )?;
        }
        if self.duplicate_rate_ppm != 0 {
            return Err(SimError::InvalidConfig {
                component: c.to_string(),
                field: "duplicate_rate_ppm",
                reason: "FIFO queues deliver exactly once; duplicates apply to standard queues"
                    .into(),
            });
        }
        if self.jitter() != Latency::ZERO {
            return Err(SimError::InvalidConfig {
                component: c.to_string(),
                field: "delivery_jitter",
                reason: "FIFO queues keep strict order within a group; jitter applies to standard queues".into(),
            });
        }
        Ok(())
    }

    /// A standard queue: no FIFO-only setting.
    fn check_standard_rules(&self, c: &str) -> Result<(), SimError> {
        if self.content_based_deduplication {
            return Err(SimError::InvalidConfig {
                component: c.to_string(),
                field: "content_based_deduplication",
                reason: "deduplication is a FIFO feature".into(),
            });
        }
        if self.max_sends_per_second.is_some() {
            return Err(SimError::InvalidConfig {
                component: c.to_string(),
                field: "max_sends_per_second",
                reason: "the send quota is a FIFO feature; standard queues are nearly unlimited"
                    .into(),
            });
        }
        Ok(())
    }
}
