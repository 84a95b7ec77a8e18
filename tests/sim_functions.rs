//! Functions inside the world: environments (cold, warm, provisioned,
//! retired), globals, concurrency limits and throttling, timeouts, errors,
//! synchronous and asynchronous invocation.

mod sim_common;

use event_playground::sim::StoreConfig;
use event_playground::sim::{
    FunctionConfig, InvocationErrorKind, InvocationStatus, Latency, PublishRequest, SimError,
    SubscriptionConfig, TopicConfig, TraceEvent, TraceKind, World, WorldConfig,
};
use serde_json::json;
use sim_common::Checked;

const COUNTER: &str = r#"
globals.count = 0;
fn handler(event, context) {
    globals.count += 1;
    globals.count
}
"#;

fn fixed(name: &str, code: &str) -> FunctionConfig {
    FunctionConfig {
        cold_start: Latency::Fixed { ms: 200 },
        duration: Latency::Fixed { ms: 10 },
        ..FunctionConfig::new(name, code)
    }
}

fn world_with(functions: Vec<FunctionConfig>) -> World {
    let mut config = WorldConfig::with_seed(7);
    config.functions = functions;
    // Fixed latencies, so tests can count time.
    config.store = StoreConfig {
        read_latency: Latency::Fixed { ms: GET_MS as u64 },
        write_latency: Latency::Fixed { ms: PUT_MS as u64 },
    };
    World::new(config).expect("valid config")
}

fn events(world: &World, kind: TraceKind) -> Vec<TraceEvent> {
    world
        .trace_events()
        .iter()
        .filter(|e| e.kind == kind)
        .cloned()
        .collect()
}

fn call(world: &mut World, function: &str, payload: serde_json::Value) -> serde_json::Value {
    let id = world.invoke_sync(function, payload).expect("invoke");
    world.run_to_end().expect("run");
    let record = world.invocation(&id).expect("record").clone();
    assert_eq!(record.status, InvocationStatus::Succeeded, "{record:?}");
    record.response.unwrap_or_default()
}

#[test]
fn compile_error_is_a_typed_config_error_naming_function_line_and_column() {
    let mut config = WorldConfig::with_seed(1);
    config.functions = vec![FunctionConfig::new(
        "broken",
        "fn handler(event, context) {\n  let x = ;\n}",
    )];
    match World::new(config) {
        Err(SimError::HandlerCompile {
            function,
            line,
            column,
            message,
        }) => {
            assert_eq!(function, "broken");
            assert_eq!(line, Some(2));
            assert!(column.is_some(), "{message}");
        }
        other => panic!("expected a compile error, got {:?}", other.err()),
    }
    let mut config = WorldConfig::with_seed(1);
    config.functions = vec![FunctionConfig::new("nohandler", "let x = 1;")];
    assert!(matches!(
        World::new(config),
        Err(SimError::HandlerCompile { .. })
    ));
}

#[test]
fn function_settings_are_range_checked() {
    for bad in [
        FunctionConfig {
            timeout_ms: 0,
            ..fixed("f", COUNTER)
        },
        FunctionConfig {
            timeout_ms: 900_001,
            ..fixed("f", COUNTER)
        },
        FunctionConfig {
            reserved_concurrency: Some(2),
            provisioned_concurrency: 3,
            ..fixed("f", COUNTER)
        },
        FunctionConfig {
            async_max_retries: 3,
            ..fixed("f", COUNTER)
        },
    ] {
        let mut config = WorldConfig::with_seed(1);
        config.functions = vec![bad];
        assert!(World::new(config).is_err());
    }
    let mut config = WorldConfig::with_seed(1);
    config.account_concurrency_limit = 10;
    config.functions = vec![FunctionConfig {
        reserved_concurrency: Some(11),
        ..fixed("f", COUNTER)
    }];
    assert!(World::new(config).is_err());
}

#[test]
fn default_timeout_is_three_seconds() {
    assert_eq!(FunctionConfig::default().timeout_ms, 3_000);
    assert_eq!(WorldConfig::default().account_concurrency_limit, 1_000);
}

