//! Hostile learner code: every case ends with a clear error that names the
//! problem and a line, within well under a second, and the next invocation
//! in the same environment runs normally.

mod sandbox_support;

use std::time::{Duration, Instant};

use event_playground::sim::sandbox::{HandlerError, HandlerErrorKind, LimitKind};
use sandbox_support::Rig;

/// A handler that runs `attack` when the body is "attack", and otherwise
/// records its request id in the store.
fn handler_with(attack: &str) -> String {
    format!(
        "fn handler(event, context) {{\n    if event.Records[0].body == \"attack\" {{\n{attack}\n    }}\n    store.put(\"ok\", context.request_id);\n}}\n"
    )
}

/// Runs the attack, checks the error, then checks a normal invocation works.
fn attack(code: &str, kind: HandlerErrorKind, words: &[&str]) -> HandlerError {
    let mut rig = Rig::new(&handler_with(code));
    let started = Instant::now();
    let err = rig.err("attack");
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(1), "took {elapsed:?}: {err}");
    assert_eq!(err.kind, kind, "{err}");
    assert!(err.line.is_some(), "no line in {err:?}");
    for w in words {
        assert!(err.message.contains(w), "'{w}' missing from: {err}");
    }
    let outcome = rig.ok("normal");
    assert_eq!(outcome.batch_item_failures, None);
    assert_eq!(rig.value("ok"), Some(serde_json::json!("req-2")));
    err
}

#[test]
fn infinite_loop_hits_max_operations() {
    let err = attack(
        "        let x = 0;\n        loop { x += 1; }",
        HandlerErrorKind::LimitExceeded(LimitKind::Operations),
        &["max_operations"],
    );
    assert_eq!(err.line, Some(4), "{err}");
}

#[test]
fn empty_infinite_loop_hits_max_operations() {
    attack(
        "        while true { }",
        HandlerErrorKind::LimitExceeded(LimitKind::Operations),
        &["max_operations"],
    );
}

#[test]
fn infinite_loop_in_callbacks_hits_max_operations() {
    attack(
        "        let a = [1, 2, 3, 4, 5, 6, 7, 8];\n        loop { a.map(|x| x + 1).filter(|x| x > 2); }",
        HandlerErrorKind::LimitExceeded(LimitKind::Operations),
        &["max_operations"],
    );
}

#[test]
fn infinite_recursion_hits_max_call_levels() {
    let source = "fn forever(n) {\n    forever(n + 1)\n}\nfn handler(event, context) {\n    if event.Records[0].body == \"attack\" {\n        forever(0);\n    }\n    store.put(\"ok\", context.request_id);\n}\n";
    let mut rig = Rig::new(source);
    let err = rig.err("attack");
    assert_eq!(
        err.kind,
        HandlerErrorKind::LimitExceeded(LimitKind::CallLevels),
        "{err}"
    );
    assert!(err.message.contains("max_call_levels"), "{err}");
    assert_eq!(err.line, Some(6), "{err}");
    rig.ok("normal");
    assert_eq!(rig.value("ok"), Some(serde_json::json!("req-2")));
}

#[test]
fn exponential_recursion_hits_max_operations() {
    let source = "fn fib(n) {\n    if n < 2 { n } else { fib(n - 1) + fib(n - 2) }\n}\nfn handler(event, context) {\n    if event.Records[0].body == \"attack\" {\n        fib(30);\n    }\n    store.put(\"ok\", context.request_id);\n}\n";
    let mut rig = Rig::new(source);
    let started = Instant::now();
    let err = rig.err("attack");
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(
        err.kind,
        HandlerErrorKind::LimitExceeded(LimitKind::Operations),
        "{err}"
    );
    assert!(err.line.is_some());
    rig.ok("normal");
}

#[test]
fn string_doubled_until_huge_hits_max_string_size() {
    let err = attack(
        "        let s = \"x\";\n        loop { s += s; }",
        HandlerErrorKind::LimitExceeded(LimitKind::StringSize),
        &["max_string_size_bytes"],
    );
    assert_eq!(err.line, Some(4), "{err}");
}

