//! A queue's receiving side: `ReceiveMessage` with its visibility
//! timeout, FIFO group locks and the redrive policy's receive count.
//! Split from `queue.rs` along its sections.

use std::borrow::Cow;

use super::{details, Entry, EntryState, IdCounters, Queue};
use crate::sim::broker::events::BrokerEvent;
use crate::sim::broker::message::ReceivedMessage;
use crate::sim::error::SimError;
use crate::sim::kernel::Kernel;
use crate::sim::trace::{ActorId, TraceDetails, TraceKind};

impl Queue {
    // -------------------------------------------------------------- receiving

    /// `ReceiveMessage`. Messages whose receive count already equals the
    /// redrive policy's `maxReceiveCount` are not returned: this receive would
    /// make their count exceed it, so they are moved to the dead-letter queue
    /// instead (returned in `moved`, for the broker to place).
    ///
    /// This is the AWS rule: "the maxReceiveCount is the number of times a
    /// consumer can receive a message from a source queue before it is moved
    /// to a dead-letter queue", and SQS moves it "after the value of
    /// maxReceiveCount is exceeded". So with `maxReceiveCount = 3` a message is
    /// received 3 times and moved at the 4th receive attempt — not after the
    /// third failure, and not on some later receive.
    #[allow(clippy::too_many_arguments)]
    pub fn receive<E: From<BrokerEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        actor: &ActorId,
        max_messages: u32,
        visibility_timeout_ms: u64,
        ids: &mut IdCounters,
        moved: &mut Vec<Entry>,
    ) -> Result<Vec<ReceivedMessage>, SimError> {
        let limit = self.config.in_flight_limit();
        if !self.is_fifo() && self.counts.in_flight >= limit && self.has_receivable() {
            k.record(
                actor.clone(),
                TraceKind::ReceiveRejected,
                None,
                TraceDetails {
                    queue: Some(self.name.clone()),
                    reason: Some(Cow::Borrowed("OverLimit: in-flight quota reached")),
                    ..TraceDetails::default()
                },
            );
            return Err(SimError::OverLimit {
                queue: self.name.to_string(),
                max_in_flight: limit,
            });
        }
        let request = ids.receive_request();
        let max = max_messages as usize;
        // At most 10: room for all at once rather than growing step by step.
        let mut out = Vec::with_capacity(max);
        if self.is_fifo() {
            self.receive_fifo(
                k,
                actor,
                max,
                visibility_timeout_ms,
                ids,
                request,
                &mut out,
                moved,
            );
        } else {
            while out.len() < max && self.counts.in_flight < limit {
                let Some(((_, key), ())) = self.ready.pop_first() else {
                    break;
                };
                if self.must_dead_letter(key) {
                    moved.extend(self.dead_letter_entry(k, key));
                    continue;
                }
                out.extend(self.deliver(k, actor, key, visibility_timeout_ms, ids, request));
            }
        }
        Ok(out)
    }

    #[allow(clippy::too_many_arguments)]
    fn receive_fifo<E: From<BrokerEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        actor: &ActorId,
        max: usize,
        visibility_timeout_ms: u64,
        ids: &mut IdCounters,
        request: u64,
        out: &mut Vec<ReceivedMessage>,
        moved: &mut Vec<Entry>,
    ) {
        // FIFO past the in-flight quota: AWS returns no error, just nothing.
        let limit = self.config.in_flight_limit();
        while out.len() < max && self.counts.in_flight < limit {
            let Some(group) = self.groups.pop_available() else {
                break;
            };
            let mut index = 0;
            while out.len() < max && self.counts.in_flight < limit {
                let Some(key) = self.groups.key_at(&group, index) else {
                    break;
                };
                if self.entries.get(key).map(|e| e.state) != Some(EntryState::Ready) {
                    break;
                }
                if self.must_dead_letter(key) {
                    // The next message of the group moves up to `index`.
                    moved.extend(self.dead_letter_entry(k, key));
                    continue;
                }
                out.extend(self.deliver(k, actor, key, visibility_timeout_ms, ids, request));
                index += 1;
            }
            self.refresh_group(&group);
        }
    }

    fn must_dead_letter(&self, key: u64) -> bool {
        match (&self.dead_letter, self.entries.get(key)) {
            (Some(target), Some(entry)) => entry.receive_count >= target.max_receive_count,
            _ => false,
        }
    }

    /// Removes a receivable message that has used up its receives, and traces
    /// the move. The caller hands the entry to the dead-letter queue.
    fn dead_letter_entry<E: From<BrokerEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        key: u64,
    ) -> Option<Entry> {
        let entry = self.remove_entry(key)?;
        self.stats.moved_to_dlq += 1;
        let mut d = details(&self.name, &entry);
        d.destination = self.dead_letter.as_ref().map(|t| t.name.clone());
        d.reason = Some(Cow::Borrowed(
            "receive count would exceed max_receive_count",
        ));
        k.record(
            self.actor(),
            TraceKind::MovedToDlq,
            Some(entry.message_id),
            d,
        );
        Some(entry)
    }

    fn deliver<E: From<BrokerEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        actor: &ActorId,
        key: u64,
        visibility_timeout_ms: u64,
        ids: &mut IdCounters,
        request: u64,
    ) -> Option<ReceivedMessage> {
        let now = k.now_ms();
        let fifo = self.is_fifo();
        let entry = self.entries.get_mut(key)?;
        let receipt = ids.receipt();
        let until = now + visibility_timeout_ms;
        self.receipts.insert(receipt, key);
        self.counts.waiting -= 1;
        self.counts.in_flight += 1;
        self.stats.received += 1;
        entry.receive_count += 1;
        if entry.receive_count == 1 {
            entry.first_received_at_ms = now;
        }
        entry.state = EntryState::InFlight {
            receipt,
            until_ms: until,
        };
        entry.receipts.push(receipt);
        entry.received_at_ms = now;
        if fifo {
            if let Some(group) = &entry.group_id {
                self.groups.mark_in_flight(group);
            }
        }
        let message = ReceivedMessage {
            queue: self.name.clone(),
            message_id: entry.message_id,
            copy: entry.copy,
            receipt_handle: receipt,
            payload: entry.payload.clone(),
            receive_count: entry.receive_count,
            first_received_at_ms: entry.first_received_at_ms,
            group_id: entry.group_id.clone(),
            dedup_id: entry.dedup_id.clone(),
            sequence_number: entry.sequence,
            sent_at_ms: entry.sent_at_ms,
            visible_again_at_ms: until,
        };
        let mut d = details(&self.name, entry);
        d.receipt_handle = Some(receipt);
        d.receive_request = Some(request);
        d.next_at_ms = Some(until);
        k.record(
            actor.clone(),
            TraceKind::Received,
            Some(message.message_id),
            d,
        );
        self.expire_visibility_at(k, until, key, receipt);
        Some(message)
    }
}
