//! Standard queue semantics (docs/scenarios.md, `[[queues]]`), each test
//! named after the behaviour it shows. Every test checks all invariants after every step.

mod sim_common;

use event_playground::sim::{
    ConsumerConfig, DeleteOutcome, Latency, QueueConfig, ReceiveRequest, SendRequest, SimError,
    TraceKind, WorldConfig,
};
use sim_common::Checked;

/// A standard queue without delivery jitter, so times are exact.
fn queue(name: &str) -> QueueConfig {
    QueueConfig {
        delivery_jitter: Some(Latency::ZERO),
        ..QueueConfig::standard(name)
    }
}

fn world(queue: QueueConfig) -> Checked {
    Checked::new(WorldConfig::with_seed(7).queue(queue))
}

#[test]
fn standard_queue_defaults_are_the_aws_defaults() {
    let q = QueueConfig::standard("q");
    assert_eq!(q.visibility_timeout_ms, 30_000);
    assert_eq!(q.delay_ms, 0);
    assert_eq!(q.retention_ms, 4 * 24 * 3_600_000);
    // SetQueueAttributes: MaximumMessageSize "Default: 1,048,576 bytes
    // (1 MiB)" since August 2025.
    assert_eq!(q.max_message_bytes, 1_048_576);
    assert_eq!(q.in_flight_limit(), 120_000);
    assert_eq!(QueueConfig::fifo("f").in_flight_limit(), 120_000);
    assert_eq!(QueueConfig::fifo("f").send_rate_limit(), 300);
}

#[test]
fn a_received_message_stays_invisible_until_its_visibility_timeout_expires() {
    let mut w = world(queue("q"));
    w.world.send("q", SendRequest::body("hello")).unwrap();
    let first = w.world.receive("q", ReceiveRequest::up_to(1)).unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].receive_count, 1);
    assert_eq!(first[0].visible_again_at_ms, 30_000);
    w.verify();
    assert!(w
        .world
        .receive("q", ReceiveRequest::up_to(1))
        .unwrap()
        .is_empty());
    w.run_until(29_999);
    assert!(w
        .world
        .receive("q", ReceiveRequest::up_to(1))
        .unwrap()
        .is_empty());
    w.run_until(30_000);
    let again = w.world.receive("q", ReceiveRequest::up_to(1)).unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].message_id, first[0].message_id);
    assert_eq!(again[0].receive_count, 2);
    assert_ne!(again[0].receipt_handle, first[0].receipt_handle);
    let visible = w.events(TraceKind::VisibleAgain);
    assert_eq!(visible.len(), 1);
    assert_eq!(visible[0].time_ms, 30_000);
    w.verify();
}

#[test]
fn changing_visibility_restarts_the_clock_from_the_change() {
    let mut w = world(queue("q"));
    w.world.send("q", SendRequest::body("x")).unwrap();
    let m = w
        .world
        .receive("q", ReceiveRequest::up_to(1))
        .unwrap()
        .remove(0);
    w.run_until(20_000);
    w.world
        .change_visibility("q", m.receipt_handle, 5_000)
        .unwrap();
    w.run_until(24_999);
    assert!(w
        .world
        .receive("q", ReceiveRequest::up_to(1))
        .unwrap()
        .is_empty());
    w.run_until(25_000);
    assert_eq!(w.events(TraceKind::VisibleAgain)[0].time_ms, 25_000);
    // The original 30 s deadline no longer applies.
    assert_eq!(w.events(TraceKind::VisibleAgain).len(), 1);
    w.run_until(40_000);
    assert_eq!(w.events(TraceKind::VisibleAgain).len(), 1);
}

