//! The ledger: every queue's contents and every topic's open deliveries,
//! rebuilt from the trace alone.
//!
//! Applying an event that does not fit the ledger (deleting a message that is
//! not there, receiving one twice) is itself an accounting violation: it
//! means the trace and the engine disagree about where a message is.

use std::collections::{BTreeMap, BTreeSet};

use crate::invariants::{Invariant, Violation};
use crate::sim::snapshot::WorldSnapshot;
use crate::sim::Name;
use crate::sim::{MessageId, TraceEvent, TraceKind};

/// Where a message is, as the trace tells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrackedState {
    /// Stored; receivable from `available_at_ms` on.
    Waiting {
        /// When it becomes (or became) receivable.
        available_at_ms: u64,
    },
    /// Received in request `request` under `receipt`, hidden until `until_ms`.
    InFlight {
        /// Current receipt handle.
        receipt: u64,
        /// Visibility deadline.
        until_ms: u64,
        /// The receive call.
        request: u64,
    },
}

/// One stored message copy.
#[derive(Clone, Debug)]
pub struct Tracked {
    /// State.
    pub state: TrackedState,
    /// Receives in this queue.
    pub receive_count: u32,
    /// Most recent receipt handle.
    pub last_receipt: Option<u64>,
    /// FIFO group.
    pub group: Option<Name>,
    /// Arrival order in this queue.
    pub arrival: u64,
}

/// A message copy in a queue: (id, copy).
pub type CopyKey = (MessageId, u8);

/// One queue as the trace tells it.
#[derive(Debug, Default)]
pub struct QueueLedger {
    /// FIFO queue.
    pub fifo: bool,
    /// Redrive policy: (dead-letter queue, max receive count).
    pub redrive: Option<(Name, u32)>,
    /// Stored copies.
    pub messages: BTreeMap<CopyKey, Tracked>,
    /// FIFO: group -> (arrival, key) of stored messages.
    pub groups: BTreeMap<Name, BTreeSet<(u64, CopyKey)>>,
    next_arrival: u64,
}

impl QueueLedger {
    fn insert(&mut self, key: CopyKey, group: Option<Name>, available_at_ms: u64) -> bool {
        let arrival = self.next_arrival;
        self.next_arrival += 1;
        if self.fifo {
            if let Some(g) = &group {
                self.groups
                    .entry(g.clone())
                    .or_default()
                    .insert((arrival, key));
            }
        }
        self.messages
            .insert(
                key,
                Tracked {
                    state: TrackedState::Waiting { available_at_ms },
                    receive_count: 0,
                    last_receipt: None,
                    group,
                    arrival,
                },
            )
            .is_none()
    }

    fn remove(&mut self, key: CopyKey) -> Option<Tracked> {
        let tracked = self.messages.remove(&key)?;
        if let Some(g) = &tracked.group {
            if let Some(set) = self.groups.get_mut(g) {
                set.remove(&(tracked.arrival, key));
                if set.is_empty() {
                    self.groups.remove(g);
                }
            }
        }
        Some(tracked)
    }
}

/// Every queue and topic as the trace tells it.
#[derive(Debug, Default)]
pub struct Ledger {
    /// Queues by name.
    pub queues: BTreeMap<Name, QueueLedger>,
    /// Topic -> subscription names.
    pub subscriptions: BTreeMap<Name, Vec<Name>>,
    /// Open deliveries: (message, topic, subscription).
    pub pending: BTreeSet<(MessageId, Name, Name)>,
}

fn violation(event: &TraceEvent, what: String) -> Violation {
    Violation::at(Invariant::Accounting, event, what)
}

impl Ledger {
    /// An empty ledger for the topology of `snapshot`.
    pub fn new(snapshot: &WorldSnapshot) -> Self {
        let mut ledger = Ledger::default();
        for q in &snapshot.queues {
            ledger.queues.insert(
                q.name.clone(),
                QueueLedger {
                    fifo: q.config.fifo,
                    redrive: q
                        .config
                        .redrive_policy
                        .as_ref()
                        .map(|p| (Name::from(&p.dead_letter_queue), p.max_receive_count)),
                    ..QueueLedger::default()
                },
            );
        }
        for t in &snapshot.topics {
            ledger.subscriptions.insert(
                t.name.clone(),
                t.config
                    .subscriptions
                    .iter()
                    .map(|s| Name::from(&s.name))
                    .collect(),
            );
        }
        ledger
    }

    /// The queue an event happened in.
    pub fn queue_of(&self, event: &TraceEvent) -> Option<&QueueLedger> {
        event.details.queue().and_then(|q| self.queues.get(q))
    }

    /// The tracked copy an event is about.
    pub fn tracked(&self, event: &TraceEvent) -> Option<&Tracked> {
        let id = event.message_id?;
        self.queue_of(event)?
            .messages
            .get(&(id, event.details.copy()))
    }

