//! Publishing to a topic and delivering to its subscriptions (SNS): the
//! checks of a publish, FIFO deduplication, the fan-out through filter
//! policies, each delivery attempt, its retries and the subscription's
//! dead-letter queue. Split from `mod.rs` along those phases.

use std::borrow::Cow;
use std::sync::Arc;

use super::dedup_window::content_dedup_id;
use super::events::BrokerEvent;
use super::message::{self, Attributes, Payload, PublishRequest, SendOutcome};
use super::queue::SendInput;
use super::topic::{ResolvedEndpoint, Route, Subscription, Topic, TopicMessage};
use super::{envelope, Broker, FunctionDelivery};
use crate::sim::aws;
use crate::sim::error::SimError;
use crate::sim::fault::FaultBook;
use crate::sim::kernel::Kernel;
use crate::sim::name::Name;
use crate::sim::trace::{ActorId, DestinationKind, MessageId, TraceDetails, TraceKind};

impl Broker {
    /// SNS `Publish`: the checks, FIFO deduplication, then the first
    /// delivery attempt to each subscription whose filter policy matches.
    pub fn publish<E: From<BrokerEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        actor: &ActorId,
        topic_index: usize,
        request: PublishRequest,
    ) -> Result<MessageId, SimError> {
        let now = k.now_ms();
        let topic = &mut self.topics[topic_index];
        let (group_id, dedup_id) = match admit_publish(topic, &request) {
            Ok(ids) => ids,
            Err(error) => {
                record_rejected(k, actor, &topic.name, &error);
                return Err(error);
            }
        };
        if let Some(original) = duplicate_of(k, actor, topic, &group_id, &dedup_id) {
            return Ok(original);
        }
        let message_id = self.ids.message_id();
        topic.accept(message_id, dedup_id.as_ref(), now);
        k.record(
            actor.clone(),
            TraceKind::Published,
            Some(message_id),
            TraceDetails {
                topic: Some(topic.name.clone()),
                group_id: group_id.clone(),
                dedup_id: dedup_id.clone(),
                ..TraceDetails::default()
            },
        );
        let message = Arc::new(TopicMessage {
            message_id,
            payload: Payload::new(request.body, request.attributes),
            group_id,
            dedup_id,
            published_at_ms: now,
        });
        fan_out(k, topic, topic_index, &message);
        Ok(message_id)
    }

    /// One delivery attempt of a topic message to one subscription.
    pub(super) fn deliver<E: From<BrokerEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        via: (usize, usize),
        message: &Arc<TopicMessage>,
        attempt: u32,
        faults: &FaultBook,
    ) {
        let (topic_index, sub_index) = via;
        let Some(sub) = self.topics[topic_index].subscriptions.get(sub_index) else {
            return;
        };
        let topic_name = self.topics[topic_index].name.clone();
        let sub_name = sub.name.clone();
        let endpoint = sub.endpoint.clone();
        let actor = ActorId::Topic(topic_name.clone());
        let outcome = self.attempt_delivery(k, via, message, attempt, faults);
        let details = || {
            delivery_details(
                topic_name.clone(),
                sub_name.clone(),
                &endpoint,
                message.group_id.clone(),
                attempt,
            )
        };
        let id = message.message_id;
        match outcome {
            Ok(()) => {
                self.topics[topic_index].delivered(id, sub_index);
                k.record(actor, TraceKind::Delivered, Some(id), details());
            }
            Err(reason) => {
                let mut d = details();
                d.reason = Some(reason);
                self.delivery_failed(k, via, message, attempt, d, faults);
            }
        }
    }

    /// Hands the message to the subscription's endpoint: a queue (whose
    /// send may refuse it) or a function (kept for the world to invoke).
    /// An injected outage of the endpoint fails the attempt.
    fn attempt_delivery<E: From<BrokerEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        via: (usize, usize),
        message: &Arc<TopicMessage>,
        attempt: u32,
        faults: &FaultBook,
    ) -> Result<(), Cow<'static, str>> {
        let now = k.now_ms();
        if faults.endpoint_down(via.0, via.1, now) {
            return Err(Cow::Borrowed("endpoint unavailable (injected fault)"));
        }
        let topic = &self.topics[via.0];
        let sub = &topic.subscriptions[via.1];
        let queue = match &sub.endpoint {
            ResolvedEndpoint::Queue { index, .. } => *index,
            ResolvedEndpoint::Function(function) => {
                let delivery = function_delivery(now, topic, sub, function, message, attempt);
                self.function_outbox.push(delivery);
                return Ok(());
            }
        };
        let actor = ActorId::Topic(topic.name.clone());
        self.send_from_topic(k, &actor, via, queue, message, faults)
            .map(|_| ())
            .map_err(|e| Cow::Owned(e.to_string()))
    }

    /// A failed attempt: retried after the subscription's retry policy's
    /// delay, or, after the last retry, moved to the subscription's
    /// dead-letter queue, or dropped.
    fn delivery_failed<E: From<BrokerEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        via: (usize, usize),
        message: &Arc<TopicMessage>,
        attempt: u32,
        mut d: TraceDetails,
        faults: &FaultBook,
    ) {
        let now = k.now_ms();
        let id = message.message_id;
        let topic = &mut self.topics[via.0];
        let actor = ActorId::Topic(topic.name.clone());
        let sub = &topic.subscriptions[via.1];
        if let Some(wait) = sub.config.retry_policy.delay_before_retry(attempt) {
            let next = now + wait;
            topic.retry(id, via.1, attempt + 1, next);
            d.next_at_ms = Some(next);
            k.record(actor, TraceKind::DeliveryRetried, Some(id), d);
            k.schedule(
                next,
                BrokerEvent::TopicDelivery {
                    topic: via.0,
                    subscription: via.1,
                    message: Arc::clone(message),
                    attempt: attempt + 1,
                }
                .into(),
            );
            return;
        }
        let dead_letter_queue = sub.dead_letter_queue.clone();
        topic.gave_up(id, via.1, dead_letter_queue.is_some());
        match dead_letter_queue {
            Some((dlq, dlq_name)) => {
                d.destination = Some(dlq_name);
                d.destination_kind = Some(DestinationKind::Queue);
                k.record(actor.clone(), TraceKind::MovedToDlq, Some(id), d.clone());
                if let Err(error) = self.send_from_topic(k, &actor, via, dlq, message, faults) {
                    d.reason = Some(Cow::Owned(format!(
                        "dead-letter queue refused the message: {error}"
                    )));
                    k.record(actor, TraceKind::Dropped, Some(id), d);
                }
            }
            None => k.record(actor, TraceKind::Dropped, Some(id), d),
        }
    }

    /// Sends a topic message to a queue through subscription `via`
    /// (topic, subscription): raw, or wrapped in the SNS envelope.
    fn send_from_topic<E: From<BrokerEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        actor: &ActorId,
        via: (usize, usize),
        queue: usize,
        message: &TopicMessage,
        faults: &FaultBook,
    ) -> Result<SendOutcome, SimError> {
        let topic = &self.topics[via.0];
        let sub = &topic.subscriptions[via.1];
        let payload = if sub.config.raw_message_delivery {
            message.payload.clone()
        } else {
            let body = envelope::envelope_body(&topic.name, &sub.name, message);
            Payload::new(body, Attributes::new())
        };
        let input = SendInput {
            payload,
            group_id: message.group_id.clone(),
            dedup_id: message.dedup_id.clone(),
            delay_ms: None,
            related: Some(message.message_id),
        };
        self.queues[queue].send(k, actor, input, &mut self.ids, faults.queue(queue))
    }
}

