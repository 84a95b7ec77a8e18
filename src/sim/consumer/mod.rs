//! A simple built-in consumer: polls a queue, "processes" each message for a
//! drawn duration, deletes it or fails at a configured rate.
//!
//! It exists so the broker can be exercised end to end before learner
//! functions exist (part 2 adds event source mappings as further actors). Its
//! behaviour is that of a typical SQS worker loop: long poll, receive a batch,
//! handle messages one after another, delete each on success, leave a failed
//! one to reappear when its visibility timeout expires. On a FIFO queue it
//! stops at the first failure and leaves the rest of the batch in flight, so
//! it never processes a group out of order.

use std::borrow::Cow;
use std::collections::VecDeque;

mod config;

pub use config::ConsumerConfig;

use crate::sim::broker::events::BrokerEvent;
use crate::sim::broker::message::{ReceiveRequest, ReceivedMessage};
use crate::sim::broker::queue::Waiter;
use crate::sim::broker::Broker;
use crate::sim::fault::FaultBook;
use crate::sim::kernel::{Kernel, SimRng};
use crate::sim::name::Name;
use crate::sim::snapshot::{ConsumerSnapshot, ConsumerStats, WorkerState};
use crate::sim::trace::{ActorId, TraceDetails, TraceKind};

/// The consumer's scheduled events.
#[derive(Clone, Debug)]
pub enum ConsumerEvent {
    /// A worker receives.
    Poll {
        /// The consumer.
        consumer: usize,
        /// The worker.
        worker: usize,
    },
    /// A worker's long poll ends without a message (ignored if the poll was
    /// answered meanwhile).
    PollTimeout {
        /// The consumer.
        consumer: usize,
        /// The worker.
        worker: usize,
        /// Which poll.
        poll_id: u64,
    },
    /// A worker finishes the message at the front of its batch.
    Finished {
        /// The consumer.
        consumer: usize,
        /// The worker.
        worker: usize,
    },
}

#[derive(Clone)]
enum Phase {
    Idle,
    Polling { poll_id: u64 },
    Processing { batch: VecDeque<ReceivedMessage> },
}

#[derive(Clone)]
pub(crate) struct Consumer {
    index: usize,
    pub name: Name,
    config: ConsumerConfig,
    pub queue: usize,
    fifo: bool,
    workers: Vec<Phase>,
    rng: SimRng,
    stats: ConsumerStats,
    next_poll_id: u64,
    actor: ActorId,
}

type Ctx<'a, E> = (&'a mut Kernel<E>, &'a mut Broker, &'a FaultBook);

impl Consumer {
    pub fn new(index: usize, config: ConsumerConfig, queue: usize, fifo: bool, seed: u64) -> Self {
        let name = Name::from(&config.name);
        Consumer {
            index,
            actor: ActorId::Consumer(name.clone()),
            rng: SimRng::for_subsystem(seed, &format!("consumer:{}", config.name)),
            workers: (0..config.workers).map(|_| Phase::Idle).collect(),
            name,
            config,
            queue,
            fifo,
            stats: ConsumerStats::default(),
            next_poll_id: 0,
        }
    }

    /// Schedules every worker's first poll.
    pub fn start<E: From<ConsumerEvent>>(&self, k: &mut Kernel<E>) {
        for worker in 0..self.workers.len() {
            k.schedule(
                self.config.start_at_ms,
                ConsumerEvent::Poll {
                    consumer: self.index,
                    worker,
                }
                .into(),
            );
        }
    }

    /// True while some worker holds received messages.
    pub fn is_busy(&self) -> bool {
        self.workers
            .iter()
            .any(|w| matches!(w, Phase::Processing { .. }))
    }

    pub fn handle<E: From<ConsumerEvent> + From<BrokerEvent>>(
        &mut self,
        ctx: Ctx<'_, E>,
        event: ConsumerEvent,
    ) {
        match event {
            ConsumerEvent::Poll { worker, .. } => {
                if matches!(self.workers.get(worker), Some(Phase::Idle)) {
                    self.poll(ctx, worker);
                }
            }
            ConsumerEvent::PollTimeout {
                worker, poll_id, ..
            } => {
                if matches!(self.workers.get(worker), Some(Phase::Polling { poll_id: p }) if *p == poll_id)
                {
                    let waiter = self.waiter(worker, poll_id);
                    ctx.1.queue_mut(self.queue).stop_waiting(waiter);
                    self.workers[worker] = Phase::Idle;
                    self.poll(ctx, worker);
                }
            }
            ConsumerEvent::Finished { worker, .. } => self.finish(ctx, worker),
        }
    }

