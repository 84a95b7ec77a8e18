//! Event source mappings (queue -> function) as actors of the world.
//!
//! # The model
//!
//! A mapping runs a number of poller slots, one batch in flight per slot.
//! Each slot long-polls the queue through the broker's receive path (so
//! receive counts, visibility timeouts and dead-letter queues all apply),
//! receiving 10 messages per call until the batch is full or nothing more is
//! receivable. With a batching window, a slot that received fewer than
//! `batch_size` records keeps gathering until the batch is full or the window
//! (counted from the first record) ends. Then it invokes the function with
//! `event.Records`:
//!
//! - success: every record is deleted;
//! - a function error (or timeout): nothing is deleted, the whole batch
//!   comes back when its visibility timeout expires;
//! - with `report_batch_item_failures`, the response goes through
//!   [`crate::sim::sandbox::resolve_batch_failures`]: only the records not
//!   reported as failed are deleted (an empty list is success, an unknown or
//!   empty identifier fails the whole batch, on FIFO everything from the
//!   first failure on returns);
//! - throttled (the function is at its reserved or the account's
//!   concurrency): the batch stays in flight and returns after its visibility
//!   timeout; the slot polls again 1 s later.
//!
//! Before every delete the mapping records `BatchCompleted` with the batch's
//! receipt handles and the failed ones, so checkers can verify that nothing
//! was deleted that the function did not process.
//!
//! Scaling: a mapping starts with 5 slots (fewer if `maximum_concurrency`
//! is lower) and, every second while messages wait and every slot is busy,
//! adds up to 5 (300 per minute) up to `maximum_concurrency` or 1,000. It
//! does not scale down (not needed by the lessons). On a FIFO queue a slot
//! can only receive from a message group with nothing in flight, so the
//! batches in flight never outnumber the active groups.

mod batch;
pub mod config;

use std::borrow::Cow;

pub use config::MappingConfig;

use crate::sim::aws;
use crate::sim::broker::events::BrokerEvent;
use crate::sim::broker::message::{ReceiveRequest, ReceivedMessage};
use crate::sim::broker::queue::Waiter;
use crate::sim::broker::Broker;
use crate::sim::kernel::Kernel;
use crate::sim::name::Name;
use crate::sim::sandbox::Event as HandlerEvent;
use crate::sim::snapshot::{MappingSnapshot, MappingStats, SlotState};
use crate::sim::trace::{ActorId, TraceDetails, TraceKind};

/// How long a throttled slot waits before polling again.
pub const THROTTLE_BACKOFF_MS: u64 = aws::SECOND_MS;
/// Interval of scaling decisions.
pub const SCALE_INTERVAL_MS: u64 = aws::SECOND_MS;

/// A mapping's scheduled events.
#[derive(Clone, Debug)]
pub enum MappingEvent {
    /// A slot receives.
    Poll {
        /// The mapping.
        mapping: usize,
        /// The slot.
        slot: usize,
    },
    /// A slot's long poll ends empty (ignored if answered meanwhile).
    PollTimeout {
        /// The mapping.
        mapping: usize,
        /// The slot.
        slot: usize,
        /// Which poll.
        poll_id: u64,
    },
    /// A slot's batching window ends.
    WindowEnd {
        /// The mapping.
        mapping: usize,
        /// The slot.
        slot: usize,
        /// Which gathering.
        gather_id: u64,
    },
    /// A scaling decision.
    ScaleTick {
        /// The mapping.
        mapping: usize,
    },
}

/// A batch ready to invoke: what the function engine needs to start it.
pub(crate) struct ReadyBatch {
    /// The slot holding it (its invocation's caller).
    pub slot: usize,
    /// The mapping's name, for the trace.
    pub mapping: Name,
    /// The function to invoke.
    pub function: usize,
    /// The Lambda event of its records.
    pub event: HandlerEvent,
    /// Its messages' receipt handles, for the trace.
    pub receipt_handles: Vec<u64>,
}

