//! Topics: fan-out, filter policies, delivery retries, subscription DLQs,
//! function subscriptions, FIFO topics.

mod sim_common;

use event_playground::sim::{
    AttributeValue, Condition, DeliveryRetryPolicy, Endpoint, Fault, FilterPolicy, FilterScope,
    Latency, PublishRequest, QueueConfig, ReceiveRequest, SimError, SubscriptionConfig,
    TopicConfig, TraceKind, World, WorldConfig,
};
use sim_common::Checked;

fn queue(name: &str) -> QueueConfig {
    QueueConfig {
        delivery_jitter: Some(Latency::ZERO),
        ..QueueConfig::standard(name)
    }
}

/// Raw delivery: these tests read the published body itself (the SNS
/// envelope of the default is tested in tests/fidelity.rs).
fn sub(name: &str, queue: &str) -> SubscriptionConfig {
    SubscriptionConfig {
        delivery_latency: Latency::Fixed { ms: 10 },
        ..SubscriptionConfig::to_queue(name, queue).raw()
    }
}

fn text(value: &str) -> AttributeValue {
    AttributeValue::String(value.into())
}

fn number(value: &str) -> AttributeValue {
    AttributeValue::Number(value.into())
}

#[test]
fn a_topic_fans_out_a_copy_to_every_queue_subscription() {
    let mut w = Checked::new(
        WorldConfig::with_seed(1)
            .queue(queue("billing"))
            .queue(queue("shipping"))
            .topic(TopicConfig::new(
                "orders",
                vec![sub("b", "billing"), sub("s", "shipping")],
            )),
    );
    let id = w
        .world
        .publish("orders", PublishRequest::body("order 1"))
        .unwrap();
    w.run_until(10);
    for q in ["billing", "shipping"] {
        let got = w.world.receive(q, ReceiveRequest::up_to(10)).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(&*got[0].payload.body, "order 1");
        assert_ne!(got[0].message_id, id, "each queue stores its own message");
    }
    let sent = w.events(TraceKind::Sent);
    assert!(sent
        .iter()
        .all(|e| e.details.related_message_id() == Some(id)));
    assert_eq!(w.events(TraceKind::Delivered).len(), 2);
    w.verify();
}

fn filtered_world(policy: FilterPolicy, scope: FilterScope) -> Checked {
    Checked::new(
        WorldConfig::with_seed(1)
            .queue(queue("q"))
            .topic(TopicConfig::new(
                "t",
                vec![sub("s", "q").with_filter(policy, scope)],
            )),
    )
}

fn passes(w: &mut Checked, request: PublishRequest) -> bool {
    let before = w.events(TraceKind::FilteredOut).len();
    w.world.publish("t", request).unwrap();
    w.verify();
    w.events(TraceKind::FilteredOut).len() == before
}

#[test]
fn exact_matching_is_case_sensitive() {
    let policy = FilterPolicy::new().with("color", Condition::Exact("red".into()));
    let mut w = filtered_world(policy, FilterScope::MessageAttributes);
    assert!(passes(
        &mut w,
        PublishRequest::body("x").attribute("color", text("red"))
    ));
    assert!(!passes(
        &mut w,
        PublishRequest::body("x").attribute("color", text("Red"))
    ));
    assert!(!passes(&mut w, PublishRequest::body("x")));
}

