//! The broker: SQS queues and SNS topics with the semantics of design
//! section 4. The world owns one broker and forwards verbs and events to it.

pub mod batch;
pub mod delivery_retry;
pub mod envelope;
pub mod events;
pub mod filter_policy;
mod filter_policy_serde;
pub mod message;
pub mod queue_config;
pub mod topic_config;
mod topic_delivery;

pub(crate) mod append_map;
pub(crate) mod dedup_window;
pub(crate) mod entry_store;
pub(crate) mod fifo_groups;
pub(crate) mod queue;
pub(crate) mod topic;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::sim::aws;
use crate::sim::error::{check_range, SimError};
use crate::sim::fault::FaultBook;
use crate::sim::kernel::{Kernel, Limits, SimRng};
use crate::sim::name::Name;
use crate::sim::snapshot::{QueueSnapshot, TopicSnapshot};
use crate::sim::trace::{ActorId, DestinationKind, MessageId, TraceDetails, TraceKind};

use events::BrokerEvent;
use message::{
    Attributes, DeleteOutcome, Payload, ReceiveRequest, ReceivedMessage, RedriveRequest,
    SendOutcome, SendRequest,
};
use queue::{DeadLetterTarget, IdCounters, Queue, SendInput};
use queue_config::QueueConfig;
use topic::{ResolvedEndpoint, Subscription, Topic};
use topic_config::{Endpoint, SubscriptionConfig, TopicConfig};

/// A topic delivery to a function subscription, waiting for the function
/// engine (part 2) to invoke the function. SNS invokes functions
/// asynchronously: the delivery succeeds once it is handed over.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionDelivery {
    /// When it was handed over.
    pub time_ms: u64,
    /// The topic.
    pub topic: Name,
    /// The subscription.
    pub subscription: Name,
    /// The function.
    pub function: Name,
    /// The topic message.
    pub message_id: MessageId,
    /// The delivery attempt that succeeded.
    pub attempt: u32,
    /// When the message was published (the event's `Timestamp`).
    pub published_at_ms: u64,
    /// Body.
    pub body: String,
    /// Attributes.
    pub attributes: Attributes,
    /// FIFO group.
    pub group_id: Option<Name>,
}

/// All queues and topics of a world.
#[derive(Clone)]
pub(crate) struct Broker {
    queues: Vec<Queue>,
    queue_index: BTreeMap<Name, usize>,
    topics: Vec<Topic>,
    topic_index: BTreeMap<Name, usize>,
    ids: IdCounters,
    function_outbox: Vec<FunctionDelivery>,
}

impl Broker {
    /// Builds and cross-checks the topology.
    pub fn new(
        queues: &[QueueConfig],
        topics: &[TopicConfig],
        seed: u64,
        limits: &Limits,
    ) -> Result<Self, SimError> {
        let mut queue_index = BTreeMap::new();
        let mut built = Vec::with_capacity(queues.len());
        for (index, config) in queues.iter().enumerate() {
            config.validate()?;
            let queue = Queue::new(index, config.clone(), seed, limits.max_messages_per_queue);
            if queue_index.insert(queue.name.clone(), index).is_some() {
                return Err(SimError::DuplicateName {
                    kind: "queue",
                    name: config.name.clone(),
                });
            }
            built.push(queue);
        }
        for index in 0..built.len() {
            let Some(policy) = built[index].config.redrive_policy.clone() else {
                continue;
            };
            let dlq = *queue_index
                .get(policy.dead_letter_queue.as_str())
                .ok_or_else(|| SimError::UnknownQueue {
                    name: policy.dead_letter_queue.clone(),
                })?;
            if built[dlq].is_fifo() != built[index].is_fifo() {
                return Err(SimError::DeadLetterQueueTypeMismatch {
                    queue: built[index].config.name.clone(),
                    dead_letter_queue: policy.dead_letter_queue.clone(),
                });
            }
            built[index].dead_letter = Some(DeadLetterTarget {
                queue: dlq,
                name: built[dlq].name.clone(),
                max_receive_count: policy.max_receive_count,
            });
        }
        let mut broker = Broker {
            queues: built,
            queue_index,
            topics: Vec::new(),
            topic_index: BTreeMap::new(),
            ids: IdCounters::default(),
            function_outbox: Vec::new(),
        };
        for (index, config) in topics.iter().enumerate() {
            let topic = broker.build_topic(config, seed)?;
            if broker
                .topic_index
                .insert(topic.name.clone(), index)
                .is_some()
            {
                return Err(SimError::DuplicateName {
                    kind: "topic",
                    name: config.name.clone(),
                });
            }
            broker.topics.push(topic);
        }
        Ok(broker)
    }

