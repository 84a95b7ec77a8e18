//! The simulation engine: pure and deterministic (see `docs/architecture.md`).
//!
//! Layout: `kernel` (virtual time, agenda, seeds, latencies, limits),
//! `trace` (what happened), `broker` (SQS queues and SNS topics),
//! `consumer` (a built-in queue worker), `function` (learner handlers in
//! execution environments), `mapping` (event source mappings), `fault`,
//! [`snapshot`] (read-only views), `workflow` (Step Functions-like state
//! machines) and `world` (the verbs that drive a run).
//!
//! Every submodule is private. What the app, the scenario layer, the
//! invariant checkers and the `sim` CLI need is re-exported below, by name:
//! settings (`*Config`), requests and answers of the verbs, the trace, the
//! snapshots and the [`World`] that drives a run. The kernel, the agenda's
//! event enums and the components' run-time state are not public: only the
//! world moves them. What only tests and benchmarks need is in [`testing`].
//! The list and the reason for each group are in docs/architecture.md
//! ("The engine's public API").

mod api;
/// AWS's documented numbers (quotas, defaults, units), each with its source.
pub mod aws;
mod broker;
mod consumer;
mod digits;
mod error;
mod fault;
mod function;
mod intervention;
mod kernel;
mod mapping;
mod name;
/// Learner handlers compiled and run in a budgeted Rhai engine; a curated
/// facade of its own (handler tests and the handler benchmark use it).
pub mod sandbox;
pub mod snapshot;
mod store;
mod store_condition;
mod store_config;
mod store_item;
mod timestamp;
mod trace;
mod version;
mod version_store;
mod workflow;
mod world;

// Settings of a world and of each component.
pub use api::{ClientCall, ClientSpec, ClientTarget, EndpointConfig, RetryPolicy};
pub use broker::delivery_retry::DeliveryRetryPolicy;
pub use broker::filter_policy::{Condition, FilterPolicy, FilterScope, OneOrMany};
pub use broker::queue_config::{QueueConfig, RedrivePolicy};
pub use broker::topic_config::{Endpoint, SubscriptionConfig, TopicConfig};
pub use consumer::ConsumerConfig;
pub use fault::Fault;
pub use function::config::ACCOUNT_CONCURRENCY_DEFAULT;
pub use function::FunctionConfig;
pub use kernel::{Latency, Limits, SimRng};
pub use mapping::config::INITIAL_CONCURRENCY;
pub use mapping::MappingConfig;
pub use store::{StoreConfig, StoreLimits};
pub use workflow::{RetryConfig, StepConfig, StepKind, WorkflowConfig};
pub use world::{StepOutcome, World, WorldConfig};

// Requests and answers of the world's verbs.
pub use broker::batch::{
    BatchFailure, BatchResult, BatchSuccess, DeleteBatchEntry, SendBatchEntry, VisibilityBatchEntry,
};
pub use broker::message::{
    attributes_size_bytes, AttributeValue, Attributes, DeleteOutcome, PublishRequest,
    ReceiveRequest, ReceivedMessage, RedriveRequest, SendOutcome, SendRequest,
};
pub use broker::FunctionDelivery;
pub use error::SimError;
pub use function::{InvocationError, InvocationErrorKind, InvocationRecord, InvocationStatus};
pub use intervention::{
    in_time_order, parse_interventions, Intervention, InterventionKind, Parameters, Refusal,
    RefusalKind, MAX_INTERVENTIONS, MAX_INTERVENTIONS_BYTES,
};

// What happened (the trace) and what is (the snapshots), with the values
// they carry.
pub use name::Name;
pub use snapshot::{
    ClientSnapshot, EndpointSnapshot, ExecutionSnapshot, ExecutionStatus, FunctionSnapshot,
    MappingSnapshot, MessageState, QueueSnapshot, WorkflowSnapshot, WorkflowStats, WorldSnapshot,
};
pub use trace::{
    ActorId, CompactDetails, DestinationKind, MessageId, Trace, TraceDetails, TraceEvent, TraceKind,
};
pub use version::{Version, VersionErrorReason, MAX_VERSION_DISPLAY_BYTES};

/// For tests and benchmarks only: engine parts that the app never touches
/// but that are tested or measured on their own (the store and version
/// store without a world, the hash the golden traces use, quotas the
/// fidelity tests compare with AWS's documentation).
pub mod testing {
    pub use super::kernel::rng::fnv1a64;
    pub use super::mapping::config::{MAXIMUM_CONCURRENCY_MAX, SCALING_MAX};
    pub use super::version::MAX_VERSION_COMPONENTS;
    /// The key-value store on its own, as handlers reach it.
    pub mod store {
        pub use crate::sim::store::{
            json_size_bytes, Condition, Item, Store, StoreByteLimits, StoreConfig, StoreError,
            StoreLimits, WriteKind, WriteMeta,
        };
    }
    pub use super::version_store::{
        Draft, SaveOutcome, VersionStore, VersionStoreError, MAX_DRAFT_BYTES, MAX_SAVED_BYTES,
    };
    pub use store::Store;
}
