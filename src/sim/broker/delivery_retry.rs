//! SNS delivery retries.
//!
//! AWS documents one fixed delivery policy for AWS-managed endpoints (SQS and
//! Lambda): after the first attempt fails, 3 retries without delay, 2 retries
//! 1 second apart, 10 retries with exponential backoff from 1 to 20 seconds,
//! then 100,000 retries 20 seconds apart (about 23 days). When the policy is
//! exhausted the message is discarded unless the subscription has a
//! dead-letter queue. The simulator lets a lesson shorten the phases (AWS
//! does not), and does not add AWS's jitter, so a retry schedule in the trace
//! can be read off against this table.

use serde::{Deserialize, Serialize};

use crate::sim::aws;
use crate::sim::error::{check_range, SimError};
use crate::sim::kernel::det_math;

/// The retry phases of a subscription.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeliveryRetryPolicy {
    /// Retries without delay.
    pub immediate_retries: u32,
    /// Retries at a fixed delay before backoff starts.
    pub pre_backoff_retries: u32,
    /// Delay between pre-backoff retries.
    pub pre_backoff_delay_ms: u64,
    /// Retries with exponential backoff.
    pub backoff_retries: u32,
    /// First backoff delay.
    pub min_backoff_delay_ms: u64,
    /// Last backoff delay.
    pub max_backoff_delay_ms: u64,
    /// Retries at a fixed delay after backoff.
    pub post_backoff_retries: u32,
    /// Delay between post-backoff retries.
    pub post_backoff_delay_ms: u64,
}

impl Default for DeliveryRetryPolicy {
    fn default() -> Self {
        DeliveryRetryPolicy {
            immediate_retries: aws::SNS_IMMEDIATE_RETRIES,
            pre_backoff_retries: aws::SNS_PRE_BACKOFF_RETRIES,
            pre_backoff_delay_ms: aws::SNS_PRE_BACKOFF_DELAY_MS,
            backoff_retries: aws::SNS_BACKOFF_RETRIES,
            min_backoff_delay_ms: aws::SNS_BACKOFF_MIN_MS,
            max_backoff_delay_ms: aws::SNS_BACKOFF_MAX_MS,
            post_backoff_retries: aws::SNS_POST_BACKOFF_RETRIES,
            post_backoff_delay_ms: aws::SNS_POST_BACKOFF_DELAY_MS,
        }
    }
}

impl DeliveryRetryPolicy {
    /// No retries at all: the first failure is final.
    pub fn none() -> Self {
        DeliveryRetryPolicy {
            immediate_retries: 0,
            pre_backoff_retries: 0,
            backoff_retries: 0,
            post_backoff_retries: 0,
            ..DeliveryRetryPolicy::default()
        }
    }

    /// Checks the phases stay within the AWS-managed policy's bounds.
    pub fn validate(&self, component: &str) -> Result<(), SimError> {
        let hour = aws::HOUR_MS;
        check_range(
            component,
            "retry.immediate_retries",
            u64::from(self.immediate_retries),
            0,
            100,
        )?;
        check_range(
            component,
            "retry.pre_backoff_retries",
            u64::from(self.pre_backoff_retries),
            0,
            100,
        )?;
        check_range(
            component,
            "retry.pre_backoff_delay_ms",
            self.pre_backoff_delay_ms,
            0,
            hour,
        )?;
        check_range(
            component,
            "retry.backoff_retries",
            u64::from(self.backoff_retries),
            0,
            100,
        )?;
        check_range(
            component,
            "retry.max_backoff_delay_ms",
            self.max_backoff_delay_ms,
            1,
            hour,
        )?;
        check_range(
            component,
            "retry.min_backoff_delay_ms",
            self.min_backoff_delay_ms,
            1,
            self.max_backoff_delay_ms,
        )?;
        check_range(
            component,
            "retry.post_backoff_retries",
            u64::from(self.post_backoff_retries),
            0,
            u64::from(aws::SNS_POST_BACKOFF_RETRIES),
        )?;
        check_range(
            component,
            "retry.post_backoff_delay_ms",
            self.post_backoff_delay_ms,
            0,
            hour,
        )
    }

    /// Retries after the first attempt.
    pub fn total_retries(&self) -> u64 {
        u64::from(self.immediate_retries)
            + u64::from(self.pre_backoff_retries)
            + u64::from(self.backoff_retries)
            + u64::from(self.post_backoff_retries)
    }

    /// The wait before retry number `retry` (1-based), or `None` when the
    /// policy is exhausted.
    pub fn delay_before_retry(&self, retry: u32) -> Option<u64> {
        let mut n = retry.checked_sub(1)?;
        if n < self.immediate_retries {
            return Some(0);
        }
        n -= self.immediate_retries;
        if n < self.pre_backoff_retries {
            return Some(self.pre_backoff_delay_ms);
        }
        n -= self.pre_backoff_retries;
        if n < self.backoff_retries {
            return Some(self.backoff_delay(n));
        }
        n -= self.backoff_retries;
        if n < self.post_backoff_retries {
            return Some(self.post_backoff_delay_ms);
        }
        None
    }

    /// Exponential backoff: the `i`-th of `backoff_retries` delays grows
    /// geometrically from the minimum to the maximum,
    /// `min * (max / min) ^ (i / (n - 1))`, rounded to a millisecond.
    fn backoff_delay(&self, i: u32) -> u64 {
        let (min, max) = (self.min_backoff_delay_ms, self.max_backoff_delay_ms);
        if self.backoff_retries <= 1 || min == max {
            return min;
        }
        let fraction = f64::from(i) / f64::from(self.backoff_retries - 1);
        let ratio = max as f64 / min as f64;
        let delay = min as f64 * det_math::exp(det_math::ln(ratio) * fraction);
        ((delay + 0.5) as u64).clamp(min, max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_aws_managed_schedule() {
        let p = DeliveryRetryPolicy::default();
        let delays: Vec<u64> = (1..=16)
            .map(|r| p.delay_before_retry(r).unwrap_or(u64::MAX))
            .collect();
        assert_eq!(&delays[..5], &[0, 0, 0, 1_000, 1_000]);
        assert_eq!(delays[5], 1_000);
        assert_eq!(delays[14], 20_000);
        assert!(delays[5..15].windows(2).all(|w| w[0] < w[1]));
        assert_eq!(delays[15], 20_000);
        assert_eq!(p.total_retries(), 100_015);
        assert_eq!(p.delay_before_retry(100_015), Some(20_000));
        assert_eq!(p.delay_before_retry(100_016), None);
    }
}
