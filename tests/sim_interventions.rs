//! Interventions (issue 19, docs/interventions.md): each kind changes the
//! run as documented, the invariant checkers stay satisfied after every step
//! and every intervention, the same list gives the same trace, and a refused
//! intervention changes nothing.

mod sim_common;

use event_playground::sim::testing::fnv1a64;
use event_playground::sim::StoreConfig;
use event_playground::sim::{
    ConsumerConfig, FunctionConfig, Intervention, InterventionKind as Kind, InvocationStatus,
    Latency, MappingConfig, Parameters, QueueConfig, RefusalKind, SendRequest, TraceKind,
    WorldConfig,
};
use serde_json::json;
use sim_common::Checked;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// Counts each record it is given, keyed by body: not idempotent, so a
/// second delivery shows as a second count. Two writes 50 ms apart (the
/// store's write latency), then the receive count.
const COUNTER: &str = r#"fn handler(event, context) {
    for record in event.Records {
        store.add("count-" + record.body, 1);
        store.put("last-" + record.body, record.attributes.ApproximateReceiveCount);
    }
}"#;

const VISIBILITY_MS: u64 = 30_000;

fn config(code: &str) -> WorldConfig {
    let mut q = QueueConfig::standard("q");
    q.delivery_jitter = Some(Latency::ZERO);
    q.visibility_timeout_ms = VISIBILITY_MS;
    let mut config = WorldConfig::with_seed(7)
        .queue(q)
        .function(FunctionConfig {
            cold_start: Latency::Fixed { ms: 100 },
            duration: Latency::Fixed { ms: 10 },
            ..FunctionConfig::new("f", code)
        })
        .mapping(MappingConfig {
            batch_size: 1,
            ..MappingConfig::new("m", "q", "f")
        });
    config.store = StoreConfig {
        read_latency: Latency::Fixed { ms: 50 },
        write_latency: Latency::Fixed { ms: 50 },
    };
    config
}

fn at(at_ms: u64, kind: Kind, target: &str, parameters: Parameters) -> Intervention {
    Intervention {
        at_ms,
        kind,
        target: target.into(),
        parameters,
    }
}

fn message(id: u64) -> Parameters {
    Parameters {
        message_id: Some(id),
        ..Parameters::default()
    }
}

/// A world with one message "a" (id 1) that becomes receivable at 1 s.
fn delayed_message_world() -> Checked {
    let mut w = Checked::new(config(COUNTER));
    w.world
        .send("q", SendRequest::body("a").delay_ms(1_000))
        .unwrap();
    w
}

/// Runs to `iv.at_ms` with every check, applies it, checks again.
fn apply(w: &mut Checked, iv: &Intervention) {
    w.run_until(iv.at_ms);
    w.world.intervene(iv).expect("applied");
    w.verify();
}

fn count(w: &Checked, body: &str) -> Option<serde_json::Value> {
    let snapshot = w.world.snapshot();
    snapshot
        .store
        .item(&format!("count-{body}"))
        .map(|i| i.value.clone())
}

fn receive_counts(w: &Checked) -> Vec<(u64, u32)> {
    w.events(TraceKind::Received)
        .iter()
        .map(|e| (e.time_ms, e.details.receive_count().unwrap_or(0)))
        .collect()
}

#[test]
fn without_an_intervention_the_message_is_counted_once() {
    let mut w = delayed_message_world();
    w.run_to_end();
    assert_eq!(count(&w, "a"), Some(json!(1)));
}

#[test]
fn a_duplicated_message_is_received_twice_and_counted_twice() {
    let mut w = delayed_message_world();
    apply(&mut w, &at(500, Kind::DuplicateMessage, "q", message(1)));
    w.run_to_end();
    let received = w.events(TraceKind::Received);
    assert_eq!(received.len(), 2, "the copy and the original");
    assert_eq!(
        received[0].details.copy(),
        1,
        "the copy is receivable at once"
    );
    assert!(received[0].time_ms < 1_000);
    assert_eq!(count(&w, "a"), Some(json!(2)));
    assert_eq!(w.world.interventions().len(), 1);
    assert_eq!(w.events(TraceKind::Intervened).len(), 1);
}

