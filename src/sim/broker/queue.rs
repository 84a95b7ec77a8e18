//! One SQS queue, standard or FIFO: storing, receiving, visibility, deletion,
//! retention and the dead-letter decision.

mod intervene;
mod receive;
mod send;

use std::borrow::Cow;
use std::collections::VecDeque;

use crate::sim::aws;
use crate::sim::broker::append_map::AppendMap;
use crate::sim::broker::dedup_window::DedupWindow;
use crate::sim::broker::entry_store::EntryStore;
use crate::sim::broker::events::BrokerEvent;
use crate::sim::broker::fifo_groups::FifoGroups;
use crate::sim::broker::message::{DeleteOutcome, Payload};
use crate::sim::broker::queue_config::QueueConfig;
use crate::sim::error::SimError;
use crate::sim::kernel::{Kernel, Latency, SimRng};
use crate::sim::name::Name;
use crate::sim::snapshot::{MessageSnapshot, MessageState, QueueCounts, QueueSnapshot, QueueStats};
use crate::sim::trace::{ActorId, MessageId, TraceDetails, TraceKind};

/// The queue a source queue dead-letters into.
#[derive(Clone, Debug)]
pub(crate) struct DeadLetterTarget {
    pub queue: usize,
    pub name: Name,
    pub max_receive_count: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EntryState {
    Delayed { until_ms: u64 },
    Ready,
    InFlight { receipt: u64, until_ms: u64 },
}

/// A stored message (one copy).
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub message_id: MessageId,
    pub copy: u8,
    pub payload: Payload,
    pub group_id: Option<Name>,
    pub dedup_id: Option<Name>,
    pub sequence: u64,
    pub sent_at_ms: u64,
    pub expires_at_ms: u64,
    pub state: EntryState,
    pub ready_since_ms: u64,
    pub receive_count: u32,
    pub receipts: Receipts,
    pub received_at_ms: u64,
    /// `ApproximateFirstReceiveTimestamp`: set by the first receive and
    /// kept through later receives and a dead-letter move (AWS keeps it).
    pub first_received_at_ms: u64,
    /// The queue this message was dead-lettered from (redrive-to-source).
    pub source_queue: Option<usize>,
}

/// The receipt handles a message was received with since it was stored.
/// Most messages are received once, so the latest is kept inline and only
/// a message received again allocates (one allocation per message was a
/// noticeable share of a broker run).
#[derive(Clone, Debug, Default)]
pub(crate) struct Receipts {
    latest: Option<u64>,
    earlier: Vec<u64>,
}

impl Receipts {
    /// The most recent receipt handle: the only one that deletes.
    pub fn latest(&self) -> Option<u64> {
        self.latest
    }

    /// Adds the handle of a new receive.
    pub fn push(&mut self, receipt: u64) {
        if let Some(previous) = self.latest.replace(receipt) {
            self.earlier.push(previous);
        }
    }

    /// Every handle, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = u64> + '_ {
        self.earlier.iter().copied().chain(self.latest)
    }
}

/// What a send asks a queue to store.
pub(crate) struct SendInput {
    pub payload: Payload,
    pub group_id: Option<Name>,
    pub dedup_id: Option<Name>,
    pub delay_ms: Option<u64>,
    pub related: Option<MessageId>,
}

/// Who waits in a long poll on a queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Waiter {
    Consumer {
        consumer: usize,
        worker: usize,
        poll_id: u64,
    },
    /// An event source mapping's poller slot (long poll or batching window).
    Mapping {
        mapping: usize,
        slot: usize,
        poll_id: u64,
    },
}

/// Run-wide counters of ids, shared by all queues.
#[derive(Clone, Default)]
pub(crate) struct IdCounters {
    pub next_message_id: u64,
    pub next_receipt: u64,
    pub next_receive_request: u64,
}

impl IdCounters {
    pub fn message_id(&mut self) -> MessageId {
        self.next_message_id += 1;
        MessageId(self.next_message_id)
    }

    fn receipt(&mut self) -> u64 {
        self.next_receipt += 1;
        self.next_receipt
    }

    pub fn receive_request(&mut self) -> u64 {
        self.next_receive_request += 1;
        self.next_receive_request
    }
}