    /// Applies one event: a flat table from the event's kind to the move
    /// it makes in the ledger.
    pub fn apply(&mut self, event: &TraceEvent) -> Result<(), Violation> {
        match event.kind {
            TraceKind::Sent | TraceKind::Duplicated => self.store(event),
            TraceKind::Received => self.receive(event),
            TraceKind::VisibleAgain => self.make_visible(event),
            TraceKind::VisibilityChanged => self.change_visibility(event),
            TraceKind::Deleted => self.delete(event),
            TraceKind::Expired => self.expire(event),
            TraceKind::MessageDropped | TraceKind::MessageDelayed => self.apply_intervened(event),
            TraceKind::MovedToDlq if event.details.topic().is_some() => {
                self.close_delivery(event, true)
            }
            TraceKind::MovedToDlq | TraceKind::Redriven => self.move_to_other_queue(event),
            TraceKind::Published => self.publish(event),
            TraceKind::FilteredOut | TraceKind::Delivered => self.close_delivery(event, true),
            TraceKind::Dropped => self.close_delivery(event, false),
            TraceKind::DeliveryRetried => self.retry_delivery(event),
            TraceKind::Deduplicated
            | TraceKind::SendRejected
            | TraceKind::ReceiveRejected
            | TraceKind::DeleteIgnored
            | TraceKind::ProcessingFailed
            | TraceKind::FaultInjected
            | TraceKind::Intervened => Ok(()),
            // Function, mapping and store events (part 2) move no message:
            // what a mapping does to its batch shows up as queue events.
            _ => Ok(()),
        }
    }

    /// A message an intervention dropped or delayed (docs/interventions.md).
    fn apply_intervened(&mut self, event: &TraceEvent) -> Result<(), Violation> {
        let d = &event.details;
        let now = event.time_ms;
        let (queue, id) = self.queue_and_id(event)?;
        if event.kind == TraceKind::MessageDropped {
            if queue.remove((id, d.copy())).is_none() {
                return Err(violation(
                    event,
                    format!("{id} dropped but not in the queue"),
                ));
            }
            return Ok(());
        }
        let Some(t) = queue.messages.get_mut(&(id, d.copy())) else {
            return Err(violation(
                event,
                format!("{id} delayed but not in the queue"),
            ));
        };
        t.state = TrackedState::Waiting {
            available_at_ms: d.next_at_ms().unwrap_or(now),
        };
        Ok(())
    }

    /// `Sent`, `Duplicated`: a new copy is stored.
    fn store(&mut self, event: &TraceEvent) -> Result<(), Violation> {
        let d = &event.details;
        let (queue, id) = self.queue_and_id(event)?;
        let available = d.next_at_ms().unwrap_or(event.time_ms);
        if !queue.insert((id, d.copy()), d.group_id().cloned(), available) {
            return Err(violation(
                event,
                format!("{id} copy {} stored twice", d.copy()),
            ));
        }
        Ok(())
    }