#[test]
fn a_dropped_message_is_never_received() {
    let mut w = delayed_message_world();
    apply(&mut w, &at(500, Kind::DropMessage, "q", message(1)));
    w.run_to_end();
    assert!(w.events(TraceKind::Received).is_empty());
    assert_eq!(count(&w, "a"), None);
    assert_eq!(w.events(TraceKind::MessageDropped).len(), 1);
    assert_eq!(w.world.snapshot().queue("q").unwrap().messages.len(), 0);
}

#[test]
fn a_delayed_message_is_received_only_after_the_delay() {
    let mut w = delayed_message_world();
    let delay = Parameters {
        delay_ms: Some(5_000),
        ..message(1)
    };
    apply(&mut w, &at(500, Kind::DelayMessage, "q", delay));
    w.run_to_end();
    let received = receive_counts(&w);
    assert_eq!(received.len(), 1);
    assert!(received[0].0 >= 5_500, "received at {}", received[0].0);
    assert_eq!(count(&w, "a"), Some(json!(1)));
}

/// Steps until the first store write of the handler is served, and returns
/// the busy environment's id: the moment between its two writes.
fn run_to_first_write(w: &mut Checked) -> u64 {
    while w.events(TraceKind::StoreWrite).is_empty() {
        w.step();
    }
    let snapshot = w.world.snapshot();
    let f = snapshot.function("f").unwrap();
    f.environments.iter().find(|e| e.busy).unwrap().id
}

#[test]
fn a_crash_half_way_keeps_earlier_writes_and_the_batch_returns_after_the_visibility_timeout() {
    let mut w = Checked::new(config(COUNTER));
    w.world.send("q", SendRequest::body("a")).unwrap();
    let env = run_to_first_write(&mut w);
    let now = w.world.now_ms();
    let crash = Parameters {
        environment: Some(env),
        ..Parameters::default()
    };
    w.world
        .intervene(&at(now, Kind::CrashEnvironment, "f", crash))
        .expect("applied");
    w.verify();
    let snapshot = w.world.snapshot();
    assert_eq!(count(&w, "a"), Some(json!(1)), "the first write stays");
    assert!(
        snapshot.store.item("last-a").is_none(),
        "the second never ran"
    );
    assert!(snapshot.function("f").unwrap().environments.is_empty());
    let failed = w.events(TraceKind::InvocationFailed);
    assert_eq!(failed[0].details.error_kind(), Some("EnvironmentCrashed"));
    w.run_to_end();
    let received = receive_counts(&w);
    assert_eq!(received.len(), 2);
    assert_eq!(received[1].1, 2, "ApproximateReceiveCount 2");
    assert!(received[1].0 >= received[0].0 + VISIBILITY_MS);
    assert_eq!(
        count(&w, "a"),
        Some(json!(2)),
        "the redelivery counts again"
    );
    let last = w
        .world
        .snapshot()
        .store
        .item("last-a")
        .unwrap()
        .value
        .clone();
    assert_eq!(last, json!("2"));
}

#[test]
fn the_store_down_fails_calls_in_its_window_only() {
    let code = r#"fn handler(event, context) { store.put("k", event.n); }"#;
    let mut w = Checked::new(config(code));
    let down = Parameters {
        duration_ms: Some(1_000),
        ..Parameters::default()
    };
    apply(&mut w, &at(1_000, Kind::StoreDown, "store", down));
    let inside = w.world.invoke_sync("f", json!({ "n": 1 })).unwrap();
    w.run_until(3_000);
    let outside = w.world.invoke_sync("f", json!({ "n": 2 })).unwrap();
    w.run_to_end();
    let status = |id: &str| w.world.invocation(id).unwrap().clone();
    assert_eq!(status(&inside).status, InvocationStatus::Failed);
    assert!(status(&inside)
        .error
        .unwrap()
        .message
        .contains("unavailable"));
    assert_eq!(status(&outside).status, InvocationStatus::Succeeded);
    assert_eq!(w.events(TraceKind::StoreCallFailed).len(), 1);
}

fn consumer_world() -> Checked {
    let mut q = QueueConfig::standard("cq");
    q.delivery_jitter = Some(Latency::ZERO);
    let config = WorldConfig::with_seed(3)
        .queue(q)
        .consumer(ConsumerConfig::new("c", "cq"));
    Checked::new(config)
}