#[test]
fn prefix_numeric_range_and_exists_conditions_match_as_sns_does() {
    let policy = FilterPolicy::new()
        .with("region", Condition::Prefix("eu-".into()))
        .with(
            "amount",
            Condition::NumericRange {
                min: Some(0.0),
                min_inclusive: false,
                max: Some(100.5),
                max_inclusive: true,
            },
        )
        .with("customer", Condition::Exists(true))
        .with("test", Condition::Exists(false));
    let mut w = filtered_world(policy, FilterScope::MessageAttributes);
    let base = || {
        PublishRequest::body("x")
            .attribute("region", text("eu-west-1"))
            .attribute("customer", text("c1"))
    };
    assert!(passes(&mut w, base().attribute("amount", number("100.5"))));
    assert!(passes(
        &mut w,
        base().attribute("amount", number("0.00001"))
    ));
    assert!(!passes(&mut w, base().attribute("amount", number("0"))));
    assert!(!passes(
        &mut w,
        base().attribute("amount", number("100.50001"))
    ));
    assert!(
        !passes(&mut w, base().attribute("amount", text("50"))),
        "a string is not a number"
    );
    assert!(!passes(
        &mut w,
        base()
            .attribute("amount", number("5"))
            .attribute("test", text("yes"))
    ));
    assert!(!passes(
        &mut w,
        PublishRequest::body("x")
            .attribute("region", text("us-east-1"))
            .attribute("customer", text("c1"))
            .attribute("amount", number("5"))
    ));
}

#[test]
fn conditions_on_one_key_are_alternatives() {
    let policy = FilterPolicy::new()
        .with("color", Condition::Exact("red".into()))
        .with("color", Condition::Exact("blue".into()));
    let mut w = filtered_world(policy, FilterScope::MessageAttributes);
    assert!(passes(
        &mut w,
        PublishRequest::body("x").attribute("color", text("blue"))
    ));
    assert!(!passes(
        &mut w,
        PublishRequest::body("x").attribute("color", text("green"))
    ));
}