#[derive(Clone)]
enum Slot {
    Idle,
    Polling {
        poll_id: u64,
    },
    Gathering {
        batch: Vec<ReceivedMessage>,
        gather_id: u64,
    },
    Ready {
        batch: Vec<ReceivedMessage>,
    },
    Invoking {
        batch: Vec<ReceivedMessage>,
    },
    Backoff,
}

#[derive(Clone)]
pub(crate) struct Mapping {
    index: usize,
    pub name: Name,
    pub config: MappingConfig,
    pub queue: usize,
    pub function: usize,
    fifo: bool,
    slots: Vec<Slot>,
    cap: u32,
    stats: MappingStats,
    next_id: u64,
    tick_pending: bool,
    pub actor: ActorId,
    queue_arn: String,
}

type Ctx<'a, E> = (&'a mut Kernel<E>, &'a mut Broker);

impl Mapping {
    pub fn new(
        index: usize,
        config: MappingConfig,
        queue: usize,
        function: usize,
        fifo: bool,
    ) -> Self {
        let name = Name::from(&config.name);
        let cap = config.concurrency_cap();
        Mapping {
            index,
            actor: ActorId::Mapping(name.clone()),
            queue_arn: format!("arn:aws:sqs:sim:000000000000:{}", config.queue),
            name,
            slots: (0..config::INITIAL_CONCURRENCY.min(cap))
                .map(|_| Slot::Idle)
                .collect(),
            cap,
            config,
            queue,
            function,
            fifo,
            stats: MappingStats::default(),
            next_id: 0,
            tick_pending: false,
        }
    }

    pub fn start<E: From<MappingEvent>>(&self, k: &mut Kernel<E>) {
        for slot in 0..self.slots.len() {
            k.schedule(
                self.config.start_at_ms,
                MappingEvent::Poll {
                    mapping: self.index,
                    slot,
                }
                .into(),
            );
        }
    }

    /// True while a slot holds received messages.
    pub fn is_busy(&self) -> bool {
        self.slots.iter().any(|s| {
            matches!(
                s,
                Slot::Gathering { .. } | Slot::Ready { .. } | Slot::Invoking { .. }
            )
        })
    }

    fn batches_in_flight(&self) -> u32 {
        self.slots
            .iter()
            .filter(|s| matches!(s, Slot::Invoking { .. }))
            .count() as u32
    }

    /// Handles an event; returns the batch that became ready to invoke, for
    /// the world to hand to the function (then to call [`Mapping::invoking`]
    /// or [`Mapping::throttled`] with what the function said).
    pub fn handle<E: From<MappingEvent> + From<BrokerEvent>>(
        &mut self,
        ctx: Ctx<'_, E>,
        event: MappingEvent,
    ) -> Option<ReadyBatch> {
        let slot = self.advance(ctx, event)?;
        self.ready_batch(slot)
    }

    /// Moves a slot along after `event`; returns it when its batch is ready.
    fn advance<E: From<MappingEvent> + From<BrokerEvent>>(
        &mut self,
        ctx: Ctx<'_, E>,
        event: MappingEvent,
    ) -> Option<usize> {
        match event {
            MappingEvent::Poll { slot, .. } => match self.slots.get(slot)? {
                Slot::Idle | Slot::Backoff => self.poll(ctx, slot),
                Slot::Gathering { .. } => self.gather_more(ctx, slot),
                _ => None,
            },
            MappingEvent::PollTimeout { slot, poll_id, .. } => {
                if matches!(self.slots.get(slot), Some(Slot::Polling { poll_id: p }) if *p == poll_id)
                {
                    let waiter = self.waiter(slot, poll_id);
                    ctx.1.queue_mut(self.queue).stop_waiting(waiter);
                    self.slots[slot] = Slot::Idle;
                    return self.poll(ctx, slot);
                }
                None
            }
            MappingEvent::WindowEnd {
                slot, gather_id, ..
            } => {
                if matches!(self.slots.get(slot), Some(Slot::Gathering { gather_id: g, .. }) if *g == gather_id)
                {
                    let waiter = self.waiter(slot, gather_id);
                    ctx.1.queue_mut(self.queue).stop_waiting(waiter);
                    if let Slot::Gathering { batch, .. } =
                        std::mem::replace(&mut self.slots[slot], Slot::Idle)
                    {
                        self.slots[slot] = Slot::Ready { batch };
                        return Some(slot);
                    }
                }
                None
            }
            MappingEvent::ScaleTick { .. } => {
                self.tick_pending = false;
                self.scale(ctx);
                None
            }
        }
    }

