//! Dead-letter queues and redrive, written as the correct behaviour for the
//! emulator bugs users reported.

mod sim_common;

use event_playground::sim::{
    ConsumerConfig, Latency, Limits, QueueConfig, ReceiveRequest, RedriveRequest, SendRequest,
    SimError, TraceKind, WorldConfig,
};
use sim_common::Checked;

fn standard(name: &str) -> QueueConfig {
    QueueConfig {
        visibility_timeout_ms: 1_000,
        delivery_jitter: Some(Latency::ZERO),
        ..QueueConfig::standard(name)
    }
}

fn with_dlq(max_receive_count: u32) -> Checked {
    Checked::new(
        WorldConfig::with_seed(11)
            .queue(standard("work").with_dlq("dlq", max_receive_count))
            // The DLQ's own jitter must not delay dead-lettered messages.
            .queue(QueueConfig::standard("dlq")),
    )
}

#[test]
fn a_message_moves_to_the_dlq_exactly_when_its_receive_count_passes_max_receive_count() {
    let mut w = with_dlq(3);
    w.world.send("work", SendRequest::body("poison")).unwrap();
    for (t, expected_count) in [(0, 1), (1_000, 2), (2_000, 3)] {
        w.run_until(t);
        let got = w.world.receive("work", ReceiveRequest::up_to(1)).unwrap();
        assert_eq!(got.len(), 1, "receive at {t} ms");
        assert_eq!(got[0].receive_count, expected_count);
        // Not moved after a failure: it is still in the source queue.
        assert_eq!(w.world.snapshot().queue("dlq").unwrap().messages.len(), 0);
    }
    // Its third visibility timeout expires: still not moved.
    w.run_until(3_000);
    assert!(w.events(TraceKind::MovedToDlq).is_empty());
    assert_eq!(w.world.snapshot().queue("work").unwrap().counts.waiting, 1);
    // The fourth receive would exceed max_receive_count = 3: moved instead.
    assert!(w
        .world
        .receive("work", ReceiveRequest::up_to(1))
        .unwrap()
        .is_empty());
    let moved = w.events(TraceKind::MovedToDlq);
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0].time_ms, 3_000);
    assert_eq!(moved[0].details.receive_count(), Some(3));
    assert_eq!(
        moved[0].details.destination().map(|name| name.as_str()),
        Some("dlq")
    );
    let snapshot = w.world.snapshot();
    assert!(snapshot.queue("work").unwrap().messages.is_empty());
    assert_eq!(snapshot.queue("dlq").unwrap().messages.len(), 1);
    w.verify();
}

#[test]
fn a_message_is_moved_at_the_first_receive_after_max_receive_count_not_a_later_one() {
    let mut w = with_dlq(1);
    w.world.send("work", SendRequest::body("a")).unwrap();
    w.world.receive("work", ReceiveRequest::up_to(1)).unwrap();
    w.run_until(1_000);
    w.world.send("work", SendRequest::body("b")).unwrap();
    // One receive call: "a" is moved, "b" is returned.
    let got = w.world.receive("work", ReceiveRequest::up_to(10)).unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(&*got[0].payload.body, "b");
    assert_eq!(w.events(TraceKind::MovedToDlq).len(), 1);
    w.verify();
}

#[test]
fn messages_in_the_dlq_are_visible_at_once() {
    let mut w = with_dlq(1);
    w.world.send("work", SendRequest::body("poison")).unwrap();
    w.world.receive("work", ReceiveRequest::up_to(1)).unwrap();
    w.run_until(1_000);
    assert!(w
        .world
        .receive("work", ReceiveRequest::up_to(1))
        .unwrap()
        .is_empty());
    let dead = w.world.receive("dlq", ReceiveRequest::up_to(10)).unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(w.world.now_ms(), 1_000);
    assert_eq!(&*dead[0].payload.body, "poison");
    // The receive count goes on from the source queue's (AWS does not
    // reset it: tests/fidelity.rs); the message id is kept.
    assert_eq!(dead[0].receive_count, 2);
    assert_eq!(
        dead[0].message_id,
        w.events(TraceKind::Sent)[0].message_id.unwrap()
    );
    w.verify();
}