#[test]
fn a_paused_consumer_receives_nothing_until_resumed() {
    let mut w = consumer_world();
    apply(
        &mut w,
        &at(0, Kind::PauseConsumer, "c", Parameters::default()),
    );
    w.world.send("cq", SendRequest::body("x")).unwrap();
    w.run_until(60_000);
    assert!(w.events(TraceKind::Received).is_empty());
    assert!(w.world.is_quiescent(), "nobody else polls the queue");
    apply(
        &mut w,
        &at(60_000, Kind::ResumeConsumer, "c", Parameters::default()),
    );
    w.run_to_end();
    let received = w.events(TraceKind::Received);
    assert_eq!(received.len(), 1);
    assert!(received[0].time_ms >= 60_000);
    assert_eq!(w.events(TraceKind::Deleted).len(), 1);
}

#[test]
fn a_paused_mapping_invokes_nothing_until_resumed() {
    let mut w = Checked::new(config(COUNTER));
    apply(
        &mut w,
        &at(0, Kind::PauseMapping, "m", Parameters::default()),
    );
    w.world.send("q", SendRequest::body("a")).unwrap();
    w.run_until(60_000);
    assert!(w.events(TraceKind::InvocationStarted).is_empty());
    apply(
        &mut w,
        &at(60_000, Kind::ResumeMapping, "m", Parameters::default()),
    );
    w.run_to_end();
    assert_eq!(count(&w, "a"), Some(json!(1)));
}

#[test]
fn a_message_sent_by_hand_is_processed() {
    let mut w = Checked::new(config(COUNTER));
    let body = Parameters {
        body: Some("hand".into()),
        ..Parameters::default()
    };
    apply(&mut w, &at(2_000, Kind::Send, "q", body));
    w.run_to_end();
    assert_eq!(count(&w, "hand"), Some(json!(1)));
    let sent = w.events(TraceKind::Sent);
    assert_eq!(sent[0].time_ms, 2_000);
}

#[test]
fn new_code_runs_for_invocations_that_start_after_the_change() {
    let v1 = r#"fn handler(event, context) { store.put("v-" + event.n, 1); }"#;
    let v2 = r#"fn handler(event, context) { store.put("v-" + event.n, 2); }"#;
    let mut w = Checked::new(config(v1));
    w.world.invoke_sync("f", json!({ "n": 1 })).unwrap();
    w.run_to_end();
    let code = Parameters {
        code: Some(v2.into()),
        ..Parameters::default()
    };
    let now = w.world.now_ms();
    apply(&mut w, &at(now, Kind::ChangeCode, "f", code));
    assert!(
        w.world
            .snapshot()
            .function("f")
            .unwrap()
            .environments
            .is_empty(),
        "environments of the old code are retired"
    );
    w.world.invoke_sync("f", json!({ "n": 2 })).unwrap();
    w.run_to_end();
    let store = w.world.snapshot().store;
    assert_eq!(store.item("v-1").unwrap().value, json!(1));
    assert_eq!(store.item("v-2").unwrap().value, json!(2));
}

/// One run of the delayed-message world with a list of interventions.
fn run_with(list: &[Intervention]) -> String {
    let mut w = delayed_message_world();
    for iv in list {
        apply(&mut w, iv);
    }
    w.run_to_end();
    w.world.trace().to_json()
}

fn sample_list() -> Vec<Intervention> {
    let hand = Parameters {
        body: Some("b".into()),
        ..Parameters::default()
    };
    vec![
        at(500, Kind::DuplicateMessage, "q", message(1)),
        at(700, Kind::Send, "q", hand),
        at(800, Kind::PauseMapping, "m", Parameters::default()),
        at(5_000, Kind::ResumeMapping, "m", Parameters::default()),
    ]
}

#[test]
fn the_same_interventions_give_the_same_trace() {
    let list = sample_list();
    assert_eq!(run_with(&list), run_with(&list));
    assert_ne!(run_with(&list), run_with(&[]), "the interventions count");
}