    /// A long poll (or a gathering slot) is answered: receive right away.
    pub fn wake<E: From<MappingEvent>>(&mut self, k: &mut Kernel<E>, slot: usize) {
        match self.slots.get_mut(slot) {
            Some(phase @ Slot::Polling { .. }) => *phase = Slot::Idle,
            Some(Slot::Gathering { .. }) => {}
            _ => return,
        }
        self.poll_in(k, slot, 0);
    }

    /// Schedules slot `slot`'s next poll `delay_ms` from now: the common
    /// tail of every verb that leaves a slot free to receive again.
    fn poll_in<E: From<MappingEvent>>(&self, k: &mut Kernel<E>, slot: usize, delay_ms: u64) {
        k.schedule_in(
            delay_ms,
            MappingEvent::Poll {
                mapping: self.index,
                slot,
            }
            .into(),
        );
    }

    fn waiter(&self, slot: usize, poll_id: u64) -> Waiter {
        Waiter::Mapping {
            mapping: self.index,
            slot,
            poll_id,
        }
    }

    fn receive_up_to<E: From<BrokerEvent>>(
        &mut self,
        (k, broker): Ctx<'_, E>,
        batch: &mut Vec<ReceivedMessage>,
    ) {
        while (batch.len() as u32) < self.config.batch_size {
            let want = (self.config.batch_size - batch.len() as u32).min(aws::RECEIVE_MAX_MESSAGES);
            match broker.receive(k, &self.actor, self.queue, &ReceiveRequest::up_to(want)) {
                Ok(got) if !got.is_empty() => batch.extend(got),
                _ => break,
            }
        }
    }

    fn poll<E: From<MappingEvent> + From<BrokerEvent>>(
        &mut self,
        (k, broker): Ctx<'_, E>,
        slot: usize,
    ) -> Option<usize> {
        // With a batching window, one slot gathers at a time: new records
        // go to its batch first.
        let gathering = self
            .slots
            .iter()
            .enumerate()
            .find(|(i, s)| *i != slot && matches!(s, Slot::Gathering { .. }))
            .map(|(i, _)| i);
        if let Some(g) = gathering {
            if let Some(ready) = self.gather_more((k, broker), g) {
                self.poll_in(k, slot, 0);
                return Some(ready);
            }
            // The gathering batch took everything receivable: long-poll.
            self.slots[slot] = Slot::Idle;
            return self.long_poll((k, broker), slot, Vec::new());
        }
        let mut batch = Vec::new();
        self.receive_up_to((k, broker), &mut batch);
        self.long_poll((k, broker), slot, batch)
    }

    /// Invokes a full batch, gathers a partial one during the window, or
    /// waits in a long poll when `batch` is empty.
    fn long_poll<E: From<MappingEvent> + From<BrokerEvent>>(
        &mut self,
        (k, broker): Ctx<'_, E>,
        slot: usize,
        batch: Vec<ReceivedMessage>,
    ) -> Option<usize> {
        self.next_id += 1;
        let id = self.next_id;
        if batch.is_empty() {
            self.slots[slot] = Slot::Polling { poll_id: id };
            let waiter = self.waiter(slot, id);
            broker.queue_mut(self.queue).wait(waiter);
            k.schedule_in(
                aws::LONG_POLL_MAX_MS,
                MappingEvent::PollTimeout {
                    mapping: self.index,
                    slot,
                    poll_id: id,
                }
                .into(),
            );
            return None;
        }
        if self.config.maximum_batching_window_ms > 0
            && (batch.len() as u32) < self.config.batch_size
        {
            self.slots[slot] = Slot::Gathering {
                batch,
                gather_id: id,
            };
            let waiter = self.waiter(slot, id);
            broker.queue_mut(self.queue).wait(waiter);
            k.schedule_in(
                self.config.maximum_batching_window_ms,
                MappingEvent::WindowEnd {
                    mapping: self.index,
                    slot,
                    gather_id: id,
                }
                .into(),
            );
            return None;
        }
        self.slots[slot] = Slot::Ready { batch };
        Some(slot)
    }

