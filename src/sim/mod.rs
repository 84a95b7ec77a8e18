//! The simulation engine: pure and deterministic (see `docs/architecture.md`).
//!
//! Layout: [`kernel`] (virtual time, agenda, seeds, latencies, limits),
//! [`trace`] (what happened), [`broker`] (SQS queues and SNS topics),
//! [`consumer`] (a built-in queue worker), [`function`] (learner handlers in
//! execution environments), [`mapping`] (event source mappings), [`fault`],
//! [`snapshot`] (read-only views), [`workflow`] (Step Functions-like state
//! machines) and [`world`] (the verbs that drive a run).

pub mod api;
pub mod aws;
pub mod broker;
pub mod consumer;
pub mod digits;
pub mod error;
pub mod fault;
pub mod function;
pub mod intervention;
pub mod kernel;
pub mod mapping;
pub mod name;
pub mod sandbox;
pub mod snapshot;
pub mod store;
pub mod store_condition;
pub mod timestamp;
pub mod trace;
pub mod version;
pub mod version_store;
pub mod workflow;
pub mod world;

pub use api::{
    ClientCall, ClientSnapshot, ClientSpec, ClientTarget, EndpointConfig, EndpointSnapshot,
    RetryPolicy,
};
pub use broker::batch::{
    BatchFailure, BatchResult, BatchSuccess, DeleteBatchEntry, SendBatchEntry, VisibilityBatchEntry,
};
pub use broker::delivery_retry::DeliveryRetryPolicy;
pub use broker::filter_policy::{Condition, FilterPolicy, FilterScope};
pub use broker::message::{
    AttributeValue, Attributes, DeleteOutcome, PublishRequest, ReceiveRequest, ReceivedMessage,
    RedriveRequest, SendOutcome, SendRequest,
};
pub use broker::queue_config::{QueueConfig, RedrivePolicy};
pub use broker::topic_config::{Endpoint, SubscriptionConfig, TopicConfig};
pub use broker::FunctionDelivery;
pub use consumer::ConsumerConfig;
pub use error::SimError;
pub use fault::Fault;
pub use function::{
    FunctionConfig, FunctionSnapshot, InvocationError, InvocationErrorKind, InvocationRecord,
    InvocationStatus,
};
pub use intervention::{Intervention, InterventionKind, Parameters, Refusal, RefusalKind};
pub use kernel::{Latency, Limits};
pub use mapping::{MappingConfig, MappingSnapshot};
pub use name::Name;
pub use snapshot::WorldSnapshot;
pub use trace::{ActorId, CompactDetails, MessageId, Trace, TraceDetails, TraceEvent, TraceKind};
pub use workflow::{
    ExecutionSnapshot, ExecutionStatus, RetryConfig, StepConfig, StepKind, WorkflowConfig,
    WorkflowSnapshot, WorkflowStats,
};
pub use world::{StepOutcome, World, WorldConfig};
