//! Event source mappings (queue -> function): every rule in its own test.

mod sim_common;

use std::collections::BTreeMap;

use event_playground::sim::{
    FunctionConfig, Latency, MappingConfig, QueueConfig, SendRequest, SimError, TraceDetails,
    TraceEvent, TraceKind, WorldConfig,
};
use sim_common::Checked;

const OK: &str = "fn handler(event, context) { }";

fn function(code: &str) -> FunctionConfig {
    FunctionConfig {
        cold_start: Latency::Fixed { ms: 100 },
        duration: Latency::Fixed { ms: 10 },
        ..FunctionConfig::new("f", code)
    }
}

fn queue(fifo: bool) -> QueueConfig {
    let mut q = if fifo {
        QueueConfig::fifo("q.fifo")
    } else {
        QueueConfig::standard("q")
    };
    q.delivery_jitter = if fifo { None } else { Some(Latency::ZERO) };
    q.content_based_deduplication = fifo;
    q
}

fn mapping(fifo: bool) -> MappingConfig {
    MappingConfig::new("m", if fifo { "q.fifo" } else { "q" }, "f")
}

fn config(q: QueueConfig, f: FunctionConfig, m: MappingConfig) -> WorldConfig {
    WorldConfig::with_seed(11).queue(q).function(f).mapping(m)
}