/// The FNV-1a hash of the trace of `sample_list`. The same test runs in
/// wasm (`cargo test --target wasm32-unknown-unknown --test
/// sim_interventions`), and the browser tier compares against it. Like the
/// golden hashes of `sim_determinism.rs`, it changes when the engine's
/// trace changes on purpose; print it with `-- --nocapture`.
const GOLDEN_INTERVENTION_TRACE_HASH: u64 = 0xec31_1b40_f8b6_5b6b;

#[test]
fn the_trace_with_interventions_matches_its_golden_hash() {
    let hash = fnv1a64(run_with(&sample_list()).as_bytes());
    println!("intervention trace hash: {hash:#018x}");
    assert_eq!(hash, GOLDEN_INTERVENTION_TRACE_HASH, "{hash:#018x}");
}

/// Applies `iv`, expects a refusal of `kind`, and checks that the trace
/// and the snapshot are exactly as before.
fn expect_refused(w: &mut Checked, iv: &Intervention, kind: RefusalKind) {
    let trace = w.world.trace().to_json();
    let snapshot = w.world.snapshot();
    let next = w.world.next_event_time();
    let refusal = w.world.intervene(iv).expect_err("refused");
    assert_eq!(refusal.kind, kind, "{}", refusal.message);
    assert!(!refusal.message.is_empty());
    assert_eq!(w.world.trace().to_json(), trace, "{iv:?}");
    assert_eq!(w.world.snapshot(), snapshot, "{iv:?}");
    assert_eq!(w.world.next_event_time(), next);
    assert!(w.world.interventions().is_empty());
}

#[test]
fn refused_interventions_change_nothing() {
    let mut w = delayed_message_world();
    w.run_until(500);
    let none = Parameters::default;
    let env = Parameters {
        environment: Some(1),
        ..none()
    };
    let bad_code = Parameters {
        code: Some("fn handler(event, context) { let }".into()),
        ..none()
    };
    let cases = [
        (
            at(500, Kind::DropMessage, "nope", message(1)),
            RefusalKind::UnknownTarget,
        ),
        (
            at(500, Kind::DropMessage, "q", message(99)),
            RefusalKind::MessageGone,
        ),
        (
            at(500, Kind::DropMessage, "q", none()),
            RefusalKind::BadParameters,
        ),
        (
            at(400, Kind::DropMessage, "q", message(1)),
            RefusalKind::WrongTime,
        ),
        (
            at(500, Kind::CrashEnvironment, "f", env),
            RefusalKind::EnvironmentIdle,
        ),
        (
            at(500, Kind::ResumeMapping, "m", none()),
            RefusalKind::NotApplicable,
        ),
        (
            at(500, Kind::ChangeCode, "f", bad_code),
            RefusalKind::NotApplicable,
        ),
        (
            at(500, Kind::StoreDown, "db", none()),
            RefusalKind::BadParameters,
        ),
        (at(500, Kind::Send, "q", none()), RefusalKind::BadParameters),
        (
            at(500, Kind::PauseConsumer, "c", none()),
            RefusalKind::UnknownTarget,
        ),
    ];
    for (iv, kind) in &cases {
        expect_refused(&mut w, iv, *kind);
    }
}

#[test]
fn a_message_already_deleted_cannot_be_dropped() {
    let mut w = delayed_message_world();
    w.run_to_end();
    let now = w.world.now_ms();
    expect_refused(
        &mut w,
        &at(now, Kind::DropMessage, "q", message(1)),
        RefusalKind::MessageGone,
    );
}

#[test]
fn a_fifo_queue_refuses_duplicates_and_delays() {
    let mut q = QueueConfig::fifo("q.fifo");
    q.content_based_deduplication = true;
    let mut w = Checked::new(WorldConfig::with_seed(1).queue(q));
    w.world
        .send("q.fifo", SendRequest::body("a").group("g"))
        .unwrap();
    let delay = Parameters {
        delay_ms: Some(10),
        ..message(1)
    };
    expect_refused(
        &mut w,
        &at(0, Kind::DuplicateMessage, "q.fifo", message(1)),
        RefusalKind::NotApplicable,
    );
    expect_refused(
        &mut w,
        &at(0, Kind::DelayMessage, "q.fifo", delay),
        RefusalKind::NotApplicable,
    );
}
