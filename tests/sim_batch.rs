//! SQS batch verbs: whole-call checks, per-entry answers, tracing, and the
//! FIFO quota counting calls rather than messages.

mod sim_common;

use event_playground::sim::{
    DeleteBatchEntry, QueueConfig, ReceiveRequest, SendBatchEntry, SendRequest, SimError,
    TraceKind, VisibilityBatchEntry, WorldConfig,
};
use sim_common::Checked;

/// The engine's default maximum message size, in bytes: SQS's default of
/// 1 MiB since 2025 (see `MESSAGE_BYTES_DEFAULT` in src/sim/aws.rs).
const MESSAGE_BYTES_MAX: usize = 1_048_576;

fn standard_world() -> Checked {
    Checked::new(WorldConfig::with_seed(3).queue(QueueConfig {
        duplicate_rate_ppm: 0,
        ..QueueConfig::standard("q")
    }))
}

fn entry(id: &str, body: &str) -> SendBatchEntry {
    SendBatchEntry {
        id: id.to_string(),
        request: SendRequest::body(body),
    }
}

fn entries(count: usize) -> Vec<SendBatchEntry> {
    (0..count)
        .map(|i| entry(&format!("e{i}"), "hello"))
        .collect()
}

#[test]
fn an_empty_batch_is_a_whole_call_error() {
    let mut w = standard_world();
    let err = w.world.send_batch("q", Vec::new()).unwrap_err();
    assert!(matches!(err, SimError::EmptyBatch { .. }));
    let err = w.world.delete_batch("q", &[]).unwrap_err();
    assert!(matches!(err, SimError::EmptyBatch { .. }));
    assert!(w.events(TraceKind::Sent).is_empty());
    w.verify();
}

#[test]
fn more_than_ten_entries_is_a_whole_call_error() {
    let mut w = standard_world();
    let err = w.world.send_batch("q", entries(11)).unwrap_err();
    assert!(matches!(
        err,
        SimError::TooManyEntriesInBatch {
            count: 11,
            max: 10,
            ..
        }
    ));
    assert!(w.events(TraceKind::Sent).is_empty());
    // Ten is the limit, not one past it.
    let ok = w.world.send_batch("q", entries(10)).unwrap();
    assert_eq!(ok.successful.len(), 10);
    w.run_to_end();
}

#[test]
fn duplicate_entry_ids_are_a_whole_call_error() {
    let mut w = standard_world();
    let batch = vec![entry("a", "1"), entry("b", "2"), entry("a", "3")];
    let err = w.world.send_batch("q", batch).unwrap_err();
    assert_eq!(
        err,
        SimError::BatchEntryIdsNotDistinct {
            queue: "q".to_string(),
            id: "a".to_string(),
        }
    );
    assert!(w.events(TraceKind::Sent).is_empty());
    w.verify();
}

#[test]
fn malformed_entry_ids_are_a_whole_call_error() {
    let mut w = standard_world();
    let too_long = "x".repeat(81);
    for bad in ["", "has space", "dot.ted", too_long.as_str()] {
        let err = w.world.send_batch("q", vec![entry(bad, "b")]).unwrap_err();
        assert!(
            matches!(err, SimError::InvalidBatchEntryId { .. }),
            "{bad:?}: {err:?}"
        );
    }
    let longest = "y".repeat(80);
    let ok = w
        .world
        .send_batch("q", vec![entry(&longest, "b"), entry("A-z_09", "c")])
        .unwrap();
    assert_eq!(ok.successful.len(), 2);
    w.run_to_end();
}

#[test]
fn a_batch_larger_in_total_than_one_message_is_a_whole_call_error() {
    let mut w = standard_world();
    let half = "h".repeat(MESSAGE_BYTES_MAX / 2);
    let batch = vec![entry("a", &half), entry("b", &half), entry("c", "!")];
    let err = w.world.send_batch("q", batch).unwrap_err();
    assert_eq!(
        err,
        SimError::BatchRequestTooLong {
            queue: "q".to_string(),
            bytes: MESSAGE_BYTES_MAX + 1,
            max_bytes: MESSAGE_BYTES_MAX,
        }
    );
    assert!(w.events(TraceKind::Sent).is_empty());
    // Exactly the maximum is allowed.
    let ok = w
        .world
        .send_batch("q", vec![entry("a", &half), entry("b", &half)])
        .unwrap();
    assert_eq!(ok.successful.len(), 2);
    w.run_to_end();
}

#[test]
fn entries_succeed_or_fail_on_their_own() {
    let mut w = standard_world();
    let bad = SendBatchEntry {
        id: "late".to_string(),
        request: SendRequest {
            delay_ms: Some(900_001),
            ..SendRequest::body("too late")
        },
    };
    let result = w
        .world
        .send_batch("q", vec![entry("a", "1"), bad, entry("b", "2")])
        .unwrap();
    let ok: Vec<_> = result.successful.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ok, ["a", "b"]);
    assert_eq!(result.failed.len(), 1);
    let failure = &result.failed[0];
    assert_eq!(failure.id, "late");
    assert!(failure.sender_fault);
    assert_eq!(failure.code, "InvalidParameterValue");
    assert!(failure.message.contains("delay_ms"), "{}", failure.message);
    // Standard queues deliver after a little jitter.
    w.run_until(1_000);
    let received = w.world.receive("q", ReceiveRequest::up_to(10)).unwrap();
    assert_eq!(received.len(), 2);
    w.run_to_end();
}