    fn gather_more<E: From<MappingEvent> + From<BrokerEvent>>(
        &mut self,
        (k, broker): Ctx<'_, E>,
        slot: usize,
    ) -> Option<usize> {
        let Slot::Gathering {
            mut batch,
            gather_id,
        } = std::mem::replace(&mut self.slots[slot], Slot::Idle)
        else {
            return None;
        };
        self.receive_up_to((k, broker), &mut batch);
        let waiter = self.waiter(slot, gather_id);
        broker.queue_mut(self.queue).stop_waiting(waiter);
        if (batch.len() as u32) >= self.config.batch_size {
            self.slots[slot] = Slot::Ready { batch };
            return Some(slot);
        }
        broker.queue_mut(self.queue).wait(waiter);
        self.slots[slot] = Slot::Gathering { batch, gather_id };
        None
    }

    fn ensure_tick<E: From<MappingEvent>>(&mut self, k: &mut Kernel<E>) {
        if !self.tick_pending && (self.slots.len() as u32) < self.cap {
            self.tick_pending = true;
            k.schedule_in(
                SCALE_INTERVAL_MS,
                MappingEvent::ScaleTick {
                    mapping: self.index,
                }
                .into(),
            );
        }
    }

    fn scale<E: From<MappingEvent> + From<BrokerEvent>>(&mut self, (k, broker): Ctx<'_, E>) {
        let all_busy = self.slots.iter().all(|s| {
            matches!(
                s,
                Slot::Invoking { .. } | Slot::Ready { .. } | Slot::Backoff | Slot::Gathering { .. }
            )
        });
        let backlog = broker.queue(self.queue).has_receivable();
        let current = self.slots.len() as u32;
        if all_busy && backlog && current < self.cap {
            let step = (config::SCALE_UP_PER_MINUTE * SCALE_INTERVAL_MS as u32
                / aws::MINUTE_MS as u32)
                .max(1);
            let add = step.min(self.cap - current);
            for _ in 0..add {
                let slot = self.slots.len();
                self.slots.push(Slot::Idle);
                self.poll_in(k, slot, 0);
            }
            k.record(
                self.actor.clone(),
                TraceKind::MappingScaled,
                None,
                TraceDetails {
                    mapping: Some(self.name.clone()),
                    concurrency: Some(self.slots.len() as u32),
                    reason: Some(Cow::Borrowed(
                        "messages are waiting and every batch slot is busy: +5 per second (300 per minute)",
                    )),
                    ..TraceDetails::default()
                },
            );
        }
        if self.is_busy() || backlog {
            self.ensure_tick(k);
        }
    }

    pub fn snapshot(&self) -> MappingSnapshot {
        MappingSnapshot {
            name: self.name.clone(),
            config: self.config.clone(),
            fifo: self.fifo,
            concurrency: self.slots.len() as u32,
            batches_in_flight: self.batches_in_flight(),
            slots: self
                .slots
                .iter()
                .map(|s| match s {
                    Slot::Idle => SlotState::Idle,
                    Slot::Polling { .. } => SlotState::Polling,
                    Slot::Gathering { .. } => SlotState::Gathering,
                    Slot::Ready { .. } | Slot::Invoking { .. } => SlotState::Invoking,
                    Slot::Backoff => SlotState::Backoff,
                })
                .collect(),
            stats: self.stats,
        }
    }
}
