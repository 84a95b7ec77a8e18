//! Topic and subscription settings.

use serde::{Deserialize, Serialize};

use crate::sim::broker::delivery_retry::DeliveryRetryPolicy;
use crate::sim::broker::filter_policy::{FilterPolicy, FilterScope};
use crate::sim::error::SimError;
use crate::sim::kernel::Latency;

/// Where a subscription delivers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    /// An SQS queue of the simulation.
    Queue(String),
    /// A function (invoked asynchronously; the function engine takes the
    /// deliveries, see `World::take_function_deliveries`).
    Function(String),
}

impl Default for Endpoint {
    fn default() -> Self {
        Endpoint::Queue(String::new())
    }
}

/// One subscription of a topic.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SubscriptionConfig {
    /// Unique within the topic.
    pub name: String,
    /// The endpoint.
    pub endpoint: Endpoint,
    /// Only matching messages are delivered; `None` delivers all.
    pub filter_policy: Option<FilterPolicy>,
    /// Whether the policy reads attributes or the body.
    pub filter_scope: FilterScope,
    /// Time from publish (or retry) to arrival at the endpoint.
    pub delivery_latency: Latency,
    /// Where messages go when the retry policy is exhausted (a queue of the
    /// same type as the topic); `None` drops them.
    pub dead_letter_queue: Option<String>,
    /// The retry phases (AWS-managed endpoint policy by default).
    pub retry_policy: DeliveryRetryPolicy,
    /// Queue endpoints: deliver the published body as it is, with the
    /// attributes as SQS message attributes (`RawMessageDelivery`). False by
    /// default, as on AWS: the queue receives the SNS JSON envelope (see
    /// `envelope.rs` and docs/scenarios.md, "Topics").
    pub raw_message_delivery: bool,
}

impl Default for SubscriptionConfig {
    fn default() -> Self {
        SubscriptionConfig {
            name: String::new(),
            endpoint: Endpoint::default(),
            filter_policy: None,
            filter_scope: FilterScope::default(),
            delivery_latency: Latency::Uniform {
                min_ms: 5,
                max_ms: 30,
            },
            dead_letter_queue: None,
            retry_policy: DeliveryRetryPolicy::default(),
            raw_message_delivery: false,
        }
    }
}

impl SubscriptionConfig {
    /// A subscription delivering to `queue`.
    pub fn to_queue(name: impl Into<String>, queue: impl Into<String>) -> Self {
        SubscriptionConfig {
            name: name.into(),
            endpoint: Endpoint::Queue(queue.into()),
            ..SubscriptionConfig::default()
        }
    }

    /// A subscription delivering to `function`.
    pub fn to_function(name: impl Into<String>, function: impl Into<String>) -> Self {
        SubscriptionConfig {
            name: name.into(),
            endpoint: Endpoint::Function(function.into()),
            ..SubscriptionConfig::default()
        }
    }

    /// Delivers raw messages instead of the SNS envelope.
    pub fn raw(mut self) -> Self {
        self.raw_message_delivery = true;
        self
    }

    /// Sets the filter policy.
    pub fn with_filter(mut self, policy: FilterPolicy, scope: FilterScope) -> Self {
        self.filter_policy = Some(policy);
        self.filter_scope = scope;
        self
    }

    pub(crate) fn validate(&self, topic: &str) -> Result<(), SimError> {
        let component = format!("topic {topic} subscription {}", self.name);
        let invalid = |field: &'static str, reason: &str| SimError::InvalidConfig {
            component: component.clone(),
            field,
            reason: reason.to_string(),
        };
        if self.name.is_empty() {
            return Err(invalid("name", "a subscription needs a name"));
        }
        match &self.endpoint {
            Endpoint::Queue(q) | Endpoint::Function(q) if q.is_empty() => {
                return Err(invalid("endpoint", "the endpoint needs a name"));
            }
            _ => {}
        }
        if self.raw_message_delivery && matches!(self.endpoint, Endpoint::Function(_)) {
            // AWS: RawMessageDelivery applies to SQS, HTTP/S and Firehose
            // endpoints only (API_SetSubscriptionAttributes).
            return Err(invalid(
                "raw_message_delivery",
                "raw message delivery applies to queue endpoints; a function always gets the SNS event",
            ));
        }
        if let Some(policy) = &self.filter_policy {
            policy.validate(&component)?;
        }
        self.delivery_latency.validate(&component)?;
        self.retry_policy.validate(&component)
    }
}

/// One topic.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TopicConfig {
    /// Unique topic name.
    pub name: String,
    /// FIFO topic: requires group ids, deduplicates, delivers each
    /// subscription's messages in publish order, and may feed FIFO queues.
    pub fifo: bool,
    /// FIFO only: deduplicate by a hash of the body when no id is given.
    pub content_based_deduplication: bool,
    /// The subscriptions.
    pub subscriptions: Vec<SubscriptionConfig>,
}

impl TopicConfig {
    /// A standard topic with these subscriptions.
    pub fn new(name: impl Into<String>, subscriptions: Vec<SubscriptionConfig>) -> Self {
        TopicConfig {
            name: name.into(),
            subscriptions,
            ..TopicConfig::default()
        }
    }
}
