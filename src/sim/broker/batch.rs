//! SQS batch calls: the whole-call checks and the per-entry answer shape.
//!
//! AWS rejects a malformed batch as a whole (no entries, too many, bad or
//! repeated ids, too large) and otherwise answers each entry on its own, so a
//! caller sees exactly which entries to retry.

use serde::{Deserialize, Serialize};

use crate::sim::aws;
use crate::sim::broker::message::SendRequest;
use crate::sim::error::SimError;

/// One entry of `SendMessageBatch`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendBatchEntry {
    /// The caller's id for this entry, unique within the call.
    pub id: String,
    /// The message.
    pub request: SendRequest,
}

/// One entry of `DeleteMessageBatch`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteBatchEntry {
    /// The caller's id for this entry, unique within the call.
    pub id: String,
    /// The receipt handle to delete with.
    pub receipt_handle: u64,
}

/// One entry of `ChangeMessageVisibilityBatch`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisibilityBatchEntry {
    /// The caller's id for this entry, unique within the call.
    pub id: String,
    /// The receipt handle.
    pub receipt_handle: u64,
    /// Hide the message for this long from now, in milliseconds.
    pub visibility_timeout_ms: u64,
}

/// An entry that succeeded, with what its single-call verb would return.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchSuccess<T> {
    /// The entry's id.
    pub id: String,
    /// The single-call answer.
    pub result: T,
}

/// An entry that failed, as AWS reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchFailure {
    /// The entry's id.
    pub id: String,
    /// AWS `SenderFault`: retrying the same entry unchanged cannot succeed.
    pub sender_fault: bool,
    /// AWS-style error code.
    pub code: &'static str,
    /// Why, in words.
    pub message: String,
    /// The typed error.
    pub error: SimError,
}

/// The answer to a batch call: every entry is in exactly one list, in call
/// order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchResult<T> {
    /// Entries that succeeded.
    pub successful: Vec<BatchSuccess<T>>,
    /// Entries that failed.
    pub failed: Vec<BatchFailure>,
}

impl<T> Default for BatchResult<T> {
    fn default() -> Self {
        BatchResult {
            successful: Vec::new(),
            failed: Vec::new(),
        }
    }
}

impl<T> BatchResult<T> {
    /// Files one entry's answer.
    pub fn push(&mut self, id: &str, result: Result<T, SimError>) {
        match result {
            Ok(result) => self.successful.push(BatchSuccess {
                id: id.to_string(),
                result,
            }),
            Err(error) => self.failed.push(BatchFailure {
                id: id.to_string(),
                sender_fault: sender_fault(&error),
                code: code(&error),
                message: error.to_string(),
                error,
            }),
        }
    }
}

/// The whole-call checks on entry count and ids.
pub fn check_ids<'a>(
    queue: &str,
    ids: impl ExactSizeIterator<Item = &'a str> + Clone,
) -> Result<(), SimError> {
    let count = ids.len();
    if count == 0 {
        return Err(SimError::EmptyBatch {
            queue: queue.to_string(),
        });
    }
    if count > aws::BATCH_ENTRIES_MAX {
        return Err(SimError::TooManyEntriesInBatch {
            queue: queue.to_string(),
            count,
            max: aws::BATCH_ENTRIES_MAX,
        });
    }
    for (index, id) in ids.clone().enumerate() {
        if !valid_id(id) {
            return Err(SimError::InvalidBatchEntryId {
                queue: queue.to_string(),
                id: id.to_string(),
            });
        }
        // At most 10 entries: a pairwise scan is cheaper than a set.
        if ids.clone().take(index).any(|earlier| earlier == id) {
            return Err(SimError::BatchEntryIdsNotDistinct {
                queue: queue.to_string(),
                id: id.to_string(),
            });
        }
    }
    Ok(())
}

/// AWS: the bodies of one `SendMessageBatch` together may not exceed the
/// maximum size of one message.
pub fn check_total_bytes(
    queue: &str,
    entries: &[SendBatchEntry],
    max_bytes: usize,
) -> Result<(), SimError> {
    let bytes: usize = entries.iter().map(|e| e.request.body.len()).sum();
    if bytes > max_bytes {
        return Err(SimError::BatchRequestTooLong {
            queue: queue.to_string(),
            bytes,
            max_bytes,
        });
    }
    Ok(())
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= aws::BATCH_ENTRY_ID_MAX_CHARS
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Failures the caller can only fix by changing the entry; throttling and a
/// full queue may pass on a later try.
fn sender_fault(error: &SimError) -> bool {
    !matches!(
        error,
        SimError::SendThrottled { .. } | SimError::QueueFull { .. }
    )
}

/// The AWS error code for a per-entry failure.
fn code(error: &SimError) -> &'static str {
    use SimError::*;
    match error {
        MessageTooLarge { .. } => "InvalidParameterValue",
        TooManyAttributes { .. } => "InvalidParameterValue",
        MissingMessageGroupId { .. } => "MissingParameter",
        MissingDeduplicationId { .. } => "InvalidParameterValue",
        PerMessageDelayOnFifo { .. } => "InvalidParameterValue",
        OutOfRange { .. } => "InvalidParameterValue",
        SendThrottled { .. } => "RequestThrottled",
        QueueFull { .. } => "OverLimit",
        OverLimit { .. } => "OverLimit",
        InvalidReceiptHandle { .. } => "ReceiptHandleIsInvalid",
        MessageNotInFlight { .. } => "MessageNotInflight",
        VisibilityBeyondMaximum { .. } => "InvalidParameterValue",
        _ => "InternalError",
    }
}
