//! Workflows (lesson 11): steps in order with the state carried between
//! them, waits, retries with backoff, catch, throttles and timeouts as step
//! errors, idempotent names, starts from handlers, and the limits. Every
//! world here runs with all invariant checkers after every step.

mod sim_common;

use event_playground::invariants::{Checker, Invariant};
use event_playground::sim::{
    FunctionConfig, Latency, MappingConfig, QueueConfig, RetryConfig, SendRequest, SimError,
    StepConfig, StepKind, TraceEvent, TraceKind, WorkflowConfig, WorldConfig,
};
use serde_json::json;
use sim_common::Checked;

/// A function with fixed latencies, so times in the trace are exact.
fn function(name: &str, code: &str) -> FunctionConfig {
    FunctionConfig {
        cold_start: Latency::Fixed { ms: 100 },
        duration: Latency::Fixed { ms: 10 },
        ..FunctionConfig::new(name, code)
    }
}

fn world(functions: Vec<FunctionConfig>, workflows: Vec<WorkflowConfig>) -> Checked {
    let mut config = WorldConfig::with_seed(11);
    config.functions = functions;
    config.workflows = workflows;
    Checked::new(config)
}

fn retry(max_attempts: u32, interval_ms: u64, backoff_rate: f64) -> RetryConfig {
    RetryConfig {
        max_attempts,
        interval_ms,
        backoff_rate,
        max_delay_ms: None,
    }
}

fn step_of(e: &TraceEvent) -> String {
    e.details.step().map(|s| s.to_string()).unwrap_or_default()
}

/// A handler that fails until it has been called `n` times (counted in the
/// store, so every environment agrees).
fn flaky(n: u32) -> String {
    format!(
        r#"fn handler(event, context) {{
    let tries = store.get("tries");
    let count = if tries == () {{ 1 }} else {{ tries.value + 1 }};
    store.put("tries", count);
    if count < {n} {{ throw "flaky dependency"; }}
    #{{ tries: count }}
}}"#
    )
}

#[test]
fn steps_run_in_order_and_the_state_is_carried_between_them() {
    let add = function("add", "fn handler(event, context) { #{ n: event.n + 1 } }");
    let save = function(
        "save",
        "fn handler(event, context) { store.put(\"n\", event.n); }",
    );
    let flow = WorkflowConfig::new(
        "flow",
        vec![
            StepConfig::task("add-one", "add").then("pause"),
            StepConfig::wait("pause", 500).then("save"),
            StepConfig::task("save", "save"),
        ],
    );
    let mut w = world(vec![add, save], vec![flow]);
    w.world
        .start_execution("flow", json!({ "n": 41 }), None)
        .unwrap();
    w.run_to_end();

    let snapshot = w.world.snapshot();
    assert_eq!(snapshot.store.item("n").unwrap().value, json!(42));
    let steps: Vec<(TraceKind, String, u64)> = w
        .world
        .trace_events()
        .iter()
        .filter(|e| matches!(e.kind, TraceKind::StepStarted | TraceKind::StepSucceeded))
        .map(|e| (e.kind, step_of(e), e.time_ms))
        .collect();
    let names: Vec<(&TraceKind, &str)> = steps.iter().map(|(k, s, _)| (k, s.as_str())).collect();
    assert_eq!(
        names,
        vec![
            (&TraceKind::StepStarted, "add-one"),
            (&TraceKind::StepSucceeded, "add-one"),
            (&TraceKind::StepStarted, "pause"),
            (&TraceKind::StepSucceeded, "pause"),
            (&TraceKind::StepStarted, "save"),
            (&TraceKind::StepSucceeded, "save"),
        ]
    );
    // The wait lasts exactly 500 ms of virtual time.
    assert_eq!(steps[3].2 - steps[2].2, 500);
    let stats = &snapshot.workflows[0].stats;
    assert_eq!((stats.started, stats.succeeded, stats.failed), (1, 1, 0));
}

