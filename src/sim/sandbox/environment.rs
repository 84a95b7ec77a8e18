//! An execution environment: the memory a warm function keeps.
//!
//! Why it is its own value: in Lambda, top-level code runs once per
//! environment (the cold start) and what it, or any invocation, leaves in
//! global state is still there for the next invocation in the same
//! environment, and absent in a new one. The kernel creates, reuses and
//! retires environments; the sandbox only reads and writes their globals.

use rhai::Map;
use serde_json::Value;

use super::convert::to_json;

/// One execution environment of a function.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    pub(crate) globals: Map,
    pub(crate) initialized: bool,
    pub(crate) invocations: u64,
}

impl Environment {
    /// A cold environment: the next invocation runs the init code first.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the init code has run (the next invocation is warm).
    pub fn is_warm(&self) -> bool {
        self.initialized
    }

    /// Invocations that ran in this environment (failed ones included).
    pub fn invocations(&self) -> u64 {
        self.invocations
    }

    /// The environment's `globals` as JSON, for inspectors (values that are
    /// not data, such as functions, show as their type name).
    pub fn globals_json(&self) -> Value {
        let fields = self
            .globals
            .iter()
            .map(|(k, v)| {
                let value = to_json(v, "global")
                    .unwrap_or_else(|_| Value::String(format!("<{}>", v.type_name())));
                (k.to_string(), value)
            })
            .collect();
        Value::Object(fields)
    }
}