#[test]
fn global_counter_survives_warm_invocations_in_one_environment() {
    let mut world = world_with(vec![fixed("counter", COUNTER)]);
    assert_eq!(call(&mut world, "counter", json!({})), json!(1));
    assert_eq!(call(&mut world, "counter", json!({})), json!(2));
    assert_eq!(call(&mut world, "counter", json!({})), json!(3));
    let started = events(&world, TraceKind::InvocationStarted);
    assert_eq!(started.len(), 3);
    assert!(started.iter().all(|e| e.details.environment() == Some(1)));
    assert_eq!(started[0].details.cold_start(), Some(true));
    assert_eq!(started[1].details.cold_start(), Some(false));
    let snapshot = world.snapshot();
    let function = snapshot.function("counter").expect("function");
    assert_eq!(function.environments[0].globals, json!({"count": 3}));
}

#[test]
fn global_counter_is_gone_in_a_new_environment() {
    let mut world = world_with(vec![fixed("counter", COUNTER)]);
    assert_eq!(call(&mut world, "counter", json!({})), json!(1));
    // Two at once: one warm (count 2), one in a new environment (count 1).
    let a = world.invoke_sync("counter", json!({})).expect("a");
    let b = world.invoke_sync("counter", json!({})).expect("b");
    world.run_to_end().expect("run");
    let ra = world.invocation(&a).expect("a").clone();
    let rb = world.invocation(&b).expect("b").clone();
    assert_eq!(ra.response, Some(json!(2)));
    assert_eq!(ra.environment, Some(1));
    assert_eq!(rb.response, Some(json!(1)));
    assert_eq!(rb.environment, Some(2));
    assert_eq!(events(&world, TraceKind::EnvironmentStarted).len(), 2);
}

#[test]
fn relying_on_a_global_counter_gives_a_wrong_total() {
    // The learner counts saves in a global and stores the count: with five
    // concurrent invocations in five environments each sees only its own.
    let code = r#"
globals.saves = 0;
fn handler(event, context) {
    globals.saves += 1;
    store.put("total-saves", globals.saves);
}
"#;
    let mut world = world_with(vec![fixed("count-saves", code)]);
    for _ in 0..5 {
        world.invoke_sync("count-saves", json!({})).expect("invoke");
    }
    world.run_to_end().expect("run");
    let snapshot = world.snapshot();
    let total = snapshot
        .store
        .item("total-saves")
        .expect("item")
        .value
        .clone();
    assert_eq!(
        total,
        json!(1),
        "five saves were made but the global-based total says {total}"
    );
    assert_eq!(
        snapshot
            .function("count-saves")
            .expect("f")
            .environments
            .len(),
        5
    );
}

#[test]
fn environments_retire_after_idle_time_and_forget_their_globals() {
    let config = FunctionConfig {
        idle_retire_ms: 60_000,
        ..fixed("counter", COUNTER)
    };
    let mut world = world_with(vec![config]);
    assert_eq!(call(&mut world, "counter", json!({})), json!(1));
    assert_eq!(call(&mut world, "counter", json!({})), json!(2));
    let last_end = world.now_ms();
    world.run_until(last_end + 59_000).expect("run");
    assert!(events(&world, TraceKind::EnvironmentRetired).is_empty());
    world.run_until(last_end + 60_000).expect("run");
    let retired = events(&world, TraceKind::EnvironmentRetired);
    assert_eq!(retired.len(), 1);
    assert_eq!(retired[0].details.environment(), Some(1));
    assert!(world
        .snapshot()
        .function("counter")
        .expect("f")
        .environments
        .is_empty());
    assert_eq!(call(&mut world, "counter", json!({})), json!(1));
    let started = events(&world, TraceKind::InvocationStarted);
    assert_eq!(
        started.last().expect("start").details.environment(),
        Some(2)
    );
    assert_eq!(
        started.last().expect("start").details.cold_start(),
        Some(true)
    );
}

#[test]
fn provisioned_environments_start_warm_and_never_retire() {
    let config = FunctionConfig {
        provisioned_concurrency: 1,
        idle_retire_ms: 1_000,
        ..fixed("counter", COUNTER)
    };
    let mut world = world_with(vec![config]);
    let id = world.invoke_sync("counter", json!({})).expect("invoke");
    world.run_to_end().expect("run");
    let record = world.invocation(&id).expect("record");
    // No cold-start latency: only the 10 ms duration.
    assert_eq!(record.finished_at_ms, Some(10));
    assert_eq!(record.response, Some(json!(1)));
    assert_eq!(
        events(&world, TraceKind::InvocationStarted)[0]
            .details
            .cold_start(),
        Some(false)
    );
    world.run_until(100_000).expect("run");
    assert!(events(&world, TraceKind::EnvironmentRetired).is_empty());
}