/// A refused publish, in the trace.
fn record_rejected<E>(k: &mut Kernel<E>, actor: &ActorId, topic: &Name, error: &SimError) {
    k.record(
        actor.clone(),
        TraceKind::SendRejected,
        None,
        TraceDetails {
            topic: Some(topic.clone()),
            reason: Some(Cow::Owned(error.to_string())),
            ..TraceDetails::default()
        },
    );
}

/// A FIFO topic's duplicate within the deduplication window: traced, and
/// answered with the original's id.
fn duplicate_of<E>(
    k: &mut Kernel<E>,
    actor: &ActorId,
    topic: &mut Topic,
    group_id: &Option<Name>,
    dedup_id: &Option<Name>,
) -> Option<MessageId> {
    let dedup = dedup_id.as_ref()?;
    let original = topic.duplicate_of(dedup, k.now_ms())?;
    k.record(
        actor.clone(),
        TraceKind::Deduplicated,
        Some(original),
        TraceDetails {
            topic: Some(topic.name.clone()),
            group_id: group_id.clone(),
            dedup_id: Some(dedup.clone()),
            related_message_id: Some(original),
            ..TraceDetails::default()
        },
    );
    Some(original)
}

/// Schedules the first delivery attempt to every subscription whose filter
/// policy matches (SNS fan-out); a FIFO topic keeps each subscription's
/// arrivals in publish order.
fn fan_out<E: From<BrokerEvent>>(
    k: &mut Kernel<E>,
    topic: &mut Topic,
    topic_index: usize,
    message: &Arc<TopicMessage>,
) {
    let message_id = message.message_id;
    let topic_name = topic.name.clone();
    let topic_actor = ActorId::Topic(topic_name.clone());
    topic.route(message, k.now_ms(), |route| match route {
        Route::FilteredOut { subscription } => k.record(
            topic_actor.clone(),
            TraceKind::FilteredOut,
            Some(message_id),
            TraceDetails {
                topic: Some(topic_name.clone()),
                subscription: Some(subscription.clone()),
                ..TraceDetails::default()
            },
        ),
        Route::Deliver {
            subscription,
            at_ms,
        } => k.schedule(
            at_ms,
            BrokerEvent::TopicDelivery {
                topic: topic_index,
                subscription,
                message: Arc::clone(message),
                attempt: 1,
            }
            .into(),
        ),
    });
}