#[test]
fn max_receive_count_one_moves_the_message_at_its_second_receive() {
    let mut w = with_dlq(1);
    w.world.send("work", SendRequest::body("x")).unwrap();
    assert_eq!(
        w.world
            .receive("work", ReceiveRequest::up_to(1))
            .unwrap()
            .len(),
        1
    );
    w.run_until(1_000);
    assert!(w
        .world
        .receive("work", ReceiveRequest::up_to(1))
        .unwrap()
        .is_empty());
    assert_eq!(
        w.events(TraceKind::MovedToDlq)[0].details.receive_count(),
        Some(1)
    );
    w.verify();
}

#[test]
fn a_consumer_that_always_fails_sends_the_message_to_the_dlq_after_max_receive_count() {
    let config = WorldConfig::with_seed(2)
        .queue(standard("work").with_dlq("dlq", 4))
        .queue(QueueConfig::standard("dlq"))
        .consumer(ConsumerConfig {
            error_rate_ppm: 1_000_000,
            ..ConsumerConfig::new("worker", "work")
        });
    let mut w = Checked::new(config);
    w.world.send("work", SendRequest::body("poison")).unwrap();
    w.run_to_end();
    assert_eq!(w.events(TraceKind::Received).len(), 4);
    assert_eq!(w.events(TraceKind::ProcessingFailed).len(), 4);
    let moved = w.events(TraceKind::MovedToDlq);
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0].time_ms, 4_000);
    assert_eq!(w.world.snapshot().queue("dlq").unwrap().messages.len(), 1);
}

#[test]
fn a_fifo_queue_needs_a_fifo_dlq_and_a_standard_queue_a_standard_one() {
    let fifo_with_standard = WorldConfig::with_seed(1)
        .queue(QueueConfig::fifo("f").with_dlq("d", 3))
        .queue(QueueConfig::standard("d"));
    assert!(matches!(
        event_playground::sim::World::new(fifo_with_standard),
        Err(SimError::DeadLetterQueueTypeMismatch { .. })
    ));
    let standard_with_fifo = WorldConfig::with_seed(1)
        .queue(QueueConfig::standard("s").with_dlq("d", 3))
        .queue(QueueConfig::fifo("d"));
    assert!(matches!(
        event_playground::sim::World::new(standard_with_fifo),
        Err(SimError::DeadLetterQueueTypeMismatch { .. })
    ));
    let missing =
        WorldConfig::with_seed(1).queue(QueueConfig::standard("s").with_dlq("nowhere", 3));
    assert!(matches!(
        event_playground::sim::World::new(missing),
        Err(SimError::UnknownQueue { .. })
    ));
}

#[test]
fn moving_a_fifo_head_to_the_dlq_unblocks_its_group_in_the_same_receive() {
    let mut w = Checked::new(
        WorldConfig::with_seed(1)
            .queue(QueueConfig {
                visibility_timeout_ms: 1_000,
                ..QueueConfig::fifo("f").with_dlq("f-dlq", 1)
            })
            .queue(QueueConfig::fifo("f-dlq")),
    );
    for body in ["a1", "a2"] {
        w.world
            .send("f", SendRequest::body(body).group("a").dedup(body))
            .unwrap();
    }
    assert_eq!(
        &*w.world.receive("f", ReceiveRequest::up_to(1)).unwrap()[0]
            .payload
            .body,
        "a1"
    );
    w.run_until(1_000);
    let got = w.world.receive("f", ReceiveRequest::up_to(1)).unwrap();
    assert_eq!(&*got[0].payload.body, "a2");
    let dead = w.world.receive("f-dlq", ReceiveRequest::up_to(10)).unwrap();
    assert_eq!(&*dead[0].payload.body, "a1");
    assert_eq!(dead[0].group_id.as_deref(), Some("a"));
    w.verify();
}

#[test]
fn redrive_moves_dlq_messages_back_to_their_source_queue() {
    let mut w = with_dlq(1);
    for body in ["x", "y"] {
        w.world.send("work", SendRequest::body(body)).unwrap();
    }
    w.world.receive("work", ReceiveRequest::up_to(10)).unwrap();
    w.run_until(1_000);
    assert!(w
        .world
        .receive("work", ReceiveRequest::up_to(10))
        .unwrap()
        .is_empty());
    assert_eq!(w.world.snapshot().queue("dlq").unwrap().messages.len(), 2);
    let moved = w.world.redrive("dlq", RedriveRequest::default()).unwrap();
    assert_eq!(moved, 2);
    assert_eq!(w.events(TraceKind::Redriven).len(), 2);
    let back = w.world.receive("work", ReceiveRequest::up_to(10)).unwrap();
    assert_eq!(back.len(), 2);
    // A fresh start: the receive count begins again.
    assert!(back.iter().all(|m| m.receive_count == 1));
    w.verify();
}

