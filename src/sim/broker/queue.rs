//! One SQS queue, standard or FIFO: storing, receiving, visibility, deletion,
//! retention and the dead-letter decision.

mod intervene;

use std::borrow::Cow;
use std::collections::VecDeque;

use crate::sim::aws;
use crate::sim::broker::append_map::AppendMap;
use crate::sim::broker::dedup_window::{content_dedup_id, DedupWindow};
use crate::sim::broker::entry_store::EntryStore;
use crate::sim::broker::events::BrokerEvent;
use crate::sim::broker::fifo_groups::FifoGroups;
use crate::sim::broker::message::{DeleteOutcome, Payload, ReceivedMessage, SendOutcome};
use crate::sim::broker::queue_config::QueueConfig;
use crate::sim::error::SimError;
use crate::sim::fault::QueueFaults;
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

    // ---------------------------------------------------------------- sending

    /// `SendMessage`: validates, deduplicates (FIFO), stores, and may store a
    /// duplicate copy (standard, at-least-once).
    pub fn send<E: From<BrokerEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        actor: &ActorId,
        input: SendInput,
        ids: &mut IdCounters,
        faults: QueueFaults<'_>,
    ) -> Result<SendOutcome, SimError> {
        let now = k.now_ms();
        let (group_id, dedup_id) = match self.admit(now, &input) {
            Ok(ids) => ids,
            Err(error) => {
                self.rejected(k, actor, &error);
                return Err(error);
            }
        };
        if self.is_fifo() {
            self.log_fifo_send(now);
            if let Some(original) = self.duplicate_of(k, actor, &group_id, &dedup_id) {
                return Ok(SendOutcome {
                    message_id: original,
                    deduplicated: true,
                });
            }
        }
        let message_id = ids.message_id();
        if let Some(dedup) = &dedup_id {
            self.dedup.remember(dedup.clone(), message_id, now);
        }
        let delay = input.delay_ms.unwrap_or(self.config.delay_ms);
        for copy in 0..self.copies(&faults) {
            let jitter = self.arrival_jitter(&faults);
            let entry = self.new_entry(message_id, copy, &input, (&group_id, &dedup_id), now);
            let available_at = now + delay + jitter;
            let key = self.store(k, entry, available_at);
            self.stats.sent += u64::from(copy == 0);
            self.stats.duplicated += u64::from(copy > 0);
            self.record_stored(k, actor, key, &dedup_id, available_at, input.related);
        }
        Ok(SendOutcome {
            message_id,
            deduplicated: false,
        })
    }

    /// A refused send: counted and traced.
    fn rejected<E>(&mut self, k: &mut Kernel<E>, actor: &ActorId, error: &SimError) {
        self.stats.rejected += 1;
        k.record(
            actor.clone(),
            TraceKind::SendRejected,
            None,
            TraceDetails {
                queue: Some(self.name.clone()),
                reason: Some(Cow::Owned(error.to_string())),
                ..TraceDetails::default()
            },
        );
    }

    /// Counts an admitted FIFO send on the send quota (a batch's sends
    /// share one entry).
    fn log_fifo_send(&mut self, now: u64) {
        if self.batch_logged != Some(true) {
            self.send_log.push_back(now);
        }
        if let Some(logged) = &mut self.batch_logged {
            *logged = true;
        }
    }

    /// A FIFO duplicate within the deduplication window: counted, traced
    /// and answered with the original's id.
    fn duplicate_of<E>(
        &mut self,
        k: &mut Kernel<E>,
        actor: &ActorId,
        group_id: &Option<Name>,
        dedup_id: &Option<Name>,
    ) -> Option<MessageId> {
        let dedup = dedup_id.as_ref()?;
        let original = self.dedup.original(dedup, k.now_ms())?;
        self.stats.deduplicated += 1;
        k.record(
            actor.clone(),
            TraceKind::Deduplicated,
            Some(original),
            TraceDetails {
                queue: Some(self.name.clone()),
                group_id: group_id.clone(),
                dedup_id: Some(dedup.clone()),
                related_message_id: Some(original),
                ..TraceDetails::default()
            },
        );
        Some(original)
    }

    /// How many copies to store: a standard queue sometimes stores two
    /// (at-least-once delivery), at its rate or an injected fault's.
    fn copies(&mut self, faults: &QueueFaults<'_>) -> u8 {
        let rate_ppm = faults
            .duplicate_rate_ppm
            .unwrap_or(self.config.duplicate_rate_ppm);
        if !self.is_fifo() && self.rng.chance_ppm(rate_ppm) {
            2
        } else {
            1
        }
    }

    /// The extra time before a stored copy becomes receivable: the queue's
    /// jitter, plus an injected delay fault's.
    fn arrival_jitter(&mut self, faults: &QueueFaults<'_>) -> u64 {
        let mut jitter = self.jitter.sample(&mut self.rng);
        if let Some(extra) = faults.extra_delay {
            jitter += extra.sample(&mut self.rng);
        }
        jitter
    }

    /// A new copy of a sent message, not yet stored.
    fn new_entry(
        &self,
        message_id: MessageId,
        copy: u8,
        input: &SendInput,
        (group_id, dedup_id): (&Option<Name>, &Option<Name>),
        now: u64,
    ) -> Entry {
        Entry {
            message_id,
            copy,
            payload: input.payload.clone(),
            group_id: group_id.clone(),
            dedup_id: dedup_id.clone(),
            sequence: 0,
            sent_at_ms: now,
            expires_at_ms: now + self.config.retention_ms,
            state: EntryState::Ready,
            ready_since_ms: now,
            receive_count: 0,
            receipts: Receipts::default(),
            received_at_ms: 0,
            first_received_at_ms: 0,
            source_queue: None,
        }
    }

    /// Traces a stored copy: `Sent`, or `Duplicated` for the second copy.
    fn record_stored<E>(
        &self,
        k: &mut Kernel<E>,
        actor: &ActorId,
        key: u64,
        dedup_id: &Option<Name>,
        available_at: u64,
        related: Option<MessageId>,
    ) {
        let Some(stored) = self.entries.get(key) else {
            return;
        };
        let mut d = details(&self.name, stored);
        d.receive_count = None;
        d.dedup_id = dedup_id.clone();
        d.next_at_ms = Some(available_at);
        d.related_message_id = related;
        let kind = if stored.copy == 0 {
            TraceKind::Sent
        } else {
            TraceKind::Duplicated
        };
        k.record(actor.clone(), kind, Some(stored.message_id), d);
    }

    /// The checks AWS makes before accepting a send; returns the group and
    /// deduplication ids to use.
    fn admit(
        &mut self,
        now: u64,
        input: &SendInput,
    ) -> Result<(Option<Name>, Option<Name>), SimError> {
        self.check_message(input)?;
        if self.entries.len() >= self.max_messages {
            return Err(SimError::QueueFull {
                queue: self.name.to_string(),
                max_messages: self.max_messages,
            });
        }
        if !self.is_fifo() {
            return Ok((input.group_id.clone(), None));
        }
        let (group, dedup) = self.fifo_ids(input)?;
        self.check_send_rate(now)?;
        Ok((Some(group), Some(dedup)))
    }

    /// The message's own limits: size, attributes, per-message delay.
    fn check_message(&self, input: &SendInput) -> Result<(), SimError> {
        // Every send passes through here: the name is copied into an error
        // only when there is one.
        let queue = || self.name.to_string();
        let bytes = input.payload.size_bytes();
        if bytes > self.config.max_message_bytes {
            return Err(SimError::MessageTooLarge {
                target: format!("queue {}", queue()),
                bytes,
                max_bytes: self.config.max_message_bytes,
            });
        }
        let count = input.payload.attributes.len();
        if count > aws::MESSAGE_ATTRIBUTES_MAX {
            return Err(SimError::TooManyAttributes {
                target: format!("queue {}", queue()),
                count,
                max: aws::MESSAGE_ATTRIBUTES_MAX,
            });
        }
        let Some(delay) = input.delay_ms else {
            return Ok(());
        };
        // AWS takes an explicit 0 on a FIFO queue (LocalStack
        // `test_send_message_with_delay_0_works_for_fifo`, validated
        // against AWS) and refuses any other per-message delay.
        if self.is_fifo() && delay > 0 {
            return Err(SimError::PerMessageDelayOnFifo { queue: queue() });
        }
        crate::sim::error::check_range(
            &format!("send to queue {}", queue()),
            "delay_ms",
            delay,
            0,
            aws::DELAY_MAX_MS,
        )
    }

    /// A FIFO send's group and deduplication ids (given, or the body's
    /// hash under content-based deduplication).
    fn fifo_ids(&self, input: &SendInput) -> Result<(Name, Name), SimError> {
        let target = || format!("queue {}", self.name);
        let Some(group) = input.group_id.clone() else {
            return Err(SimError::MissingMessageGroupId { target: target() });
        };
        let dedup = match (&input.dedup_id, self.config.content_based_deduplication) {
            (Some(id), _) => id.clone(),
            (None, true) => content_dedup_id(&input.payload.body),
            (None, false) => return Err(SimError::MissingDeduplicationId { target: target() }),
        };
        Ok((group, dedup))
    }

    /// The FIFO send quota over the last second (a batch whose call is
    /// already counted was admitted by it).
    fn check_send_rate(&mut self, now: u64) -> Result<(), SimError> {
        while let Some(&t) = self.send_log.front() {
            if t + aws::SECOND_MS <= now {
                self.send_log.pop_front();
            } else {
                break;
            }
        }
        let rate = self.config.send_rate_limit();
        if self.batch_logged != Some(true) && self.send_log.len() >= rate as usize {
            return Err(SimError::SendThrottled {
                queue: self.name.to_string(),
                max_sends_per_second: rate,
            });
        }
        Ok(())
    }

    /// Starts (`true`) or ends (`false`) a `SendMessageBatch` call: between
    /// the two, sends share one entry on the FIFO send quota.
    pub fn set_batch_call(&mut self, in_batch: bool) {
        self.batch_logged = in_batch.then_some(false);
    }

    /// The largest body this queue accepts, in bytes.
    pub fn max_message_bytes(&self) -> usize {
        self.config.max_message_bytes
    }

    /// Stores an entry that becomes receivable at `available_at`; returns its key.
    fn store<E: From<BrokerEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        mut entry: Entry,
        available_at: u64,
    ) -> u64 {
        let now = k.now_ms();
        let key = self.next_key;
        self.next_key += 1;
        entry.sequence = key;
        let expires_at = entry.expires_at_ms;
        if let Some(group) = &entry.group_id {
            if self.is_fifo() {
                self.groups.push(group, key);
            }
        }
        let delayed = available_at > now;
        entry.state = if delayed {
            EntryState::Delayed {
                until_ms: available_at,
            }
        } else {
            EntryState::Ready
        };
        let group = entry.group_id.clone();
        self.entries.insert(key, entry);
        self.expiry.insert((expires_at, key), ());
        self.schedule_sweep(k, expires_at);
        if delayed {
            self.counts.delayed += 1;
            k.schedule(
                available_at,
                BrokerEvent::MessageAvailable {
                    queue: self.index,
                    key,
                }
                .into(),
            );
        } else {
            self.counts.waiting += 1;
            self.became_ready(key, now, group.as_ref());
        }
        key
    }

    /// Bookkeeping for a message that just became receivable.
    fn became_ready(&mut self, key: u64, now: u64, group: Option<&Name>) {
        if let Some(entry) = self.entries.get_mut(key) {
            entry.ready_since_ms = now;
        }
        if self.is_fifo() {
            if let Some(group) = group {
                self.refresh_group(group);
            }
        } else {
            self.ready.insert((now, key), ());
        }
        self.wake_requests += 1;
    }

    fn refresh_group(&mut self, group: &Name) {
        let entries = &self.entries;
        self.groups.refresh(group, |key| {
            entries
                .get(key)
                .filter(|e| e.state == EntryState::Ready)
                .map(|e| e.sequence)
        });
    }

    fn schedule_sweep<E: From<BrokerEvent>>(&mut self, k: &mut Kernel<E>, expires_at: u64) {
        // A message moved in with its original enqueue time may be due already.
        let at = expires_at.max(k.now_ms());
        if self.sweep_at.is_none_or(|scheduled| at < scheduled) {
            self.sweep_at = Some(at);
            k.schedule(at, BrokerEvent::RetentionSweep { queue: self.index }.into());
        }
    }

    /// Stores a message arriving from another queue (dead-letter move or
    /// redrive). It is receivable at once: AWS makes dead-lettered messages
    /// available immediately. Retention: AWS keeps the original enqueue time
    /// for standard queues and resets it for FIFO queues. A dead-lettered
    /// message keeps its receive count and first receive time (AWS does not
    /// reset `ApproximateReceiveCount` on the move); a redriven one
    /// (`source_queue` is `None`) starts over.
    pub fn accept_moved<E: From<BrokerEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        mut entry: Entry,
        source_queue: Option<usize>,
    ) {
        let now = k.now_ms();
        entry.expires_at_ms = if self.is_fifo() {
            now + self.config.retention_ms
        } else {
            entry.sent_at_ms + self.config.retention_ms
        };
        if source_queue.is_none() {
            entry.receive_count = 0;
            entry.first_received_at_ms = 0;
        }
        entry.receipts = Receipts::default();
        entry.source_queue = source_queue;
        self.store(k, entry, now);
    }

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
        k.schedule(
            until,
            BrokerEvent::VisibilityExpired {
                queue: self.index,
                key,
                receipt,
            }
            .into(),
        );
        Some(message)
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
        k.schedule(
            until,
            BrokerEvent::VisibilityExpired {
                queue: self.index,
                key,
                receipt,
            }
            .into(),
        );
        Ok(())
    }

    // ------------------------------------------------------------- timers

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
