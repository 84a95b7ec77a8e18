//! A batch's way through the function: its Lambda event, whether the
//! function took it or throttled it, and what is deleted when it ends (the
//! model is described in `mod.rs`).

use std::borrow::Cow;

use super::{Ctx, Mapping, MappingEvent, ReadyBatch, Slot, THROTTLE_BACKOFF_MS};
use crate::sim::broker::events::BrokerEvent;
use crate::sim::kernel::Kernel;
use crate::sim::name::Name;
use crate::sim::sandbox::{
    resolve_batch_failures, BatchResult, Event as HandlerEvent, MessageAttribute, SqsAttributes,
    SqsRecord,
};
use crate::sim::trace::{TraceDetails, TraceKind};

impl Mapping {
    /// The Lambda event of a ready slot, with the trace details of the batch.
    pub(super) fn ready_batch(&self, slot: usize) -> Option<ReadyBatch> {
        let Some(Slot::Ready { batch }) = self.slots.get(slot) else {
            return None;
        };
        let records = batch
            .iter()
            .map(|m| SqsRecord {
                message_id: m.message_id.to_string(),
                receipt_handle: m.receipt_handle.to_string(),
                body: m.payload.body.to_string(),
                attributes: SqsAttributes {
                    approximate_receive_count: m.receive_count,
                    sent_timestamp_ms: m.sent_at_ms,
                    approximate_first_receive_timestamp_ms: m.first_received_at_ms,
                    sender_id: "simulator".into(),
                    message_group_id: m.group_id.as_ref().map(|g| g.to_string()),
                    message_deduplication_id: m.dedup_id.as_ref().map(|d| d.to_string()),
                    sequence_number: self.fifo.then(|| m.sequence_number.to_string()),
                },
                message_attributes: m
                    .payload
                    .attributes
                    .iter()
                    .map(|(name, value)| {
                        // Lambda shows every type as `dataType` and its
                        // text as `stringValue` (String.Array: the JSON text).
                        (
                            name.clone(),
                            MessageAttribute {
                                data_type: value.data_type().into(),
                                string_value: value.text().to_string(),
                            },
                        )
                    })
                    .collect(),
                event_source_arn: self.queue_arn.clone(),
            })
            .collect();
        // Lambda reads a batch response only under ReportBatchItemFailures;
        // otherwise whatever the handler returns is ignored.
        let event = if self.config.report_batch_item_failures {
            HandlerEvent::Sqs(records)
        } else {
            HandlerEvent::SqsUnreported(records)
        };
        Some(ReadyBatch {
            slot,
            mapping: self.name.clone(),
            function: self.function,
            event,
            receipt_handles: batch.iter().map(|m| m.receipt_handle).collect(),
        })
    }

    /// The function accepted the batch.
    pub fn invoking<E: From<MappingEvent>>(&mut self, k: &mut Kernel<E>, slot: usize) {
        if let Some(Slot::Ready { batch }) = self
            .slots
            .get_mut(slot)
            .map(|s| std::mem::replace(s, Slot::Idle))
        {
            self.stats.batches += 1;
            self.stats.records += batch.len() as u64;
            self.slots[slot] = Slot::Invoking { batch };
            self.stats.peak_batches = self.stats.peak_batches.max(self.batches_in_flight());
            self.ensure_tick(k);
        }
    }

    /// The function throttled the batch: it stays in flight and returns
    /// after its visibility timeout; the slot backs off.
    pub fn throttled<E: From<MappingEvent>>(&mut self, k: &mut Kernel<E>, slot: usize) {
        if let Some(Slot::Ready { batch }) = self
            .slots
            .get_mut(slot)
            .map(|s| std::mem::replace(s, Slot::Backoff))
        {
            self.stats.throttled += 1;
            self.stats.returned += batch.len() as u64;
            self.poll_in(k, slot, THROTTLE_BACKOFF_MS);
        }
    }

    /// The invocation of a slot's batch ended: delete what succeeded.
    pub fn finished<E: From<MappingEvent> + From<BrokerEvent>>(
        &mut self,
        (k, broker): Ctx<'_, E>,
        slot: usize,
        request_id: Name,
        outcome: Result<Option<Vec<String>>, ()>,
    ) {
        let Some(Slot::Invoking { batch }) = self
            .slots
            .get_mut(slot)
            .map(|s| std::mem::replace(s, Slot::Idle))
        else {
            return;
        };
        let ids: Vec<String> = batch.iter().map(|m| m.message_id.to_string()).collect();
        let (result, reason): (BatchResult, Option<Cow<'static, str>>) = match outcome {
            Err(()) => (
                BatchResult::AllFailed(crate::sim::sandbox::WholeBatchFailure::EmptyIdentifier),
                Some(Cow::Borrowed(
                    "the function failed: the whole batch returns to the queue after its visibility timeout",
                )),
            ),
            Ok(failures) if self.config.report_batch_item_failures => {
                let r = resolve_batch_failures(&ids, failures.as_deref(), self.fifo);
                let reason = match &r {
                    BatchResult::AllFailed(why) => Some(Cow::Owned(why.to_string())),
                    _ => None,
                };
                (r, reason)
            }
            Ok(_) => (BatchResult::AllSucceeded, None),
        };
        let mut d = TraceDetails {
            queue: Some(broker.queue(self.queue).name.clone()),
            mapping: Some(self.name.clone()),
            request_id: Some(request_id),
            reason,
            ..TraceDetails::default()
        };
        d.receipt_handles = batch.iter().map(|m| m.receipt_handle).collect();
        d.failed_receipt_handles = batch
            .iter()
            .zip(&ids)
            .filter(|(_, id)| result.is_failed(id))
            .map(|(m, _)| m.receipt_handle)
            .collect();
        let failed = d.failed_receipt_handles.clone();
        k.record(self.actor.clone(), TraceKind::BatchCompleted, None, d);
        for m in &batch {
            if failed.contains(&m.receipt_handle) {
                self.stats.returned += 1;
            } else {
                self.stats.deleted += 1;
                // Deletes (and stale receipts) are traced by the queue.
                let _ = broker.delete(k, &self.actor, self.queue, m.receipt_handle);
            }
        }
        self.poll_in(k, slot, 0);
    }
}
