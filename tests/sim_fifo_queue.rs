//! FIFO queue semantics: strict order per group, one batch in flight per
//! group, interleaving groups, deduplication, the send quota.

mod sim_common;

use event_playground::sim::{
    ConsumerConfig, DeleteOutcome, QueueConfig, ReceiveRequest, ReceivedMessage, SendRequest,
    SimError, TraceKind, WorldConfig,
};
use sim_common::Checked;

fn fifo_world() -> Checked {
    Checked::new(WorldConfig::with_seed(5).queue(QueueConfig {
        visibility_timeout_ms: 10_000,
        ..QueueConfig::fifo("f")
    }))
}

fn send(w: &mut Checked, group: &str, body: &str) {
    w.world
        .send("f", SendRequest::body(body).group(group).dedup(body))
        .unwrap();
}

fn bodies(messages: &[ReceivedMessage]) -> Vec<String> {
    messages
        .iter()
        .map(|m| m.payload.body.to_string())
        .collect()
}

#[test]
fn messages_of_one_group_are_received_in_send_order() {
    let mut w = fifo_world();
    for body in ["a1", "a2", "a3"] {
        send(&mut w, "a", body);
    }
    let batch = w.world.receive("f", ReceiveRequest::up_to(10)).unwrap();
    assert_eq!(bodies(&batch), ["a1", "a2", "a3"]);
    w.verify();
}

#[test]
fn an_in_flight_fifo_message_blocks_its_group_until_deleted() {
    let mut w = fifo_world();
    send(&mut w, "a", "a1");
    send(&mut w, "a", "a2");
    let first = w.world.receive("f", ReceiveRequest::up_to(1)).unwrap();
    assert_eq!(bodies(&first), ["a1"]);
    // a2 is visible but its group is blocked.
    assert!(w
        .world
        .receive("f", ReceiveRequest::up_to(10))
        .unwrap()
        .is_empty());
    w.run_until(5_000);
    assert!(w
        .world
        .receive("f", ReceiveRequest::up_to(10))
        .unwrap()
        .is_empty());
    assert_eq!(
        w.world.delete("f", first[0].receipt_handle).unwrap(),
        DeleteOutcome::Deleted
    );
    assert_eq!(
        bodies(&w.world.receive("f", ReceiveRequest::up_to(10)).unwrap()),
        ["a2"]
    );
    w.verify();
}

#[test]
fn an_in_flight_fifo_message_blocks_its_group_until_its_visibility_expires() {
    let mut w = fifo_world();
    send(&mut w, "a", "a1");
    send(&mut w, "a", "a2");
    w.world.receive("f", ReceiveRequest::up_to(1)).unwrap();
    w.run_until(9_999);
    assert!(w
        .world
        .receive("f", ReceiveRequest::up_to(10))
        .unwrap()
        .is_empty());
    w.run_until(10_000);
    // The expired message comes first again, then the rest of its group.
    let batch = w.world.receive("f", ReceiveRequest::up_to(10)).unwrap();
    assert_eq!(bodies(&batch), ["a1", "a2"]);
    assert_eq!(batch[0].receive_count, 2);
    w.verify();
}

#[test]
fn a_group_stays_blocked_while_any_message_of_its_batch_is_in_flight() {
    let mut w = fifo_world();
    for body in ["a1", "a2", "a3"] {
        send(&mut w, "a", body);
    }
    let batch = w.world.receive("f", ReceiveRequest::up_to(2)).unwrap();
    w.world.delete("f", batch[0].receipt_handle).unwrap();
    assert!(w
        .world
        .receive("f", ReceiveRequest::up_to(10))
        .unwrap()
        .is_empty());
    w.world.delete("f", batch[1].receipt_handle).unwrap();
    assert_eq!(
        bodies(&w.world.receive("f", ReceiveRequest::up_to(10)).unwrap()),
        ["a3"]
    );
    w.verify();
}

