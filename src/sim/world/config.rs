//! The whole configuration of a world: the root seed, the limits, the
//! topology and the faults present from the start.

use serde::{Deserialize, Serialize};

use crate::sim::api::EndpointConfig;
use crate::sim::broker::queue_config::QueueConfig;
use crate::sim::broker::topic_config::TopicConfig;
use crate::sim::consumer::ConsumerConfig;
use crate::sim::fault::Fault;
use crate::sim::function::config::ACCOUNT_CONCURRENCY_DEFAULT;
use crate::sim::function::FunctionConfig;
use crate::sim::kernel::Limits;
use crate::sim::mapping::MappingConfig;
use crate::sim::store::StoreConfig;
use crate::sim::workflow::WorkflowConfig;

/// Everything a run depends on besides the verbs called on it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorldConfig {
    /// The root seed; every subsystem derives its own seed from it.
    pub seed: u64,
    /// Run limits.
    pub limits: Limits,
    /// Queues.
    pub queues: Vec<QueueConfig>,
    /// Topics and their subscriptions.
    pub topics: Vec<TopicConfig>,
    /// Built-in consumers.
    pub consumers: Vec<ConsumerConfig>,
    /// Faults injected at time 0.
    pub faults: Vec<Fault>,
    /// Functions (learner-written handlers).
    pub functions: Vec<FunctionConfig>,
    /// Event source mappings (queue -> function).
    pub mappings: Vec<MappingConfig>,
    /// API endpoints (server-API flow).
    pub endpoints: Vec<EndpointConfig>,
    /// Concurrent executions across all functions: default 1,000 (Lambda's
    /// default account quota), 1 to 100,000.
    pub account_concurrency_limit: u32,
    /// Workflows (Step Functions-like state machines).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub workflows: Vec<WorkflowConfig>,
    /// The store's call latencies.
    pub store: StoreConfig,
}

impl Default for WorldConfig {
    fn default() -> Self {
        WorldConfig {
            seed: 0,
            limits: Limits::default(),
            queues: Vec::new(),
            topics: Vec::new(),
            consumers: Vec::new(),
            faults: Vec::new(),
            functions: Vec::new(),
            mappings: Vec::new(),
            endpoints: Vec::new(),
            account_concurrency_limit: ACCOUNT_CONCURRENCY_DEFAULT,
            workflows: Vec::new(),
            store: StoreConfig::default(),
        }
    }
}

impl WorldConfig {
    /// An empty world with this seed.
    pub fn with_seed(seed: u64) -> Self {
        WorldConfig {
            seed,
            ..WorldConfig::default()
        }
    }

    /// Adds a queue.
    pub fn queue(mut self, queue: QueueConfig) -> Self {
        self.queues.push(queue);
        self
    }

    /// Adds a topic.
    pub fn topic(mut self, topic: TopicConfig) -> Self {
        self.topics.push(topic);
        self
    }

    /// Adds a consumer.
    pub fn consumer(mut self, consumer: ConsumerConfig) -> Self {
        self.consumers.push(consumer);
        self
    }

    /// Adds a function.
    pub fn function(mut self, function: FunctionConfig) -> Self {
        self.functions.push(function);
        self
    }

    /// Adds an event source mapping.
    pub fn mapping(mut self, mapping: MappingConfig) -> Self {
        self.mappings.push(mapping);
        self
    }

    /// Adds an API endpoint.
    pub fn endpoint(mut self, endpoint: EndpointConfig) -> Self {
        self.endpoints.push(endpoint);
        self
    }

    /// Adds a workflow.
    pub fn workflow(mut self, workflow: WorkflowConfig) -> Self {
        self.workflows.push(workflow);
        self
    }

    /// Adds a fault present from the start.
    pub fn fault(mut self, fault: Fault) -> Self {
        self.faults.push(fault);
        self
    }
}