/// What the world gets to invoke a function subscription.
fn function_delivery(
    now_ms: u64,
    topic: &Topic,
    sub: &Subscription,
    function: &Name,
    message: &TopicMessage,
    attempt: u32,
) -> FunctionDelivery {
    FunctionDelivery {
        time_ms: now_ms,
        topic: topic.name.clone(),
        subscription: sub.name.clone(),
        function: function.clone(),
        message_id: message.message_id,
        attempt,
        published_at_ms: message.published_at_ms,
        body: message.payload.body.to_string(),
        attributes: (*message.payload.attributes).clone(),
        group_id: message.group_id.clone(),
    }
}

/// The details every event of a delivery attempt has. Inlined, like
/// `Kernel::record`, so that a caller that records them as they are stores
/// just these fields without building the wide struct in memory.
#[inline(always)]
fn delivery_details(
    topic: Name,
    subscription: Name,
    endpoint: &ResolvedEndpoint,
    group_id: Option<Name>,
    attempt: u32,
) -> TraceDetails {
    let (destination, destination_kind) = match endpoint {
        ResolvedEndpoint::Queue { name, .. } => (name.clone(), DestinationKind::Queue),
        ResolvedEndpoint::Function(name) => (name.clone(), DestinationKind::Function),
    };
    TraceDetails {
        topic: Some(topic),
        subscription: Some(subscription),
        destination: Some(destination),
        destination_kind: Some(destination_kind),
        group_id,
        attempt: Some(attempt),
        ..TraceDetails::default()
    }
}

/// The checks SNS makes before accepting a publish; returns group and
/// deduplication ids.
fn admit_publish(
    topic: &Topic,
    request: &PublishRequest,
) -> Result<(Option<Name>, Option<Name>), SimError> {
    // Built only for an error: every publish passes through here.
    let target = || format!("topic {}", topic.name);
    // SNS counts the attributes too (docs/scenarios.md, "Client messages").
    let bytes = request
        .body
        .len()
        .saturating_add(message::attributes_size_bytes(&request.attributes));
    if bytes > aws::SNS_MESSAGE_BYTES_MAX {
        return Err(SimError::MessageTooLarge {
            target: target(),
            bytes,
            max_bytes: aws::SNS_MESSAGE_BYTES_MAX,
        });
    }
    if request.attributes.len() > aws::MESSAGE_ATTRIBUTES_MAX {
        return Err(SimError::TooManyAttributes {
            target: target(),
            count: request.attributes.len(),
            max: aws::MESSAGE_ATTRIBUTES_MAX,
        });
    }
    if !topic.config.fifo {
        return Ok((request.group_id.as_deref().map(Name::from), None));
    }
    let Some(group) = request.group_id.as_deref() else {
        return Err(SimError::MissingMessageGroupId { target: target() });
    };
    let dedup = match (&request.dedup_id, topic.config.content_based_deduplication) {
        (Some(id), _) => Name::from(id),
        (None, true) => content_dedup_id(&request.body),
        (None, false) => return Err(SimError::MissingDeduplicationId { target: target() }),
    };
    Ok((Some(Name::from(group)), Some(dedup)))
}
