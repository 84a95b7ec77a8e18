//! Lambda's partial batch response rules, as one pure function.
//!
//! Why separate: the event source mapping applies these rules after the
//! handler returns, and each rule is a lesson point worth its own test.
//! From the AWS documentation (SQS event source, `ReportBatchItemFailures`):
//!
//! - no failures reported, or an empty list: the whole batch succeeded;
//! - an empty (or null) `itemIdentifier`, or one that is not the message id
//!   of a record in the batch: the whole batch failed;
//! - standard queue: exactly the reported records failed;
//! - FIFO queue: processing stops at the first failure, so the first
//!   reported record (in batch order) and every record after it failed.

use std::collections::BTreeSet;

/// What the event source mapping does with a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchResult {
    /// Delete every record.
    AllSucceeded,
    /// Every record returns to the queue.
    AllFailed(WholeBatchFailure),
    /// These records (message ids, in batch order) return to the queue; the
    /// others are deleted.
    Partial {
        /// Failed message ids in batch order.
        failed: Vec<String>,
    },
}

/// Why a partial batch response failed the whole batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WholeBatchFailure {
    /// An `itemIdentifier` was empty or null.
    EmptyIdentifier,
    /// An `itemIdentifier` is not the message id of any record in the batch.
    UnknownIdentifier(String),
}

impl BatchResult {
    /// Whether `message_id` returns to the queue.
    pub fn is_failed(&self, message_id: &str) -> bool {
        match self {
            Self::AllSucceeded => false,
            Self::AllFailed(_) => true,
            Self::Partial { failed } => failed.iter().any(|id| id == message_id),
        }
    }
}

impl std::fmt::Display for WholeBatchFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::EmptyIdentifier => f.write_str(
                "an itemIdentifier was empty, so Lambda treats the whole batch as failed",
            ),
            Self::UnknownIdentifier(id) => write!(
                f,
                "itemIdentifier '{id}' is not the messageId of a record in this batch, so Lambda treats the whole batch as failed"
            ),
        }
    }
}

/// Applies the partial batch response rules. `record_ids` are the batch's
/// message ids in batch order; `failures` is
/// [`super::HandlerOutcome::batch_item_failures`].
pub fn resolve_batch_failures(
    record_ids: &[String],
    failures: Option<&[String]>,
    is_fifo: bool,
) -> BatchResult {
    let failures = match failures {
        None | Some([]) => return BatchResult::AllSucceeded,
        Some(f) => f,
    };
    if failures.iter().any(|id| id.is_empty()) {
        return BatchResult::AllFailed(WholeBatchFailure::EmptyIdentifier);
    }
    let known: BTreeSet<&str> = record_ids.iter().map(String::as_str).collect();
    if let Some(unknown) = failures.iter().find(|id| !known.contains(id.as_str())) {
        return BatchResult::AllFailed(WholeBatchFailure::UnknownIdentifier(unknown.clone()));
    }
    let reported: BTreeSet<&str> = failures.iter().map(String::as_str).collect();
    let failed: Vec<String> = if is_fifo {
        record_ids
            .iter()
            .skip_while(|id| !reported.contains(id.as_str()))
            .cloned()
            .collect()
    } else {
        record_ids
            .iter()
            .filter(|id| reported.contains(id.as_str()))
            .cloned()
            .collect()
    };
    BatchResult::Partial { failed }
}