#[test]
fn giant_array_hits_max_array_size() {
    let err = attack(
        "        let a = [];\n        loop { a.push(1); }",
        HandlerErrorKind::LimitExceeded(LimitKind::ArraySize),
        &["max_array_size"],
    );
    assert_eq!(err.line, Some(4), "{err}");
}

#[test]
fn giant_array_in_one_call_hits_max_array_size() {
    attack(
        "        let a = [];\n        a.pad(100000000, 0);",
        HandlerErrorKind::LimitExceeded(LimitKind::ArraySize),
        &["max_array_size"],
    );
}

#[test]
fn giant_map_hits_max_map_size() {
    let err = attack(
        "        let m = #{};\n        let i = 0;\n        loop { m[`k${i}`] = i; i += 1; }",
        HandlerErrorKind::LimitExceeded(LimitKind::MapSize),
        &["max_map_size"],
    );
    assert_eq!(err.line, Some(5), "{err}");
}

#[test]
fn giant_globals_hit_max_map_size() {
    attack(
        "        let i = 0;\n        loop { globals[`k${i}`] = i; i += 1; }",
        HandlerErrorKind::LimitExceeded(LimitKind::MapSize),
        &["max_map_size"],
    );
}

#[test]
fn printing_in_a_loop_hits_max_log_lines() {
    attack(
        "        loop { print(\"again\"); }",
        HandlerErrorKind::LimitExceeded(LimitKind::LogLines),
        &["max_log_lines"],
    );
}

#[test]
fn thrown_error_is_reported_with_its_value() {
    let err = attack(
        "        throw \"the draft is broken\";",
        HandlerErrorKind::Thrown,
        &["the draft is broken"],
    );
    assert_eq!((err.line, err.column), (Some(3), Some(9)), "{err}");
}

#[test]
fn malformed_batch_item_failures_is_a_bad_return() {
    attack(
        "        return #{ batchItemFailures: \"m-1\" };",
        HandlerErrorKind::BadReturn,
        &["batchItemFailures must be an array"],
    );
}

#[test]
fn batch_item_failures_without_item_identifier_is_a_bad_return() {
    attack(
        "        return #{ batchItemFailures: [#{ id: \"m-1\" }] };",
        HandlerErrorKind::BadReturn,
        &["itemIdentifier"],
    );
}

#[test]
fn misspelled_batch_item_failures_is_a_bad_return() {
    attack(
        "        return #{ batchItemFailure: [#{ itemIdentifier: \"m-1\" }] };",
        HandlerErrorKind::BadReturn,
        &["did you mean 'batchItemFailures'"],
    );
}

#[test]
fn returning_a_string_from_a_queue_handler_is_a_bad_return() {
    attack(
        "        return \"done\";",
        HandlerErrorKind::BadReturn,
        &["must return nothing"],
    );
}

#[test]
fn store_key_of_wrong_type_is_an_invalid_argument() {
    let err = attack(
        "        store.put(42, \"value\");",
        HandlerErrorKind::InvalidArgument,
        &["store.put", "key must be a string", "a number"],
    );
    assert_eq!(err.line, Some(3), "{err}");
}

#[test]
fn store_call_with_wrong_arity_is_an_invalid_argument() {
    attack(
        "        store.put(\"only-a-key\");",
        HandlerErrorKind::InvalidArgument,
        &["store.put(key, value)"],
    );
}

#[test]
fn store_float_version_is_refused_with_a_hint() {
    attack(
        "        store.put_if_newer(\"doc\", \"x\", 1.10);",
        HandlerErrorKind::InvalidArgument,
        &["1.10 is the same as 1.1"],
    );
}

#[test]
fn storing_a_function_is_an_invalid_argument() {
    attack(
        "        store.put(\"f\", |x| x);",
        HandlerErrorKind::InvalidArgument,
        &["not data"],
    );
}

