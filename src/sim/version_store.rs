//! The version store: every draft of every document, by version.
//!
//! Why it exists: it is the lesson's fix for out-of-order saves. A handler
//! saves each incoming draft under its version and then saves only the
//! latest one, so a late v1.1 can never replace v1.2. Versions are
//! [`Version`]s, so `1.10` is newer than `1.9`.
//!
//! Saving a version that already exists keeps the first draft (deliveries are
//! at-least-once, so duplicates are normal) and says so. Documents and
//! versions are ordered maps: listings are deterministic.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

use super::version::Version;

/// One saved draft.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The draft's body as the handler gave it.
    pub body: Value,
    /// Who saved it (request id or writer id).
    pub writer: String,
    /// When, in virtual milliseconds.
    pub time_ms: u64,
}

/// Whether a save added a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveOutcome {
    /// A new version was stored.
    Saved,
    /// That version was already stored; the first draft is kept.
    AlreadySaved,
}

/// Size limits of the version store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VersionStoreLimits {
    /// Most documents.
    pub max_documents: usize,
    /// Most versions kept per document.
    pub max_versions_per_document: usize,
}

impl Default for VersionStoreLimits {
    fn default() -> Self {
        Self {
            max_documents: 10_000,
            max_versions_per_document: 10_000,
        }
    }
}

/// Why a save was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionStoreError {
    /// [`VersionStoreLimits::max_documents`] reached.
    TooManyDocuments {
        /// The limit.
        max_documents: usize,
    },
    /// [`VersionStoreLimits::max_versions_per_document`] reached.
    TooManyVersions {
        /// The document.
        doc: String,
        /// The limit.
        max_versions_per_document: usize,
    },
    /// The draft is larger than [`MAX_DRAFT_BYTES`], or the run's drafts
    /// would pass [`MAX_SAVED_BYTES`].
    TooManyBytes {
        /// The draft's size.
        bytes: usize,
        /// Which budget: "draft" or "run".
        budget: &'static str,
        /// The budget in bytes.
        max_bytes: u64,
    },
}

impl fmt::Display for VersionStoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooManyDocuments { max_documents } => write!(
                f,
                "the version store is full (max_documents = {max_documents})"
            ),
            Self::TooManyVersions {
                doc,
                max_versions_per_document,
            } => write!(
                f,
                "document '{doc}' has too many versions (max_versions_per_document = {max_versions_per_document})"
            ),
            Self::TooManyBytes { bytes, budget, max_bytes } => write!(
                f,
                "a draft of {bytes} bytes does not fit the {budget} budget of {max_bytes} bytes: save smaller drafts, or fewer"
            ),
        }
    }
}

impl std::error::Error for VersionStoreError {}

/// Every draft of every document. See the module documentation.
#[derive(Debug, Clone, Default)]
pub struct VersionStore {
    docs: BTreeMap<String, BTreeMap<Version, Draft>>,
    /// While a speculative run of a handler saves drafts: what to remove to
    /// undo them, and the bytes saved before it (see
    /// [`VersionStore::start_speculation`]).
    undo: Option<(Vec<(String, Version)>, u64)>,
    limits: VersionStoreLimits,
    /// Bytes of every saved draft (document id and body as JSON), bounded
    /// by [`MAX_SAVED_BYTES`].
    saved_bytes: u64,
}

/// Largest draft (document id plus body as JSON text), in bytes: the
/// store's item limit, DynamoDB's 400 KB.
pub const MAX_DRAFT_BYTES: usize = 400 * 1024;
/// Bytes all drafts of a run may add up to: with the store's budget, a run
/// fits a browser tab (docs/scenarios.md, "Budgets"; issue 17).
pub const MAX_SAVED_BYTES: u64 = 16 * 1024 * 1024;

impl VersionStore {
    /// An empty version store with default latency and limits.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty version store with the given limits (its calls take the
    /// store's latencies, `StoreConfig`).
    pub fn with_limits(limits: VersionStoreLimits) -> Self {
        Self {
            limits,
            ..Self::default()
        }
    }

    /// Saves `draft` as `version` of `doc` unless that version exists.
    pub fn save(
        &mut self,
        doc: &str,
        version: Version,
        draft: Draft,
    ) -> Result<SaveOutcome, VersionStoreError> {
        if !self.docs.contains_key(doc) && self.docs.len() >= self.limits.max_documents {
            return Err(VersionStoreError::TooManyDocuments {
                max_documents: self.limits.max_documents,
            });
        }
        let versions = self.docs.entry(doc.to_string()).or_default();
        if versions.contains_key(&version) {
            return Ok(SaveOutcome::AlreadySaved);
        }
        if versions.len() >= self.limits.max_versions_per_document {
            return Err(VersionStoreError::TooManyVersions {
                doc: doc.to_string(),
                max_versions_per_document: self.limits.max_versions_per_document,
            });
        }
        let bytes = doc
            .len()
            .saturating_add(crate::sim::store::json_size_bytes(&draft.body));
        let over = |budget, max_bytes| {
            Err(VersionStoreError::TooManyBytes {
                bytes,
                budget,
                max_bytes,
            })
        };
        if bytes > MAX_DRAFT_BYTES {
            return over("draft", MAX_DRAFT_BYTES as u64);
        }
        if self.saved_bytes.saturating_add(bytes as u64) > MAX_SAVED_BYTES {
            return over("run", MAX_SAVED_BYTES);
        }
        self.saved_bytes += bytes as u64;
        if let Some((undo, _)) = self.undo.as_mut() {
            undo.push((doc.to_string(), version.clone()));
        }
        versions.insert(version, draft);
        Ok(SaveOutcome::Saved)
    }

    /// Remembers every save from now on, so [`VersionStore::undo_speculation`]
    /// can take them back (a speculative run of a handler, see
    /// `docs/architecture.md`, "Handlers in virtual time").
    pub fn start_speculation(&mut self) {
        self.undo = Some((Vec::new(), self.saved_bytes));
    }

    /// Removes every draft saved since [`VersionStore::start_speculation`],
    /// and the documents they created.
    pub fn undo_speculation(&mut self) {
        let Some((undo, saved_bytes)) = self.undo.take() else {
            return;
        };
        self.saved_bytes = saved_bytes;
        for (doc, version) in undo.into_iter().rev() {
            if let Some(versions) = self.docs.get_mut(&doc) {
                versions.remove(&version);
                if versions.is_empty() {
                    self.docs.remove(&doc);
                }
            }
        }
    }

    /// The newest version of `doc` and its draft.
    pub fn latest(&self, doc: &str) -> Option<(&Version, &Draft)> {
        self.docs.get(doc)?.last_key_value()
    }

    /// One version of `doc`.
    pub fn get(&self, doc: &str, version: &Version) -> Option<&Draft> {
        self.docs.get(doc)?.get(version)
    }

    /// All versions of `doc`, oldest first.
    pub fn versions(&self, doc: &str) -> Vec<&Version> {
        self.docs
            .get(doc)
            .map(|v| v.keys().collect())
            .unwrap_or_default()
    }

    /// All document ids, in order.
    pub fn documents(&self) -> impl Iterator<Item = &str> {
        self.docs.keys().map(String::as_str)
    }
}
