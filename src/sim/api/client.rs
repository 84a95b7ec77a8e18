//! A client: what it calls, when, and where each of its calls stands.
//!
//! The world moves a call through three events: `Issue` (the client sends
//! an attempt), `Arrive` (the request reaches the endpoint, topic or
//! queue, after the network latency) and `Respond` (the answer reaches the
//! client, after the network latency again). A server-API client issues its
//! next call only when the previous one is answered; a fire-and-forget
//! client issues each call at its time.

use super::backoff;
use super::spec::{ClientCall, ClientSpec};
use crate::sim::kernel::SimRng;
use crate::sim::name::Name;
use crate::sim::snapshot::ClientSnapshot;
use crate::sim::trace::ActorId;

/// The scheduled steps of a call.
#[derive(Clone, Debug)]
pub enum ClientEvent {
    /// The client sends an attempt of call `call`.
    Issue {
        /// Client index.
        client: usize,
        /// Call index.
        call: usize,
    },
    /// The attempt reaches the target.
    Arrive {
        /// Client index.
        client: usize,
        /// Call index.
        call: usize,
    },
    /// The answer reaches the client.
    Respond {
        /// Client index.
        client: usize,
        /// Call index.
        call: usize,
        /// HTTP status.
        status: u16,
    },
}

/// A client's state in a run.
#[derive(Clone)]
pub(crate) struct Client {
    pub name: Name,
    pub actor: ActorId,
    pub spec: ClientSpec,
    /// The target's index among endpoints, topics or queues.
    pub target_index: usize,
    rng: SimRng,
    /// Attempts made per call.
    attempts: Vec<u32>,
    /// When each call's first attempt left.
    first_sent_ms: Vec<u64>,
    /// Calls that ended (success or given up).
    ended: usize,
    /// The next call of the same chain, per call.
    next_in_chain: Vec<Option<usize>>,
    stats: ClientSnapshot,
}

impl Client {
    /// The client's counters, for inspectors.
    pub fn snapshot(&self) -> ClientSnapshot {
        self.stats.clone()
    }

    /// Counts a 429 answer.
    pub fn count_throttled(&mut self) {
        self.stats.throttled += 1;
    }

    pub fn new(spec: ClientSpec, target_index: usize, seed: u64) -> Client {
        let name = Name::from(spec.name.as_str());
        let n = spec.calls.len();
        let next_in_chain = next_in_chain(&spec.calls);
        Client {
            next_in_chain,
            actor: ActorId::Client(name.clone()),
            rng: SimRng::for_subsystem(seed, &format!("client-actor/{}", spec.name)),
            attempts: vec![0; n],
            first_sent_ms: vec![0; n],
            ended: 0,
            stats: ClientSnapshot {
                name: name.clone(),
                target: spec.target.clone(),
                calls: n,
                succeeded: 0,
                failed: 0,
                attempts: 0,
                retries: 0,
                throttled: 0,
            },
            name,
            spec,
            target_index,
        }
    }

    /// True while some call has not ended.
    pub fn is_busy(&self) -> bool {
        self.ended < self.spec.calls.len()
    }

    /// Counts an attempt of `call` sent at `now_ms`; returns its number
    /// (1 for the first).
    pub fn attempt(&mut self, call: usize, now_ms: u64) -> u32 {
        let Some(attempts) = self.attempts.get_mut(call) else {
            return 0;
        };
        *attempts += 1;
        if *attempts == 1 {
            self.first_sent_ms[call] = now_ms;
        }
        self.stats.attempts += 1;
        *attempts
    }

    /// Attempts made of `call` so far.
    pub fn attempts(&self, call: usize) -> u32 {
        self.attempts.get(call).copied().unwrap_or(0)
    }

    /// Time since `call`'s first attempt left.
    pub fn elapsed_ms(&self, call: usize, now_ms: u64) -> u64 {
        now_ms.saturating_sub(self.first_sent_ms.get(call).copied().unwrap_or(now_ms))
    }

    /// The calls that start their chain (issued at their own time).
    pub fn chain_starts(&self) -> Vec<usize> {
        let mut has_previous = vec![false; self.spec.calls.len()];
        for next in self.next_in_chain.iter().flatten() {
            has_previous[*next] = true;
        }
        (0..self.spec.calls.len())
            .filter(|i| !self.spec.target.waits_for_responses() || !has_previous[*i])
            .collect()
    }

    /// A one-way network delay.
    pub fn network_delay_ms(&mut self) -> u64 {
        self.spec.network_latency.sample(&mut self.rng)
    }

    /// The wait before the next retry of `call`, or `None` when it has no
    /// retries left.
    pub fn retry_delay_ms(&mut self, call: usize) -> Option<u64> {
        let retries_done = self.attempts(call).saturating_sub(1);
        if retries_done >= self.spec.retry.max_retries {
            return None;
        }
        self.stats.retries += 1;
        Some(backoff::delay_ms(
            &self.spec.retry,
            retries_done,
            &mut self.rng,
        ))
    }

    /// Marks `call` ended; returns the call to issue next, and when, for a
    /// client that waits for responses.
    pub fn end(&mut self, call: usize, succeeded: bool, now_ms: u64) -> Option<(usize, u64)> {
        self.ended += 1;
        if succeeded {
            self.stats.succeeded += 1;
        } else {
            self.stats.failed += 1;
        }
        if !self.spec.target.waits_for_responses() {
            return None;
        }
        let next = self.next_in_chain.get(call).copied().flatten()?;
        self.spec
            .calls
            .get(next)
            .map(|c| (next, c.at_ms.max(now_ms)))
    }
}

/// For each call, the next call (in list order) with the same chain.
fn next_in_chain(calls: &[ClientCall]) -> Vec<Option<usize>> {
    let mut next = vec![None; calls.len()];
    let mut last_of_chain: std::collections::BTreeMap<u64, usize> = Default::default();
    for (i, call) in calls.iter().enumerate() {
        if let Some(previous) = last_of_chain.insert(call.chain, i) {
            next[previous] = Some(i);
        }
    }
    next
}
