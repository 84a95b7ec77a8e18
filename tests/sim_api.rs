//! The server-API flow in the engine: an endpoint's token bucket, 429s,
//! chained calls, retries with exponential backoff and full jitter, and the
//! fire-and-forget clients of topics and queues. Every run is checked by
//! the invariant checkers after every step.

mod sim_common;

use event_playground::sim::StoreConfig;
use event_playground::sim::{
    ClientCall, ClientSpec, ClientTarget, EndpointConfig, FunctionConfig, Latency, QueueConfig,
    RetryPolicy, TraceEvent, TraceKind, WorldConfig,
};
use sim_common::Checked;

const OK_HANDLER: &str = r#"
fn handler(event, context) {
    store.put(event.body.doc, event.body.version);
}
"#;

fn world(rate_per_second: u64, burst: u64, code: &str) -> WorldConfig {
    let mut config = WorldConfig::with_seed(7);
    // A store put takes 4 ms, fixed, so durations can be counted.
    config.store = StoreConfig {
        read_latency: Latency::Fixed { ms: 2 },
        write_latency: Latency::Fixed { ms: 4 },
    };
    config
        .function(FunctionConfig {
            duration: Latency::Fixed { ms: 50 },
            cold_start: Latency::Fixed { ms: 100 },
            ..FunctionConfig::new("save", code)
        })
        .endpoint(EndpointConfig {
            burst: Some(burst),
            ..EndpointConfig::new("api", "save", rate_per_second)
        })
        .queue(QueueConfig::standard("saves"))
}

fn call(at_ms: u64, chain: u64, version: &str) -> ClientCall {
    ClientCall {
        at_ms,
        body: format!(r#"{{"doc": "doc-1", "version": "{version}"}}"#),
        chain,
        ..ClientCall::default()
    }
}

fn client(target: ClientTarget, calls: Vec<ClientCall>, retry: RetryPolicy) -> ClientSpec {
    ClientSpec {
        name: "user".into(),
        target,
        calls,
        retry,
        network_latency: Latency::Fixed { ms: 10 },
    }
}

fn of_kind(trace: &[TraceEvent], kind: TraceKind) -> Vec<&TraceEvent> {
    trace.iter().filter(|e| e.kind == kind).collect()
}

fn run(config: WorldConfig, spec: ClientSpec) -> Checked {
    let mut checked = Checked::new(config);
    checked.world.add_client(spec).expect("client");
    checked.run_to_end();
    checked
}

#[test]
fn a_chained_client_waits_for_each_answer_before_its_next_call() {
    // Three saves meant 5 ms apart; each takes 10 + 100 (cold) or 0 + 50 + 10 ms.
    let calls = vec![call(0, 1, "v1.0"), call(5, 1, "v1.1"), call(10, 1, "v1.2")];
    let checked = run(
        world(100, 100, OK_HANDLER),
        client(
            ClientTarget::Endpoint("api".into()),
            calls,
            RetryPolicy::default(),
        ),
    );
    let trace = checked.world.trace_events();
    let requested = of_kind(trace, TraceKind::ClientRequested);
    let responded = of_kind(trace, TraceKind::ClientResponded);
    assert_eq!(requested.len(), 3);
    assert_eq!(responded.len(), 3);
    for i in 1..3 {
        assert!(
            requested[i].time_ms >= responded[i - 1].time_ms,
            "call {i} left at {} before call {} was answered at {}",
            requested[i].time_ms,
            i - 1,
            responded[i - 1].time_ms
        );
    }
    // The first call: 10 ms there, a 100 ms cold start, 50 ms of work plus
    // a 4 ms store put, 10 ms back.
    assert_eq!(responded[0].details.duration_ms(), Some(174));
    assert!(responded
        .iter()
        .all(|e| e.details.status_code() == Some(200)));
    // Chained, so the saves land in order.
    let store = &checked.world.snapshot().store;
    assert_eq!(store.items[0].value, serde_json::json!("v1.2"));
}

#[test]
fn independent_chains_do_not_wait_for_each_other() {
    let calls = vec![call(0, 1, "v1.0"), call(0, 2, "v1.0"), call(0, 3, "v1.0")];
    let checked = run(
        world(100, 100, OK_HANDLER),
        client(
            ClientTarget::Endpoint("api".into()),
            calls,
            RetryPolicy::default(),
        ),
    );
    let requested = of_kind(checked.world.trace_events(), TraceKind::ClientRequested);
    assert!(requested.iter().all(|e| e.time_ms == 0));
}

#[test]
fn the_token_bucket_answers_429_beyond_the_burst_and_refills_at_the_rate() {
    // Burst 2, 10 per second: 5 users at once, no retries.
    let calls = (0..5).map(|i| call(0, i, "v1.0")).collect();
    let no_retry = RetryPolicy {
        max_retries: 0,
        ..RetryPolicy::default()
    };
    let checked = run(
        world(10, 2, OK_HANDLER),
        client(ClientTarget::Endpoint("api".into()), calls, no_retry),
    );
    let trace = checked.world.trace_events();
    assert_eq!(of_kind(trace, TraceKind::EndpointAccepted).len(), 2);
    assert_eq!(of_kind(trace, TraceKind::EndpointThrottled).len(), 3);
    let throttled: Vec<_> = of_kind(trace, TraceKind::ClientResponded)
        .into_iter()
        .filter(|e| e.details.status_code() == Some(429))
        .collect();
    assert_eq!(throttled.len(), 3);
    // Without retries a throttled call is lost to the client: it says so.
    assert_eq!(of_kind(trace, TraceKind::ClientFailed).len(), 3);
    let snapshot = checked.world.snapshot();
    assert_eq!(snapshot.endpoints[0].throttled, 3);
    assert_eq!(snapshot.clients[0].failed, 3);
}

#[test]
fn throttled_calls_are_retried_with_backoff_under_the_ceiling_until_they_succeed() {
    let calls = (0..20).map(|i| call(0, i, "v1.0")).collect();
    let retry = RetryPolicy {
        max_retries: 10,
        base_delay_ms: 100,
        max_delay_ms: 2_000,
    };
    let checked = run(
        world(10, 5, OK_HANDLER),
        client(ClientTarget::Endpoint("api".into()), calls, retry),
    );
    let trace = checked.world.trace_events();
    let retried = of_kind(trace, TraceKind::ClientRetried);
    assert!(!retried.is_empty());
    for e in &retried {
        let attempt = e.details.attempt().expect("attempt") - 1; // retry index + 1
        let ceiling = (100u64 << (attempt - 1).min(20)).min(2_000);
        let wait = e.details.next_at_ms().expect("next") - e.time_ms;
        assert!(wait <= ceiling, "retry {attempt} waited {wait} > {ceiling}");
        assert_eq!(e.details.status_code(), Some(429));
    }
    // Full jitter: the waits are not all the same.
    let waits: std::collections::BTreeSet<u64> = retried
        .iter()
        .map(|e| e.details.next_at_ms().unwrap() - e.time_ms)
        .collect();
    assert!(waits.len() > 3);
    let ok = of_kind(trace, TraceKind::ClientResponded)
        .into_iter()
        .filter(|e| e.details.status_code() == Some(200))
        .count();
    assert_eq!(ok, 20, "every call eventually got through");
    assert!(of_kind(trace, TraceKind::ClientFailed).is_empty());
}

#[test]
fn a_function_error_is_a_502_and_is_retried_until_the_client_gives_up() {
    let failing = "fn handler(event, context) { throw \"database down\"; }";
    let retry = RetryPolicy {
        max_retries: 2,
        ..RetryPolicy::default()
    };
    let checked = run(
        world(100, 100, failing),
        client(
            ClientTarget::Endpoint("api".into()),
            vec![call(0, 1, "v1.0")],
            retry,
        ),
    );
    let trace = checked.world.trace_events();
    let answers: Vec<Option<u16>> = of_kind(trace, TraceKind::ClientResponded)
        .iter()
        .map(|e| e.details.status_code())
        .collect();
    assert_eq!(answers, vec![Some(502); 3], "first try and two retries");
    let failed = of_kind(trace, TraceKind::ClientFailed);
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].details.attempt(), Some(3));
}