fn send_n(checked: &mut Checked, queue: &str, n: usize, group: Option<&str>) {
    for i in 0..n {
        let mut request =
            SendRequest::body(format!(r#"{{"n":{i},"g":"{}"}}"#, group.unwrap_or("")));
        if let Some(g) = group {
            request = request.group(g);
        }
        checked.world.send(queue, request).expect("send");
    }
}

fn batch_sizes(checked: &Checked) -> Vec<usize> {
    checked
        .events(TraceKind::InvocationStarted)
        .iter()
        .map(|e| e.details.receipt_handles().len())
        .collect()
}

/// Highest number of mapping invocations in progress at once, up to `until_ms`.
fn peak_batches(events: &[TraceEvent], until_ms: u64) -> usize {
    let (mut now, mut peak) = (0usize, 0usize);
    for e in events
        .iter()
        .filter(|e| e.time_ms <= until_ms && e.details.mapping().is_some())
    {
        match e.kind {
            TraceKind::InvocationStarted => {
                now += 1;
                peak = peak.max(now);
            }
            TraceKind::InvocationSucceeded | TraceKind::InvocationFailed => now -= 1,
            _ => {}
        }
    }
    peak
}

fn expect_config_error(config: WorldConfig, field_part: &str) -> String {
    match event_playground::sim::World::new(config) {
        Err(e @ (SimError::OutOfRange { .. } | SimError::InvalidConfig { .. })) => {
            let text = e.to_string();
            assert!(text.contains(field_part), "{text}");
            text
        }
        Err(other) => panic!("unexpected error {other}"),
        Ok(_) => panic!("expected a config error about {field_part}"),
    }
}

// ------------------------------------------------------------- batch size

#[test]
fn batch_size_defaults_to_ten_and_caps_each_invocation() {
    assert_eq!(MappingConfig::default().batch_size, 10);
    let mut c = Checked::new(config(queue(false), function(OK), mapping(false)));
    send_n(&mut c, "q", 25, None);
    c.run_to_end();
    let sizes = batch_sizes(&c);
    assert_eq!(sizes, vec![10, 10, 5]);
    assert_eq!(c.events(TraceKind::Deleted).len(), 25);
}

#[test]
fn batch_size_one_invokes_per_message() {
    let m = MappingConfig {
        batch_size: 1,
        ..mapping(false)
    };
    let mut c = Checked::new(config(queue(false), function(OK), m));
    send_n(&mut c, "q", 4, None);
    c.run_to_end();
    assert_eq!(batch_sizes(&c), vec![1, 1, 1, 1]);
}

#[test]
fn batch_size_is_at_most_ten_on_fifo_and_ten_thousand_on_standard() {
    expect_config_error(
        config(
            queue(true),
            function(OK),
            MappingConfig {
                batch_size: 11,
                ..mapping(true)
            },
        ),
        "batch_size",
    );
    let big = MappingConfig {
        batch_size: 10_001,
        maximum_batching_window_ms: 1_000,
        ..mapping(false)
    };
    expect_config_error(config(queue(false), function(OK), big), "batch_size");
    expect_config_error(
        config(
            queue(false),
            function(OK),
            MappingConfig {
                batch_size: 0,
                ..mapping(false)
            },
        ),
        "batch_size",
    );
    let ok = MappingConfig {
        batch_size: 10_000,
        maximum_batching_window_ms: 1_000,
        ..mapping(false)
    };
    assert!(event_playground::sim::World::new(config(queue(false), function(OK), ok)).is_ok());
}

#[test]
fn batch_size_over_ten_needs_a_batching_window_of_a_second() {
    let m = MappingConfig {
        batch_size: 50,
        ..mapping(false)
    };
    expect_config_error(
        config(queue(false), function(OK), m),
        "maximum_batching_window_ms",
    );
}

#[test]
fn large_batches_gather_several_receives() {
    let m = MappingConfig {
        batch_size: 25,
        maximum_batching_window_ms: 1_000,
        ..mapping(false)
    };
    let mut c = Checked::new(config(queue(false), function(OK), m));
    send_n(&mut c, "q", 25, None);
    c.run_to_end();
    assert_eq!(batch_sizes(&c), vec![25]);
}

// ------------------------------------------------------- batching window

#[test]
fn batching_window_defaults_to_zero_and_waits_until_the_window_ends() {
    assert_eq!(MappingConfig::default().maximum_batching_window_ms, 0);
    let m = MappingConfig {
        maximum_batching_window_ms: 5_000,
        ..mapping(false)
    };
    let mut c = Checked::new(config(queue(false), function(OK), m));
    for at in [0, 1_000, 2_000] {
        c.world
            .schedule_send(at, "q", SendRequest::body("x"))
            .expect("send");
    }
    c.run_to_end();
    let started = c.events(TraceKind::InvocationStarted);
    assert_eq!(started.len(), 1);
    assert_eq!(started[0].time_ms, 5_000);
    assert_eq!(started[0].details.receipt_handles().len(), 3);
}

#[test]
fn batching_window_ends_early_when_the_batch_is_full() {
    let m = MappingConfig {
        batch_size: 3,
        maximum_batching_window_ms: 20_000,
        ..mapping(false)
    };
    let mut c = Checked::new(config(queue(false), function(OK), m));
    for at in [0, 1_000, 2_000] {
        c.world
            .schedule_send(at, "q", SendRequest::body("x"))
            .expect("send");
    }
    c.run_to_end();
    let started = c.events(TraceKind::InvocationStarted);
    assert_eq!(started.len(), 1);
    assert_eq!(started[0].time_ms, 2_000);
}

#[test]
fn batching_window_is_at_most_300_seconds() {
    let m = MappingConfig {
        maximum_batching_window_ms: 300_001,
        ..mapping(false)
    };
    expect_config_error(
        config(queue(false), function(OK), m),
        "maximum_batching_window_ms",
    );
}

#[test]
fn fifo_queues_have_no_batching_window() {
    let m = MappingConfig {
        maximum_batching_window_ms: 1_000,
        ..mapping(true)
    };
    let text = expect_config_error(
        config(queue(true), function(OK), m),
        "maximum_batching_window_ms",
    );
    assert!(text.contains("FIFO"), "{text}");
}

// --------------------------------------------------------- errors, partial

#[test]
fn on_error_the_whole_batch_returns_after_the_visibility_timeout() {
    let code = r#"
fn handler(event, context) {
    if event.Records[0].attributes.ApproximateReceiveCount == "1" { throw "first try fails"; }
}
"#;
    let mut c = Checked::new(config(queue(false), function(code), mapping(false)));
    send_n(&mut c, "q", 3, None);
    c.run_until(29_000);
    assert!(
        c.events(TraceKind::Deleted).is_empty(),
        "nothing is deleted after an error"
    );
    assert_eq!(c.events(TraceKind::InvocationFailed).len(), 1);
    c.run_to_end();
    let visible = c.events(TraceKind::VisibleAgain);
    assert_eq!(visible.len(), 3);
    assert!(visible.iter().all(|e| e.time_ms == 30_000));
    assert_eq!(c.events(TraceKind::Deleted).len(), 3);
    assert_eq!(batch_sizes(&c), vec![3, 3]);
}

const FAIL_BAD: &str = r#"
fn handler(event, context) {
    let failures = [];
    for record in event.Records {
        if record.body.n == 1 && record.attributes.ApproximateReceiveCount == "1" {
            failures.push(#{ itemIdentifier: record.messageId });
        }
    }
    #{ batchItemFailures: failures }
}
"#;

#[test]
fn partial_batch_response_deletes_only_the_records_that_succeeded() {
    let m = MappingConfig {
        report_batch_item_failures: true,
        ..mapping(false)
    };
    let mut c = Checked::new(config(queue(false), function(FAIL_BAD), m));
    send_n(&mut c, "q", 3, None);
    c.run_until(1_000);
    assert_eq!(c.events(TraceKind::Deleted).len(), 2);
    let completed = c.events(TraceKind::BatchCompleted);
    assert_eq!(completed[0].details.failed_receipt_handles().len(), 1);
    c.run_to_end();
    assert_eq!(c.events(TraceKind::Deleted).len(), 3);
    assert_eq!(batch_sizes(&c), vec![3, 1]);
}

#[test]
fn without_report_batch_item_failures_a_failure_list_is_ignored() {
    let mut c = Checked::new(config(queue(false), function(FAIL_BAD), mapping(false)));
    send_n(&mut c, "q", 3, None);
    c.run_to_end();
    assert_eq!(c.events(TraceKind::Deleted).len(), 3);
    assert_eq!(batch_sizes(&c), vec![3]);
}

#[test]
fn partial_batch_empty_list_means_success() {
    let code = "fn handler(event, context) { #{ batchItemFailures: [] } }";
    let m = MappingConfig {
        report_batch_item_failures: true,
        ..mapping(false)
    };
    let mut c = Checked::new(config(queue(false), function(code), m));
    send_n(&mut c, "q", 3, None);
    c.run_to_end();
    assert_eq!(c.events(TraceKind::Deleted).len(), 3);
}

fn whole_batch_fails_with(code: &str) {
    let m = MappingConfig {
        report_batch_item_failures: true,
        ..mapping(false)
    };
    let mut c = Checked::new(config(queue(false), function(code), m));
    send_n(&mut c, "q", 3, None);
    c.run_until(10_000);
    assert!(c.events(TraceKind::Deleted).is_empty());
    let completed = c.events(TraceKind::BatchCompleted);
    assert_eq!(completed[0].details.failed_receipt_handles().len(), 3);
    assert!(completed[0].details.reason().is_some());
}

#[test]
fn partial_batch_unknown_identifier_fails_the_whole_batch() {
    whole_batch_fails_with(
        r#"fn handler(event, context) {
            if event.Records[0].attributes.ApproximateReceiveCount != "1" { return; }
            #{ batchItemFailures: [#{ itemIdentifier: "not-a-message" }] }
        }"#,
    );
}

#[test]
fn partial_batch_empty_identifier_fails_the_whole_batch() {
    whole_batch_fails_with(
        r#"fn handler(event, context) {
            if event.Records[0].attributes.ApproximateReceiveCount != "1" { return; }
            #{ batchItemFailures: [#{ itemIdentifier: "" }] }
        }"#,
    );
}

#[test]
fn fifo_partial_batch_stops_at_the_first_failure() {
    let m = MappingConfig {
        report_batch_item_failures: true,
        ..mapping(true)
    };
    let mut c = Checked::new(config(queue(true), function(FAIL_BAD), m));
    send_n(&mut c, "q.fifo", 3, Some("g"));
    c.run_until(1_000);
    // n = 0 is deleted; n = 1 failed, so n = 2 returns too.
    assert_eq!(c.events(TraceKind::Deleted).len(), 1);
    assert_eq!(
        c.events(TraceKind::BatchCompleted)[0]
            .details
            .failed_receipt_handles()
            .len(),
        2
    );
    c.run_to_end();
    assert_eq!(c.events(TraceKind::Deleted).len(), 3);
}

// ---------------------------------------------------------------- scaling

fn scaling_world(maximum_concurrency: Option<u32>, messages: usize) -> Checked {
    let mut q = queue(false);
    q.visibility_timeout_ms = 3_600_000;
    let f = FunctionConfig {
        timeout_ms: 600_000,
        duration: Latency::Fixed { ms: 400_000 },
        ..function(OK)
    };
    let m = MappingConfig {
        batch_size: 1,
        maximum_concurrency,
        ..mapping(false)
    };
    let mut c = Checked::new(config(q, f, m));
    send_n(&mut c, "q", messages, None);
    c
}

#[test]
fn scaling_starts_with_five_concurrent_batches() {
    let mut c = scaling_world(None, 50);
    c.run_until(999);
    assert_eq!(peak_batches(c.world.trace_events(), 999), 5);
}

/// Lambda adds up to 300 concurrent batches a minute and scales an SQS
/// mapping "up to 1,250 concurrent invocations"
/// (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html);
/// the account's 1,000 concurrent executions bound what actually runs.
#[test]
fn scaling_adds_at_most_300_batches_per_minute_up_to_1250() {
    let mut c = scaling_world(None, 1_400);
    c.run_until(60_000);
    let after_a_minute = peak_batches(c.world.trace_events(), 60_000);
    assert!(after_a_minute <= 305, "{after_a_minute}");
    assert!(after_a_minute >= 290, "{after_a_minute}");
    c.run_until(390_000);
    let peak = peak_batches(c.world.trace_events(), 390_000);
    assert!((1_000..=1_250).contains(&peak), "{peak}");
    // Past the old 1,000 ceiling, never past 1,250 (throttles from the
    // account's limit slow the scaling down before it gets there).
    let scaled = c.world.snapshot().mapping("m").expect("m").concurrency;
    assert!((1_001..=1_250).contains(&scaled), "{scaled}");
}

#[test]
fn maximum_concurrency_caps_the_batches_in_flight() {
    let mut c = scaling_world(Some(2), 20);
    c.run_until(120_000);
    assert_eq!(peak_batches(c.world.trace_events(), 120_000), 2);
    let mut c = scaling_world(Some(12), 40);
    c.run_until(120_000);
    assert_eq!(peak_batches(c.world.trace_events(), 120_000), 12);
}

#[test]
fn maximum_concurrency_is_between_2_and_1000() {
    for bad in [1, 1_001] {
        let m = MappingConfig {
            maximum_concurrency: Some(bad),
            ..mapping(false)
        };
        expect_config_error(config(queue(false), function(OK), m), "maximum_concurrency");
    }
}

#[test]
fn fifo_runs_at_most_one_batch_per_message_group() {
    let f = FunctionConfig {
        duration: Latency::Fixed { ms: 1_000 },
        ..function(OK)
    };
    let m = MappingConfig {
        batch_size: 2,
        ..mapping(true)
    };
    let mut c = Checked::new(config(queue(true), f, m));
    for group in ["a", "b", "c"] {
        send_n(&mut c, "q.fifo", 6, Some(group));
    }
    c.run_to_end();
    let events = c.world.trace_events().to_vec();
    let mut group_of = BTreeMap::new();
    for e in &events {
        if e.kind == TraceKind::Received {
            group_of.insert(
                e.details.receipt_handle().unwrap_or(0),
                e.details.group_id().cloned(),
            );
        }
    }
    let mut in_flight: BTreeMap<String, usize> = BTreeMap::new();
    let mut batch_groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for e in &events {
        let request = e
            .details
            .request_id()
            .map(|name| name.as_str())
            .unwrap_or("")
            .to_string();
        match e.kind {
            TraceKind::InvocationStarted => {
                let mut groups: Vec<String> = e
                    .details
                    .receipt_handles()
                    .iter()
                    .filter_map(|r| group_of.get(r).cloned().flatten().map(|g| g.to_string()))
                    .collect();
                groups.dedup();
                for g in &groups {
                    let n = in_flight.entry(g.clone()).or_default();
                    *n += 1;
                    assert_eq!(*n, 1, "two batches of group {g} in flight");
                }
                batch_groups.insert(request, groups);
            }
            TraceKind::InvocationSucceeded => {
                for g in batch_groups.remove(&request).unwrap_or_default() {
                    *in_flight.entry(g).or_default() -= 1;
                }
            }
            _ => {}
        }
    }
    let peak = peak_batches(&events, u64::MAX);
    assert!(peak <= 3, "{peak} batches in flight with 3 groups");
    assert_eq!(c.events(TraceKind::Deleted).len(), 18);
}

// -------------------------------------------------------------- throttling

#[test]
fn throttled_over_reserved_concurrency_comes_back_after_the_visibility_timeout() {
    let f = FunctionConfig {
        reserved_concurrency: Some(1),
        duration: Latency::Fixed { ms: 2_000 },
        ..function(OK)
    };
    let m = MappingConfig {
        batch_size: 1,
        ..mapping(false)
    };
    let mut c = Checked::new(config(queue(false), f, m));
    send_n(&mut c, "q", 2, None);
    c.run_to_end();
    let throttled = c.events(TraceKind::InvocationThrottled);
    assert!(!throttled.is_empty());
    let visible = c.events(TraceKind::VisibleAgain);
    assert_eq!(visible.len(), 1, "the throttled message returns");
    assert_eq!(
        visible[0].time_ms, 30_000,
        "after the queue's 30 s visibility timeout"
    );
    assert_eq!(c.events(TraceKind::Deleted).len(), 2);
    let snapshot = c.world.snapshot();
    assert_eq!(snapshot.function("f").expect("f").stats.peak_concurrency, 1);
}

#[test]
fn a_function_timeout_longer_than_the_visibility_timeout_is_a_config_error() {
    let mut q = queue(false);
    q.visibility_timeout_ms = 10_000;
    let f = FunctionConfig {
        timeout_ms: 20_000,
        ..function(OK)
    };
    let text = expect_config_error(config(q, f, mapping(false)), "timeout");
    assert!(text.contains("6 times"), "{text}");
    assert!(text.contains("120000"), "{text}");
}

#[test]
fn messages_go_to_the_dead_letter_queue_through_the_mapping() {
    let mut q = queue(false).with_dlq("dlq", 2);
    q.visibility_timeout_ms = 5_000;
    let mut dlq = QueueConfig::standard("dlq");
    dlq.delivery_jitter = Some(Latency::ZERO);
    let code = r#"fn handler(event, context) { throw "poison"; }"#;
    let cfg = WorldConfig::with_seed(2)
        .queue(q)
        .queue(dlq)
        .function(function(code))
        .mapping(mapping(false));
    let mut c = Checked::new(cfg);
    send_n(&mut c, "q", 1, None);
    c.run_to_end();
    assert_eq!(c.events(TraceKind::InvocationFailed).len(), 2);
    assert_eq!(c.events(TraceKind::MovedToDlq).len(), 1);
}

#[test]
fn records_are_lambda_shaped() {
    let code = r#"
fn handler(event, context) {
    let r = event.Records[0];
    store.put("seen", #{
        id: r.messageId, source: r.eventSource, count: r.attributes.ApproximateReceiveCount,
        group: r.attributes.MessageGroupId, body: r.body
    });
}
"#;
    let mut c = Checked::new(config(queue(true), function(code), mapping(true)));
    c.world
        .send("q.fifo", SendRequest::body(r#"{"a":1}"#).group("g1"))
        .expect("send");
    c.run_to_end();
    let item = c
        .world
        .snapshot()
        .store
        .item("seen")
        .expect("item")
        .value
        .clone();
    assert_eq!(item["source"], "aws:sqs");
    assert_eq!(item["count"], "1");
    assert_eq!(item["group"], "g1");
    assert_eq!(item["body"]["a"], 1);
}

// ------------------------------------------------- the checkers catch bugs

fn forged(kind: TraceKind, actor: event_playground::sim::ActorId, seq: u64) -> TraceEvent {
    TraceEvent {
        time_ms: 0,
        seq,
        actor,
        kind,
        message_id: None,
        details: Default::default(),
    }
}

#[test]
fn checker_rejects_a_mapping_delete_without_a_successful_invocation() {
    use event_playground::invariants::{Checker, Invariant};
    use event_playground::sim::{ActorId, World};
    let world = World::new(config(queue(false), function(OK), mapping(false))).expect("world");
    let mut checker = Checker::new(&world.snapshot());
    let mut delete = forged(TraceKind::Deleted, ActorId::Mapping("m".into()), 0);
    delete.details = TraceDetails {
        receipt_handle: Some(1),
        ..TraceDetails::default()
    }
    .into();
    let violation = checker.observe(&delete).expect_err("must be flagged");
    assert_eq!(violation.invariant, Invariant::DeleteOnlyAfterSuccess);
}

#[test]
fn checker_rejects_concurrency_above_reserved() {
    use event_playground::invariants::{Checker, Invariant};
    use event_playground::sim::{ActorId, World};
    let f = FunctionConfig {
        reserved_concurrency: Some(1),
        ..function(OK)
    };
    let world = World::new(config(queue(false), f, mapping(false))).expect("world");
    let mut checker = Checker::new(&world.snapshot());
    for seq in 0..2 {
        let mut start = forged(
            TraceKind::InvocationStarted,
            ActorId::Function("f".into()),
            seq,
        );
        start.details = TraceDetails {
            request_id: Some(format!("r{seq}").as_str().into()),
            ..TraceDetails::default()
        }
        .into();
        let result = checker.observe(&start);
        if seq == 1 {
            assert_eq!(
                result.expect_err("flagged").invariant,
                Invariant::ConcurrencyLimit
            );
        } else {
            result.expect("first is fine");
        }
    }
}

/// A big batch is valid input: reading every record of a batch of 500 must
/// not trip a sandbox size limit sized for 10 records, while a handler that
/// grows its own map is still stopped.
#[test]
fn sandbox_limits_grow_with_the_largest_batch_a_mapping_delivers() {
    let reader = r#"
fn handler(event, context) {
    let total = 0;
    for record in event.Records {
        let body = record.body;
        total += body.n;
        let id = record.messageId + record.attributes.ApproximateReceiveCount;
    }
    store.put("total", total);
}
"#;
    let mut m = mapping(false);
    m.batch_size = 500;
    m.maximum_batching_window_ms = 1_000;
    let mut checked = Checked::new(config(queue(false), function(reader), m.clone()));
    send_n(&mut checked, "q", 500, None);
    checked.run_to_end();
    assert!(
        checked.events(TraceKind::InvocationFailed).is_empty(),
        "{:?}",
        checked.events(TraceKind::InvocationFailed)[0]
            .details
            .reason()
    );
    assert_eq!(batch_sizes(&checked), vec![500]);

    let grower = r#"
fn handler(event, context) {
    let m = #{};
    for i in 0..100000 { m["k" + i] = i; }
}
"#;
    let mut checked = Checked::new(config(queue(false), function(grower), m));
    send_n(&mut checked, "q", 5, None);
    checked.run_until(1_500);
    let failed = checked.events(TraceKind::InvocationFailed);
    assert!(!failed.is_empty());
    assert!(
        failed[0]
            .details
            .reason()
            .is_some_and(|r| r.contains("max_map_size") || r.contains("max_operations")),
        "{:?}",
        failed[0].details.reason()
    );
}