/// One queue's state.
#[derive(Clone)]
pub(crate) struct Queue {
    pub index: usize,
    pub name: Name,
    pub config: QueueConfig,
    pub dead_letter: Option<DeadLetterTarget>,
    /// Long polls waiting for a message, oldest first.
    waiters: VecDeque<Waiter>,
    /// Messages became receivable since the world last woke waiters.
    wake_requests: u32,
    jitter: Latency,
    max_messages: usize,
    entries: EntryStore<Entry>,
    /// Standard queues: receivable messages by (visible since, key).
    ready: AppendMap<(u64, u64), ()>,
    /// FIFO queues: the groups.
    groups: FifoGroups,
    /// Stored messages by (expiry time, key).
    expiry: AppendMap<(u64, u64), ()>,
    sweep_at: Option<u64>,
    /// Receipt handle -> key, for every receipt of a stored message.
    receipts: AppendMap<u64, u64>,
    dedup: DedupWindow,
    send_log: VecDeque<u64>,
    /// During a `SendMessageBatch`: whether the call is already on
    /// `send_log`. AWS counts FIFO send quota per API call, not per entry, so
    /// a batch is logged (and checked) once.
    batch_logged: Option<bool>,
    counts: QueueCounts,
    stats: QueueStats,
    next_key: u64,
    rng: SimRng,
}

/// The details of a queue event about a stored message. Inlined, like
/// `Kernel::record`, so that the fields a caller sets or clears afterwards
/// fold into the stored event instead of a wide struct built in memory
/// (several hundred instructions per event when it was a call).
#[inline(always)]
fn details(queue: &Name, entry: &Entry) -> TraceDetails {
    TraceDetails {
        queue: Some(queue.clone()),
        copy: entry.copy,
        group_id: entry.group_id.clone(),
        sequence_number: Some(entry.sequence),
        receive_count: Some(entry.receive_count),
        ..TraceDetails::default()
    }
}

/// Long polls: the verbs consumers, mappings and the world use to wait on
/// a queue and to be woken when messages become receivable.
impl Queue {
    /// A long poll (or a mapping's batching window) starts waiting.
    pub fn wait(&mut self, waiter: Waiter) {
        self.waiters.push_back(waiter);
    }

    /// A waiter stops waiting (its poll timed out, its window closed).
    pub fn stop_waiting(&mut self, waiter: Waiter) {
        self.waiters.retain(|w| *w != waiter);
    }

    /// The waiters to wake, oldest first: one per message that became
    /// receivable since the last call (whose count starts again at zero).
    pub fn wake_waiters(&mut self) -> std::collections::vec_deque::Drain<'_, Waiter> {
        let wakes = std::mem::take(&mut self.wake_requests) as usize;
        let count = wakes.min(self.waiters.len());
        self.waiters.drain(..count)
    }
}

impl Queue {
    pub fn new(index: usize, config: QueueConfig, root_seed: u64, max_messages: usize) -> Self {
        let rng = SimRng::for_subsystem(root_seed, &format!("queue:{}", config.name));
        Queue {
            index,
            name: Name::from(&config.name),
            jitter: config.jitter(),
            config,
            dead_letter: None,
            waiters: VecDeque::new(),
            wake_requests: 0,
            max_messages,
            entries: EntryStore::default(),
            ready: AppendMap::default(),
            groups: FifoGroups::default(),
            expiry: AppendMap::default(),
            sweep_at: None,
            receipts: AppendMap::default(),
            dedup: DedupWindow::default(),
            send_log: VecDeque::new(),
            batch_logged: None,
            counts: QueueCounts::default(),
            stats: QueueStats::default(),
            next_key: 0,
            rng,
        }
    }

    pub fn is_fifo(&self) -> bool {
        self.config.fifo
    }

    pub fn counts(&self) -> QueueCounts {
        self.counts
    }

    /// True if a receive now would return (or dead-letter) something.
    pub fn has_receivable(&self) -> bool {
        if self.is_fifo() {
            self.groups.any_available()
        } else {
            !self.ready.is_empty()
        }
    }

    fn actor(&self) -> ActorId {
        ActorId::Queue(self.name.clone())
    }

    // ------------------------------------------------------ after a receive