    fn build_topic(&self, config: &TopicConfig, seed: u64) -> Result<Topic, SimError> {
        let component = format!("topic {}", config.name);
        if config.name.is_empty() || config.name.len() > 256 {
            return Err(SimError::InvalidConfig {
                component,
                field: "name",
                reason: "a topic name has 1 to 256 characters".into(),
            });
        }
        if config.content_based_deduplication && !config.fifo {
            return Err(SimError::InvalidConfig {
                component,
                field: "content_based_deduplication",
                reason: "deduplication is a FIFO feature".into(),
            });
        }
        let mut names = BTreeMap::new();
        let mut subscriptions = Vec::new();
        for sub in &config.subscriptions {
            sub.validate(&config.name)?;
            if names.insert(sub.name.clone(), ()).is_some() {
                return Err(SimError::DuplicateName {
                    kind: "subscription",
                    name: sub.name.clone(),
                });
            }
            subscriptions.push(self.build_subscription(config, sub, seed)?);
        }
        Ok(Topic::new(config, subscriptions))
    }

    /// A subscription of `config`, its endpoint and dead-letter queue
    /// resolved to queues the broker has.
    fn build_subscription(
        &self,
        config: &TopicConfig,
        sub: &SubscriptionConfig,
        seed: u64,
    ) -> Result<Subscription, SimError> {
        let sub_component = || format!("topic {} subscription {}", config.name, sub.name);
        let endpoint = match &sub.endpoint {
            Endpoint::Queue(name) => {
                let queue = self.queue_index(name)?;
                if self.queues[queue].is_fifo() && !config.fifo {
                    return Err(SimError::InvalidConfig {
                        component: sub_component(),
                        field: "endpoint",
                        reason: format!(
                            "queue {name} is FIFO: only a FIFO topic can deliver to it"
                        ),
                    });
                }
                ResolvedEndpoint::Queue {
                    index: queue,
                    name: self.queues[queue].name.clone(),
                }
            }
            Endpoint::Function(name) => ResolvedEndpoint::Function(Name::from(name)),
        };
        let dead_letter_queue = match &sub.dead_letter_queue {
            None => None,
            Some(name) => {
                let queue = self.queue_index(name)?;
                if self.queues[queue].is_fifo() != config.fifo {
                    return Err(SimError::InvalidConfig {
                        component: sub_component(),
                        field: "dead_letter_queue",
                        reason: "a subscription's dead-letter queue has the topic's type (FIFO or standard)"
                            .into(),
                    });
                }
                Some((queue, self.queues[queue].name.clone()))
            }
        };
        let rng = SimRng::for_subsystem(
            seed,
            &format!("topic:{}/subscription:{}", config.name, sub.name),
        );
        Ok(Subscription::new(
            sub.clone(),
            endpoint,
            dead_letter_queue,
            rng,
        ))
    }

    // ------------------------------------------------------------ lookups

    pub fn queue_index(&self, name: &str) -> Result<usize, SimError> {
        self.queue_index
            .get(name)
            .copied()
            .ok_or_else(|| SimError::UnknownQueue {
                name: name.to_string(),
            })
    }

    pub fn topic_index(&self, name: &str) -> Result<usize, SimError> {
        self.topic_index
            .get(name)
            .copied()
            .ok_or_else(|| SimError::UnknownTopic {
                name: name.to_string(),
            })
    }

