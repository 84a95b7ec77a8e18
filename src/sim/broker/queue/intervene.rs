//! A queue's side of interventions (issue 19, `docs/interventions.md`):
//! dropping, duplicating and delaying one stored message by hand. Each
//! keeps the queue's indexes and counts as a send, receive or delete
//! would, and says what it did in the trace so the invariant checkers'
//! ledger follows.

use std::borrow::Cow;

use super::{details, Entry, EntryState, Queue, Receipts};
use crate::sim::broker::events::BrokerEvent;
use crate::sim::kernel::Kernel;
use crate::sim::trace::{ActorId, MessageId, TraceKind};

impl Queue {
    /// The key of the stored copy `copy` of message `id` (the lowest
    /// stored copy when `copy` is `None`).
    pub(crate) fn find_stored(&self, id: MessageId, copy: Option<u8>) -> Option<u64> {
        self.entries
            .iter()
            .filter(|(_, e)| e.message_id == id && copy.is_none_or(|c| c == e.copy))
            .min_by_key(|(_, e)| e.copy)
            .map(|(key, _)| key)
    }

    /// The state of a stored message, for the world's checks before acting.
    pub(crate) fn stored_in_flight(&self, key: u64) -> bool {
        self.entries
            .get(key)
            .is_some_and(|e| matches!(e.state, EntryState::InFlight { .. }))
    }

    /// Removes a stored message: it is never received (again). A consumer
    /// holding it finds its delete ignored ("already left the queue").
    pub(crate) fn drop_stored<E>(&mut self, k: &mut Kernel<E>, key: u64) {
        let Some(entry) = self.remove_entry(key) else {
            return;
        };
        let mut d = details(&self.name, &entry);
        d.reason = Some(Cow::Borrowed("dropped by an intervention"));
        k.record(
            ActorId::External,
            TraceKind::MessageDropped,
            Some(entry.message_id),
            d,
        );
    }

    /// Stores one more copy of a message, receivable now, with a receive
    /// count of 0 (a copy SQS stores twice is received on its own).
    pub(crate) fn duplicate_stored<E: From<BrokerEvent>>(&mut self, k: &mut Kernel<E>, key: u64) {
        let now = k.now_ms();
        let Some(original) = self.entries.get(key) else {
            return;
        };
        let id = original.message_id;
        let copy = self
            .entries
            .values()
            .filter(|e| e.message_id == id)
            .map(|e| e.copy)
            .max()
            .unwrap_or(0)
            .saturating_add(1);
        let entry = Entry {
            copy,
            sequence: 0,
            state: EntryState::Ready,
            ready_since_ms: now,
            receive_count: 0,
            receipts: Receipts::default(),
            received_at_ms: 0,
            first_received_at_ms: 0,
            ..original.clone()
        };
        let stored = self.store(k, entry, now);
        self.stats.duplicated += 1;
        let Some(entry) = self.entries.get(stored) else {
            return;
        };
        let mut d = details(&self.name, entry);
        d.receive_count = None;
        d.next_at_ms = Some(now);
        d.reason = Some(Cow::Borrowed("duplicated by an intervention"));
        k.record(ActorId::External, TraceKind::Duplicated, Some(id), d);
    }

    /// Makes a waiting or delayed message receivable only at `until_ms`.
    /// The world refuses in-flight messages and FIFO queues beforehand.
    pub(crate) fn delay_stored<E: From<BrokerEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        key: u64,
        until_ms: u64,
    ) {
        let Some(entry) = self.entries.get_mut(key) else {
            return;
        };
        match entry.state {
            EntryState::Ready => {
                self.ready.remove(&(entry.ready_since_ms, key));
                self.counts.waiting -= 1;
                self.counts.delayed += 1;
            }
            EntryState::Delayed { .. } => {}
            EntryState::InFlight { .. } => return,
        }
        entry.state = EntryState::Delayed { until_ms };
        let mut d = details(&self.name, entry);
        d.next_at_ms = Some(until_ms);
        d.reason = Some(Cow::Borrowed("delayed by an intervention"));
        let id = entry.message_id;
        k.record(ActorId::External, TraceKind::MessageDelayed, Some(id), d);
        k.schedule(
            until_ms,
            BrokerEvent::MessageAvailable {
                queue: self.index,
                key,
            }
            .into(),
        );
    }
}