#[test]
fn cold_start_latency_delays_the_handler_and_warm_starts_do_not() {
    let mut world = world_with(vec![fixed("counter", COUNTER)]);
    let id = world.invoke_sync("counter", json!({})).expect("invoke");
    world.run_to_end().expect("run");
    assert_eq!(world.invocation(&id).expect("r").finished_at_ms, Some(210));
    let id = world.invoke_sync("counter", json!({})).expect("invoke");
    world.run_to_end().expect("run");
    assert_eq!(world.invocation(&id).expect("r").finished_at_ms, Some(220));
}

#[test]
fn duration_is_the_drawn_base_plus_the_store_cost() {
    let code = r#"fn handler(event, context) { store.put("k", 1); store.get("k"); }"#;
    let mut world = world_with(vec![fixed("f", code)]);
    world.invoke_sync("f", json!({})).expect("invoke");
    world.run_to_end().expect("run");
    let done = events(&world, TraceKind::InvocationSucceeded);
    // 10 ms drawn + put 4 ms + get 2 ms (the store latencies of world_with).
    assert_eq!(done[0].details.duration_ms(), Some(16));
    let write = &events(&world, TraceKind::StoreWrite)[0];
    assert_eq!(write.details.key().map(|name| name.as_str()), Some("k"));
    assert_eq!(
        write.time_ms, 214,
        "a write is served when its latency has elapsed, after the cold start and the compute time"
    );
}

#[test]
fn an_invocation_past_its_timeout_fails_with_a_timeout_at_the_timeout() {
    let config = FunctionConfig {
        timeout_ms: 1_000,
        duration: Latency::Fixed { ms: 5_000 },
        ..fixed("slow", COUNTER)
    };
    let mut world = world_with(vec![config]);
    let id = world.invoke_sync("slow", json!({})).expect("invoke");
    world.run_to_end().expect("run");
    let record = world.invocation(&id).expect("record");
    assert_eq!(record.status, InvocationStatus::Failed);
    assert_eq!(
        record.error.as_ref().expect("error").kind,
        InvocationErrorKind::TIMEOUT
    );
    assert_eq!(record.finished_at_ms, Some(200 + 1_000));
    let failed = &events(&world, TraceKind::InvocationFailed)[0];
    assert_eq!(failed.details.duration_ms(), Some(1_000));
}

#[test]
fn handler_errors_carry_kind_message_and_line_and_the_next_invocation_runs() {
    let code = "fn handler(event, context) {\n  if event.fail {\n    throw \"boom\";\n  }\n  42\n}";
    let mut world = world_with(vec![fixed("f", code)]);
    let id = world
        .invoke_sync("f", json!({"fail": true}))
        .expect("invoke");
    world.run_to_end().expect("run");
    let record = world.invocation(&id).expect("record").clone();
    assert_eq!(record.status, InvocationStatus::Failed);
    assert_eq!(record.status_code(), 500);
    let failed = &events(&world, TraceKind::InvocationFailed)[0];
    assert_eq!(failed.details.line(), Some(3));
    assert_eq!(failed.details.error_kind(), Some("Thrown"));
    assert!(failed.details.reason().unwrap_or("").contains("boom"));
    assert_eq!(call(&mut world, "f", json!({"fail": false})), json!(42));
}

#[test]
fn sync_invocations_over_reserved_concurrency_get_a_429() {
    let config = FunctionConfig {
        reserved_concurrency: Some(1),
        ..fixed("f", COUNTER)
    };
    let mut world = world_with(vec![config]);
    let a = world.invoke_sync("f", json!({})).expect("a");
    let b = world.invoke_sync("f", json!({})).expect("b");
    let rb = world.invocation(&b).expect("b").clone();
    assert_eq!(rb.status, InvocationStatus::Throttled);
    assert_eq!(rb.status_code(), 429);
    assert_eq!(rb.finished_at_ms, Some(0));
    world.run_to_end().expect("run");
    assert_eq!(
        world.invocation(&a).expect("a").status,
        InvocationStatus::Succeeded
    );
    assert_eq!(events(&world, TraceKind::InvocationThrottled).len(), 1);
    // Once the first is done, there is room again.
    assert_eq!(call(&mut world, "f", json!({})), json!(2));
}

