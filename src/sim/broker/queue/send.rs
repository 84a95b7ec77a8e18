//! A queue's sending side: `SendMessage`'s checks, FIFO deduplication and
//! send quota, at-least-once copies, and storing (also for moved and
//! redriven messages). Split from `queue.rs` along its sections.

use std::borrow::Cow;

use super::{details, Entry, EntryState, IdCounters, Queue, Receipts, SendInput};
use crate::sim::aws;
use crate::sim::broker::dedup_window::content_dedup_id;
use crate::sim::broker::events::BrokerEvent;
use crate::sim::broker::message::SendOutcome;
use crate::sim::error::SimError;
use crate::sim::fault::QueueFaults;
use crate::sim::kernel::Kernel;
use crate::sim::name::Name;
use crate::sim::trace::{ActorId, MessageId, TraceDetails, TraceKind};

impl Queue {
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
    pub(super) fn store<E: From<BrokerEvent>>(
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
    pub(super) fn became_ready(&mut self, key: u64, now: u64, group: Option<&Name>) {
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

    pub(super) fn refresh_group(&mut self, group: &Name) {
        let entries = &self.entries;
        self.groups.refresh(group, |key| {
            entries
                .get(key)
                .filter(|e| e.state == EntryState::Ready)
                .map(|e| e.sequence)
        });
    }

    pub(super) fn schedule_sweep<E: From<BrokerEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        expires_at: u64,
    ) {
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
}