#[test]
fn a_policy_can_filter_on_the_json_body() {
    let policy = FilterPolicy::new()
        .with("doc.kind", Condition::Exact("draft".into()))
        .with("version", Condition::NumericEquals(2.0));
    let mut w = filtered_world(policy, FilterScope::MessageBody);
    assert!(passes(
        &mut w,
        PublishRequest::body(r#"{"doc":{"kind":"draft"},"version":2}"#)
    ));
    assert!(passes(
        &mut w,
        PublishRequest::body(r#"{"doc":{"kind":["final","draft"]},"version":2.0}"#)
    ));
    assert!(!passes(
        &mut w,
        PublishRequest::body(r#"{"doc":{"kind":"final"},"version":2}"#)
    ));
    assert!(!passes(&mut w, PublishRequest::body("not json")));
}

#[test]
fn a_filter_policy_may_have_at_most_five_keys() {
    let mut policy = FilterPolicy::new();
    for key in ["a", "b", "c", "d", "e", "f"] {
        policy = policy.with(key, Condition::Exists(true));
    }
    let config = WorldConfig::with_seed(1)
        .queue(queue("q"))
        .topic(TopicConfig::new(
            "t",
            vec![sub("s", "q").with_filter(policy, FilterScope::MessageAttributes)],
        ));
    assert!(matches!(
        World::new(config),
        Err(SimError::FilterPolicyTooManyKeys { keys: 6, max: 5 })
    ));
}

#[test]
fn a_filter_policy_may_have_at_most_150_value_combinations() {
    let mut policy = FilterPolicy::new();
    for key in ["a", "b", "c"] {
        for v in 0..6 {
            policy = policy.with(key, Condition::Exact(format!("{v}")));
        }
    }
    assert!(matches!(
        policy.validate("t"),
        Err(SimError::FilterPolicyTooManyCombinations {
            combinations: 216,
            ..
        })
    ));
}

fn failing_world(policy: DeliveryRetryPolicy, dlq: Option<&str>, outage_until_ms: u64) -> Checked {
    let mut subscription = sub("s", "q");
    subscription.delivery_latency = Latency::ZERO;
    subscription.retry_policy = policy;
    subscription.dead_letter_queue = dlq.map(String::from);
    Checked::new(
        WorldConfig::with_seed(1)
            .queue(queue("q"))
            .queue(queue("sub-dlq"))
            .topic(TopicConfig::new("t", vec![subscription]))
            .fault(Fault::EndpointUnavailable {
                topic: "t".into(),
                subscription: "s".into(),
                from_ms: 0,
                until_ms: outage_until_ms,
            }),
    )
}

#[test]
fn topic_delivery_retries_follow_the_aws_schedule_then_drop() {
    let policy = DeliveryRetryPolicy {
        post_backoff_retries: 3,
        ..DeliveryRetryPolicy::default()
    };
    let mut w = failing_world(policy, None, u64::MAX);
    w.world.publish("t", PublishRequest::body("x")).unwrap();
    w.run_to_end();
    let retries = w.events(TraceKind::DeliveryRetried);
    assert_eq!(retries.len(), 3 + 2 + 10 + 3);
    let mut attempt_times = vec![0];
    attempt_times.extend(retries.iter().map(|e| e.details.next_at_ms().unwrap()));
    let waits: Vec<u64> = attempt_times.windows(2).map(|p| p[1] - p[0]).collect();
    assert_eq!(
        &waits[..5],
        &[0, 0, 0, 1_000, 1_000],
        "immediate, then pre-backoff"
    );
    let backoff = &waits[5..15];
    assert_eq!(backoff[0], 1_000);
    assert_eq!(backoff[9], 20_000);
    assert!(
        backoff.windows(2).all(|p| p[0] < p[1]),
        "exponential: {backoff:?}"
    );
    assert_eq!(&waits[15..], &[20_000, 20_000, 20_000], "post-backoff");
    for (i, e) in retries.iter().enumerate() {
        assert_eq!(e.details.attempt(), Some(i as u32 + 1));
        assert_eq!(e.time_ms, attempt_times[i]);
    }
    let dropped = w.events(TraceKind::Dropped);
    assert_eq!(dropped.len(), 1);
    assert_eq!(dropped[0].details.attempt(), Some(19));
    assert!(w.world.snapshot().queues[0].messages.is_empty());
}

#[test]
fn the_default_retry_policy_is_the_aws_managed_endpoint_policy() {
    let policy = DeliveryRetryPolicy::default();
    assert_eq!(policy.total_retries(), 100_015);
    assert_eq!(policy.delay_before_retry(1), Some(0));
    assert_eq!(policy.delay_before_retry(4), Some(1_000));
    assert_eq!(policy.delay_before_retry(15), Some(20_000));
    assert_eq!(policy.delay_before_retry(100_015), Some(20_000));
    assert_eq!(policy.delay_before_retry(100_016), None);
}

#[test]
fn exhausted_deliveries_go_to_the_subscription_dlq() {
    let mut w = failing_world(DeliveryRetryPolicy::none(), Some("sub-dlq"), u64::MAX);
    let id = w.world.publish("t", PublishRequest::body("x")).unwrap();
    w.run_to_end();
    let moved = w.events(TraceKind::MovedToDlq);
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0].message_id, Some(id));
    assert_eq!(
        moved[0].details.destination().map(|name| name.as_str()),
        Some("sub-dlq")
    );
    let dead = w
        .world
        .receive("sub-dlq", ReceiveRequest::up_to(1))
        .unwrap();
    assert_eq!(&*dead[0].payload.body, "x");
    assert!(w.events(TraceKind::Dropped).is_empty());
    w.verify();
}

#[test]
fn a_delivery_that_recovers_during_retries_is_delivered_once() {
    let mut w = failing_world(DeliveryRetryPolicy::default(), None, 2_500);
    w.world.publish("t", PublishRequest::body("x")).unwrap();
    w.run_to_end();
    let delivered = w.events(TraceKind::Delivered);
    assert_eq!(delivered.len(), 1);
    assert_eq!(delivered[0].time_ms, 3_000);
    assert_eq!(delivered[0].details.attempt(), Some(7));
    assert_eq!(w.world.snapshot().queues[0].messages.len(), 1);
}

#[test]
fn function_subscriptions_hand_deliveries_to_the_function_engine() {
    let mut w = Checked::new(WorldConfig::with_seed(1).topic(TopicConfig::new(
        "t",
        vec![SubscriptionConfig {
            delivery_latency: Latency::Fixed { ms: 3 },
            ..SubscriptionConfig::to_function("f", "save-draft")
        }],
    )));
    let id = w.world.publish("t", PublishRequest::body("v1.0")).unwrap();
    w.run_to_end();
    let delivered = w.events(TraceKind::Delivered);
    assert_eq!(
        delivered[0].details.destination().map(|name| name.as_str()),
        Some("save-draft")
    );
    let handed = w.world.take_function_deliveries();
    assert_eq!(handed.len(), 1);
    assert_eq!(handed[0].message_id, id);
    assert_eq!(handed[0].time_ms, 3);
    assert_eq!(handed[0].body, "v1.0");
    assert!(w.world.take_function_deliveries().is_empty());
}

#[test]
fn a_standard_topic_cannot_feed_a_fifo_queue() {
    let config = WorldConfig::with_seed(1)
        .queue(QueueConfig::fifo("f"))
        .topic(TopicConfig::new("t", vec![sub("s", "f")]));
    assert!(matches!(
        World::new(config),
        Err(SimError::InvalidConfig {
            field: "endpoint",
            ..
        })
    ));
    let unknown = WorldConfig::with_seed(1).topic(TopicConfig::new("t", vec![sub("s", "nowhere")]));
    assert!(matches!(
        World::new(unknown),
        Err(SimError::UnknownQueue { .. })
    ));
    let _ = Endpoint::Queue("q".into());
}

#[test]
fn a_fifo_topic_delivers_in_publish_order_and_deduplicates() {
    let mut subscription = SubscriptionConfig::to_queue("s", "f").raw();
    subscription.delivery_latency = Latency::Uniform {
        min_ms: 1,
        max_ms: 500,
    };
    let mut w = Checked::new(
        WorldConfig::with_seed(4)
            .queue(QueueConfig::fifo("f"))
            .topic(TopicConfig {
                fifo: true,
                content_based_deduplication: true,
                ..TopicConfig::new("t", vec![subscription])
            }),
    );
    for v in ["v1.0", "v1.1", "v1.2"] {
        w.world
            .publish("t", PublishRequest::body(v).group("doc-1"))
            .unwrap();
    }
    let again = w
        .world
        .publish("t", PublishRequest::body("v1.0").group("doc-1"))
        .unwrap();
    assert_eq!(Some(again), w.events(TraceKind::Published)[0].message_id);
    assert_eq!(w.events(TraceKind::Deduplicated).len(), 1);
    let err = w
        .world
        .publish("t", PublishRequest::body("no group"))
        .unwrap_err();
    assert!(matches!(err, SimError::MissingMessageGroupId { .. }));
    w.run_to_end();
    let got = w.world.receive("f", ReceiveRequest::up_to(10)).unwrap();
    let order: Vec<&str> = got.iter().map(|m| &*m.payload.body).collect();
    assert_eq!(order, ["v1.0", "v1.1", "v1.2"]);
    w.verify();
}

#[test]
fn a_standard_topic_into_a_standard_queue_can_reorder_saves() {
    // The flagship bug: v1.0, v1.1, v1.2 published 100 ms apart can arrive
    // in another order when deliveries take variable time.
    let mut subscription = SubscriptionConfig::to_queue("s", "q").raw();
    subscription.delivery_latency = Latency::LogNormal {
        median_ms: 80,
        sigma: 1.2,
    };
    let mut reordered_seeds = 0;
    for seed in 0..50 {
        let mut w = Checked::new(
            WorldConfig::with_seed(seed)
                .queue(QueueConfig::standard("q"))
                .topic(TopicConfig::new("t", vec![subscription.clone()])),
        );
        for (i, v) in ["v1.0", "v1.1", "v1.2"].iter().enumerate() {
            w.world
                .schedule_publish(i as u64 * 100, "t", PublishRequest::body(*v))
                .unwrap();
        }
        w.run_to_end();
        let got = w.world.receive("q", ReceiveRequest::up_to(10)).unwrap();
        let order: Vec<&str> = got.iter().map(|m| &*m.payload.body).collect();
        if order != ["v1.0", "v1.1", "v1.2"] {
            reordered_seeds += 1;
        }
    }
    assert!(
        reordered_seeds > 0 && reordered_seeds < 50,
        "{reordered_seeds} of 50"
    );
}