    /// The stored copy an event is about, or a violation saying that it is
    /// not in the queue (`what`: "received", "changed", ...).
    fn stored_mut<'a>(
        &'a mut self,
        event: &TraceEvent,
        what: &str,
    ) -> Result<(MessageId, &'a mut Tracked), Violation> {
        let copy = event.details.copy();
        let (queue, id) = self.queue_and_id(event)?;
        match queue.messages.get_mut(&(id, copy)) {
            Some(t) => Ok((id, t)),
            None => Err(violation(
                event,
                format!("{id} {what} but not in the queue"),
            )),
        }
    }

    /// `Received`: in flight under a new receipt, one receive more.
    fn receive(&mut self, event: &TraceEvent) -> Result<(), Violation> {
        let d = &event.details;
        let (_, t) = self.stored_mut(event, "received")?;
        let count = d.receive_count().unwrap_or(0);
        if count != t.receive_count + 1 {
            return Err(Violation::at(
                Invariant::ReceiveCount,
                event,
                format!("receive count went from {} to {count}", t.receive_count),
            ));
        }
        t.receive_count = count;
        let receipt = d.receipt_handle().unwrap_or(0);
        t.last_receipt = Some(receipt);
        t.state = TrackedState::InFlight {
            receipt,
            until_ms: d.next_at_ms().unwrap_or(event.time_ms),
            request: d.receive_request().unwrap_or(0),
        };
        Ok(())
    }

    /// `VisibleAgain`: waiting again from now.
    fn make_visible(&mut self, event: &TraceEvent) -> Result<(), Violation> {
        let (_, t) = self.stored_mut(event, "visible again")?;
        t.state = TrackedState::Waiting {
            available_at_ms: event.time_ms,
        };
        Ok(())
    }

    /// `VisibilityChanged`: a new deadline, under the current receipt only.
    fn change_visibility(&mut self, event: &TraceEvent) -> Result<(), Violation> {
        let d = &event.details;
        let (id, t) = self.stored_mut(event, "changed")?;
        match &mut t.state {
            TrackedState::InFlight {
                receipt, until_ms, ..
            } if Some(*receipt) == d.receipt_handle() => {
                *until_ms = d.next_at_ms().unwrap_or(event.time_ms);
                Ok(())
            }
            _ => Err(violation(
                event,
                format!("{id} changed while not in flight under that receipt"),
            )),
        }
    }

    /// `Deleted`: gone, with its most recent receipt only.
    fn delete(&mut self, event: &TraceEvent) -> Result<(), Violation> {
        let d = &event.details;
        let (queue, id) = self.queue_and_id(event)?;
        let key = (id, d.copy());
        match queue.messages.get(&key) {
            Some(t) if t.last_receipt.is_some() && t.last_receipt == d.receipt_handle() => {
                queue.remove(key);
                Ok(())
            }
            Some(_) => Err(violation(
                event,
                format!("{id} deleted with a receipt that is not its most recent one"),
            )),
            None => Err(violation(
                event,
                format!("{id} deleted but not in the queue"),
            )),
        }
    }

    /// `Expired`: gone at the end of its retention.
    fn expire(&mut self, event: &TraceEvent) -> Result<(), Violation> {
        let copy = event.details.copy();
        let (queue, id) = self.queue_and_id(event)?;
        if queue.remove((id, copy)).is_none() {
            return Err(violation(
                event,
                format!("{id} expired but not in the queue"),
            ));
        }
        Ok(())
    }

    /// `MovedToDlq` (by a queue's redrive policy) and `Redriven`: out of one
    /// queue and into another.
    fn move_to_other_queue(&mut self, event: &TraceEvent) -> Result<(), Violation> {
        let d = &event.details;
        let (queue, id) = self.queue_and_id(event)?;
        let Some(t) = queue.remove((id, d.copy())) else {
            return Err(violation(event, format!("{id} moved but not in the queue")));
        };
        let Some(target) = d.destination().and_then(|n| self.queues.get_mut(n)) else {
            return Err(violation(event, format!("{id} moved to an unknown queue")));
        };
        if !target.insert((id, d.copy()), t.group, event.time_ms) {
            return Err(violation(
                event,
                format!("{id} moved into a queue that already holds it"),
            ));
        }
        // A dead-lettered message keeps its receive count (as on AWS); a
        // redriven one starts over (see `Queue::accept_moved`).
        if event.kind == TraceKind::MovedToDlq {
            if let Some(moved) = target.messages.get_mut(&(id, d.copy())) {
                moved.receive_count = t.receive_count;
            }
        }
        Ok(())
    }

    /// `Published`: a delivery opens to every subscription of the topic.
    fn publish(&mut self, event: &TraceEvent) -> Result<(), Violation> {
        let (Some(topic), Some(id)) = (event.details.topic(), event.message_id) else {
            return Err(violation(event, "publish without topic or id".into()));
        };
        for sub in self.subscriptions.get(topic).cloned().unwrap_or_default() {
            self.pending.insert((id, topic.clone(), sub));
        }
        Ok(())
    }

    /// `DeliveryRetried`: only a delivery under way is retried.
    fn retry_delivery(&mut self, event: &TraceEvent) -> Result<(), Violation> {
        let key = self.delivery_key(event)?;
        if !self.pending.contains(&key) {
            return Err(violation(
                event,
                format!("retry of {} which is not under way", key.0),
            ));
        }
        Ok(())
    }

    fn queue_and_id(
        &mut self,
        event: &TraceEvent,
    ) -> Result<(&mut QueueLedger, MessageId), Violation> {
        let id = event
            .message_id
            .ok_or_else(|| violation(event, "queue event without a message id".into()))?;
        let queue = event
            .details
            .queue()
            .and_then(|q| self.queues.get_mut(q))
            .ok_or_else(|| violation(event, "event in an unknown queue".into()))?;
        Ok((queue, id))
    }

    fn delivery_key(&self, event: &TraceEvent) -> Result<(MessageId, Name, Name), Violation> {
        match (
            event.message_id,
            event.details.topic(),
            event.details.subscription(),
        ) {
            (Some(id), Some(t), Some(s)) => Ok((id, t.clone(), s.clone())),
            _ => Err(violation(
                event,
                "delivery event without message, topic or subscription".into(),
            )),
        }
    }

    /// Ends a delivery. `strict`: it must have been under way (a `Dropped`
    /// may follow a `MovedToDlq` whose dead-letter queue refused the message).
    fn close_delivery(&mut self, event: &TraceEvent, strict: bool) -> Result<(), Violation> {
        let key = self.delivery_key(event)?;
        if !self.pending.remove(&key) && strict {
            return Err(violation(
                event,
                format!("delivery of {} ended twice or never began", key.0),
            ));
        }
        Ok(())
    }
}