#[test]
fn a_failed_task_is_retried_with_backoff_and_then_succeeds() {
    let flow = WorkflowConfig::new(
        "flow",
        vec![StepConfig::task("call", "flaky").retrying(retry(5, 200, 2.0))],
    );
    let mut w = world(vec![function("flaky", &flaky(3))], vec![flow]);
    w.world.start_execution("flow", json!({}), None).unwrap();
    w.run_to_end();

    let retried = w.events(TraceKind::StepRetried);
    assert_eq!(retried.len(), 2, "two failures before the third try works");
    let starts = w.events(TraceKind::StepStarted);
    assert_eq!(starts.len(), 3);
    // Each retry starts when its delay is over: 200 ms, then 400 ms after
    // the failed attempt ended.
    for (failed, delay_ms) in retried.iter().zip([200, 400]) {
        assert_eq!(failed.details.next_at_ms(), Some(failed.time_ms + delay_ms));
    }
    assert_eq!(starts[1].time_ms, retried[0].details.next_at_ms().unwrap());
    assert_eq!(starts[2].time_ms, retried[1].details.next_at_ms().unwrap());
    assert_eq!(starts[2].details.attempt(), Some(3));
    assert_eq!(w.events(TraceKind::ExecutionSucceeded).len(), 1);
    assert_eq!(w.world.snapshot().workflows[0].stats.retries, 2);
}

#[test]
fn retries_stop_at_max_attempts_and_then_the_execution_fails() {
    let flow = WorkflowConfig::new(
        "flow",
        vec![StepConfig::task("call", "broken").retrying(retry(2, 100, 1.0))],
    );
    let broken = function("broken", "fn handler(event, context) { throw \"down\"; }");
    let mut w = world(vec![broken], vec![flow]);
    w.world.start_execution("flow", json!({}), None).unwrap();
    w.run_to_end();

    assert_eq!(
        w.events(TraceKind::StepStarted).len(),
        3,
        "1 try + 2 retries"
    );
    assert_eq!(w.events(TraceKind::StepRetried).len(), 2);
    assert_eq!(w.events(TraceKind::StepFailed).len(), 1);
    let failed = w.events(TraceKind::ExecutionFailed);
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].details.error_kind(), Some("States.TaskFailed"));
    assert!(failed[0].details.reason().unwrap().contains("down"));
    // backoff_rate 1.0 keeps the interval constant.
    for r in w.events(TraceKind::StepRetried) {
        assert_eq!(r.details.next_at_ms(), Some(r.time_ms + 100));
    }
}

#[test]
fn max_delay_caps_the_backoff() {
    let capped = RetryConfig {
        max_attempts: 6,
        interval_ms: 1_000,
        backoff_rate: 3.0,
        max_delay_ms: Some(5_000),
    };
    let delays: Vec<u64> = (1..=5).map(|r| capped.delay_ms(r)).collect();
    assert_eq!(delays, vec![1_000, 3_000, 5_000, 5_000, 5_000]);
    let uncapped = retry(3, 1_000, 2.5);
    assert_eq!(uncapped.delay_ms(3), 6_250);
}

#[test]
fn catch_goes_to_its_step_with_the_error_in_the_state() {
    let flow = WorkflowConfig::new(
        "flow",
        vec![
            StepConfig::task("call", "broken")
                .retrying(retry(1, 100, 2.0))
                .catching("record"),
            StepConfig::task("record", "record"),
        ],
    );
    let broken = function("broken", "fn handler(event, context) { throw \"down\"; }");
    let record = function(
        "record",
        "fn handler(event, context) { store.put(\"failed\", event.error.Error + \" for \" + event.doc); }",
    );
    let mut w = world(vec![broken, record], vec![flow]);
    w.world
        .start_execution("flow", json!({ "doc": "doc-1" }), None)
        .unwrap();
    w.run_to_end();

    let snapshot = w.world.snapshot();
    assert_eq!(
        snapshot.store.item("failed").unwrap().value,
        json!("States.TaskFailed for doc-1")
    );
    assert_eq!(w.events(TraceKind::StepFailed).len(), 1);
    assert_eq!(w.events(TraceKind::ExecutionSucceeded).len(), 1);
    assert!(w.events(TraceKind::ExecutionFailed).is_empty());
}

