//! Statelessness: globals live exactly as long as their execution environment.

mod sandbox_support;

use event_playground::sim::sandbox::{Environment, HandlerErrorKind};
use sandbox_support::Rig;
use serde_json::json;

const COUNTER: &str = r#"
// Runs once per execution environment (cold start).
globals.count = 0;

fn handler(event, context) {
    globals.count += 1;
    store.put("count", globals.count);
}
"#;

#[test]
fn global_counter_survives_warm_invocations() {
    let mut rig = Rig::new(COUNTER);
    let first = rig.ok("a");
    assert!(first.cold_start);
    assert_eq!(rig.value("count"), Some(json!(1)));
    for expected in 2..=4 {
        let outcome = rig.ok("a");
        assert!(!outcome.cold_start);
        assert_eq!(rig.value("count"), Some(json!(expected)));
    }
    assert!(rig.env.is_warm());
    assert_eq!(rig.env.globals_json(), json!({"count": 4}));
}

#[test]
fn global_counter_is_gone_in_a_new_environment() {
    let mut rig = Rig::new(COUNTER);
    rig.ok("a");
    rig.ok("a");
    assert_eq!(rig.value("count"), Some(json!(2)));
    rig.env = Environment::new();
    let outcome = rig.ok("a");
    assert!(outcome.cold_start);
    assert_eq!(rig.value("count"), Some(json!(1)));
}

#[test]
fn relying_on_globals_gives_a_wrong_total_across_environments() {
    // A "total saves" counter kept in memory: right in one warm environment,
    // wrong as soon as a second environment handles some of the saves.
    let mut rig = Rig::new(COUNTER);
    let mut other = Environment::new();
    for i in 0..6 {
        if i % 2 == 0 {
            rig.ok("save");
        } else {
            let invocation = rig.invocation();
            rig.program
                .invoke(
                    &mut other,
                    &sandbox_support::one("save"),
                    &invocation,
                    &mut rig.store,
                    &mut rig.drafts,
                )
                .unwrap();
        }
    }
    // Six saves happened, but each environment only counted its own three.
    assert_eq!(rig.value("count"), Some(json!(3)));
}

#[test]
fn reading_an_unset_global_explains_cold_environments() {
    let mut rig = Rig::new("fn handler(event, context) {\n    globals.seen += 1;\n}\n");
    let err = rig.err("a");
    assert_eq!(err.kind, HandlerErrorKind::PropertyNotFound);
    assert_eq!(err.line, Some(2));
    assert!(err.message.contains("globals.seen"), "{err}");
    assert!(err.message.contains("\"seen\" in globals"), "{err}");
}

#[test]
fn globals_can_be_tested_and_hold_nested_values() {
    let mut rig = Rig::new(
        r#"
fn remember(id) {
    if !("seen" in globals) { globals.seen = []; }
    globals.seen.push(id);
}
fn handler(event, context) {
    remember(event.Records[0].messageId);
    store.put("seen", globals.seen);
}
"#,
    );
    rig.ok("a");
    rig.ok("b");
    assert_eq!(rig.value("seen"), Some(json!(["m-1", "m-1"])));
}

#[test]
fn failed_init_leaves_the_environment_cold_and_retries() {
    let mut rig = Rig::new(
        r#"
let previous = store.get("tries"); globals.tries = if previous == () { 0 } else { previous.value };
store.put("tries", globals.tries + 1);
if globals.tries == 0 { throw "first init fails"; }
fn handler(event, context) {
    store.put("ran", true);
}
"#,
    );
    let err = rig.err("a");
    assert_eq!(err.kind, HandlerErrorKind::Thrown);
    assert_eq!(err.phase, event_playground::sim::sandbox::ErrorPhase::Init);
    assert_eq!(err.line, Some(4));
    assert!(!rig.env.is_warm());
    assert_eq!(rig.value("ran"), None);
    let outcome = rig.ok("a");
    assert!(outcome.cold_start);
    assert_eq!(rig.value("ran"), Some(json!(true)));
}

#[test]
fn handler_may_be_written_with_one_parameter_or_other_names() {
    let mut rig = Rig::new("fn handler(evt) {\n    store.put(\"n\", evt.Records.len());\n}\n");
    rig.ok("a");
    assert_eq!(rig.value("n"), Some(json!(1)));
    let mut rig = Rig::new(
        "fn handler(e, ctx) {\n    store.put(ctx.request_id, ctx.remaining_time_ms());\n}\n",
    );
    rig.ok("a");
    assert_eq!(rig.value("req-1"), Some(json!(3_000)));
}

#[test]
fn same_inputs_give_the_same_outcome() {
    let run = || {
        let mut rig = Rig::new(COUNTER);
        let outcomes: Vec<_> = (0..3).map(|_| rig.ok("a")).collect();
        (outcomes, rig.store.history().to_vec())
    };
    assert_eq!(run(), run());
}

/// The handler's scope is kept between invocations (for speed); nothing a
/// body declares, shadows or changes may reach the next invocation, even
/// when the invocation fails half-way.
#[test]
fn nothing_in_the_handler_scope_outlives_an_invocation() {
    const LEAKY: &str = r#"
fn handler(event, context) {
    let seen = [is_def_var("leak"), is_def_var("later"), event.Records.len()];
    store.put("seen-" + context.request_id, seen);
    let leak = event.Records[0].body;
    event.Records.push(#{ extra: true });
    let context = "shadowed";
    if leak == "fail" {
        let later = 1;
        throw "half-way";
    }
    let later = 2;
}
"#;
    let mut rig = Rig::new(LEAKY);
    rig.ok("first");
    rig.err("fail");
    rig.ok("third");
    for request in ["req-1", "req-2", "req-3"] {
        assert_eq!(
            rig.value(&format!("seen-{request}")),
            Some(json!([false, false, 1])),
            "{request} saw state from an earlier invocation"
        );
    }
}
