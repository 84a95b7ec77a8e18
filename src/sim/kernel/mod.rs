//! The discrete-event kernel: virtual time, the agenda, the trace, the limits.
//!
//! The kernel knows nothing about queues or topics. It is generic over the
//! event type, so new actor kinds add variants to the world's event enum and a
//! dispatch arm; the kernel itself never changes.

pub(crate) mod det_math;
pub mod latency;
pub mod limits;
pub mod rng;
pub mod scheduler;

pub use latency::Latency;
pub use limits::Limits;
pub use rng::{derive_seed, splitmix64, SimRng};

use crate::sim::error::SimError;
use crate::sim::trace::{ActorId, MessageId, Trace, TraceDetails, TraceKind};
use scheduler::Scheduler;

/// Virtual clock, agenda and trace of one run.
#[derive(Clone)]
pub struct Kernel<E> {
    now_ms: u64,
    agenda: Scheduler<E>,
    trace: Trace,
    limits: Limits,
    events_processed: u64,
    /// Events processed since the clock last moved (the livelock guard).
    events_at_now: u64,
}

impl<E> Kernel<E> {
    /// A kernel at time 0 with the given (validated) limits.
    pub fn new(limits: Limits) -> Self {
        Kernel {
            now_ms: 0,
            agenda: Scheduler::default(),
            trace: Trace::new(),
            limits,
            events_processed: 0,
            events_at_now: 0,
        }
    }

    /// Current virtual time.
    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    /// The limits of this run.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Events processed so far.
    pub fn events_processed(&self) -> u64 {
        self.events_processed
    }

    /// Events waiting in the agenda.
    pub fn pending_events(&self) -> usize {
        self.agenda.len()
    }

    /// Time of the next event, if any.
    pub fn next_event_time(&self) -> Option<u64> {
        self.agenda.peek_time()
    }

    /// The trace so far.
    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    /// Ends the kernel, keeping its trace.
    pub fn into_trace(self) -> Trace {
        self.trace
    }

    /// Schedules `event` at `time_ms` (never earlier than now).
    pub fn schedule(&mut self, time_ms: u64, event: E) {
        self.agenda.push(time_ms.max(self.now_ms), event);
    }

    /// Schedules `event` `delay_ms` from now.
    pub fn schedule_in(&mut self, delay_ms: u64, event: E) {
        let at = self.now_ms.saturating_add(delay_ms);
        self.agenda.push(at, event);
    }

    /// Appends to the trace at the current time.
    #[inline(always)]
    pub fn record(
        &mut self,
        actor: ActorId,
        kind: TraceKind,
        message_id: Option<MessageId>,
        details: TraceDetails,
    ) {
        self.trace
            .record(self.now_ms, actor, kind, message_id, details);
    }

    /// Fails with `TraceLimitReached` when the trace is full (verbs check
    /// this before acting).
    pub fn check_trace_room(&self) -> Result<(), SimError> {
        if self.trace.len() >= self.limits.max_trace_events {
            return Err(SimError::TraceLimitReached {
                max_trace_events: self.limits.max_trace_events,
            });
        }
        if self.trace.approx_bytes() >= self.limits.max_trace_bytes {
            return Err(SimError::TraceBytesLimitReached {
                max_trace_bytes: self.limits.max_trace_bytes,
            });
        }
        Ok(())
    }

    /// Checks every run limit before the next event.
    pub fn check_limits(&self) -> Result<(), SimError> {
        if self.events_processed >= self.limits.max_events {
            return Err(SimError::EventLimitReached {
                max_events: self.limits.max_events,
            });
        }
        self.check_trace_room()?;
        if self.events_at_now >= self.limits.max_events_at_one_time {
            return Err(SimError::ZeroTimeLivelock {
                max_events_at_one_time: self.limits.max_events_at_one_time,
                time_ms: self.now_ms,
            });
        }
        if self.agenda.len() > self.limits.max_pending_events {
            return Err(SimError::PendingEventLimitReached {
                max_pending_events: self.limits.max_pending_events,
            });
        }
        if let Some(t) = self.agenda.peek_time() {
            if t > self.limits.max_time_ms {
                return Err(SimError::TimeLimitReached {
                    max_time_ms: self.limits.max_time_ms,
                });
            }
        }
        Ok(())
    }

    /// Pops the next event, advancing the clock to its time. Callers check
    /// limits first.
    pub fn pop(&mut self) -> Option<E> {
        let (time_ms, event) = self.agenda.pop()?;
        if time_ms > self.now_ms {
            self.events_at_now = 0;
        }
        self.events_at_now += 1;
        self.now_ms = self.now_ms.max(time_ms);
        self.events_processed += 1;
        Some(event)
    }

    /// Moves the clock forward to `time_ms` without processing anything
    /// (used by `run_until` once no event is left before `time_ms`).
    pub fn advance_to(&mut self, time_ms: u64) -> Result<(), SimError> {
        if time_ms > self.limits.max_time_ms {
            return Err(SimError::TimeLimitReached {
                max_time_ms: self.limits.max_time_ms,
            });
        }
        self.now_ms = self.now_ms.max(time_ms);
        Ok(())
    }
}
