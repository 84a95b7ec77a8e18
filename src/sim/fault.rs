//! Faults: things going wrong on purpose, so learners see what the broker's
//! guarantees are for.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::sim::error::{check_range, SimError};
use crate::sim::kernel::Latency;

/// A fault, injected with `World::inject_fault` or listed in the config.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Fault {
    /// Deliveries of a subscription fail during `from_ms..until_ms`, so SNS
    /// retries them on its schedule (server-side errors are retried).
    EndpointUnavailable {
        /// The topic.
        topic: String,
        /// The subscription.
        subscription: String,
        /// Start of the outage.
        from_ms: u64,
        /// End of the outage (exclusive).
        until_ms: u64,
    },
    /// From now on a standard queue stores a duplicate copy of this share of
    /// messages (parts per million).
    DuplicateDeliveries {
        /// The standard queue.
        queue: String,
        /// Share of sends duplicated.
        rate_ppm: u32,
    },
    /// From now on messages of a standard queue take this much longer to
    /// become receivable, drawn per message: more reordering.
    ExtraDeliveryDelay {
        /// The standard queue.
        queue: String,
        /// The extra delay.
        delay: Latency,
    },
    /// From now on a consumer fails this share of messages.
    ConsumerErrors {
        /// The consumer.
        consumer: String,
        /// Share of messages failed.
        rate_ppm: u32,
    },
    /// Store and version-store calls made during `from_ms..until_ms` fail
    /// with probability `rate_ppm` / 1,000,000 (default: all of them), as
    /// a database outage or throttling would: the handler gets a
    /// catchable `ServiceUnavailable` error.
    StoreErrors {
        /// Share of calls failed (default 1,000,000: every call).
        #[serde(default = "every_call")]
        rate_ppm: u32,
        /// Start of the window (default 0).
        #[serde(default)]
        from_ms: u64,
        /// End of the window (exclusive).
        until_ms: u64,
    },
    /// A consumer stops polling during `from_ms..until_ms`.
    ConsumerPaused {
        /// The consumer.
        consumer: String,
        /// Start of the pause.
        from_ms: u64,
        /// End of the pause (exclusive).
        until_ms: u64,
    },
}

fn every_call() -> u32 {
    1_000_000
}

impl Fault {
    /// Checks windows and rates (names are checked by the world).
    pub fn validate(&self) -> Result<(), SimError> {
        let c = "fault";
        let window = |from: u64, until: u64| {
            check_range(c, "until_ms", until, from.saturating_add(1), u64::MAX)
        };
        match self {
            Fault::EndpointUnavailable {
                from_ms, until_ms, ..
            } => window(*from_ms, *until_ms),
            Fault::ConsumerPaused {
                from_ms, until_ms, ..
            } => window(*from_ms, *until_ms),
            Fault::StoreErrors {
                rate_ppm,
                from_ms,
                until_ms,
            } => {
                window(*from_ms, *until_ms)?;
                check_range(c, "rate_ppm", u64::from(*rate_ppm), 1, 1_000_000)
            }
            Fault::DuplicateDeliveries { rate_ppm, .. }
            | Fault::ConsumerErrors { rate_ppm, .. } => {
                check_range(c, "rate_ppm", u64::from(*rate_ppm), 0, 1_000_000)
            }
            Fault::ExtraDeliveryDelay { delay, .. } => delay.validate(c),
        }
    }
}

/// Faults currently affecting a queue.
#[derive(Default)]
pub(crate) struct QueueFaults<'a> {
    pub duplicate_rate_ppm: Option<u32>,
    pub extra_delay: Option<&'a Latency>,
}

/// Active faults, resolved to component indexes.
#[derive(Clone, Default)]
pub(crate) struct FaultBook {
    injected: Vec<Fault>,
    endpoint_outages: Vec<(usize, usize, u64, u64)>,
    queue_duplicates: BTreeMap<usize, u32>,
    queue_extra_delay: BTreeMap<usize, Latency>,
    consumer_errors: BTreeMap<usize, u32>,
    consumer_pauses: Vec<(usize, u64, u64)>,
}

impl FaultBook {
    /// Keeps `fault` in the list of faults injected so far.
    pub fn record(&mut self, fault: Fault) {
        self.injected.push(fault);
    }

    /// The faults injected so far, in order.
    pub fn injected(&self) -> &[Fault] {
        &self.injected
    }

    pub fn add_endpoint_outage(
        &mut self,
        topic: usize,
        subscription: usize,
        from_ms: u64,
        until_ms: u64,
    ) {
        self.endpoint_outages
            .push((topic, subscription, from_ms, until_ms));
    }

    pub fn set_queue_duplicates(&mut self, queue: usize, rate_ppm: u32) {
        self.queue_duplicates.insert(queue, rate_ppm);
    }

    pub fn set_queue_extra_delay(&mut self, queue: usize, delay: Latency) {
        self.queue_extra_delay.insert(queue, delay);
    }

    pub fn set_consumer_errors(&mut self, consumer: usize, rate_ppm: u32) {
        self.consumer_errors.insert(consumer, rate_ppm);
    }

    pub fn add_consumer_pause(&mut self, consumer: usize, from_ms: u64, until_ms: u64) {
        self.consumer_pauses.push((consumer, from_ms, until_ms));
    }

    /// Is the subscription's endpoint down at `now_ms`?
    pub fn endpoint_down(&self, topic: usize, subscription: usize, now_ms: u64) -> bool {
        self.endpoint_outages.iter().any(|&(t, s, from, until)| {
            t == topic && s == subscription && from <= now_ms && now_ms < until
        })
    }

    /// Faults affecting sends to a queue.
    pub fn queue(&self, queue: usize) -> QueueFaults<'_> {
        QueueFaults {
            duplicate_rate_ppm: self.queue_duplicates.get(&queue).copied(),
            extra_delay: self.queue_extra_delay.get(&queue),
        }
    }

    /// A consumer's overridden error rate.
    pub fn consumer_error_rate(&self, consumer: usize) -> Option<u32> {
        self.consumer_errors.get(&consumer).copied()
    }

    /// If the consumer is paused at `now_ms`, when the pause ends.
    pub fn consumer_paused_until(&self, consumer: usize, now_ms: u64) -> Option<u64> {
        self.consumer_pauses
            .iter()
            .filter(|&&(c, from, until)| c == consumer && from <= now_ms && now_ms < until)
            .map(|&(_, _, until)| until)
            .max()
    }
}