    pub fn subscription_index(&self, topic: usize, name: &str) -> Result<usize, SimError> {
        self.topics[topic]
            .subscriptions
            .iter()
            .position(|s| s.name == name)
            .ok_or_else(|| SimError::UnknownSubscription {
                topic: self.topics[topic].config.name.clone(),
                name: name.to_string(),
            })
    }

    /// Every queue, for the world to wake their long polls.
    pub fn queues_mut(&mut self) -> std::slice::IterMut<'_, Queue> {
        self.queues.iter_mut()
    }

    /// Topic deliveries to function subscriptions not yet invoked.
    pub fn function_deliveries_pending(&self) -> usize {
        self.function_outbox.len()
    }

    /// Hands over the topic deliveries to function subscriptions.
    pub fn take_function_deliveries(&mut self) -> Vec<FunctionDelivery> {
        std::mem::take(&mut self.function_outbox)
    }

    /// Keeps a delivery the world could not invoke (its function is not
    /// defined), for [`Broker::take_function_deliveries`] to hand over later.
    pub fn keep_function_delivery(&mut self, delivery: FunctionDelivery) {
        self.function_outbox.push(delivery);
    }

    pub fn queue(&self, index: usize) -> &Queue {
        &self.queues[index]
    }

    pub fn queue_mut(&mut self, index: usize) -> &mut Queue {
        &mut self.queues[index]
    }

    pub fn queue_count(&self) -> usize {
        self.queues.len()
    }

    // -------------------------------------------------------------- verbs

    pub fn send<E: From<BrokerEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        actor: &ActorId,
        queue: usize,
        request: SendRequest,
        faults: &FaultBook,
    ) -> Result<SendOutcome, SimError> {
        let input = SendInput {
            payload: Payload::new(request.body, request.attributes),
            group_id: request.group_id.map(Name::from),
            dedup_id: request.dedup_id.map(Name::from),
            delay_ms: request.delay_ms,
            related: None,
        };
        self.queues[queue].send(k, actor, input, &mut self.ids, faults.queue(queue))
    }

    pub fn receive<E: From<BrokerEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        actor: &ActorId,
        queue: usize,
        request: &ReceiveRequest,
    ) -> Result<Vec<ReceivedMessage>, SimError> {
        // Consumers receive on every poll: name the component (an
        // allocation) only when a check fails.
        let name = &self.queues[queue].name;
        let in_range = |field, value, min, max| {
            if (min..=max).contains(&value) {
                return Ok(());
            }
            check_range(
                &format!("receive from queue {name}"),
                field,
                value,
                min,
                max,
            )
        };
        in_range(
            "max_messages",
            u64::from(request.max_messages),
            1,
            u64::from(aws::RECEIVE_MAX_MESSAGES),
        )?;
        let visibility = request
            .visibility_timeout_ms
            .unwrap_or(self.queues[queue].config.visibility_timeout_ms);
        in_range(
            "visibility_timeout_ms",
            visibility,
            0,
            aws::VISIBILITY_TIMEOUT_MAX_MS,
        )?;
        let mut moved = Vec::new();
        let received = self.queues[queue].receive(
            k,
            actor,
            request.max_messages,
            visibility,
            &mut self.ids,
            &mut moved,
        )?;
        if let Some(target) = self.queues[queue].dead_letter.clone() {
            for entry in moved {
                let dlq = &mut self.queues[target.queue];
                dlq.accept_moved(k, entry, Some(queue));
                dlq.count_arrival(true);
            }
        }
        Ok(received)
    }

    pub fn delete<E: From<BrokerEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        actor: &ActorId,
        queue: usize,
        receipt_handle: u64,
    ) -> Result<DeleteOutcome, SimError> {
        self.queues[queue].delete(k, actor, receipt_handle, &self.ids)
    }

    pub fn change_visibility<E: From<BrokerEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        actor: &ActorId,
        queue: usize,
        receipt_handle: u64,
        visibility_timeout_ms: u64,
    ) -> Result<(), SimError> {
        self.queues[queue].change_visibility(k, actor, receipt_handle, visibility_timeout_ms)
    }

    /// Moves waiting messages out of a dead-letter queue, to `destination`
    /// or back to the queue each came from. Moved messages start over with
    /// a receive count of 0 and are receivable at once; with no destination,
    /// messages that were sent to the dead-letter queue directly stay.
    pub fn redrive<E: From<BrokerEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        actor: &ActorId,
        queue: usize,
        request: &RedriveRequest,
    ) -> Result<usize, SimError> {
        let fixed_destination = match &request.destination {
            Some(name) => {
                let destination = self.queue_index(name)?;
                if destination == queue {
                    return Err(SimError::InvalidConfig {
                        component: format!("redrive from queue {}", self.queues[queue].name),
                        field: "destination",
                        reason: "the destination is the dead-letter queue itself".into(),
                    });
                }
                if self.queues[destination].is_fifo() != self.queues[queue].is_fifo() {
                    return Err(SimError::DeadLetterQueueTypeMismatch {
                        queue: name.clone(),
                        dead_letter_queue: self.queues[queue].name.to_string(),
                    });
                }
                Some(destination)
            }
            None => None,
        };
        let max = request.max_messages.unwrap_or(usize::MAX);
        let taken = self.queues[queue].take_for_redrive(max, fixed_destination.is_none());
        let count = taken.len();
        let from = self.queues[queue].name.clone();
        for entry in taken {
            // Every taken entry has a destination (see `need_source`); the
            // fallback keeps a message in place rather than lose it.
            let destination = fixed_destination.or(entry.source_queue).unwrap_or(queue);
            let to = &mut self.queues[destination];
            k.record(
                actor.clone(),
                TraceKind::Redriven,
                Some(entry.message_id),
                TraceDetails {
                    queue: Some(from.clone()),
                    destination: Some(to.name.clone()),
                    destination_kind: Some(DestinationKind::Queue),
                    copy: entry.copy,
                    group_id: entry.group_id.clone(),
                    ..TraceDetails::default()
                },
            );
            to.accept_moved(k, entry, None);
            to.count_arrival(false);
        }
        Ok(count)
    }

    // ------------------------------------------------------------- events

    pub fn handle<E: From<BrokerEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        event: BrokerEvent,
        faults: &FaultBook,
    ) {
        match event {
            BrokerEvent::ScheduledSend {
                queue,
                actor,
                request,
            } => {
                // A refused send is already in the trace as `SendRejected`.
                let _ = self.send(k, &actor, queue, *request, faults);
            }
            BrokerEvent::ScheduledPublish {
                topic,
                actor,
                request,
            } => {
                let _ = self.publish(k, &actor, topic, *request);
            }
            BrokerEvent::TopicDelivery {
                topic,
                subscription,
                message,
                attempt,
            } => self.deliver(k, (topic, subscription), &message, attempt, faults),
            BrokerEvent::MessageAvailable { queue, key } => self.queues[queue].on_available(k, key),
            BrokerEvent::VisibilityExpired {
                queue,
                key,
                receipt,
            } => self.queues[queue].on_visibility_expired(k, key, receipt),
            BrokerEvent::RetentionSweep { queue } => self.queues[queue].on_retention_sweep(k),
        }
    }

    // ------------------------------------------------------------- status

    /// True when nothing in the broker will change by itself: no delayed or
    /// in-flight message, no delivery under way, and no receivable message
    /// in a queue someone polls (`polled[q]`).
    pub fn is_quiet(&self, polled: &[bool]) -> bool {
        self.queues.iter().enumerate().all(|(i, q)| {
            let counts = q.counts();
            counts.delayed == 0
                && counts.in_flight == 0
                && !(polled.get(i).copied().unwrap_or(false) && q.has_receivable())
        }) && self.topics.iter().all(|t| !t.has_pending())
    }

    pub fn queue_snapshots(&self) -> Vec<QueueSnapshot> {
        self.queues.iter().map(Queue::snapshot).collect()
    }

    pub fn topic_snapshots(&self) -> Vec<TopicSnapshot> {
        self.topics.iter().map(Topic::snapshot).collect()
    }
}
