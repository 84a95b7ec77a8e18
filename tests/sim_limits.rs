//! Every limit is a typed error, never a panic or a hang; configs are
//! validated with errors that name the setting.

mod sim_common;

use event_playground::sim::{
    ConsumerConfig, Fault, Latency, Limits, PublishRequest, QueueConfig, ReceiveRequest,
    SendRequest, SimError, SubscriptionConfig, TopicConfig, World, WorldConfig,
};
use proptest::prelude::*;

fn limited(limits: Limits) -> WorldConfig {
    WorldConfig {
        limits,
        ..WorldConfig::with_seed(1)
    }
    .queue(QueueConfig::standard("q"))
    .consumer(ConsumerConfig {
        error_rate_ppm: 1_000_000,
        ..ConsumerConfig::new("c", "q")
    })
}

#[test]
fn running_past_max_events_is_a_typed_error() {
    let mut world = World::new(limited(Limits {
        max_events: 50,
        ..Limits::default()
    }))
    .unwrap();
    world.send("q", SendRequest::body("poison")).unwrap();
    assert_eq!(
        world.run_to_end(),
        Err(SimError::EventLimitReached { max_events: 50 })
    );
    // Stepping again keeps failing the same way.
    assert_eq!(
        world.step(),
        Err(SimError::EventLimitReached { max_events: 50 })
    );
}

#[test]
fn running_past_max_time_is_a_typed_error() {
    let mut world = World::new(limited(Limits {
        max_time_ms: 100_000,
        ..Limits::default()
    }))
    .unwrap();
    world.send("q", SendRequest::body("poison")).unwrap();
    assert_eq!(
        world.run_to_end(),
        Err(SimError::TimeLimitReached {
            max_time_ms: 100_000
        })
    );
    assert!(world.now_ms() <= 100_000);
    assert_eq!(
        world.run_until(100_001),
        Err(SimError::TimeLimitReached {
            max_time_ms: 100_000
        })
    );
}

#[test]
fn filling_the_trace_is_a_typed_error() {
    let mut world = World::new(limited(Limits {
        max_trace_events: 20,
        ..Limits::default()
    }))
    .unwrap();
    world.send("q", SendRequest::body("poison")).unwrap();
    assert_eq!(
        world.run_to_end(),
        Err(SimError::TraceLimitReached {
            max_trace_events: 20
        })
    );
    assert!(world.trace().len() < 30);
}

#[test]
fn verbs_refuse_to_grow_a_full_trace() {
    let mut world = World::new(WorldConfig {
        limits: Limits {
            max_trace_events: 3,
            ..Limits::default()
        },
        ..WorldConfig::with_seed(1).queue(QueueConfig::standard("q"))
    })
    .unwrap();
    for _ in 0..3 {
        world.send("q", SendRequest::body("x")).unwrap();
    }
    assert_eq!(
        world.send("q", SendRequest::body("x")),
        Err(SimError::TraceLimitReached {
            max_trace_events: 3
        })
    );
}

#[test]
fn a_full_queue_refuses_sends_with_a_typed_error() {
    let mut world = World::new(WorldConfig {
        limits: Limits {
            max_messages_per_queue: 2,
            ..Limits::default()
        },
        ..WorldConfig::with_seed(1).queue(QueueConfig::standard("q"))
    })
    .unwrap();
    world.send("q", SendRequest::body("1")).unwrap();
    world.send("q", SendRequest::body("2")).unwrap();
    assert_eq!(
        world.send("q", SendRequest::body("3")),
        Err(SimError::QueueFull {
            queue: "q".into(),
            max_messages: 2
        })
    );
}

#[test]
fn a_topic_delivery_to_a_full_queue_is_retried_like_any_server_error() {
    let mut sub = SubscriptionConfig::to_queue("s", "q");
    sub.delivery_latency = Latency::ZERO;
    let mut world = World::new(WorldConfig {
        limits: Limits {
            max_messages_per_queue: 1,
            ..Limits::default()
        },
        ..WorldConfig::with_seed(1)
            .queue(QueueConfig::standard("q"))
            .topic(TopicConfig::new("t", vec![sub]))
    })
    .unwrap();
    world.send("q", SendRequest::body("filler")).unwrap();
    world.publish("t", PublishRequest::body("x")).unwrap();
    world.run_until(10_000).unwrap();
    let snapshot = world.snapshot();
    assert!(snapshot.topics[0].subscriptions[0].stats.retried >= 5);
    assert_eq!(snapshot.topics[0].pending_deliveries.len(), 1);
}

#[test]
fn scheduling_in_the_past_or_beyond_the_time_limit_is_an_error() {
    let mut world =
        World::new(WorldConfig::with_seed(1).queue(QueueConfig::standard("q"))).unwrap();
    world.run_until(1_000).unwrap();
    assert_eq!(
        world.schedule_send(999, "q", SendRequest::body("x")),
        Err(SimError::TimeInPast {
            at_ms: 999,
            now_ms: 1_000
        })
    );
    assert!(matches!(
        world.schedule_send(u64::MAX, "q", SendRequest::body("x")),
        Err(SimError::TimeLimitReached { .. })
    ));
}