#[test]
fn redrive_can_target_another_queue_and_move_a_limited_number() {
    let mut w = Checked::new(
        WorldConfig::with_seed(1)
            .queue(standard("work").with_dlq("dlq", 1))
            .queue(QueueConfig::standard("dlq"))
            .queue(standard("retry")),
    );
    for body in ["x", "y", "z"] {
        w.world.send("work", SendRequest::body(body)).unwrap();
    }
    w.world.receive("work", ReceiveRequest::up_to(10)).unwrap();
    w.run_until(1_000);
    w.world.receive("work", ReceiveRequest::up_to(10)).unwrap();
    let request = RedriveRequest {
        destination: Some("retry".into()),
        max_messages: Some(2),
    };
    assert_eq!(w.world.redrive("dlq", request).unwrap(), 2);
    let snapshot = w.world.snapshot();
    assert_eq!(snapshot.queue("retry").unwrap().messages.len(), 2);
    assert_eq!(snapshot.queue("dlq").unwrap().messages.len(), 1);
    w.verify();
}

#[test]
fn a_standard_dlq_keeps_the_original_enqueue_time_for_retention() {
    let mut w = Checked::new(
        WorldConfig::with_seed(1)
            .queue(standard("work").with_dlq("dlq", 1))
            .queue(QueueConfig {
                retention_ms: 60_000,
                ..QueueConfig::standard("dlq")
            }),
    );
    w.world.send("work", SendRequest::body("x")).unwrap();
    w.world.receive("work", ReceiveRequest::up_to(1)).unwrap();
    w.run_until(20_000);
    w.world.receive("work", ReceiveRequest::up_to(1)).unwrap();
    assert_eq!(
        w.world.snapshot().queue("dlq").unwrap().messages[0].expires_at_ms,
        60_000
    );
    w.run_until(60_000);
    assert_eq!(w.events(TraceKind::Expired).len(), 1);
    w.verify();
}

#[test]
fn a_fifo_dlq_resets_the_enqueue_time_for_retention() {
    let mut w = Checked::new(
        WorldConfig::with_seed(1)
            .queue(QueueConfig {
                visibility_timeout_ms: 1_000,
                ..QueueConfig::fifo("f").with_dlq("f-dlq", 1)
            })
            .queue(QueueConfig {
                retention_ms: 60_000,
                ..QueueConfig::fifo("f-dlq")
            }),
    );
    w.world
        .send("f", SendRequest::body("x").group("g").dedup("x"))
        .unwrap();
    w.world.receive("f", ReceiveRequest::up_to(1)).unwrap();
    w.run_until(20_000);
    w.world.receive("f", ReceiveRequest::up_to(1)).unwrap();
    assert_eq!(
        w.world.snapshot().queue("f-dlq").unwrap().messages[0].expires_at_ms,
        80_000
    );
    w.verify();
}

#[test]
fn a_poison_message_without_a_dlq_ends_the_run_with_a_limit_error_not_a_hang() {
    let mut config = WorldConfig::with_seed(1)
        .queue(standard("work"))
        .consumer(ConsumerConfig {
            error_rate_ppm: 1_000_000,
            ..ConsumerConfig::new("worker", "work")
        });
    config.limits = Limits {
        max_time_ms: 3_600_000,
        ..Limits::default()
    };
    let mut world = event_playground::sim::World::new(config).unwrap();
    world.send("work", SendRequest::body("poison")).unwrap();
    let err = world.run_to_end().unwrap_err();
    assert_eq!(
        err,
        SimError::TimeLimitReached {
            max_time_ms: 3_600_000
        }
    );
    let snapshot = world.snapshot();
    // Received at 0 s, 1 s, ..., 3,600 s inclusive.
    assert_eq!(snapshot.queues[0].stats.received, 3_601);
    event_playground::invariants::check_all(&snapshot, world.trace_events()).unwrap();
}
