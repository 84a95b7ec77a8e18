//! A function's settings, with Lambda's defaults and ranges.

use serde::{Deserialize, Serialize};

use crate::sim::aws;
use crate::sim::error::{check_range, SimError};
use crate::sim::kernel::Latency;

/// Lambda's default timeout: 3 s.
pub const TIMEOUT_DEFAULT_MS: u64 = 3_000;
/// Lambda's longest timeout: 900 s (15 minutes).
pub const TIMEOUT_MAX_MS: u64 = 900_000;
/// Lambda's default account concurrency quota.
pub const ACCOUNT_CONCURRENCY_DEFAULT: u32 = 1_000;
/// The largest account concurrency limit the simulator accepts.
pub const ACCOUNT_CONCURRENCY_MAX: u32 = 100_000;
/// How long an idle environment is kept by default: 10 minutes (Lambda keeps
/// idle environments for minutes; the exact time is not documented).
pub const IDLE_RETIRE_DEFAULT_MS: u64 = 10 * aws::MINUTE_MS;
/// Lambda retries a failed asynchronous invocation at most twice.
pub const ASYNC_RETRIES_MAX: u32 = 2;

/// One function's settings. Durations are virtual milliseconds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FunctionConfig {
    /// Unique function name.
    pub name: String,
    /// The handler's Rhai source (must define `fn handler(event, context)`).
    pub code: String,
    /// Invocation timeout: default 3,000 ms, 1 to 900,000 ms.
    pub timeout_ms: u64,
    /// Reserved concurrency: at most this many concurrent executions (and so
    /// execution environments); taken out of the account's pool. `None`
    /// shares the account's unreserved pool.
    pub reserved_concurrency: Option<u32>,
    /// Environments initialized at time 0 and never retired: they start warm
    /// (no cold-start latency). At most the reserved concurrency.
    pub provisioned_concurrency: u32,
    /// Time to start a new environment (a cold start), drawn per start.
    /// Default log-normal, median 250 ms, sigma 0.5 (typical for a small
    /// Lambda function). The spread is what lets a later message's
    /// invocation overtake an earlier one's.
    pub cold_start: Latency,
    /// Compute time of one invocation, drawn per invocation; store calls add
    /// their own cost. Default log-normal, median 20 ms, sigma 0.5.
    pub duration: Latency,
    /// An environment idle this long is retired (its globals are gone):
    /// default 600,000 ms (10 min), 1 ms to 24 h.
    pub idle_retire_ms: u64,
    /// Retries of a failed asynchronous invocation: 0 to 2, default 2
    /// (Lambda's `MaximumRetryAttempts`).
    pub async_max_retries: u32,
}

impl Default for FunctionConfig {
    fn default() -> Self {
        FunctionConfig {
            name: String::new(),
            code: String::new(),
            timeout_ms: TIMEOUT_DEFAULT_MS,
            reserved_concurrency: None,
            provisioned_concurrency: 0,
            cold_start: Latency::LogNormal {
                median_ms: 250,
                sigma: 0.5,
            },
            duration: Latency::LogNormal {
                median_ms: 20,
                sigma: 0.5,
            },
            idle_retire_ms: IDLE_RETIRE_DEFAULT_MS,
            async_max_retries: ASYNC_RETRIES_MAX,
        }
    }
}

impl FunctionConfig {
    /// A function with default settings running `code`.
    pub fn new(name: impl Into<String>, code: impl Into<String>) -> Self {
        FunctionConfig {
            name: name.into(),
            code: code.into(),
            ..FunctionConfig::default()
        }
    }

    /// The component name used in errors.
    pub(crate) fn component(&self) -> String {
        format!("function {}", self.name)
    }

    /// Checks every setting except the code (compiled by the world).
    pub fn validate(&self, account_limit: u32) -> Result<(), SimError> {
        let c = self.component();
        if self.name.is_empty() || self.name.len() > 64 {
            return Err(SimError::InvalidConfig {
                component: c,
                field: "name",
                reason: "a function name has 1 to 64 characters".into(),
            });
        }
        check_range(&c, "timeout_ms", self.timeout_ms, 1, TIMEOUT_MAX_MS)?;
        if let Some(reserved) = self.reserved_concurrency {
            check_range(
                &c,
                "reserved_concurrency",
                u64::from(reserved),
                0,
                u64::from(account_limit),
            )?;
        }
        let max_provisioned = self.reserved_concurrency.unwrap_or(account_limit);
        check_range(
            &c,
            "provisioned_concurrency",
            u64::from(self.provisioned_concurrency),
            0,
            u64::from(max_provisioned),
        )?;
        check_range(&c, "idle_retire_ms", self.idle_retire_ms, 1, aws::DAY_MS)?;
        check_range(
            &c,
            "async_max_retries",
            u64::from(self.async_max_retries),
            0,
            u64::from(ASYNC_RETRIES_MAX),
        )?;
        self.cold_start.validate(&format!("{c} cold_start"))?;
        self.duration.validate(&format!("{c} duration"))
    }
}