#[test]
fn a_throttled_task_is_a_step_error_that_retries_handle() {
    let slow = FunctionConfig {
        reserved_concurrency: Some(1),
        duration: Latency::Fixed { ms: 1_000 },
        ..function(
            "slow",
            "fn handler(event, context) { store.put(event.doc, 1); }",
        )
    };
    let flow = WorkflowConfig::new(
        "flow",
        vec![StepConfig::task("call", "slow").retrying(retry(3, 1_500, 2.0))],
    );
    let mut w = world(vec![slow], vec![flow]);
    w.world
        .start_execution("flow", json!({ "doc": "a" }), None)
        .unwrap();
    w.world
        .start_execution("flow", json!({ "doc": "b" }), None)
        .unwrap();
    w.run_to_end();

    let retried = w.events(TraceKind::StepRetried);
    assert_eq!(retried.len(), 1, "the second execution was throttled once");
    assert_eq!(
        retried[0].details.error_kind(),
        Some("Lambda.TooManyRequestsException")
    );
    assert_eq!(w.events(TraceKind::InvocationThrottled).len(), 1);
    assert_eq!(w.events(TraceKind::ExecutionSucceeded).len(), 2);
    let store = w.world.snapshot().store;
    assert!(store.item("a").is_some() && store.item("b").is_some());
}

#[test]
fn a_timed_out_task_fails_with_states_timeout() {
    let slow = FunctionConfig {
        timeout_ms: 100,
        duration: Latency::Fixed { ms: 500 },
        ..function("slow", "fn handler(event, context) { }")
    };
    let flow = WorkflowConfig::new("flow", vec![StepConfig::task("call", "slow")]);
    let mut w = world(vec![slow], vec![flow]);
    w.world.start_execution("flow", json!({}), None).unwrap();
    w.run_to_end();
    let failed = w.events(TraceKind::ExecutionFailed);
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].details.error_kind(), Some("States.Timeout"));
}

#[test]
fn succeed_and_fail_steps_end_the_execution() {
    let flow = WorkflowConfig::new(
        "flow",
        vec![StepConfig {
            error: Some("Save.Rejected".into()),
            cause: Some("the document is locked".into()),
            ..StepConfig::end("stop", StepKind::Fail)
        }],
    );
    let done = WorkflowConfig::new("done", vec![StepConfig::end("ok", StepKind::Succeed)]);
    let mut w = world(vec![], vec![flow, done]);
    w.world.start_execution("flow", json!({}), None).unwrap();
    w.world.start_execution("done", json!({}), None).unwrap();
    w.run_to_end();
    let failed = w.events(TraceKind::ExecutionFailed);
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].details.error_kind(), Some("Save.Rejected"));
    assert_eq!(failed[0].details.reason(), Some("the document is locked"));
    assert_eq!(w.events(TraceKind::ExecutionSucceeded).len(), 1);
}

/// A queue whose messages a handler hands to workflow `flow`.
fn queue_to_workflow(handler: &str) -> Checked {
    let mut config = WorldConfig::with_seed(3);
    config.queues = vec![QueueConfig::standard("saves")];
    config.functions = vec![
        function("start", handler),
        function(
            "save",
            "fn handler(event, context) { store.put(event.doc, event, event.version); }",
        ),
    ];
    config.mappings = vec![MappingConfig {
        batch_size: 1,
        ..MappingConfig::new("saves-to-start", "saves", "start")
    }];
    config.workflows = vec![WorkflowConfig::new(
        "flow",
        vec![StepConfig::task("save", "save")],
    )];
    Checked::new(config)
}