    /// A long poll is answered: the worker receives right away.
    pub fn wake<E: From<ConsumerEvent>>(&mut self, k: &mut Kernel<E>, worker: usize) {
        if let Some(phase @ Phase::Polling { .. }) = self.workers.get_mut(worker) {
            *phase = Phase::Idle;
            k.schedule(
                k.now_ms(),
                ConsumerEvent::Poll {
                    consumer: self.index,
                    worker,
                }
                .into(),
            );
        }
    }

    fn waiter(&self, worker: usize, poll_id: u64) -> Waiter {
        Waiter::Consumer {
            consumer: self.index,
            worker,
            poll_id,
        }
    }

    fn poll<E: From<ConsumerEvent> + From<BrokerEvent>>(
        &mut self,
        (k, broker, faults): Ctx<'_, E>,
        worker: usize,
    ) {
        let now = k.now_ms();
        let poll = ConsumerEvent::Poll {
            consumer: self.index,
            worker,
        };
        if let Some(until) = faults.consumer_paused_until(self.index, now) {
            k.schedule(until, poll.into());
            return;
        }
        self.stats.polls += 1;
        let request = ReceiveRequest {
            max_messages: self.config.batch_size,
            visibility_timeout_ms: self.config.visibility_timeout_ms,
        };
        match broker.receive(k, &self.actor, self.queue, &request) {
            Ok(batch) if !batch.is_empty() => {
                self.stats.received += batch.len() as u64;
                self.workers[worker] = Phase::Processing {
                    batch: batch.into(),
                };
                self.finish_later(k, worker);
            }
            Ok(_) if self.config.wait_time_ms > 0 => {
                self.next_poll_id += 1;
                let poll_id = self.next_poll_id;
                self.workers[worker] = Phase::Polling { poll_id };
                let waiter = self.waiter(worker, poll_id);
                broker.queue_mut(self.queue).wait(waiter);
                k.schedule_in(
                    self.config.wait_time_ms,
                    ConsumerEvent::PollTimeout {
                        consumer: self.index,
                        worker,
                        poll_id,
                    }
                    .into(),
                );
            }
            // Empty short poll, or OverLimit (already in the trace): retry later.
            _ => k.schedule_in(self.config.poll_interval_ms, poll.into()),
        }
    }

    /// Worker `worker` finishes its batch after one processing time.
    fn finish_later<E: From<ConsumerEvent>>(&mut self, k: &mut Kernel<E>, worker: usize) {
        let took = self.config.processing.sample(&mut self.rng);
        let finished = ConsumerEvent::Finished {
            consumer: self.index,
            worker,
        };
        k.schedule_in(took, finished.into());
    }

    fn finish<E: From<ConsumerEvent> + From<BrokerEvent>>(
        &mut self,
        (k, broker, faults): Ctx<'_, E>,
        worker: usize,
    ) {
        let Some(Phase::Processing { batch }) = self.workers.get_mut(worker) else {
            return;
        };
        let Some(message) = batch.pop_front() else {
            return;
        };
        let rate = faults
            .consumer_error_rate(self.index)
            .unwrap_or(self.config.error_rate_ppm);
        if self.rng.chance_ppm(rate) {
            self.stats.failed += 1;
            k.record(
                self.actor.clone(),
                TraceKind::ProcessingFailed,
                Some(message.message_id),
                TraceDetails {
                    queue: Some(message.queue.clone()),
                    copy: message.copy,
                    group_id: message.group_id.clone(),
                    receipt_handle: Some(message.receipt_handle),
                    receive_count: Some(message.receive_count),
                    reason: Some(Cow::Borrowed("simulated processing error")),
                    ..TraceDetails::default()
                },
            );
            if self.fifo {
                self.stats.abandoned += batch.len() as u64;
                batch.clear();
            }
        } else {
            self.stats.succeeded += 1;
            // Deletes and stale receipts are traced by the queue.
            let _ = broker.delete(k, &self.actor, self.queue, message.receipt_handle);
        }
        if batch.is_empty() {
            self.workers[worker] = Phase::Idle;
            k.schedule(
                k.now_ms(),
                ConsumerEvent::Poll {
                    consumer: self.index,
                    worker,
                }
                .into(),
            );
        } else {
            self.finish_later(k, worker);
        }
    }

    pub fn snapshot(&self) -> ConsumerSnapshot {
        ConsumerSnapshot {
            name: self.name.clone(),
            config: self.config.clone(),
            workers: self
                .workers
                .iter()
                .map(|w| match w {
                    Phase::Idle => WorkerState::Idle,
                    Phase::Polling { .. } => WorkerState::Polling,
                    Phase::Processing { batch } => WorkerState::Processing {
                        remaining: batch.len(),
                    },
                })
                .collect(),
            stats: self.stats,
        }
    }
}