#[test]
fn every_entry_is_traced_like_a_single_send() {
    let mut w = standard_world();
    let bad = SendBatchEntry {
        id: "bad".to_string(),
        request: SendRequest {
            delay_ms: Some(900_001),
            ..SendRequest::body("x")
        },
    };
    let mut batch = entries(4);
    batch.push(bad);
    let result = w.world.send_batch("q", batch).unwrap();
    let sent = w.events(TraceKind::Sent);
    assert_eq!(sent.len(), 4);
    assert_eq!(w.events(TraceKind::SendRejected).len(), 1);
    let traced: Vec<_> = sent.iter().map(|e| e.message_id).collect();
    let answered: Vec<_> = result
        .successful
        .iter()
        .map(|s| Some(s.result.message_id))
        .collect();
    assert_eq!(traced, answered);
    w.run_to_end();
}

#[test]
fn fifo_batches_of_ten_send_three_thousand_messages_a_second() {
    // 300 calls a second (docs/scenarios.md, `[[queues]]`,
    // `max_sends_per_second`), ten messages a call.
    let mut w = Checked::new(WorldConfig::with_seed(9).queue(QueueConfig::fifo("f")));
    let mut accepted = 0;
    for call in 0..300 {
        let batch = (0..10)
            .map(|i| SendBatchEntry {
                id: format!("m{i}"),
                request: SendRequest::body(format!("{call}-{i}"))
                    .group("g")
                    .dedup(format!("{call}-{i}")),
            })
            .collect();
        let result = w.world.send_batch("f", batch).unwrap();
        assert!(result.failed.is_empty(), "call {call}: {:?}", result.failed);
        accepted += result.successful.len();
    }
    assert_eq!(accepted, 3_000);
    // The 301st call in the same second is throttled, entry by entry.
    let over = vec![SendBatchEntry {
        id: "over".to_string(),
        request: SendRequest::body("over").group("g").dedup("over"),
    }];
    let result = w.world.send_batch("f", over).unwrap();
    assert_eq!(result.failed.len(), 1);
    assert_eq!(result.failed[0].code, "RequestThrottled");
    assert!(!result.failed[0].sender_fault);
    // A single send shares the same quota.
    assert!(w
        .world
        .send("f", SendRequest::body("single").group("g").dedup("single"))
        .is_err());
    w.run_until(1_000);
    let next = vec![SendBatchEntry {
        id: "next".to_string(),
        request: SendRequest::body("next").group("g").dedup("next"),
    }];
    assert_eq!(w.world.send_batch("f", next).unwrap().successful.len(), 1);
    w.verify();
}

#[test]
fn delete_batch_deletes_each_entry_and_reports_bad_handles() {
    let mut w = standard_world();
    w.world.send_batch("q", entries(3)).unwrap();
    w.run_until(1_000);
    let received = w.world.receive("q", ReceiveRequest::up_to(10)).unwrap();
    assert_eq!(received.len(), 3);
    let mut batch: Vec<_> = received
        .iter()
        .enumerate()
        .map(|(i, m)| DeleteBatchEntry {
            id: format!("d{i}"),
            receipt_handle: m.receipt_handle,
        })
        .collect();
    batch.push(DeleteBatchEntry {
        id: "bogus".to_string(),
        receipt_handle: u64::MAX,
    });
    let result = w.world.delete_batch("q", &batch).unwrap();
    assert_eq!(result.successful.len(), 3);
    assert_eq!(result.failed.len(), 1);
    assert_eq!(result.failed[0].id, "bogus");
    assert_eq!(result.failed[0].code, "ReceiptHandleIsInvalid");
    assert!(result.failed[0].sender_fault);
    assert_eq!(w.events(TraceKind::Deleted).len(), 3);
    w.run_to_end();
    assert!(w
        .world
        .receive("q", ReceiveRequest::up_to(10))
        .unwrap()
        .is_empty());
    w.verify();
}

#[test]
fn change_visibility_batch_hides_each_entry() {
    let mut w = standard_world();
    w.world.send_batch("q", entries(2)).unwrap();
    w.run_until(1_000);
    let received = w.world.receive("q", ReceiveRequest::up_to(10)).unwrap();
    assert_eq!(received.len(), 2);
    let batch: Vec<_> = received
        .iter()
        .enumerate()
        .map(|(i, m)| VisibilityBatchEntry {
            id: format!("v{i}"),
            receipt_handle: m.receipt_handle,
            visibility_timeout_ms: 0,
        })
        .collect();
    let result = w.world.change_visibility_batch("q", &batch).unwrap();
    assert_eq!(result.successful.len(), 2);
    assert_eq!(w.events(TraceKind::VisibilityChanged).len(), 2);
    w.run_until(2_000);
    // Visible again at once: both come back.
    let again = w.world.receive("q", ReceiveRequest::up_to(10)).unwrap();
    assert_eq!(again.len(), 2);
    w.verify();
}
