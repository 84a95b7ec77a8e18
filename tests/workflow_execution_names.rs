//! Execution names and reused names as Step Functions' `StartExecution`
//! has them. Source for every rule here, the AWS API reference:
//! https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
//! ("name": 1–80 characters; must not contain whitespace, brackets
//! `< > { } [ ]`, wildcard characters `? *`, special characters
//! `" # % \ ^ | ~ ` $ & , ; : /` or control characters; and
//! "ExecutionAlreadyExists": the execution name already exists, for a
//! closed execution or a running one with a different input, while a start
//! with the same name and input as a running execution succeeds).

mod sim_common;

use event_playground::sim::{
    FunctionConfig, MappingConfig, QueueConfig, SendRequest, StepConfig, TraceKind, WorkflowConfig,
    WorldConfig,
};
use serde_json::json;
use sim_common::Checked;

/// A workflow that waits `wait_ms` and ends, so an execution is running
/// for that long.
fn waiting_world(wait_ms: u64) -> Checked {
    let mut config = WorldConfig::with_seed(5);
    config.workflows = vec![WorkflowConfig::new(
        "flow",
        vec![StepConfig::wait("hold", wait_ms)],
    )];
    Checked::new(config)
}

#[test]
fn start_execution_accepts_names_aws_allows_including_at_signs() {
    let longest = "n".repeat(80);
    for name in [
        "doc-1@v1.0",
        "doc-1.v1.10",
        "a+b=c!",
        "dé-ü_(1)",
        longest.as_str(),
    ] {
        let mut w = waiting_world(10);
        w.world
            .start_execution("flow", json!({}), Some(name))
            .unwrap_or_else(|e| panic!("{name:?} is a valid StartExecution name: {e}"));
        w.run_to_end();
        assert_eq!(w.events(TraceKind::ExecutionStarted).len(), 1, "{name}");
    }
}

#[test]
fn start_execution_refuses_names_aws_refuses() {
    let too_long = "n".repeat(81);
    let mut refused: Vec<String> = "<>{}[]?*\"#%\\^|~`$&,;:/"
        .chars()
        .map(|c| format!("doc{c}1"))
        .collect();
    refused.extend(
        [
            "",
            "doc 1",
            "doc\t1",
            "doc\u{7}1",
            "doc\u{85}1",
            "doc\u{a0}1",
            &too_long,
        ]
        .map(String::from),
    );
    for name in &refused {
        let mut w = waiting_world(10);
        let result = w.world.start_execution("flow", json!({}), Some(name));
        assert!(result.is_err(), "{name:?} must be refused");
    }
}

#[test]
fn an_invalid_name_throws_at_the_handlers_start_line() {
    let mut config = WorldConfig::with_seed(3);
    config.queues = vec![QueueConfig::standard("saves")];
    config.functions = vec![FunctionConfig::new(
        "start",
        "fn handler(event, context) {\n    workflows.start(\"flow\", #{}, \"doc 1\");\n}",
    )];
    config.mappings = vec![MappingConfig::new("m", "saves", "start")];
    config.workflows = vec![WorkflowConfig::new(
        "flow",
        vec![StepConfig::wait("hold", 10)],
    )];
    let mut w = Checked::new(config);
    w.world.send("saves", SendRequest::body("{}")).unwrap();
    w.run_until(1_000);
    let failed = w.events(TraceKind::InvocationFailed);
    let reason = failed[0].details.reason().unwrap();
    assert!(reason.contains("contains U+0020"), "{reason}");
    assert_eq!(failed[0].details.line(), Some(2));
    assert!(w.events(TraceKind::ExecutionStarted).is_empty());
}

#[test]
fn same_name_and_input_while_running_is_the_same_execution() {
    let mut w = waiting_world(1_000);
    w.world
        .start_execution("flow", json!({"v": 1}), Some("doc-1@v1"))
        .unwrap();
    w.run_until(100);
    w.world
        .start_execution("flow", json!({"v": 1}), Some("doc-1@v1"))
        .unwrap();
    w.run_to_end();
    assert_eq!(w.events(TraceKind::ExecutionStarted).len(), 1);
    let dup = w.events(TraceKind::ExecutionDeduplicated);
    assert_eq!(dup.len(), 1);
    assert_eq!(dup[0].details.error_kind(), None, "StartExecution succeeds");
    assert!(w.events(TraceKind::ExecutionRejected).is_empty());
}

#[test]
fn same_name_after_the_execution_closed_answers_execution_already_exists() {
    let mut w = waiting_world(10);
    w.world
        .start_execution("flow", json!({"v": 1}), Some("doc-1@v1"))
        .unwrap();
    w.run_to_end();
    assert_eq!(w.events(TraceKind::ExecutionSucceeded).len(), 1);
    w.world
        .start_execution("flow", json!({"v": 1}), Some("doc-1@v1"))
        .unwrap();
    w.run_to_end();
    assert_eq!(w.events(TraceKind::ExecutionStarted).len(), 1);
    let dup = w.events(TraceKind::ExecutionDeduplicated);
    assert_eq!(dup.len(), 1);
    assert_eq!(dup[0].details.error_kind(), Some("ExecutionAlreadyExists"));
}

#[test]
fn same_name_with_another_input_answers_execution_already_exists_and_starts_nothing() {
    for closed_first in [false, true] {
        let mut w = waiting_world(1_000);
        w.world
            .start_execution("flow", json!({"doc": "doc-1"}), Some("v1.0"))
            .unwrap();
        w.run_until(if closed_first { 5_000 } else { 100 });
        w.world
            .start_execution("flow", json!({"doc": "doc-2"}), Some("v1.0"))
            .unwrap();
        w.run_to_end();
        assert_eq!(w.events(TraceKind::ExecutionStarted).len(), 1);
        let rejected = w.events(TraceKind::ExecutionRejected);
        assert_eq!(rejected.len(), 1, "closed first: {closed_first}");
        assert_eq!(
            rejected[0].details.error_kind(),
            Some("ExecutionAlreadyExists")
        );
    }
}