#[test]
fn groups_interleave_while_one_is_blocked() {
    let mut w = fifo_world();
    send(&mut w, "a", "a1");
    send(&mut w, "a", "a2");
    send(&mut w, "b", "b1");
    assert_eq!(
        bodies(&w.world.receive("f", ReceiveRequest::up_to(1)).unwrap()),
        ["a1"]
    );
    assert_eq!(
        bodies(&w.world.receive("f", ReceiveRequest::up_to(1)).unwrap()),
        ["b1"]
    );
    assert!(w
        .world
        .receive("f", ReceiveRequest::up_to(1))
        .unwrap()
        .is_empty());
    w.verify();
}

#[test]
fn fifo_batches_keep_group_order() {
    let mut w = fifo_world();
    for (group, body) in [
        ("a", "a1"),
        ("b", "b1"),
        ("a", "a2"),
        ("b", "b2"),
        ("a", "a3"),
        ("c", "c1"),
    ] {
        send(&mut w, group, body);
    }
    let batch = w.world.receive("f", ReceiveRequest::up_to(10)).unwrap();
    // As many of the oldest group as possible, then the next group, in order.
    assert_eq!(bodies(&batch), ["a1", "a2", "a3", "b1", "b2", "c1"]);
    w.verify();
}

#[test]
fn a_batch_smaller_than_a_group_takes_the_groups_head_in_order() {
    let mut w = fifo_world();
    for body in ["a1", "a2", "a3"] {
        send(&mut w, "a", body);
    }
    send(&mut w, "b", "b1");
    let batch = w.world.receive("f", ReceiveRequest::up_to(2)).unwrap();
    assert_eq!(bodies(&batch), ["a1", "a2"]);
    assert_eq!(
        bodies(&w.world.receive("f", ReceiveRequest::up_to(2)).unwrap()),
        ["b1"]
    );
    w.verify();
}

#[test]
fn the_same_dedup_id_within_five_minutes_is_accepted_but_not_delivered_even_after_deletion() {
    let mut w = fifo_world();
    let first = w
        .world
        .send("f", SendRequest::body("v1").group("doc").dedup("save-1"))
        .unwrap();
    let m = w
        .world
        .receive("f", ReceiveRequest::up_to(1))
        .unwrap()
        .remove(0);
    w.world.delete("f", m.receipt_handle).unwrap();
    w.run_until(299_999);
    let again = w
        .world
        .send(
            "f",
            SendRequest::body("v1 again").group("doc").dedup("save-1"),
        )
        .unwrap();
    assert!(again.deduplicated);
    assert_eq!(again.message_id, first.message_id);
    assert!(w
        .world
        .receive("f", ReceiveRequest::up_to(10))
        .unwrap()
        .is_empty());
    assert_eq!(w.events(TraceKind::Deduplicated).len(), 1);
    w.run_until(300_000);
    let later = w
        .world
        .send(
            "f",
            SendRequest::body("v1 later").group("doc").dedup("save-1"),
        )
        .unwrap();
    assert!(!later.deduplicated);
    assert_eq!(
        w.world
            .receive("f", ReceiveRequest::up_to(10))
            .unwrap()
            .len(),
        1
    );
    w.verify();
}

#[test]
fn a_duplicate_does_not_extend_the_deduplication_window() {
    let mut w = fifo_world();
    send(&mut w, "g", "x");
    w.run_until(200_000);
    assert!(
        w.world
            .send("f", SendRequest::body("x").group("g").dedup("x"))
            .unwrap()
            .deduplicated
    );
    w.run_until(300_000);
    assert!(
        !w.world
            .send("f", SendRequest::body("x").group("g").dedup("x"))
            .unwrap()
            .deduplicated
    );
    w.verify();
}

#[test]
fn content_based_deduplication_uses_the_body() {
    let mut w = Checked::new(WorldConfig::with_seed(1).queue(QueueConfig {
        content_based_deduplication: true,
        ..QueueConfig::fifo("f")
    }));
    assert!(
        !w.world
            .send("f", SendRequest::body("same").group("g"))
            .unwrap()
            .deduplicated
    );
    assert!(
        w.world
            .send("f", SendRequest::body("same").group("g"))
            .unwrap()
            .deduplicated
    );
    assert!(
        !w.world
            .send("f", SendRequest::body("Same").group("g"))
            .unwrap()
            .deduplicated
    );
    // An explicit id wins over the body.
    assert!(
        !w.world
            .send("f", SendRequest::body("same").group("g").dedup("other"))
            .unwrap()
            .deduplicated
    );
    w.verify();
}

