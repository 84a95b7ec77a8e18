//! A client: what it calls, when, and where each of its calls stands.
//!
//! The world moves a call through three events: `Issue` (the client sends
//! an attempt), `Arrive` (the request reaches the endpoint, topic or
//! queue, after the network latency) and `Respond` (the answer reaches the
//! client, after the network latency again). A server-API client issues its
//! next call only when the previous one is answered; a fire-and-forget
//! client issues each call at its time.

use serde::{Deserialize, Serialize};

use super::backoff;
use super::config::RetryPolicy;
use crate::sim::broker::message::Attributes;
use crate::sim::kernel::{Latency, SimRng};
use crate::sim::name::Name;
use crate::sim::trace::ActorId;

/// Where a client's calls go.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientTarget {
    /// Call an API endpoint and wait for the answer (server-API flow).
    Endpoint(String),
    /// Publish to a topic (fire and forget).
    Topic(String),
    /// Send to a queue (fire and forget).
    Queue(String),
}

impl ClientTarget {
    /// The target's name.
    pub fn name(&self) -> &str {
        match self {
            ClientTarget::Endpoint(n) | ClientTarget::Topic(n) | ClientTarget::Queue(n) => n,
        }
    }

    /// True when the client waits for each answer before its next call.
    pub fn waits_for_responses(&self) -> bool {
        matches!(self, ClientTarget::Endpoint(_))
    }
}

/// One call: a save the client makes at `at_ms` (or later, when a
/// server-API client is still waiting for the previous call of its chain).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientCall {
    /// When the client wants to make the call.
    pub at_ms: u64,
    /// The body: JSON for endpoints (the handler reads `event.body`).
    pub body: String,
    /// Message attributes (topics and queues).
    pub attributes: Attributes,
    /// FIFO message group (FIFO topics and queues).
    pub group_id: Option<String>,
    /// FIFO deduplication id.
    pub dedup_id: Option<String>,
    /// SQS `DelaySeconds` of this message, in ms (standard queues only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    /// Calls with the same chain are one user's: a server-API client makes
    /// them one after another, each waiting for the previous answer. Calls
    /// of different chains (different users) run independently.
    pub chain: u64,
}

/// Everything a client does in a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClientSpec {
    /// Unique name (its lifeline in the sequence diagram).
    pub name: String,
    /// Where its calls go.
    pub target: ClientTarget,
    /// Its calls, in time order.
    pub calls: Vec<ClientCall>,
    /// Retries of throttled or failed calls (server-API flow only).
    pub retry: RetryPolicy,
    /// One-way network time between the client and its target.
    pub network_latency: Latency,
}

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

/// A client, for inspectors.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientSnapshot {
    /// Name.
    pub name: Name,
    /// Where its calls go.
    pub target: ClientTarget,
    /// Calls in its workload.
    pub calls: usize,
    /// Calls answered with success.
    pub succeeded: u64,
    /// Calls given up (or refused, for fire and forget).
    pub failed: u64,
    /// Attempts sent, first tries and retries.
    pub attempts: u64,
    /// Retries scheduled.
    pub retries: u64,
    /// 429 answers received.
    pub throttled: u64,
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
    pub stats: ClientSnapshot,
}

impl Client {
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
