//! The broker's scheduled events.

use std::sync::Arc;

use crate::sim::broker::message::{PublishRequest, SendRequest};
use crate::sim::broker::topic::TopicMessage;
use crate::sim::trace::ActorId;

/// Something the broker must do at a later virtual time. Queues and topics
/// are referred to by index (their position in the configuration).
#[derive(Clone, Debug)]
pub enum BrokerEvent {
    /// A send requested for later (workloads).
    ScheduledSend {
        /// Target queue.
        queue: usize,
        /// Who sends.
        actor: ActorId,
        /// The request.
        request: Box<SendRequest>,
    },
    /// A publish requested for later (workloads).
    ScheduledPublish {
        /// Target topic.
        topic: usize,
        /// Who publishes.
        actor: ActorId,
        /// The request.
        request: Box<PublishRequest>,
    },
    /// An attempt to deliver a topic message to one subscription.
    TopicDelivery {
        /// The topic.
        topic: usize,
        /// The subscription (index within the topic).
        subscription: usize,
        /// The message.
        message: Arc<TopicMessage>,
        /// Attempt number, 1 for the first.
        attempt: u32,
    },
    /// A delayed message's delay (or jitter) ends.
    MessageAvailable {
        /// The queue.
        queue: usize,
        /// The stored message.
        key: u64,
    },
    /// An in-flight message's visibility timeout may have expired. Ignored
    /// unless the message is still in flight under `receipt` with exactly this
    /// deadline (deletes and visibility changes make older timers stale).
    VisibilityExpired {
        /// The queue.
        queue: usize,
        /// The stored message.
        key: u64,
        /// The receipt handle the timer belongs to.
        receipt: u64,
    },
    /// Expire every message of the queue past its retention period.
    RetentionSweep {
        /// The queue.
        queue: usize,
    },
}
