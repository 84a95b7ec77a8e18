//! A DynamoDB-like key-value store with conditional writes and a write history.
//!
//! Why it exists: the lessons' bug is a *stale overwrite* (v1.1 lands after
//! v1.2 and wins). The store therefore keeps every applied write with who made
//! it, when (virtual time, passed in by the caller: the store reads no clock)
//! and what it replaced, so checkers and the UI can point at the write that
//! went backwards ([`Store::stale_overwrites`]).
//!
//! Conditions follow DynamoDB's `ConditionExpression` idioms:
//!
//! | [`Condition`]          | DynamoDB idiom                                         |
//! |------------------------|--------------------------------------------------------|
//! | `Always`               | no condition                                           |
//! | `NotExists`            | `attribute_not_exists(pk)`                             |
//! | `VersionEquals(v)`     | `version = :expected` (optimistic locking)             |
//! | `IncomingIsNewer`      | `attribute_not_exists(pk) OR version < :incoming`      |
//!
//! A failed condition is [`StoreError::ConditionalCheckFailed`]; nothing is
//! written and nothing is added to the history (the sandbox reports the failed
//! call in the invocation's store calls, which is what the trace shows).
//!
//! Every call takes a latency drawn from [`StoreConfig`]; the handler's
//! call is served (reads and writes at that moment) when it has elapsed. Items are ordered by key
//! (`BTreeMap`), so every listing is deterministic.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

use super::store_condition::{self, ConditionFailure, ConditionUnmet};
pub use super::store_config::{StoreByteLimits, StoreConfig, StoreLimits};
pub use super::store_item::{Condition, Item};
use super::version::Version;

use crate::sim::kernel::SimRng;

/// Who made a write and when: the request id (or any writer id) and the
/// virtual time in milliseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteMeta {
    /// The writer, usually the invocation's request id.
    pub writer: String,
    /// Virtual time of the write, in milliseconds.
    pub time_ms: u64,
}

/// What kind of write a history entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteKind {
    /// A put (conditional or not) that was applied.
    Put,
    /// A delete that removed an item.
    Delete,
}

/// One applied write, kept forever (up to [`StoreLimits::max_history_writes`]).
#[derive(Debug, Clone, PartialEq)]
pub struct WriteRecord {
    /// Position in the history, from 0.
    pub seq: u64,
    /// The key written.
    pub key: String,
    /// Put or delete.
    pub kind: WriteKind,
    /// The condition the write was made under.
    pub condition: Condition,
    /// Who wrote it.
    pub writer: String,
    /// Virtual time of the write, in milliseconds.
    pub time_ms: u64,
    /// The new item (`None` for a delete).
    pub new: Option<Item>,
    /// The item it replaced (`None` if the key was empty).
    pub replaced: Option<Item>,
}

/// A write whose document version is older than the version it replaced.
#[derive(Debug, Clone, PartialEq)]
pub struct StaleOverwrite {
    /// The history entry's sequence number.
    pub seq: u64,
    /// The key.
    pub key: String,
    /// Who wrote the stale item.
    pub writer: String,
    /// When, in virtual milliseconds.
    pub time_ms: u64,
    /// The version written.
    pub written: Version,
    /// The newer version it replaced.
    pub replaced: Version,
}

/// A point in a store's history (see [`Store::mark`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreMark {
    history_len: usize,
    written_bytes: u64,
}

/// The length of `value` written as compact JSON, in bytes, without
/// writing it (saturating). Strings count their bytes plus quotes; escapes
/// are not counted, so the estimate errs low by at most the escapes.
pub fn json_size_bytes(value: &Value) -> usize {
    match value {
        Value::Null => 4,
        Value::Bool(b) => {
            if *b {
                4
            } else {
                5
            }
        }
        Value::Number(n) => n.to_string().len(),
        Value::String(s) => s.len() + 2,
        // Brackets, and a comma between two items.
        Value::Array(items) => items
            .iter()
            .map(|v| json_size_bytes(v) + 1)
            .fold(1 + usize::from(items.is_empty()), usize::saturating_add),
        // Braces, quotes and colon per key, a comma between two fields.
        Value::Object(fields) => fields
            .iter()
            .map(|(k, v)| k.len() + 4 + json_size_bytes(v))
            .fold(1 + usize::from(fields.is_empty()), usize::saturating_add),
    }
}