#[test]
fn a_handler_starts_an_execution_with_workflows_start() {
    let mut w = queue_to_workflow(
        "fn handler(event, context) { for r in event.Records { workflows.start(\"flow\", r.body); } }",
    );
    w.world
        .send(
            "saves",
            SendRequest::body(r#"{"doc":"doc-1","version":"v1.0"}"#),
        )
        .unwrap();
    w.run_to_end();

    let started = w.events(TraceKind::ExecutionStarted);
    assert_eq!(started.len(), 1);
    // The trace names the invocation that started it.
    let invocation = w.events(TraceKind::InvocationStarted)[0].clone();
    assert_eq!(
        started[0].details.request_id(),
        invocation.details.request_id()
    );
    assert_eq!(
        w.world.snapshot().store.item("doc-1").unwrap().value["version"],
        json!("v1.0")
    );
}

#[test]
fn a_start_with_a_used_execution_name_is_ignored() {
    let mut w = queue_to_workflow(
        "fn handler(event, context) { for r in event.Records { workflows.start(\"flow\", r.body, r.body.doc + \"-\" + r.body.version); } }",
    );
    for _ in 0..2 {
        w.world
            .send(
                "saves",
                SendRequest::body(r#"{"doc":"doc-1","version":"v1.0"}"#),
            )
            .unwrap();
    }
    w.run_to_end();
    assert_eq!(w.events(TraceKind::ExecutionStarted).len(), 1);
    let dup = w.events(TraceKind::ExecutionDeduplicated);
    assert_eq!(dup.len(), 1);
    assert_eq!(
        dup[0].details.execution().map(|e| e.as_str()),
        Some("doc-1-v1.0")
    );
}

#[test]
fn starting_an_unknown_workflow_throws_in_the_handler_with_its_line() {
    let mut w =
        queue_to_workflow("fn handler(event, context) {\n    workflows.start(\"flwo\", #{});\n}");
    w.world.send("saves", SendRequest::body("{}")).unwrap();
    w.run_until(1_000);
    let failed = w.events(TraceKind::InvocationFailed);
    assert!(!failed.is_empty());
    let reason = failed[0].details.reason().unwrap();
    assert!(reason.contains("no workflow is named \"flwo\""), "{reason}");
    assert!(reason.contains("known: flow"), "{reason}");
    assert_eq!(failed[0].details.line(), Some(2));
    assert!(w.events(TraceKind::ExecutionStarted).is_empty());
}

#[test]
fn a_start_made_before_the_handler_failed_still_happens() {
    let mut w = queue_to_workflow(
        "fn handler(event, context) { workflows.start(\"flow\", #{ doc: \"d\", version: \"v1\" }); throw \"after\"; }",
    );
    w.world.send("saves", SendRequest::body("{}")).unwrap();
    w.run_until(1_000);
    assert!(!w.events(TraceKind::InvocationFailed).is_empty());
    assert!(!w.events(TraceKind::ExecutionStarted).is_empty());
}

#[test]
fn a_loop_ends_at_max_transitions_with_an_error() {
    let mut flow = WorkflowConfig::new("flow", vec![StepConfig::wait("again", 10).then("again")]);
    flow.max_transitions = 25;
    let mut w = world(vec![], vec![flow]);
    w.world.start_execution("flow", json!({}), None).unwrap();
    w.run_to_end();
    let failed = w.events(TraceKind::ExecutionFailed);
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].details.error_kind(), Some("States.Runtime"));
    assert!(failed[0].details.reason().unwrap().contains("25"));
    assert_eq!(w.events(TraceKind::StepStarted).len(), 26);
}

#[test]
fn the_world_is_not_quiescent_while_an_execution_waits() {
    let mut w = world(
        vec![],
        vec![WorkflowConfig::new(
            "flow",
            vec![StepConfig::wait("nap", 60_000)],
        )],
    );
    w.world.start_execution("flow", json!({}), None).unwrap();
    w.step();
    assert!(!w.world.is_quiescent());
    w.run_to_end();
    assert_eq!(w.world.now_ms(), 60_000);
    assert_eq!(w.events(TraceKind::ExecutionSucceeded).len(), 1);
}

#[test]
fn bad_definitions_are_refused_with_reasons() {
    let try_build = |workflow: WorkflowConfig| {
        let mut config = WorldConfig::with_seed(1);
        config.functions = vec![function("f", "fn handler(event, context) {}")];
        config.workflows = vec![workflow];
        event_playground::sim::World::new(config)
            .err()
            .map(|e| e.to_string())
    };
    let cases = [
        (
            WorkflowConfig::new("w", vec![StepConfig::task("a", "f").then("nowhere")]),
            "no step named \"nowhere\"",
        ),
        (
            WorkflowConfig::new("w", vec![StepConfig::task("a", "missing")]),
            "no function is named \"missing\"",
        ),
        (
            WorkflowConfig::new(
                "w",
                vec![StepConfig {
                    wait_ms: Some(5),
                    ..StepConfig::task("a", "f")
                }],
            ),
            "only wait steps have `wait_ms`",
        ),
        (
            WorkflowConfig::new(
                "w",
                vec![StepConfig::task("a", "f"), StepConfig::task("a", "f")],
            ),
            "two steps are named \"a\"",
        ),
        (
            WorkflowConfig::new(
                "w",
                vec![StepConfig::task("a", "f").retrying(retry(3, 100, 0.5))],
            ),
            "backoff_rate",
        ),
        (WorkflowConfig::new("w", vec![]), "1 to 50"),
    ];
    for (workflow, expected) in cases {
        let error = try_build(workflow).expect("refused");
        assert!(error.contains(expected), "{error} should say {expected}");
    }
    let unknown = world(vec![], vec![])
        .world
        .start_execution("nope", json!({}), None)
        .unwrap_err();
    assert!(matches!(unknown, SimError::InvalidConfig { .. }));
}

