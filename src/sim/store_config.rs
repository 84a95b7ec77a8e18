//! The store's settings: call latencies (`[store]` in a scenario) and the
//! size and byte budgets that bound what handlers can make it hold. A leaf
//! of its own so that settings stay apart from the store's workings
//! (`store.rs`, which re-exports them).

use serde::{Deserialize, Serialize};

use crate::sim::kernel::Latency;

/// `[store]`: how long store calls take, drawn per call.
///
/// Why distributions: the read-then-write race of the lessons lives in the
/// time between a handler's read and its write, and in production that
/// time varies from call to call. The defaults are close to DynamoDB called
/// from Lambda in the same region ("single-digit millisecond" latency, AWS's
/// DynamoDB documentation; see `docs/scenarios.md`, `[store]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StoreConfig {
    /// `store.get`, `drafts.latest`, `drafts.get`, `drafts.versions`.
    pub read_latency: Latency,
    /// Puts (conditional or not), `store.delete`, `store.add`,
    /// `drafts.save`.
    pub write_latency: Latency,
}

impl Default for StoreConfig {
    fn default() -> Self {
        Self {
            read_latency: Latency::LogNormal {
                median_ms: 3,
                sigma: 0.3,
            },
            write_latency: Latency::LogNormal {
                median_ms: 5,
                sigma: 0.3,
            },
        }
    }
}

impl StoreConfig {
    /// Checks both distributions.
    pub fn validate(&self) -> Result<(), crate::sim::SimError> {
        self.read_latency.validate("store.read_latency")?;
        self.write_latency.validate("store.write_latency")
    }
}

/// Size limits of the store, so a runaway handler cannot grow it without end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreLimits {
    /// Most items held at once.
    pub max_items: usize,
    /// Most writes kept in the history; writes past it are refused.
    pub max_history_writes: usize,
}

impl Default for StoreLimits {
    fn default() -> Self {
        Self {
            max_items: 100_000,
            max_history_writes: 1_000_000,
        }
    }
}

/// Byte budgets of the store (separate from [`StoreLimits`] so that code
/// building that struct keeps compiling). Why: without them a valid
/// scenario whose handler writes 10,000 values of 32 KB fills gigabytes
/// (issue 17). See docs/scenarios.md, "Budgets".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreByteLimits {
    /// Largest item (key plus value as JSON text), in bytes: DynamoDB's
    /// 400 KB item size limit
    /// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html).
    pub max_item_bytes: usize,
    /// Bytes all applied writes of a run may add up to (each put's key and
    /// value; the history keeps every one).
    pub max_written_bytes: u64,
}

impl Default for StoreByteLimits {
    fn default() -> Self {
        Self {
            max_item_bytes: 400 * 1024,
            max_written_bytes: 32 * 1024 * 1024,
        }
    }
}