/// Why a store call did nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum StoreError {
    /// The write's condition did not hold; nothing was written.
    ConditionalCheckFailed {
        /// The key.
        key: String,
        /// Why (its text is in words a learner can act on). Boxed: the
        /// versions are large and every store call returns this error type.
        reason: Box<ConditionFailure>,
    },
    /// `IncomingIsNewer` needs an incoming version.
    MissingVersion {
        /// The key.
        key: String,
    },
    /// [`StoreLimits::max_items`] reached.
    TooManyItems {
        /// The limit.
        max_items: usize,
    },
    /// [`StoreLimits::max_history_writes`] reached.
    HistoryFull {
        /// The limit.
        max_history_writes: usize,
    },
    /// `add` on an item whose value is not a whole number.
    NotANumber {
        /// The key.
        key: String,
    },
    /// `add` would leave the range of a 64-bit whole number.
    Overflow {
        /// The key.
        key: String,
    },
    /// The item is larger than [`StoreByteLimits::max_item_bytes`].
    ItemTooLarge {
        /// The key.
        key: String,
        /// The item's size.
        bytes: usize,
        /// The limit.
        max_item_bytes: usize,
    },
    /// The run's writes reached [`StoreByteLimits::max_written_bytes`].
    WrittenBytesFull {
        /// The limit.
        max_written_bytes: u64,
    },
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ConditionalCheckFailed { key, reason } => {
                write!(f, "ConditionalCheckFailed on '{key}': {reason}")
            }
            Self::MissingVersion { key } => write!(
                f,
                "a write to '{key}' that must be newer needs a version to compare"
            ),
            Self::TooManyItems { max_items } => {
                write!(f, "the store is full (max_items = {max_items})")
            }
            Self::HistoryFull { max_history_writes } => write!(
                f,
                "the store's write history is full (max_history_writes = {max_history_writes})"
            ),
            Self::NotANumber { key } => write!(
                f,
                "'{key}' holds a value that is not a whole number, so it cannot be added to"
            ),
            Self::Overflow { key } => {
                write!(f, "adding to '{key}' would overflow a 64-bit whole number")
            }
            Self::ItemTooLarge { key, bytes, max_item_bytes } => write!(
                f,
                "the item '{key}' is {bytes} bytes; an item may be at most {max_item_bytes} bytes (DynamoDB's 400 KB): store less, or split it over several keys"
            ),
            Self::WrittenBytesFull { max_written_bytes } => write!(
                f,
                "this run's store writes reached {max_written_bytes} bytes (max_written_bytes): write smaller values, or fewer times"
            ),
        }
    }
}

impl ConditionUnmet {
    /// The store error of a write under `key` that this stopped.
    pub fn into_error(self, key: &str) -> StoreError {
        let key = key.to_string();
        match self {
            Self::Failed(reason) => StoreError::ConditionalCheckFailed {
                key,
                reason: Box::new(reason),
            },
            Self::MissingVersion => StoreError::MissingVersion { key },
        }
    }
}

impl std::error::Error for StoreError {}

/// The key-value store. See the module documentation.
#[derive(Debug, Clone, Default)]
pub struct Store {
    items: BTreeMap<String, Item>,
    history: Vec<WriteRecord>,
    config: StoreConfig,
    limits: StoreLimits,
    byte_limits: StoreByteLimits,
    /// Bytes of every applied put so far (key and value).
    written_bytes: u64,
    /// Calls failing on purpose (the `store_errors` fault); boxed because
    /// most runs have none.
    faults: Option<Box<StoreFaults>>,
}

/// Most `store_errors` windows a run may have.
pub const MAX_STORE_ERROR_WINDOWS: usize = 20;

/// The `store_errors` faults of a run: windows of time in which a share of
/// store calls fail, and the seeded generator that picks which.
#[derive(Debug, Clone)]
struct StoreFaults {
    windows: Vec<StoreErrorWindow>,
    rng: SimRng,
}

/// Store calls made in `from_ms..until_ms` fail with probability
/// `rate_ppm` / 1,000,000.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreErrorWindow {
    /// Share of calls that fail, in parts per million.
    pub rate_ppm: u32,
    /// Start of the window.
    pub from_ms: u64,
    /// End of the window (exclusive).
    pub until_ms: u64,
}