    /// `DeleteMessage`. Only the most recent receipt handle deletes; an older
    /// one succeeds without deleting (AWS: "you must provide the most recently
    /// received ReceiptHandle ... otherwise, the request succeeds, but the
    /// message will not be deleted"). A current receipt still deletes after
    /// the visibility timeout expired if nobody received the message since.
    pub fn delete<E: From<BrokerEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        actor: &ActorId,
        receipt: u64,
        ids: &IdCounters,
    ) -> Result<DeleteOutcome, SimError> {
        let ignored = |k: &mut Kernel<E>, reason: &'static str, message_id: Option<MessageId>| {
            k.record(
                actor.clone(),
                TraceKind::DeleteIgnored,
                message_id,
                TraceDetails {
                    queue: Some(self.name.clone()),
                    receipt_handle: Some(receipt),
                    reason: Some(Cow::Borrowed(reason)),
                    ..TraceDetails::default()
                },
            );
        };
        let Some(&key) = self.receipts.get(&receipt) else {
            if receipt == 0 || receipt > ids.next_receipt {
                return Err(SimError::InvalidReceiptHandle {
                    queue: self.name.to_string(),
                    receipt_handle: receipt,
                });
            }
            ignored(k, "the message already left the queue", None);
            return Ok(DeleteOutcome::AlreadyGone);
        };
        let Some(entry) = self.entries.get(key) else {
            ignored(k, "the message already left the queue", None);
            return Ok(DeleteOutcome::AlreadyGone);
        };
        if entry.receipts.latest() != Some(receipt) {
            let id = entry.message_id;
            ignored(
                k,
                "not the most recent receipt handle of the message",
                Some(id),
            );
            return Ok(DeleteOutcome::StaleReceipt);
        }
        let Some(entry) = self.remove_entry(key) else {
            return Ok(DeleteOutcome::AlreadyGone);
        };
        self.stats.deleted += 1;
        let mut d = details(&self.name, &entry);
        d.receipt_handle = Some(receipt);
        k.record(actor.clone(), TraceKind::Deleted, Some(entry.message_id), d);
        Ok(DeleteOutcome::Deleted)
    }

    /// `ChangeMessageVisibility`: the new timeout counts from now (AWS: the
    /// clock restarts at the change), and the total since the receive may not
    /// pass 12 hours.
    pub fn change_visibility<E: From<BrokerEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        actor: &ActorId,
        receipt: u64,
        visibility_timeout_ms: u64,
    ) -> Result<(), SimError> {
        let now = k.now_ms();
        crate::sim::error::check_range(
            &format!("queue {}", self.name),
            "visibility_timeout_ms",
            visibility_timeout_ms,
            0,
            aws::VISIBILITY_TIMEOUT_MAX_MS,
        )?;
        let not_in_flight = || SimError::MessageNotInFlight {
            queue: self.name.to_string(),
            receipt_handle: receipt,
        };
        let key = *self.receipts.get(&receipt).ok_or_else(not_in_flight)?;
        let entry = self.entries.get_mut(key).ok_or_else(not_in_flight)?;
        match entry.state {
            EntryState::InFlight {
                receipt: current, ..
            } if current == receipt => {}
            _ => return Err(not_in_flight()),
        }
        let until = now + visibility_timeout_ms;
        let total = until - entry.received_at_ms;
        if total > aws::VISIBILITY_TIMEOUT_MAX_MS {
            return Err(SimError::VisibilityBeyondMaximum {
                queue: self.name.to_string(),
                requested_ms: total,
                max_ms: aws::VISIBILITY_TIMEOUT_MAX_MS,
            });
        }
        entry.state = EntryState::InFlight {
            receipt,
            until_ms: until,
        };
        let mut d = details(&self.name, entry);
        d.receipt_handle = Some(receipt);
        d.next_at_ms = Some(until);
        let id = entry.message_id;
        k.record(actor.clone(), TraceKind::VisibilityChanged, Some(id), d);
        self.expire_visibility_at(k, until, key, receipt);
        Ok(())
    }

    // ------------------------------------------------------------- timers

    /// The in-flight copy `key` received with `receipt` becomes visible
    /// again at `until` (unless deleted or changed before).
    fn expire_visibility_at<E: From<BrokerEvent>>(
        &self,
        k: &mut Kernel<E>,
        until: u64,
        key: u64,
        receipt: u64,
    ) {
        let expired = BrokerEvent::VisibilityExpired {
            queue: self.index,
            key,
            receipt,
        };
        k.schedule(until, expired.into());
    }

    /// A delay or jitter ended.
    pub fn on_available<E: From<BrokerEvent>>(&mut self, k: &mut Kernel<E>, key: u64) {
        let now = k.now_ms();
        let Some(entry) = self.entries.get_mut(key) else {
            return;
        };
        if !matches!(entry.state, EntryState::Delayed { until_ms } if until_ms <= now) {
            return;
        }
        entry.state = EntryState::Ready;
        let group = entry.group_id.clone();
        self.counts.delayed -= 1;
        self.counts.waiting += 1;
        self.became_ready(key, now, group.as_ref());
    }

    /// A visibility timer fired.
    pub fn on_visibility_expired<E: From<BrokerEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        key: u64,
        receipt: u64,
    ) {
        let now = k.now_ms();
        let Some(entry) = self.entries.get_mut(key) else {
            return;
        };
        if entry.state
            != (EntryState::InFlight {
                receipt,
                until_ms: now,
            })
        {
            return;
        }
        entry.state = EntryState::Ready;
        let group = entry.group_id.clone();
        let d = details(&self.name, entry);
        let id = entry.message_id;
        self.counts.in_flight -= 1;
        self.counts.waiting += 1;
        self.stats.visible_again += 1;
        if self.is_fifo() {
            if let Some(group) = &group {
                self.groups.mark_visible(group);
            }
        }
        k.record(self.actor(), TraceKind::VisibleAgain, Some(id), d);
        self.became_ready(key, now, group.as_ref());
    }

    /// Expires every message whose retention period has passed.
    pub fn on_retention_sweep<E: From<BrokerEvent>>(&mut self, k: &mut Kernel<E>) {
        let now = k.now_ms();
        if self.sweep_at != Some(now) {
            return;
        }
        self.sweep_at = None;
        while let Some(&(expires_at, key)) = self.expiry.first_key() {
            if expires_at > now {
                break;
            }
            let Some(entry) = self.remove_entry(key) else {
                self.expiry.remove(&(expires_at, key));
                continue;
            };
            self.stats.expired += 1;
            let mut d = details(&self.name, &entry);
            d.reason = Some(Cow::Borrowed(match entry.state {
                EntryState::Delayed { .. } => "retention period ended while delayed",
                EntryState::Ready => "retention period ended while waiting",
                EntryState::InFlight { .. } => "retention period ended while in flight",
            }));
            k.record(self.actor(), TraceKind::Expired, Some(entry.message_id), d);
        }
        if let Some(&(next, _)) = self.expiry.first_key() {
            self.schedule_sweep(k, next);
        }
    }

    // ------------------------------------------------------------ redrive

    /// Takes up to `max` waiting messages, oldest first, for a redrive.
    /// In-flight and delayed messages stay.
    /// With `need_source`, only messages that were dead-lettered from a
    /// source queue are taken.
    pub fn take_for_redrive(&mut self, max: usize, need_source: bool) -> Vec<Entry> {
        let keys: Vec<u64> = self
            .entries
            .iter()
            .filter(|(_, e)| {
                e.state == EntryState::Ready && (!need_source || e.source_queue.is_some())
            })
            .map(|(key, _)| key)
            .take(max)
            .collect();
        let taken: Vec<Entry> = keys
            .into_iter()
            .filter_map(|key| self.remove_entry(key))
            .collect();
        self.stats.redriven_out += taken.len() as u64;
        taken
    }

    pub fn count_arrival(&mut self, dead_lettered: bool) {
        if dead_lettered {
            self.stats.dead_lettered_in += 1;
        } else {
            self.stats.redriven_in += 1;
        }
    }

    // ----------------------------------------------------------- removing

    /// Removes a stored message from every index.
    fn remove_entry(&mut self, key: u64) -> Option<Entry> {
        let entry = self.entries.remove(key)?;
        self.expiry.remove(&(entry.expires_at_ms, key));
        for receipt in entry.receipts.iter() {
            self.receipts.remove(&receipt);
        }
        let in_flight = matches!(entry.state, EntryState::InFlight { .. });
        match entry.state {
            EntryState::Delayed { .. } => self.counts.delayed -= 1,
            EntryState::Ready => {
                self.counts.waiting -= 1;
                if !self.is_fifo() {
                    self.ready.remove(&(entry.ready_since_ms, key));
                }
            }
            EntryState::InFlight { .. } => self.counts.in_flight -= 1,
        }
        if self.is_fifo() {
            if let Some(group) = &entry.group_id {
                self.groups.remove(group, key, in_flight);
                self.refresh_group(group);
            }
        }
        Some(entry)
    }

    // ----------------------------------------------------------- snapshot

    pub fn snapshot(&self) -> QueueSnapshot {
        let messages = self
            .entries
            .values()
            .map(|e| MessageSnapshot {
                message_id: e.message_id,
                copy: e.copy,
                state: match e.state {
                    EntryState::Delayed { until_ms } => MessageState::Delayed { until_ms },
                    EntryState::Ready => MessageState::Waiting,
                    EntryState::InFlight { receipt, until_ms } => MessageState::InFlight {
                        receipt_handle: receipt,
                        visible_at_ms: until_ms,
                    },
                },
                receive_count: e.receive_count,
                group_id: e.group_id.clone(),
                dedup_id: e.dedup_id.clone(),
                sequence_number: e.sequence,
                sent_at_ms: e.sent_at_ms,
                expires_at_ms: e.expires_at_ms,
                body: e.payload.body.to_string(),
            })
            .collect();
        QueueSnapshot {
            name: self.name.clone(),
            config: self.config.clone(),
            counts: self.counts,
            stats: self.stats,
            messages,
        }
    }
}
