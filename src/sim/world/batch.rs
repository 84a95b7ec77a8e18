//! The SQS batch verbs: one call, up to ten entries, each answered (and
//! traced) exactly as its single-call verb would be.

use crate::sim::broker::batch::{
    check_ids, check_total_bytes, BatchResult, DeleteBatchEntry, SendBatchEntry,
    VisibilityBatchEntry,
};
use crate::sim::broker::message::{DeleteOutcome, SendOutcome};
use crate::sim::error::SimError;
use crate::sim::trace::ActorId;

use super::World;

impl World {
    /// `SendMessageBatch`: 1 to 10 messages in one call. On a FIFO queue the
    /// call uses one unit of the send quota, whatever its size.
    pub fn send_batch(
        &mut self,
        queue: &str,
        entries: Vec<SendBatchEntry>,
    ) -> Result<BatchResult<SendOutcome>, SimError> {
        self.kernel.check_trace_room()?;
        let index = self.broker.queue_index(queue)?;
        check_ids(queue, entries.iter().map(|e| e.id.as_str()))?;
        let max_bytes = self.broker.queue(index).max_message_bytes();
        check_total_bytes(queue, &entries, max_bytes)?;
        let mut result = BatchResult::default();
        self.broker.queue_mut(index).set_batch_call(true);
        for entry in entries {
            let outcome = self.broker.send(
                &mut self.kernel,
                &ActorId::External,
                index,
                entry.request,
                &self.faults,
            );
            result.push(&entry.id, outcome);
        }
        self.broker.queue_mut(index).set_batch_call(false);
        self.wake_pollers();
        Ok(result)
    }

    /// `DeleteMessageBatch`: 1 to 10 receipt handles in one call.
    pub fn delete_batch(
        &mut self,
        queue: &str,
        entries: &[DeleteBatchEntry],
    ) -> Result<BatchResult<DeleteOutcome>, SimError> {
        self.kernel.check_trace_room()?;
        let index = self.broker.queue_index(queue)?;
        check_ids(queue, entries.iter().map(|e| e.id.as_str()))?;
        let mut result = BatchResult::default();
        for entry in entries {
            let outcome = self.broker.delete(
                &mut self.kernel,
                &ActorId::External,
                index,
                entry.receipt_handle,
            );
            result.push(&entry.id, outcome);
        }
        self.wake_pollers();
        Ok(result)
    }

    /// `ChangeMessageVisibilityBatch`: 1 to 10 receipt handles in one call.
    pub fn change_visibility_batch(
        &mut self,
        queue: &str,
        entries: &[VisibilityBatchEntry],
    ) -> Result<BatchResult<()>, SimError> {
        self.kernel.check_trace_room()?;
        let index = self.broker.queue_index(queue)?;
        check_ids(queue, entries.iter().map(|e| e.id.as_str()))?;
        let mut result = BatchResult::default();
        for entry in entries {
            let outcome = self.broker.change_visibility(
                &mut self.kernel,
                &ActorId::External,
                index,
                entry.receipt_handle,
                entry.visibility_timeout_ms,
            );
            result.push(&entry.id, outcome);
        }
        Ok(result)
    }
}