#[test]
fn fifo_sends_need_a_group_and_a_dedup_id_and_no_per_message_delay() {
    let mut w = fifo_world();
    let err = w
        .world
        .send("f", SendRequest::body("x").dedup("d"))
        .unwrap_err();
    assert!(matches!(err, SimError::MissingMessageGroupId { .. }));
    let err = w
        .world
        .send("f", SendRequest::body("x").group("g"))
        .unwrap_err();
    assert!(matches!(err, SimError::MissingDeduplicationId { .. }));
    let err = w
        .world
        .send(
            "f",
            SendRequest::body("x").group("g").dedup("d").delay_ms(5),
        )
        .unwrap_err();
    assert!(matches!(err, SimError::PerMessageDelayOnFifo { .. }));
    w.verify();
}

#[test]
fn fifo_sends_are_limited_to_300_per_second() {
    let mut w = fifo_world();
    for i in 0..300 {
        send(&mut w, "g", &format!("m{i}"));
    }
    let err = w
        .world
        .send("f", SendRequest::body("one too many").group("g").dedup("x"))
        .unwrap_err();
    assert!(matches!(
        err,
        SimError::SendThrottled {
            max_sends_per_second: 300,
            ..
        }
    ));
    w.run_until(999);
    assert!(w
        .world
        .send("f", SendRequest::body("still").group("g").dedup("y"))
        .is_err());
    w.run_until(1_000);
    send(&mut w, "g", "next second");
    w.verify();
}

#[test]
fn the_fifo_in_flight_limit_returns_nothing_rather_than_an_error() {
    let mut w = Checked::new(WorldConfig::with_seed(1).queue(QueueConfig {
        max_in_flight: Some(2),
        ..QueueConfig::fifo("f")
    }));
    for (group, body) in [("a", "a1"), ("b", "b1"), ("c", "c1")] {
        send(&mut w, group, body);
    }
    assert_eq!(
        w.world
            .receive("f", ReceiveRequest::up_to(10))
            .unwrap()
            .len(),
        2
    );
    assert!(w
        .world
        .receive("f", ReceiveRequest::up_to(10))
        .unwrap()
        .is_empty());
    w.verify();
}

#[test]
fn fifo_queues_refuse_duplicates_and_jitter_in_their_config() {
    let dup = QueueConfig {
        duplicate_rate_ppm: 1,
        ..QueueConfig::fifo("f")
    };
    assert!(dup.validate().is_err());
    let jitter = QueueConfig {
        delivery_jitter: Some(event_playground::sim::Latency::Fixed { ms: 5 }),
        ..QueueConfig::fifo("f")
    };
    assert!(jitter.validate().is_err());
}

#[test]
fn a_failing_fifo_consumer_never_completes_a_group_out_of_order() {
    let config = WorldConfig::with_seed(9)
        .queue(QueueConfig {
            visibility_timeout_ms: 2_000,
            ..QueueConfig::fifo("f")
        })
        .consumer(ConsumerConfig {
            error_rate_ppm: 300_000,
            workers: 3,
            batch_size: 5,
            ..ConsumerConfig::new("worker", "f")
        });
    let mut w = Checked::new(config);
    for i in 0..40u64 {
        let group = ["a", "b", "c"][(i % 3) as usize];
        w.world
            .schedule_send(
                i * 7,
                "f",
                SendRequest::body(format!("{group}-{i}"))
                    .group(group)
                    .dedup(format!("{i}")),
            )
            .unwrap();
    }
    w.run_to_end();
    let snapshot = w.world.snapshot();
    assert!(snapshot.queues[0].messages.is_empty());
    for group in ["a", "b", "c"] {
        let deleted: Vec<u64> = w
            .events(TraceKind::Deleted)
            .iter()
            .filter(|e| e.details.group_id().map(|name| name.as_str()) == Some(group))
            .map(|e| e.message_id.unwrap().0)
            .collect();
        let mut sorted = deleted.clone();
        sorted.sort_unstable();
        assert_eq!(deleted, sorted, "group {group} completed out of order");
    }
    assert!(!w.events(TraceKind::ProcessingFailed).is_empty());
}
