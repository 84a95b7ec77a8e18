//! What a write carries: the item and its condition. A leaf of its own so
//! that the condition check (`store_condition.rs`) and the store
//! (`store.rs`) both read it without importing each other.

use serde_json::Value;

use super::version::Version;

/// A stored item: a JSON value and an optional document version.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The value the handler stored.
    pub value: Value,
    /// The document version the handler attached, if any.
    pub version: Option<Version>,
}

impl Item {
    /// The version used to detect stale overwrites: the explicit version, or
    /// else a `"version"` text field of an object value (so that a naive
    /// handler that stores the whole draft without passing a version is
    /// still checked).
    pub fn effective_version(&self) -> Option<Version> {
        self.version.clone().or_else(|| {
            self.value
                .get("version")
                .and_then(Value::as_str)
                .and_then(|v| Version::parse(v).ok())
        })
    }
}

/// The condition of a write. See the table in `store.rs`.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// Unconditional put.
    Always,
    /// Only if no item has this key.
    NotExists,
    /// Only if an item exists and its version equals this one.
    VersionEquals(Version),
    /// Only if no item exists, or the stored item has no version, or its
    /// version is strictly older than the incoming item's version. The incoming
    /// item must carry a version.
    IncomingIsNewer,
}