#[test]
fn same_seed_same_trace() {
    let run = || {
        let flow = WorkflowConfig::new(
            "flow",
            vec![
                StepConfig::task("call", "flaky")
                    .retrying(retry(4, 50, 2.0))
                    .then("pause"),
                StepConfig::wait("pause", 20),
            ],
        );
        let mut config = WorldConfig::with_seed(99);
        config.functions = vec![FunctionConfig::new("flaky", flaky(2))];
        config.workflows = vec![flow];
        let mut w = Checked::new(config);
        for i in 0..5 {
            w.world
                .start_execution("flow", json!({ "i": i }), None)
                .unwrap();
        }
        w.run_to_end();
        serde_json::to_string(w.world.trace_events()).unwrap()
    };
    assert_eq!(run(), run());
}

#[test]
fn the_checker_catches_a_retry_before_its_delay_and_two_steps_at_once() {
    let flow = WorkflowConfig::new(
        "flow",
        vec![StepConfig::task("call", "flaky").retrying(retry(5, 200, 2.0))],
    );
    let mut w = world(vec![function("flaky", &flaky(2))], vec![flow]);
    w.world.start_execution("flow", json!({}), None).unwrap();
    w.run_to_end();
    let trace: Vec<TraceEvent> = w.world.trace_events().to_vec();
    let snapshot = w.world.snapshot();
    let check = |trace: &[TraceEvent]| Checker::new(&snapshot).observe_trace(trace);
    assert!(check(&trace).is_ok());

    // Forge: the retry starts 1 ms early.
    let mut early = trace.clone();
    let retried = early
        .iter()
        .position(|e| e.kind == TraceKind::StepRetried)
        .unwrap();
    let due = early[retried].details.next_at_ms().unwrap();
    let mut details = early[retried].details.to_details();
    details.next_at_ms = Some(due + 1);
    early[retried].details = details.into();
    let violation = check(&early).unwrap_err();
    assert_eq!(violation.invariant, Invariant::WorkflowSteps);
    assert!(
        violation.message.contains("before its delay"),
        "{violation}"
    );

    // Forge: drop the event that ended the first attempt, so the second
    // starts while the first still runs.
    let overlapping: Vec<TraceEvent> = trace
        .iter()
        .filter(|e| e.kind != TraceKind::StepRetried)
        .cloned()
        .enumerate()
        .map(|(i, mut e)| {
            e.seq = i as u64;
            e
        })
        .collect();
    let violation = check(&overlapping).unwrap_err();
    assert_eq!(violation.invariant, Invariant::WorkflowSteps);
    assert!(violation.message.contains("still running"), "{violation}");
}

#[test]
fn a_task_returning_something_other_than_a_map_keeps_the_state() {
    // `drafts.save` is the last expression, so the handler returns `true`.
    let keep = function(
        "keep",
        "fn handler(event, context) { drafts.save(event.doc, event.version, event) }",
    );
    let save = function(
        "save",
        "fn handler(event, context) { store.put(event.doc, event.version); }",
    );
    let flow = WorkflowConfig::new(
        "flow",
        vec![
            StepConfig::task("keep", "keep").then("save"),
            StepConfig::task("save", "save"),
        ],
    );
    let mut w = world(vec![keep, save], vec![flow]);
    w.world
        .start_execution("flow", json!({ "doc": "d", "version": "v2" }), None)
        .unwrap();
    w.run_to_end();
    assert_eq!(
        w.world.snapshot().store.item("d").unwrap().value,
        json!("v2")
    );
}
