//! Per-invocation sandbox limits, each named with its unit.
//!
//! Why these values: a lesson handler needs a few hundred operations for a
//! batch of ten records, while a hostile one (an endless loop, a string
//! doubled forever) must stop in well under a second of wall time, natively
//! and in the browser. The worst wall time is roughly
//! `max_operations` x the cost of one operation on the largest allowed value,
//! so the value sizes are kept small too. The kernel may raise them (for
//! example `max_array_size` for batches of thousands of records).

/// Limits applied to every invocation (and to the cold-start init code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SandboxLimits {
    /// Script operations per invocation, counting those run inside callbacks
    /// (`map`, `filter`, ...) too.
    pub max_operations: u64,
    /// Nested function calls.
    pub max_call_levels: usize,
    /// Longest string, in bytes (all strings inside one value add up).
    pub max_string_size_bytes: usize,
    /// Most elements of an array (nested arrays add up).
    pub max_array_size: usize,
    /// Most properties of an object map (nested maps add up). Also the most
    /// entries `globals` may hold.
    pub max_map_size: usize,
    /// Deepest nesting of expressions, checked when the code is compiled.
    pub max_expr_depth: usize,
    /// Most variables alive at once.
    pub max_variables: usize,
    /// Most functions a script may define.
    pub max_functions: usize,
    /// Most log lines (`print`, `debug`, `log`) per invocation.
    pub max_log_lines: usize,
    /// Most log bytes per invocation.
    pub max_log_bytes: usize,
    /// Most store, version-store and workflow calls per invocation. Why a
    /// limit: each call is a moment at which the handler may be run again
    /// from the top (see `docs/architecture.md`, "Handlers in virtual
    /// time"), so calls bound the work one invocation can cost.
    pub max_store_calls: usize,
}

impl Default for SandboxLimits {
    fn default() -> Self {
        Self {
            max_operations: 50_000,
            max_call_levels: 32,
            max_string_size_bytes: 32_768,
            max_array_size: 512,
            max_map_size: 512,
            max_expr_depth: 32,
            max_variables: 256,
            max_functions: 64,
            max_log_lines: 100,
            max_log_bytes: 16_384,
            max_store_calls: 100,
        }
    }
}

/// Records of a batch the default limits are sized for (an event source
/// mapping's default batch size).
pub const DEFAULT_BATCH_RECORDS: u32 = 10;
/// Object-map entries one SQS record brings into a handler (the record,
/// its attributes, message attributes and a JSON body), generously.
const MAP_ENTRIES_PER_RECORD: usize = 48;
/// Array entries one record brings (the record itself and a small array in
/// its body).
const ARRAY_ENTRIES_PER_RECORD: usize = 4;
/// Store calls a record may need (read, conditional write, a retry).
const STORE_CALLS_PER_RECORD: usize = 4;
/// String bytes one record brings besides its body (ids, ARN, attributes).
const STRING_BYTES_PER_RECORD: usize = 4_096;

impl SandboxLimits {
    /// The limits for a handler that may receive batches of `records`
    /// records: the size limits grow with the event the handler is given,
    /// so a valid batch never trips a limit by merely existing, while a
    /// handler that grows its own values is still stopped.
    pub fn for_batch(records: u32) -> Self {
        let base = SandboxLimits::default();
        let extra = records.saturating_sub(DEFAULT_BATCH_RECORDS) as usize;
        SandboxLimits {
            max_map_size: base.max_map_size + extra * MAP_ENTRIES_PER_RECORD,
            max_array_size: base.max_array_size + extra * ARRAY_ENTRIES_PER_RECORD,
            max_string_size_bytes: base.max_string_size_bytes + extra * STRING_BYTES_PER_RECORD,
            max_store_calls: base.max_store_calls + extra * STORE_CALLS_PER_RECORD,
            ..base
        }
    }
}

/// Which limit an invocation ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LimitKind {
    /// [`SandboxLimits::max_operations`].
    Operations,
    /// [`SandboxLimits::max_call_levels`].
    CallLevels,
    /// [`SandboxLimits::max_string_size_bytes`].
    StringSize,
    /// [`SandboxLimits::max_array_size`].
    ArraySize,
    /// [`SandboxLimits::max_map_size`].
    MapSize,
    /// [`SandboxLimits::max_expr_depth`].
    ExprDepth,
    /// [`SandboxLimits::max_variables`].
    Variables,
    /// [`SandboxLimits::max_functions`].
    Functions,
    /// [`SandboxLimits::max_log_lines`].
    LogLines,
    /// [`SandboxLimits::max_log_bytes`].
    LogBytes,
    /// [`SandboxLimits::max_store_calls`].
    StoreCalls,
}

impl LimitKind {
    /// The limit's field name in [`SandboxLimits`], as shown to learners.
    pub fn name(self) -> &'static str {
        match self {
            Self::Operations => "max_operations",
            Self::CallLevels => "max_call_levels",
            Self::StringSize => "max_string_size_bytes",
            Self::ArraySize => "max_array_size",
            Self::MapSize => "max_map_size",
            Self::ExprDepth => "max_expr_depth",
            Self::Variables => "max_variables",
            Self::Functions => "max_functions",
            Self::LogLines => "max_log_lines",
            Self::LogBytes => "max_log_bytes",
            Self::StoreCalls => "max_store_calls",
        }
    }

    /// The configured value of this limit.
    pub fn value(self, limits: &SandboxLimits) -> u64 {
        let v = match self {
            Self::Operations => return limits.max_operations,
            Self::CallLevels => limits.max_call_levels,
            Self::StringSize => limits.max_string_size_bytes,
            Self::ArraySize => limits.max_array_size,
            Self::MapSize => limits.max_map_size,
            Self::ExprDepth => limits.max_expr_depth,
            Self::Variables => limits.max_variables,
            Self::Functions => limits.max_functions,
            Self::LogLines => limits.max_log_lines,
            Self::LogBytes => limits.max_log_bytes,
            Self::StoreCalls => limits.max_store_calls,
        };
        v as u64
    }

    /// A hint for the learner: what usually causes this.
    pub fn hint(self) -> &'static str {
        match self {
            Self::Operations => "a loop that never ends, or far too much work for one invocation",
            Self::CallLevels => "a function that calls itself without a way to stop",
            Self::StringSize => "a string that keeps growing",
            Self::ArraySize => "an array that keeps growing",
            Self::MapSize => "an object map that keeps growing",
            Self::ExprDepth => "an expression nested too deeply",
            Self::Variables => "too many variables at once",
            Self::Functions => "too many functions in one script",
            Self::LogLines => "printing in a loop",
            Self::LogBytes => "printing very large values",
            Self::StoreCalls => "store calls in a loop that never ends",
        }
    }
}
