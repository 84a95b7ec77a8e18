//! Read-only pictures of every component, for the UI's inspectors and for the
//! invariant checkers. A snapshot is plain data: it holds no reference into
//! the engine and changing it changes nothing.
//!
//! Every snapshot type lives here, one file per component, and these files
//! import only settings and names (never the component's engine file), so
//! the engine imports its snapshot and never the other way round
//! (`cargo test --test import_graph`, docs/architecture.md).

use serde::{Deserialize, Serialize};

use crate::sim::fault::Fault;

mod api;
mod consumer;
mod function;
mod mapping;
mod queue;
mod store;
mod topic;
mod workflow;

pub use api::{ClientSnapshot, EndpointSnapshot};
pub use consumer::{ConsumerSnapshot, ConsumerStats, WorkerState};
pub use function::{EnvironmentSnapshot, FunctionSnapshot, FunctionStats};
pub use mapping::{MappingSnapshot, MappingStats, SlotState};
pub use queue::{MessageSnapshot, MessageState, QueueCounts, QueueSnapshot, QueueStats};
pub(crate) use store::{drafts_snapshot, store_snapshot};
pub use store::{
    DraftDocumentSnapshot, DraftsSnapshot, StaleOverwriteSnapshot, StoreItemSnapshot,
    StoreSnapshot, StoreWriteSnapshot,
};
pub use topic::{PendingDelivery, SubscriptionSnapshot, SubscriptionStats, TopicSnapshot};
pub use workflow::{ExecutionSnapshot, ExecutionStatus, WorkflowSnapshot, WorkflowStats};

/// The whole world at one instant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorldSnapshot {
    /// Virtual time.
    pub time_ms: u64,
    /// The root seed.
    pub seed: u64,
    /// Events processed so far.
    pub events_processed: u64,
    /// Events scheduled and not yet processed.
    pub pending_events: usize,
    /// Trace length.
    pub trace_len: usize,
    /// Queues in configuration order.
    pub queues: Vec<QueueSnapshot>,
    /// Topics in configuration order.
    pub topics: Vec<TopicSnapshot>,
    /// Consumers in configuration order.
    pub consumers: Vec<ConsumerSnapshot>,
    /// Faults injected so far.
    pub faults: Vec<Fault>,
    /// Function deliveries not yet taken (deliveries to functions the world
    /// does not define).
    pub pending_function_deliveries: usize,
    /// Functions in configuration order.
    pub functions: Vec<FunctionSnapshot>,
    /// Event source mappings in configuration order.
    pub mappings: Vec<MappingSnapshot>,
    /// The account's concurrency limit.
    pub account_concurrency_limit: u32,
    /// The store (items, write history, stale overwrites).
    pub store: StoreSnapshot,
    /// The version store.
    pub drafts: DraftsSnapshot,
    /// API endpoints in configuration order.
    pub endpoints: Vec<EndpointSnapshot>,
    /// Clients in the order they were added.
    pub clients: Vec<ClientSnapshot>,
    /// Workflows in configuration order.
    #[serde(default)]
    pub workflows: Vec<WorkflowSnapshot>,
}

impl WorldSnapshot {
    /// The queue called `name`.
    pub fn queue(&self, name: &str) -> Option<&QueueSnapshot> {
        self.queues.iter().find(|q| q.name == name)
    }

    /// The topic called `name`.
    pub fn topic(&self, name: &str) -> Option<&TopicSnapshot> {
        self.topics.iter().find(|t| t.name == name)
    }

    /// The function called `name`.
    pub fn function(&self, name: &str) -> Option<&FunctionSnapshot> {
        self.functions.iter().find(|f| f.name == name)
    }

    /// The mapping called `name`.
    pub fn mapping(&self, name: &str) -> Option<&MappingSnapshot> {
        self.mappings.iter().find(|m| m.name == name)
    }

    /// The consumer called `name`.
    pub fn consumer(&self, name: &str) -> Option<&ConsumerSnapshot> {
        self.consumers.iter().find(|c| c.name == name)
    }
}