#[test]
fn reading_a_missing_field_names_it() {
    let err = attack(
        "        let doc = event.Records[0].bdy;",
        HandlerErrorKind::PropertyNotFound,
        &["bdy"],
    );
    assert_eq!(err.line, Some(3), "{err}");
}

#[test]
fn reading_a_field_of_a_number_names_it() {
    attack(
        "        let n = 1;\n        n.version",
        HandlerErrorKind::PropertyNotFound,
        &["version"],
    );
}

#[test]
fn top_level_let_read_in_handler_explains_globals() {
    let source = "let count = 0;\nfn handler(event, context) {\n    count += 1;\n}\n";
    let mut rig = Rig::new(source);
    let err = rig.err("x");
    assert_eq!(err.kind, HandlerErrorKind::VariableNotFound);
    assert_eq!(err.line, Some(3));
    assert!(err.message.contains("globals.count"), "{err}");
}

#[test]
fn eval_is_not_available() {
    let source = "fn handler(event, context) {\n    eval(\"loop {}\");\n}\n";
    let err = event_playground::sim::sandbox::HandlerProgram::compile(
        source,
        event_playground::sim::sandbox::SandboxLimits::default(),
    )
    .unwrap_err();
    assert_eq!(err.kind, HandlerErrorKind::Syntax);
    assert_eq!(err.line, Some(2));
}

#[test]
fn deeply_nested_expression_hits_max_expr_depth_at_compile_time() {
    let nested = format!("{}1{}", "(".repeat(200), ")".repeat(200));
    let source = format!("fn handler(event, context) {{\n    let x = {nested};\n}}\n");
    let err = event_playground::sim::sandbox::HandlerProgram::compile(
        &source,
        event_playground::sim::sandbox::SandboxLimits::default(),
    )
    .unwrap_err();
    assert_eq!(
        err.kind,
        HandlerErrorKind::LimitExceeded(LimitKind::ExprDepth),
        "{err}"
    );
    assert!(err.line.is_some());
}

#[test]
fn syntax_error_has_line_and_column() {
    let source = "fn handler(event, context) {\n    let x = 1;\n    x +* 2\n}\n";
    let err = event_playground::sim::sandbox::HandlerProgram::compile(
        source,
        event_playground::sim::sandbox::SandboxLimits::default(),
    )
    .unwrap_err();
    assert_eq!(err.kind, HandlerErrorKind::Syntax);
    assert_eq!(err.line, Some(3));
    assert!(err.column.is_some());
}

#[test]
fn missing_handler_is_a_compile_error() {
    let err = event_playground::sim::sandbox::HandlerProgram::compile(
        "fn handle(event) {}",
        event_playground::sim::sandbox::SandboxLimits::default(),
    )
    .unwrap_err();
    assert_eq!(err.kind, HandlerErrorKind::MissingHandler);
    assert!(err.message.contains("fn handler(event, context)"));
}

/// The size guard scans the scope every few variable reads. Its count must
/// start afresh with each invocation, or the point where a runaway map is
/// stopped (and the operations billed for it) would depend on what earlier
/// invocations of the same function did: state carried between invocations.
#[test]
fn a_runaway_map_is_stopped_at_the_same_point_whatever_ran_before() {
    let code = handler_with(
        "        let m = #{};\n        let i = 0;\n        loop { m[`k${i}`] = i; i += 1; }",
    );
    let mut fresh = Rig::new(&code);
    let first = fresh.err("attack");
    for warm_up in 1..=3 {
        let mut rig = Rig::new(&code);
        for _ in 0..warm_up {
            rig.ok("normal");
        }
        let after = rig.err("attack");
        assert_eq!(after.kind, first.kind, "{after}");
        assert_eq!(
            after.usage.ops_used, first.usage.ops_used,
            "after {warm_up} normal invocation(s): {after}"
        );
    }
}