#[test]
fn the_function_concurrency_limit_reaches_the_client_as_429() {
    let mut config = world(1_000, 1_000, OK_HANDLER);
    config.functions[0].reserved_concurrency = Some(1);
    let calls = (0..3).map(|i| call(0, i, "v1.0")).collect();
    let no_retry = RetryPolicy {
        max_retries: 0,
        ..RetryPolicy::default()
    };
    let checked = run(
        config,
        client(ClientTarget::Endpoint("api".into()), calls, no_retry),
    );
    let trace = checked.world.trace_events();
    assert_eq!(of_kind(trace, TraceKind::EndpointAccepted).len(), 3);
    assert_eq!(of_kind(trace, TraceKind::InvocationThrottled).len(), 2);
    let throttled = of_kind(trace, TraceKind::ClientResponded)
        .into_iter()
        .filter(|e| e.details.status_code() == Some(429))
        .count();
    assert_eq!(throttled, 2);
}

#[test]
fn fire_and_forget_clients_send_at_their_times_and_never_retry() {
    let calls = vec![call(0, 1, "v1.0"), call(5, 1, "v1.1"), call(10, 1, "v1.2")];
    let checked = run(
        world(1, 1, OK_HANDLER),
        client(
            ClientTarget::Queue("saves".into()),
            calls,
            RetryPolicy::default(),
        ),
    );
    let trace = checked.world.trace_events();
    let requested: Vec<u64> = of_kind(trace, TraceKind::ClientRequested)
        .iter()
        .map(|e| e.time_ms)
        .collect();
    assert_eq!(requested, vec![0, 5, 10], "no waiting for answers");
    let sent: Vec<u64> = of_kind(trace, TraceKind::Sent)
        .iter()
        .map(|e| e.time_ms)
        .collect();
    assert_eq!(sent, vec![10, 15, 20], "each arrives one network hop later");
    assert!(of_kind(trace, TraceKind::ClientRetried).is_empty());
    assert_eq!(checked.world.snapshot().queues[0].counts.stored(), 3);
}

#[test]
fn a_client_of_an_unknown_endpoint_is_refused_with_its_name() {
    let mut checked = Checked::new(world(10, 10, OK_HANDLER));
    let err = checked
        .world
        .add_client(client(
            ClientTarget::Endpoint("nope".into()),
            vec![call(0, 1, "v1.0")],
            RetryPolicy::default(),
        ))
        .expect_err("unknown endpoint");
    assert!(err.to_string().contains("nope"), "{err}");
}

#[test]
fn the_same_seed_gives_the_same_trace() {
    let make = || {
        let calls = (0..30).map(|i| call(i * 3, i % 4, "v1.0")).collect();
        run(
            world(10, 3, OK_HANDLER),
            client(
                ClientTarget::Endpoint("api".into()),
                calls,
                RetryPolicy::default(),
            ),
        )
        .world
        .trace()
        .to_json()
    };
    assert_eq!(make(), make());
}
