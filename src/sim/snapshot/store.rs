//! The store and the version store.

use serde::{Deserialize, Serialize};

/// One stored item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoreItemSnapshot {
    /// Key.
    pub key: String,
    /// Value.
    pub value: serde_json::Value,
    /// Explicit version, if any.
    pub version: Option<String>,
    /// Version used for stale-overwrite checks (explicit, or the value's
    /// `version` field).
    pub effective_version: Option<String>,
}

/// One applied write.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoreWriteSnapshot {
    /// Position in the history.
    pub seq: u64,
    /// Key.
    pub key: String,
    /// `put` or `delete`.
    pub kind: String,
    /// The condition, in words.
    pub condition: String,
    /// Who wrote (request id).
    pub writer: String,
    /// When.
    pub time_ms: u64,
    /// Version written.
    pub version: Option<String>,
    /// Version replaced.
    pub replaced_version: Option<String>,
}

/// A write that replaced a newer version with an older one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaleOverwriteSnapshot {
    /// Position in the history.
    pub seq: u64,
    /// Key.
    pub key: String,
    /// Who wrote.
    pub writer: String,
    /// When.
    pub time_ms: u64,
    /// Version written.
    pub written: String,
    /// Newer version replaced.
    pub replaced: String,
}

/// The store.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StoreSnapshot {
    /// Items by key.
    pub items: Vec<StoreItemSnapshot>,
    /// Every applied write, in order.
    pub history: Vec<StoreWriteSnapshot>,
    /// Writes that moved a document backwards.
    pub stale_overwrites: Vec<StaleOverwriteSnapshot>,
}

impl StoreSnapshot {
    /// The item with `key`.
    pub fn item(&self, key: &str) -> Option<&StoreItemSnapshot> {
        self.items.iter().find(|i| i.key == key)
    }
}

/// One document of the version store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftDocumentSnapshot {
    /// Document id.
    pub doc: String,
    /// Saved versions, oldest first.
    pub versions: Vec<String>,
    /// The newest version.
    pub latest: Option<String>,
}

/// The version store.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftsSnapshot {
    /// Documents by id.
    pub documents: Vec<DraftDocumentSnapshot>,
}

/// Builds the store's snapshot.
pub(crate) fn store_snapshot(store: &crate::sim::store::Store) -> StoreSnapshot {
    use crate::sim::store::{Condition, WriteKind};
    let version = |item: Option<&crate::sim::store::Item>| {
        item.and_then(|i| i.effective_version())
            .map(|v| v.to_string())
    };
    StoreSnapshot {
        items: store
            .items()
            .iter()
            .map(|(key, item)| StoreItemSnapshot {
                key: key.clone(),
                value: item.value.clone(),
                version: item.version.as_ref().map(ToString::to_string),
                effective_version: item.effective_version().map(|v| v.to_string()),
            })
            .collect(),
        history: store
            .history()
            .iter()
            .map(|w| StoreWriteSnapshot {
                seq: w.seq,
                key: w.key.clone(),
                kind: match w.kind {
                    WriteKind::Put => "put".into(),
                    WriteKind::Delete => "delete".into(),
                },
                condition: match &w.condition {
                    Condition::Always => "always".into(),
                    Condition::NotExists => "attribute_not_exists".into(),
                    Condition::VersionEquals(v) => format!("version = {v}"),
                    Condition::IncomingIsNewer => "version < incoming".into(),
                },
                writer: w.writer.clone(),
                time_ms: w.time_ms,
                version: version(w.new.as_ref()),
                replaced_version: version(w.replaced.as_ref()),
            })
            .collect(),
        stale_overwrites: store
            .stale_overwrites()
            .into_iter()
            .map(|s| StaleOverwriteSnapshot {
                seq: s.seq,
                key: s.key,
                writer: s.writer,
                time_ms: s.time_ms,
                written: s.written.to_string(),
                replaced: s.replaced.to_string(),
            })
            .collect(),
    }
}

/// Builds the version store's snapshot.
pub(crate) fn drafts_snapshot(drafts: &crate::sim::version_store::VersionStore) -> DraftsSnapshot {
    DraftsSnapshot {
        documents: drafts
            .documents()
            .map(|doc| DraftDocumentSnapshot {
                doc: doc.to_string(),
                versions: drafts
                    .versions(doc)
                    .into_iter()
                    .map(ToString::to_string)
                    .collect(),
                latest: drafts.latest(doc).map(|(v, _)| v.to_string()),
            })
            .collect(),
    }
}
