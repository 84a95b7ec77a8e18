//! What a client is told to do: its target and its calls (settings only;
//! the run-time state is in `client.rs`).

use serde::{Deserialize, Serialize};

use super::config::RetryPolicy;
use crate::sim::broker::message::Attributes;
use crate::sim::kernel::Latency;

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