#[test]
fn unknown_names_are_typed_errors() {
    let mut world =
        World::new(WorldConfig::with_seed(1).queue(QueueConfig::standard("q"))).unwrap();
    assert!(matches!(
        world.send("nope", SendRequest::body("x")),
        Err(SimError::UnknownQueue { .. })
    ));
    assert!(matches!(
        world.publish("nope", PublishRequest::body("x")),
        Err(SimError::UnknownTopic { .. })
    ));
    assert!(matches!(
        world.receive("nope", ReceiveRequest::up_to(1)),
        Err(SimError::UnknownQueue { .. })
    ));
    assert!(matches!(
        world.inject_fault(Fault::ConsumerErrors {
            consumer: "nope".into(),
            rate_ppm: 1
        }),
        Err(SimError::UnknownConsumer { .. })
    ));
    let dup = WorldConfig::with_seed(1)
        .queue(QueueConfig::standard("q"))
        .queue(QueueConfig::standard("q"));
    assert!(matches!(
        World::new(dup),
        Err(SimError::DuplicateName { kind: "queue", .. })
    ));
}

#[test]
fn errors_read_as_sentences_that_name_the_setting_and_its_unit() {
    let err = World::new(WorldConfig::with_seed(1).queue(QueueConfig {
        visibility_timeout_ms: 50_000_000,
        ..QueueConfig::standard("orders")
    }))
    .err()
    .unwrap();
    assert_eq!(
        err.to_string(),
        "queue orders: visibility_timeout_ms = 50000000 is out of range (0 to 43200000)"
    );
    let err = World::new(WorldConfig {
        limits: Limits {
            max_events: 0,
            ..Limits::default()
        },
        ..WorldConfig::default()
    })
    .err()
    .unwrap();
    assert!(err.to_string().contains("max_events"));
}

#[test]
fn a_world_config_round_trips_through_toml() {
    let config = WorldConfig::with_seed(42)
        .queue(QueueConfig::fifo("f").with_dlq("f-dlq", 3))
        .queue(QueueConfig::fifo("f-dlq"))
        .consumer(ConsumerConfig::new("c", "f"));
    let text = toml::to_string(&config).unwrap();
    let back: WorldConfig = toml::from_str(&text).unwrap();
    assert_eq!(back, config);
    let typo = "seed = 1\n[[queues]]\nname = \"q\"\nvisibility_timeout = 5\n";
    assert!(
        toml::from_str::<WorldConfig>(typo).is_err(),
        "unknown fields are refused"
    );
}

fn arbitrary_u64() -> impl Strategy<Value = u64> {
    prop_oneof![0..100u64, 0..2_000_000u64, any::<u64>()]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any numbers at all in a config give a world or a typed error, and a
    /// world built from them runs into a typed error or settles: never a
    /// panic.
    #[test]
    fn arbitrary_settings_never_panic(
        visibility in arbitrary_u64(),
        delay in arbitrary_u64(),
        retention in arbitrary_u64(),
        max_receive in 0..1_200u32,
        jitter_max in arbitrary_u64(),
        sigma in prop_oneof![Just(f64::NAN), Just(-1.0), 0.0..5.0f64],
        batch in 0..12u32,
        wait in arbitrary_u64(),
        max_events in 0..3_000u64,
        fifo in any::<bool>(),
    ) {
        let source = QueueConfig {
            fifo,
            visibility_timeout_ms: visibility,
            delay_ms: delay,
            retention_ms: retention,
            delivery_jitter: if fifo { None } else { Some(Latency::Uniform { min_ms: 0, max_ms: jitter_max }) },
            ..QueueConfig::standard("q")
        }
        .with_dlq("d", max_receive);
        let config = WorldConfig {
            limits: Limits { max_events: max_events.max(1), max_time_ms: 3_600_000, ..Limits::default() },
            ..WorldConfig::with_seed(visibility ^ delay)
                .queue(source)
                .queue(QueueConfig { fifo, ..QueueConfig::standard("d") })
                .consumer(ConsumerConfig {
                    batch_size: batch,
                    wait_time_ms: wait,
                    processing: Latency::LogNormal { median_ms: 5, sigma },
                    error_rate_ppm: 500_000,
                    ..ConsumerConfig::new("c", "q")
                })
        };
        if let Ok(mut world) = World::new(config) {
            for i in 0..5 {
                let _ = world.send("q", SendRequest::body(format!("{i}")).group("g").dedup(format!("{i}")));
            }
            let _ = world.run_to_end();
            let snapshot = world.snapshot();
            prop_assert!(event_playground::invariants::check_all(&snapshot, world.trace_events()).is_ok());
        }
    }
}