#[test]
fn the_account_limit_caps_unreserved_functions_together() {
    let mut config = WorldConfig::with_seed(3);
    config.account_concurrency_limit = 3;
    config.functions = vec![
        FunctionConfig {
            reserved_concurrency: Some(1),
            ..fixed("reserved", COUNTER)
        },
        fixed("a", COUNTER),
        fixed("b", COUNTER),
    ];
    let mut world = World::new(config).expect("world");
    // Unreserved pool = 3 - 1 = 2, shared by a and b.
    let ids = [
        world.invoke_sync("a", json!({})).expect("1"),
        world.invoke_sync("b", json!({})).expect("2"),
        world.invoke_sync("a", json!({})).expect("3"),
        world.invoke_sync("reserved", json!({})).expect("4"),
    ];
    let statuses: Vec<_> = ids
        .iter()
        .map(|id| world.invocation(id).expect("r").status)
        .collect();
    assert_eq!(
        statuses,
        [
            InvocationStatus::Running,
            InvocationStatus::Running,
            InvocationStatus::Throttled,
            InvocationStatus::Running
        ]
    );
}

#[test]
fn async_invocations_are_retried_after_one_and_two_minutes_on_error() {
    let config = FunctionConfig {
        provisioned_concurrency: 1,
        ..fixed("f", "fn handler(e, c) { throw \"no\"; }")
    };
    let mut world = world_with(vec![config]);
    world.invoke_async("f", json!({})).expect("invoke");
    world.run_to_end().expect("run");
    let starts: Vec<u64> = events(&world, TraceKind::InvocationStarted)
        .iter()
        .map(|e| e.time_ms)
        .collect();
    // Attempt 1 at 0 ends at 10; retry 1 a minute later; retry 2 two minutes after that one ends.
    assert_eq!(starts, vec![0, 60_010, 60_010 + 10 + 120_000]);
    assert_eq!(events(&world, TraceKind::InvocationRetried).len(), 2);
    let dropped = events(&world, TraceKind::InvocationDropped);
    assert_eq!(dropped.len(), 1);
    assert_eq!(dropped[0].details.attempt(), Some(3));
}

#[test]
fn async_max_retries_zero_drops_after_the_first_error() {
    let config = FunctionConfig {
        async_max_retries: 0,
        ..fixed("f", "fn handler(e, c) { throw \"no\"; }")
    };
    let mut world = world_with(vec![config]);
    world.invoke_async("f", json!({})).expect("invoke");
    world.run_to_end().expect("run");
    assert_eq!(events(&world, TraceKind::InvocationStarted).len(), 1);
    assert_eq!(events(&world, TraceKind::InvocationDropped).len(), 1);
}

#[test]
fn throttled_async_invocations_are_retried_with_backoff_until_they_run() {
    let config = FunctionConfig {
        reserved_concurrency: Some(1),
        duration: Latency::Fixed { ms: 1_500 },
        ..fixed("f", COUNTER)
    };
    let mut world = world_with(vec![config]);
    world.invoke_async("f", json!({})).expect("1");
    world.invoke_async("f", json!({})).expect("2");
    world.run_to_end().expect("run");
    let throttled = events(&world, TraceKind::InvocationThrottled);
    assert!(!throttled.is_empty());
    let retried = events(&world, TraceKind::InvocationRetried);
    assert_eq!(retried[0].details.next_at_ms(), Some(1_000));
    assert_eq!(events(&world, TraceKind::InvocationSucceeded).len(), 2);
}

#[test]
fn a_topic_subscription_invokes_the_function_asynchronously_with_an_sns_event() {
    let code = r#"
fn handler(event, context) {
    let message = event.Records[0].Sns.Message;
    store.put("last", message);
}
"#;
    let mut config = WorldConfig::with_seed(5).topic(TopicConfig::new(
        "news",
        vec![SubscriptionConfig::to_function("to-f", "f")],
    ));
    config.functions = vec![fixed("f", code)];
    let mut checked = Checked::new(config);
    checked
        .world
        .publish("news", PublishRequest::body("hello"))
        .expect("publish");
    checked.run_to_end();
    let snapshot = checked.world.snapshot();
    assert_eq!(
        snapshot.store.item("last").expect("item").value,
        json!("hello")
    );
    assert_eq!(snapshot.pending_function_deliveries, 0);
    let started = checked.events(TraceKind::InvocationStarted);
    assert!(
        started[0].message_id.is_some(),
        "the trace links the invocation to the topic message"
    );
}