#[test]
fn visibility_can_not_be_extended_past_twelve_hours_from_the_receive() {
    let mut w = world(queue("q"));
    w.world.send("q", SendRequest::body("x")).unwrap();
    let m = w
        .world
        .receive("q", ReceiveRequest::up_to(1))
        .unwrap()
        .remove(0);
    w.run_until(10_000);
    let err = w
        .world
        .change_visibility("q", m.receipt_handle, 12 * 3_600_000)
        .unwrap_err();
    assert!(
        matches!(err, SimError::VisibilityBeyondMaximum { .. }),
        "{err}"
    );
    w.world
        .change_visibility("q", m.receipt_handle, 12 * 3_600_000 - 10_000)
        .unwrap();
    w.verify();
}

#[test]
fn changing_visibility_of_a_message_not_in_flight_is_an_error() {
    let mut w = world(QueueConfig {
        visibility_timeout_ms: 1_000,
        ..queue("q")
    });
    w.world.send("q", SendRequest::body("x")).unwrap();
    let m = w
        .world
        .receive("q", ReceiveRequest::up_to(1))
        .unwrap()
        .remove(0);
    w.run_until(1_000);
    let err = w
        .world
        .change_visibility("q", m.receipt_handle, 10)
        .unwrap_err();
    assert!(matches!(err, SimError::MessageNotInFlight { .. }));
}

#[test]
fn visibility_timeout_zero_makes_a_received_message_visible_again_at_once() {
    let mut w = world(QueueConfig {
        visibility_timeout_ms: 0,
        ..queue("q")
    });
    w.world.send("q", SendRequest::body("x")).unwrap();
    let first = w.world.receive("q", ReceiveRequest::up_to(1)).unwrap();
    assert_eq!(first[0].visible_again_at_ms, 0);
    w.run_until(0);
    let again = w.world.receive("q", ReceiveRequest::up_to(1)).unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].receive_count, 2);
    assert_eq!(w.world.now_ms(), 0);
    w.verify();
}

