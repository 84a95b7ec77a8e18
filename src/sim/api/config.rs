//! Settings of endpoints and of a client's retries, with their ranges.

use serde::{Deserialize, Serialize};

use crate::sim::error::{check_range, SimError};

/// Largest endpoint rate or burst accepted (API Gateway's account default
/// is 10,000 requests per second with a burst of 5,000).
pub const MAX_ENDPOINT_RATE_PER_SECOND: u64 = 10_000;
/// Largest burst accepted.
pub const MAX_ENDPOINT_BURST: u64 = 10_000;
/// Most retries a client may be configured with.
pub const MAX_CLIENT_RETRIES: u32 = 20;
/// Longest backoff a client may be configured with (5 minutes).
pub const MAX_BACKOFF_MS: u64 = 300_000;

/// `[[endpoints]]`: an API in front of a function.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointConfig {
    /// Unique name; clients target it with `{ endpoint = "..." }`.
    pub name: String,
    /// The function each accepted request invokes synchronously.
    pub function: String,
    /// Steady requests per second the endpoint accepts (1 to 10,000).
    pub rate_per_second: u64,
    /// Requests it accepts at once after a quiet spell (default: the
    /// rate; 1 to 10,000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub burst: Option<u64>,
}

impl EndpointConfig {
    /// An endpoint with a burst equal to its rate.
    pub fn new(name: impl Into<String>, function: impl Into<String>, rate_per_second: u64) -> Self {
        EndpointConfig {
            name: name.into(),
            function: function.into(),
            rate_per_second,
            burst: None,
        }
    }

    /// The burst in effect.
    pub fn burst(&self) -> u64 {
        self.burst.unwrap_or(self.rate_per_second)
    }

    /// Checks the ranges.
    pub fn validate(&self) -> Result<(), SimError> {
        let component = format!("endpoint {}", self.name);
        check_range(
            &component,
            "rate_per_second",
            self.rate_per_second,
            1,
            MAX_ENDPOINT_RATE_PER_SECOND,
        )?;
        check_range(&component, "burst", self.burst(), 1, MAX_ENDPOINT_BURST)
    }
}

/// How a server-API client retries throttled or failed calls.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetryPolicy {
    /// Retries after the first attempt (default 3, at most 20); then the
    /// call is given up and counted as failed.
    pub max_retries: u32,
    /// Ceiling of the first backoff (default 100 ms).
    pub base_delay_ms: u64,
    /// Cap of every backoff (default 5,000 ms, at most 300,000).
    pub max_delay_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay_ms: 100,
            max_delay_ms: 5_000,
        }
    }
}

impl RetryPolicy {
    /// Checks the ranges; `component` names the client.
    pub fn validate(&self, component: &str) -> Result<(), SimError> {
        check_range(
            component,
            "retry.max_retries",
            u64::from(self.max_retries),
            0,
            u64::from(MAX_CLIENT_RETRIES),
        )?;
        check_range(
            component,
            "retry.max_delay_ms",
            self.max_delay_ms,
            1,
            MAX_BACKOFF_MS,
        )?;
        check_range(
            component,
            "retry.base_delay_ms",
            self.base_delay_ms,
            1,
            self.max_delay_ms,
        )
    }
}