#[test]
fn unknown_functions_are_errors_and_unknown_subscribers_stay_in_the_outbox() {
    let mut world = world_with(vec![]);
    assert!(matches!(
        world.invoke_sync("nope", json!({})),
        Err(SimError::UnknownFunction { .. })
    ));
    assert!(world.invoke_async("nope", json!({})).is_err());
}

#[test]
fn init_errors_fail_the_invocation_and_are_retried_in_the_next_one() {
    let code = "globals.n = 1 / 0;\nfn handler(e, c) { 1 }";
    let mut world = world_with(vec![fixed("f", code)]);
    let id = world.invoke_sync("f", json!({})).expect("invoke");
    world.run_to_end().expect("run");
    let record = world.invocation(&id).expect("r");
    assert_eq!(record.status, InvocationStatus::Failed);
    assert_eq!(record.error.as_ref().expect("e").line, Some(1));
}

/// The store latencies of `world_with`, in milliseconds.
const GET_MS: i64 = 2;
const PUT_MS: i64 = 4;

#[test]
fn remaining_time_counts_the_base_duration_as_already_spent() {
    let config = FunctionConfig {
        timeout_ms: 1_000,
        duration: Latency::Fixed { ms: 990 },
        ..fixed(
            "late",
            "fn handler(event, context) { context.remaining_time_ms() }",
        )
    };
    let mut world = world_with(vec![config]);
    assert_eq!(call(&mut world, "late", json!({})), json!(10));
}

#[test]
fn remaining_time_decreases_by_each_store_calls_cost() {
    let code = r#"
fn handler(event, context) {
    let r0 = context.remaining_time_ms();
    store.get("k");
    let r1 = context.remaining_time_ms();
    store.put("k", 1);
    let r2 = context.remaining_time_ms();
    [r0, r1, r2]
}
"#;
    let config = FunctionConfig {
        timeout_ms: 1_000,
        duration: Latency::Fixed { ms: 100 },
        ..fixed("steps", code)
    };
    let mut world = world_with(vec![config]);
    let r0 = 1_000 - 100;
    assert_eq!(
        call(&mut world, "steps", json!({})),
        json!([r0, r0 - GET_MS, r0 - GET_MS - PUT_MS])
    );
}

#[test]
fn a_handler_that_calls_the_store_only_while_time_remains_never_times_out() {
    // Loops until the remaining time is too short for one more `get`: each
    // call fits, so the invocation must succeed however close it gets.
    let code = format!(
        r#"
fn handler(event, context) {{
    let calls = 0;
    while context.remaining_time_ms() >= {GET_MS} {{
        store.get("k");
        calls += 1;
    }}
    [calls, context.remaining_time_ms()]
}}
"#
    );
    // A 100 ms timeout: at most 50 calls, within max_store_calls.
    for base in [0, 1, 50, 97, 99, 100] {
        let config = FunctionConfig {
            timeout_ms: 100,
            duration: Latency::Fixed { ms: base },
            ..fixed("careful", &code)
        };
        let mut world = world_with(vec![config]);
        let left = (100 - base as i64) % GET_MS;
        let calls = (100 - base as i64) / GET_MS;
        assert_eq!(
            call(&mut world, "careful", json!({})),
            json!([calls, left]),
            "base {base} ms"
        );
    }
}

#[test]
fn a_store_call_past_the_remaining_time_ends_the_invocation_at_the_timeout() {
    let code = "fn handler(event, context) { store.put(\"k\", 1); }";
    let config = FunctionConfig {
        timeout_ms: 1_000,
        duration: Latency::Fixed { ms: 998 },
        ..fixed("tight", code)
    };
    let mut world = world_with(vec![config]);
    let id = world.invoke_sync("tight", json!({})).expect("invoke");
    world.run_to_end().expect("run");
    let record = world.invocation(&id).expect("record");
    assert_eq!(
        record.error.as_ref().expect("error").kind,
        InvocationErrorKind::TIMEOUT
    );
    assert_eq!(record.finished_at_ms, Some(200 + 1_000));
    assert!(
        world.snapshot().store.history.is_empty(),
        "the put never ran"
    );
}
