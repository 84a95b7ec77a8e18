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

use serde::{Deserialize, Serialize};

use crate::sim::aws;
use crate::sim::broker::events::BrokerEvent;
use crate::sim::broker::message::{ReceiveRequest, ReceivedMessage};
use crate::sim::broker::queue::Waiter;
use crate::sim::broker::Broker;
use crate::sim::error::{check_range, SimError};
use crate::sim::fault::FaultBook;
use crate::sim::kernel::{Kernel, Latency, SimRng};
use crate::sim::name::Name;
use crate::sim::snapshot::{ConsumerSnapshot, ConsumerStats, WorkerState};
use crate::sim::trace::{ActorId, TraceDetails, TraceKind};

/// A consumer's settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConsumerConfig {
    /// Unique consumer name.
    pub name: String,
    /// The queue it polls.
    pub queue: String,
    /// Parallel workers, each with its own poll loop: 1 to 100.
    pub workers: u32,
    /// Messages per receive: 1 to 10.
    pub batch_size: u32,
    /// Long-poll wait: 0 (short polling) to 20,000 ms.
    pub wait_time_ms: u64,
    /// With short polling, the pause after an empty receive: 1 to 60,000 ms.
    pub poll_interval_ms: u64,
    /// Time to process one message.
    pub processing: Latency,
    /// Share of messages whose processing fails, in parts per million.
    pub error_rate_ppm: u32,
    /// Visibility timeout requested on receive; `None` uses the queue's.
    pub visibility_timeout_ms: Option<u64>,
    /// When the workers start polling.
    pub start_at_ms: u64,
}

impl Default for ConsumerConfig {
    fn default() -> Self {
        ConsumerConfig {
            name: String::new(),
            queue: String::new(),
            workers: 1,
            batch_size: 10,
            wait_time_ms: aws::LONG_POLL_MAX_MS,
            poll_interval_ms: aws::SECOND_MS,
            processing: Latency::Fixed { ms: 10 },
            error_rate_ppm: 0,
            visibility_timeout_ms: None,
            start_at_ms: 0,
        }
    }
}

impl ConsumerConfig {
    /// A consumer of `queue` with default settings.
    pub fn new(name: impl Into<String>, queue: impl Into<String>) -> Self {
        ConsumerConfig {
            name: name.into(),
            queue: queue.into(),
            ..ConsumerConfig::default()
        }
    }

    /// Checks every setting.
    pub fn validate(&self) -> Result<(), SimError> {
        let c = format!("consumer {}", self.name);
        if self.name.is_empty() {
            return Err(SimError::InvalidConfig {
                component: c,
                field: "name",
                reason: "a consumer needs a name".into(),
            });
        }
        check_range(&c, "workers", u64::from(self.workers), 1, 100)?;
        check_range(
            &c,
            "batch_size",
            u64::from(self.batch_size),
            1,
            u64::from(aws::RECEIVE_MAX_MESSAGES),
        )?;
        check_range(
            &c,
            "wait_time_ms",
            self.wait_time_ms,
            0,
            aws::LONG_POLL_MAX_MS,
        )?;
        check_range(
            &c,
            "poll_interval_ms",
            self.poll_interval_ms,
            1,
            aws::MINUTE_MS,
        )?;
        check_range(
            &c,
            "error_rate_ppm",
            u64::from(self.error_rate_ppm),
            0,
            1_000_000,
        )?;
        if let Some(v) = self.visibility_timeout_ms {
            check_range(
                &c,
                "visibility_timeout_ms",
                v,
                0,
                aws::VISIBILITY_TIMEOUT_MAX_MS,
            )?;
        }
        self.processing.validate(&c)
    }
}

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
                    ctx.1.queue_mut(self.queue).waiters.retain(|w| *w != waiter);
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
                let took = self.config.processing.sample(&mut self.rng);
                k.schedule_in(
                    took,
                    ConsumerEvent::Finished {
                        consumer: self.index,
                        worker,
                    }
                    .into(),
                );
            }
            Ok(_) if self.config.wait_time_ms > 0 => {
                self.next_poll_id += 1;
                let poll_id = self.next_poll_id;
                self.workers[worker] = Phase::Polling { poll_id };
                let waiter = self.waiter(worker, poll_id);
                broker.queue_mut(self.queue).waiters.push_back(waiter);
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
            let took = self.config.processing.sample(&mut self.rng);
            k.schedule_in(
                took,
                ConsumerEvent::Finished {
                    consumer: self.index,
                    worker,
                }
                .into(),
            );
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