#[test]
fn a_receive_can_ask_for_visibility_zero_on_its_own() {
    let mut w = world(queue("q"));
    w.world.send("q", SendRequest::body("x")).unwrap();
    w.world
        .receive("q", ReceiveRequest::up_to(1).visibility_timeout_ms(0))
        .unwrap();
    w.run_until(0);
    assert_eq!(
        w.world
            .receive("q", ReceiveRequest::up_to(1))
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_delay_of_900_seconds_hides_a_message_for_exactly_900_seconds() {
    let mut w = world(QueueConfig {
        delay_ms: 900_000,
        ..queue("q")
    });
    w.world.send("q", SendRequest::body("later")).unwrap();
    assert_eq!(w.world.snapshot().queues[0].counts.delayed, 1);
    w.run_until(899_999);
    assert!(w
        .world
        .receive("q", ReceiveRequest::up_to(1))
        .unwrap()
        .is_empty());
    w.run_until(900_000);
    assert_eq!(
        w.world
            .receive("q", ReceiveRequest::up_to(1))
            .unwrap()
            .len(),
        1
    );
    w.verify();
}

#[test]
fn delays_beyond_900_seconds_are_rejected() {
    let err = QueueConfig {
        delay_ms: 900_001,
        ..queue("q")
    }
    .validate()
    .unwrap_err();
    assert!(
        matches!(
            err,
            SimError::OutOfRange {
                field: "delay_ms",
                ..
            }
        ),
        "{err}"
    );
    let mut w = world(queue("q"));
    let err = w
        .world
        .send("q", SendRequest::body("x").delay_ms(900_001))
        .unwrap_err();
    assert!(
        matches!(
            err,
            SimError::OutOfRange {
                field: "delay_ms",
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(w.events(TraceKind::SendRejected).len(), 1);
    w.verify();
}

#[test]
fn a_per_message_delay_overrides_the_queue_delay() {
    let mut w = world(QueueConfig {
        delay_ms: 60_000,
        ..queue("q")
    });
    w.world
        .send("q", SendRequest::body("soon").delay_ms(1_000))
        .unwrap();
    w.run_until(1_000);
    assert_eq!(
        w.world
            .receive("q", ReceiveRequest::up_to(1))
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn retention_expiry_during_flight_removes_the_message_and_counts_it() {
    let mut w = world(QueueConfig {
        retention_ms: 60_000,
        visibility_timeout_ms: 120_000,
        ..queue("q")
    });
    w.world.send("q", SendRequest::body("old")).unwrap();
    let m = w
        .world
        .receive("q", ReceiveRequest::up_to(1))
        .unwrap()
        .remove(0);
    w.run_until(59_999);
    assert_eq!(w.world.snapshot().queues[0].counts.in_flight, 1);
    w.run_until(60_000);
    let expired = w.events(TraceKind::Expired);
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0].time_ms, 60_000);
    assert_eq!(
        expired[0].details.reason(),
        Some("retention period ended while in flight")
    );
    let snapshot = w.world.snapshot();
    assert_eq!(snapshot.queues[0].stats.expired, 1);
    assert!(snapshot.queues[0].messages.is_empty());
    assert_eq!(
        w.world.delete("q", m.receipt_handle).unwrap(),
        DeleteOutcome::AlreadyGone
    );
    w.verify();
}

#[test]
fn waiting_messages_expire_after_the_retention_period() {
    let mut w = world(QueueConfig {
        retention_ms: 60_000,
        ..queue("q")
    });
    w.world.send("q", SendRequest::body("a")).unwrap();
    w.run_until(30_000);
    w.world.send("q", SendRequest::body("b")).unwrap();
    w.run_until(60_000);
    assert_eq!(w.events(TraceKind::Expired).len(), 1);
    w.run_until(90_000);
    assert_eq!(w.events(TraceKind::Expired).len(), 2);
    assert_eq!(w.world.snapshot().queues[0].stats.expired, 2);
}

#[test]
fn deleting_with_an_old_receipt_after_visibility_expired_does_not_delete_the_redelivered_copy() {
    let mut w = world(QueueConfig {
        visibility_timeout_ms: 1_000,
        ..queue("q")
    });
    w.world.send("q", SendRequest::body("x")).unwrap();
    let old = w
        .world
        .receive("q", ReceiveRequest::up_to(1))
        .unwrap()
        .remove(0);
    w.run_until(1_000);
    let new = w
        .world
        .receive("q", ReceiveRequest::up_to(1))
        .unwrap()
        .remove(0);
    assert_eq!(
        w.world.delete("q", old.receipt_handle).unwrap(),
        DeleteOutcome::StaleReceipt
    );
    let snapshot = w.world.snapshot();
    assert_eq!(snapshot.queues[0].counts.in_flight, 1);
    assert_eq!(w.events(TraceKind::DeleteIgnored).len(), 1);
    assert!(w.events(TraceKind::Deleted).is_empty());
    assert_eq!(
        w.world.delete("q", new.receipt_handle).unwrap(),
        DeleteOutcome::Deleted
    );
    assert!(w.world.snapshot().queues[0].messages.is_empty());
    w.verify();
}

#[test]
fn the_current_receipt_still_deletes_after_visibility_expired_if_nobody_received_it_since() {
    let mut w = world(QueueConfig {
        visibility_timeout_ms: 1_000,
        ..queue("q")
    });
    w.world.send("q", SendRequest::body("x")).unwrap();
    let m = w
        .world
        .receive("q", ReceiveRequest::up_to(1))
        .unwrap()
        .remove(0);
    w.run_until(5_000);
    assert_eq!(
        w.world.delete("q", m.receipt_handle).unwrap(),
        DeleteOutcome::Deleted
    );
    w.verify();
}

#[test]
fn an_unknown_receipt_handle_is_a_typed_error() {
    let mut w = world(queue("q"));
    let err = w.world.delete("q", 999).unwrap_err();
    assert!(matches!(err, SimError::InvalidReceiptHandle { .. }));
    assert!(err.to_string().contains("ReceiptHandleIsInvalid"));
}

#[test]
fn a_receive_returns_at_most_ten_messages() {
    let mut w = world(queue("q"));
    for i in 0..15 {
        w.world
            .send("q", SendRequest::body(format!("m{i}")))
            .unwrap();
    }
    assert_eq!(
        w.world
            .receive("q", ReceiveRequest::up_to(10))
            .unwrap()
            .len(),
        10
    );
    assert_eq!(
        w.world
            .receive("q", ReceiveRequest::up_to(10))
            .unwrap()
            .len(),
        5
    );
    for bad in [0, 11] {
        let err = w
            .world
            .receive("q", ReceiveRequest::up_to(bad))
            .unwrap_err();
        assert!(matches!(
            err,
            SimError::OutOfRange {
                field: "max_messages",
                ..
            }
        ));
    }
    w.verify();
}

#[test]
fn the_in_flight_limit_of_a_standard_queue_is_an_over_limit_error() {
    let mut w = world(QueueConfig {
        max_in_flight: Some(3),
        ..queue("q")
    });
    for i in 0..5 {
        w.world
            .send("q", SendRequest::body(format!("m{i}")))
            .unwrap();
    }
    assert_eq!(
        w.world
            .receive("q", ReceiveRequest::up_to(10))
            .unwrap()
            .len(),
        3
    );
    let err = w.world.receive("q", ReceiveRequest::up_to(1)).unwrap_err();
    assert!(matches!(
        err,
        SimError::OverLimit {
            max_in_flight: 3,
            ..
        }
    ));
    assert_eq!(w.events(TraceKind::ReceiveRejected).len(), 1);
    w.verify();
}

#[test]
fn best_effort_order_lets_later_messages_overtake_earlier_ones() {
    let config = WorldConfig::with_seed(42)
        .queue(QueueConfig {
            delivery_jitter: Some(Latency::Uniform {
                min_ms: 0,
                max_ms: 200,
            }),
            ..QueueConfig::standard("q")
        })
        .consumer(ConsumerConfig::new("worker", "q"));
    let mut w = Checked::new(config);
    for i in 0..30u64 {
        w.world
            .schedule_send(i * 10, "q", SendRequest::body(format!("{i}")))
            .unwrap();
    }
    w.run_to_end();
    let order: Vec<u64> = w
        .events(TraceKind::Received)
        .iter()
        .map(|e| e.message_id.unwrap().0)
        .collect();
    assert_eq!(order.len(), 30);
    let inversions = order.windows(2).filter(|p| p[0] > p[1]).count();
    assert!(inversions > 0, "no message overtook another: {order:?}");
}

#[test]
fn duplicates_appear_at_the_configured_rate_and_are_delivered_separately() {
    let config = WorldConfig::with_seed(3)
        .queue(QueueConfig {
            duplicate_rate_ppm: 100_000,
            ..QueueConfig::standard("q")
        })
        .consumer(ConsumerConfig::new("worker", "q"));
    let mut w = Checked::new(config);
    for i in 0..500u64 {
        w.world
            .schedule_send(i, "q", SendRequest::body(format!("{i}")))
            .unwrap();
    }
    w.run_to_end();
    let duplicated = w.events(TraceKind::Duplicated).len();
    assert!(
        (25..=80).contains(&duplicated),
        "{duplicated} duplicates of 500"
    );
    assert_eq!(w.events(TraceKind::Received).len(), 500 + duplicated);
    assert_eq!(w.events(TraceKind::Deleted).len(), 500 + duplicated);
}

#[test]
fn a_long_polling_consumer_receives_a_message_as_soon_as_it_arrives() {
    let config = WorldConfig::with_seed(1)
        .queue(queue("q"))
        .consumer(ConsumerConfig::new("worker", "q"));
    let mut w = Checked::new(config);
    w.world
        .schedule_send(5_000, "q", SendRequest::body("x"))
        .unwrap();
    w.run_to_end();
    let received = w.events(TraceKind::Received);
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].time_ms, 5_000);
    assert_eq!(w.events(TraceKind::Deleted)[0].time_ms, 5_010);
}

#[test]
fn a_short_polling_consumer_finds_messages_only_when_it_polls() {
    let config = WorldConfig::with_seed(1)
        .queue(queue("q"))
        .consumer(ConsumerConfig {
            wait_time_ms: 0,
            poll_interval_ms: 1_000,
            ..ConsumerConfig::new("worker", "q")
        });
    let mut w = Checked::new(config);
    w.world
        .schedule_send(1_500, "q", SendRequest::body("x"))
        .unwrap();
    w.run_to_end();
    assert_eq!(w.events(TraceKind::Received)[0].time_ms, 2_000);
}

#[test]
fn a_failing_consumer_sees_the_message_again_after_the_visibility_timeout() {
    let config = WorldConfig::with_seed(1)
        .queue(QueueConfig {
            visibility_timeout_ms: 5_000,
            ..queue("q")
        })
        .consumer(ConsumerConfig {
            error_rate_ppm: 1_000_000,
            ..ConsumerConfig::new("worker", "q")
        });
    let mut w = Checked::new(config);
    w.world.send("q", SendRequest::body("poison")).unwrap();
    w.run_until(12_000);
    let received: Vec<u64> = w
        .events(TraceKind::Received)
        .iter()
        .map(|e| e.time_ms)
        .collect();
    assert_eq!(received, vec![0, 5_000, 10_000]);
    assert_eq!(w.events(TraceKind::ProcessingFailed).len(), 3);
}

#[test]
fn oversized_messages_and_too_many_attributes_are_rejected() {
    let mut w = world(QueueConfig {
        max_message_bytes: 1_024,
        ..queue("q")
    });
    let err = w
        .world
        .send("q", SendRequest::body("x".repeat(1_025)))
        .unwrap_err();
    assert!(matches!(
        err,
        SimError::MessageTooLarge { bytes: 1_025, .. }
    ));
    let mut many = SendRequest::body("x");
    for i in 0..11 {
        many = many.attribute(
            format!("a{i}"),
            event_playground::sim::AttributeValue::String("v".into()),
        );
    }
    let err = w.world.send("q", many).unwrap_err();
    assert!(matches!(err, SimError::TooManyAttributes { count: 11, .. }));
    assert_eq!(w.world.snapshot().queues[0].stats.rejected, 2);
    w.verify();
}

#[test]
fn out_of_range_queue_settings_are_typed_errors() {
    let cases = [
        (
            QueueConfig {
                visibility_timeout_ms: 12 * 3_600_000 + 1,
                ..queue("q")
            },
            "visibility_timeout_ms",
        ),
        (
            QueueConfig {
                retention_ms: 59_999,
                ..queue("q")
            },
            "retention_ms",
        ),
        (
            QueueConfig {
                retention_ms: 14 * 24 * 3_600_000 + 1,
                ..queue("q")
            },
            "retention_ms",
        ),
        (
            QueueConfig {
                max_message_bytes: 1_023,
                ..queue("q")
            },
            "max_message_bytes",
        ),
        (
            QueueConfig {
                duplicate_rate_ppm: 1_000_001,
                ..queue("q")
            },
            "duplicate_rate_ppm",
        ),
        (
            QueueConfig {
                max_in_flight: Some(120_001),
                ..queue("q")
            },
            "max_in_flight",
        ),
        (
            queue("q").with_dlq("d", 0),
            "redrive_policy.max_receive_count",
        ),
        (
            queue("q").with_dlq("d", 1_001),
            "redrive_policy.max_receive_count",
        ),
    ];
    for (config, field) in cases {
        let err = config.validate().unwrap_err();
        assert!(err.to_string().contains(field), "{err}");
    }
    assert!(queue("q").with_dlq("d", 1_000).validate().is_ok());
}