impl Store {
    /// An empty store with default latency and limits.
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes calls in `window` fail; `seed` seeds the draws (used by the
    /// first window only, so adding windows never changes earlier draws).
    /// Returns false when the run already has the most windows allowed.
    pub fn add_error_window(&mut self, seed: u64, window: StoreErrorWindow) -> bool {
        let faults = self.faults.get_or_insert_with(|| {
            Box::new(StoreFaults {
                windows: Vec::new(),
                rng: SimRng::for_subsystem(seed, "store-errors"),
            })
        });
        if faults.windows.len() >= MAX_STORE_ERROR_WINDOWS {
            return false;
        }
        faults.windows.push(window);
        true
    }

    /// Whether a call made at `time_ms` fails, and if so the window that
    /// made it fail. Draws from the fault generator only inside a window
    /// with a rate below 100%, so runs without faults draw nothing.
    pub fn fails_at(&mut self, time_ms: u64) -> Option<StoreErrorWindow> {
        let faults = self.faults.as_mut()?;
        let window = *faults
            .windows
            .iter()
            .find(|w| (w.from_ms..w.until_ms).contains(&time_ms))?;
        let fails = window.rate_ppm >= 1_000_000 || faults.rng.chance_ppm(window.rate_ppm);
        fails.then_some(window)
    }

    /// Like [`Store::fails_at`] without drawing: only a window that fails
    /// every call is certain. A speculative run of a handler (see
    /// `docs/architecture.md`, "Handlers in virtual time") assumes the
    /// other calls succeed; the real draw happens when the call is served.
    pub fn surely_fails_at(&self, time_ms: u64) -> Option<StoreErrorWindow> {
        let faults = self.faults.as_ref()?;
        faults
            .windows
            .iter()
            .find(|w| (w.from_ms..w.until_ms).contains(&time_ms) && w.rate_ppm >= 1_000_000)
            .copied()
    }

    /// A point to come back to with [`Store::rollback_to`].
    pub fn mark(&self) -> StoreMark {
        StoreMark {
            history_len: self.history.len(),
            written_bytes: self.written_bytes,
        }
    }

    /// Undoes every write applied since `mark`, newest first. Every change
    /// to the items goes through the history (put, delete, add), so the
    /// history is the undo log: a speculative run of a handler writes for
    /// real, then is rolled back, and the same store logic decides both.
    pub fn rollback_to(&mut self, mark: StoreMark) {
        self.written_bytes = mark.written_bytes;
        while self.history.len() > mark.history_len {
            let Some(write) = self.history.pop() else {
                return;
            };
            match write.replaced {
                Some(item) => {
                    self.items.insert(write.key, item);
                }
                None => {
                    self.items.remove(&write.key);
                }
            }
        }
    }

    /// Adds `amount` to the whole number under `key` (a missing item counts
    /// as 0) in one step, as DynamoDB's `UpdateItem` with `ADD` does: two
    /// concurrent adds never lose one. Keeps the item's version. Returns
    /// the new value.
    pub fn add(&mut self, key: &str, amount: i64, meta: &WriteMeta) -> Result<i64, StoreError> {
        let current = self.items.get(key);
        let before = match current {
            None => 0,
            Some(item) => item.value.as_i64().ok_or_else(|| StoreError::NotANumber {
                key: key.to_string(),
            })?,
        };
        let after = before
            .checked_add(amount)
            .ok_or_else(|| StoreError::Overflow {
                key: key.to_string(),
            })?;
        if current.is_none() && self.items.len() >= self.limits.max_items {
            return Err(StoreError::TooManyItems {
                max_items: self.limits.max_items,
            });
        }
        self.ensure_history_room()?;
        let item = Item {
            value: Value::from(after),
            version: current.and_then(|i| i.version.clone()),
        };
        let bytes = self.check_bytes(key, &item)?;
        self.written_bytes = self.written_bytes.saturating_add(bytes as u64);
        let replaced = self.items.insert(key.to_string(), item.clone());
        self.record(
            key,
            WriteKind::Put,
            &Condition::Always,
            meta,
            Some(item),
            replaced,
        );
        Ok(after)
    }

    /// An empty store with the given call latencies and limits.
    pub fn with_config(config: StoreConfig, limits: StoreLimits) -> Self {
        Self {
            config,
            limits,
            ..Self::default()
        }
    }

    /// How long calls take.
    pub fn config(&self) -> &StoreConfig {
        &self.config
    }

    /// Replaces the byte budgets (the defaults suit a browser tab).
    pub fn set_byte_limits(&mut self, limits: StoreByteLimits) {
        self.byte_limits = limits;
    }

    /// The byte budgets.
    pub fn byte_limits(&self) -> StoreByteLimits {
        self.byte_limits
    }

    /// Bytes of every applied put so far (key and value as JSON).
    pub fn written_bytes(&self) -> u64 {
        self.written_bytes
    }

    /// The item under `key`, if any.
    pub fn get(&self, key: &str) -> Option<&Item> {
        self.items.get(key)
    }

    /// All items, ordered by key.
    pub fn items(&self) -> &BTreeMap<String, Item> {
        &self.items
    }

    /// Every applied write, oldest first.
    pub fn history(&self) -> &[WriteRecord] {
        &self.history
    }

    /// Whether a write of `item` under `key` would meet `condition` now
    /// (without copying anything, not even the key): a conditional write
    /// that fails, the common answer for a late save, costs no copy.
    // The large error is returned by value on purpose: it is the common
    // answer, and boxing it would allocate for each one.
    #[allow(clippy::result_large_err)]
    pub fn condition_holds(
        &self,
        key: &str,
        item: &Item,
        condition: &Condition,
    ) -> Result<(), ConditionUnmet> {
        store_condition::check(self.items.get(key), item, condition)
    }

    /// Writes `item` under `key` if `condition` holds. Returns the replaced
    /// item, if any.
    pub fn put(
        &mut self,
        key: &str,
        item: Item,
        condition: &Condition,
        meta: &WriteMeta,
    ) -> Result<Option<Item>, StoreError> {
        let current = self.items.get(key);
        store_condition::check(current, &item, condition).map_err(|e| e.into_error(key))?;
        if current.is_none() && self.items.len() >= self.limits.max_items {
            return Err(StoreError::TooManyItems {
                max_items: self.limits.max_items,
            });
        }
        self.ensure_history_room()?;
        let bytes = self.check_bytes(key, &item)?;
        self.written_bytes = self.written_bytes.saturating_add(bytes as u64);
        let replaced = self.items.insert(key.to_string(), item.clone());
        self.record(
            key,
            WriteKind::Put,
            condition,
            meta,
            Some(item),
            replaced.clone(),
        );
        Ok(replaced)
    }

    /// Removes the item under `key`. Returns it, or `None` if there was none
    /// (deleting a missing key is not an error and leaves no history entry).
    pub fn delete(&mut self, key: &str, meta: &WriteMeta) -> Result<Option<Item>, StoreError> {
        if !self.items.contains_key(key) {
            return Ok(None);
        }
        self.ensure_history_room()?;
        let removed = self.items.remove(key);
        self.record(
            key,
            WriteKind::Delete,
            &Condition::Always,
            meta,
            None,
            removed.clone(),
        );
        Ok(removed)
    }

    /// Every applied put whose version is older than the version it replaced,
    /// in history order. Versions come from [`Item::effective_version`].
    pub fn stale_overwrites(&self) -> Vec<StaleOverwrite> {
        self.history
            .iter()
            .filter(|w| w.kind == WriteKind::Put)
            .filter_map(|w| {
                let written = w.new.as_ref()?.effective_version()?;
                let replaced = w.replaced.as_ref()?.effective_version()?;
                (written < replaced).then(|| StaleOverwrite {
                    seq: w.seq,
                    key: w.key.clone(),
                    writer: w.writer.clone(),
                    time_ms: w.time_ms,
                    written,
                    replaced,
                })
            })
            .collect()
    }

    /// The item's size, if it fits the item and run budgets (checked
    /// before anything is copied into the store).
    fn check_bytes(&self, key: &str, item: &Item) -> Result<usize, StoreError> {
        let bytes = key.len().saturating_add(json_size_bytes(&item.value));
        let max_item_bytes = self.byte_limits.max_item_bytes;
        if bytes > max_item_bytes {
            return Err(StoreError::ItemTooLarge {
                key: key.chars().take(80).collect(),
                bytes,
                max_item_bytes,
            });
        }
        let max_written_bytes = self.byte_limits.max_written_bytes;
        if self.written_bytes.saturating_add(bytes as u64) > max_written_bytes {
            return Err(StoreError::WrittenBytesFull { max_written_bytes });
        }
        Ok(bytes)
    }

    fn ensure_history_room(&self) -> Result<(), StoreError> {
        if self.history.len() >= self.limits.max_history_writes {
            return Err(StoreError::HistoryFull {
                max_history_writes: self.limits.max_history_writes,
            });
        }
        Ok(())
    }

    fn record(
        &mut self,
        key: &str,
        kind: WriteKind,
        condition: &Condition,
        meta: &WriteMeta,
        new: Option<Item>,
        replaced: Option<Item>,
    ) {
        self.history.push(WriteRecord {
            seq: self.history.len() as u64,
            key: key.to_string(),
            kind,
            condition: condition.clone(),
            writer: meta.writer.clone(),
            time_ms: meta.time_ms,
            new,
            replaced,
        });
    }
}
