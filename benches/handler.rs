//! Handler invocations per second: a small handler that reads the store and
//! writes only when the incoming version is newer (the lesson's fix).
//! Target: at least 200,000 invocations per second natively.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use event_playground::sim::sandbox::{
    serve, Environment, Event, HandlerProgram, Invocation, SandboxLimits, Serving, SqsRecord,
};
use event_playground::sim::testing::Store;
use event_playground::sim::testing::VersionStore;

const HANDLER: &str = r#"
fn handler(event, context) {
    let draft = event.Records[0].body;
    let current = store.get(draft.doc);
    if current == () || compare_versions(current.version, draft.version) < 0 {
        store.put(draft.doc, draft.text, draft.version);
    }
}
"#;

/// One read and one conditional write, every time (the write's condition
/// fails after the first invocation, and the handler catches it).
const CONDITIONAL_HANDLER: &str = r#"
fn handler(event, context) {
    let draft = event.Records[0].body;
    let current = store.get(draft.doc);
    try {
        store.put_if_newer(draft.doc, draft.text, draft.version);
    } catch (err) {
        if err.name != "ConditionalCheckFailed" { throw err; }
    }
}
"#;

/// What the function engine does per invocation (`src/sim/function/serving.rs`)
/// when nobody else touches the store: keep the environment to run again
/// from, run ahead speculatively, then serve each call at its time and
/// compare the answer.
fn served_invocations(c: &mut Criterion, event: &Event, invocation: &Invocation) {
    let program = match HandlerProgram::compile(CONDITIONAL_HANDLER, SandboxLimits::default()) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    let mut env = Environment::new();
    let mut store = Store::new();
    let mut drafts = VersionStore::new();
    let mut group = c.benchmark_group("handler");
    group.throughput(Throughput::Elements(1));
    group.bench_function("read_then_conditional_write_served_in_virtual_time", |b| {
        b.iter(|| {
            let before = env.clone();
            let run = program.speculate(
                &mut env,
                event,
                invocation,
                (&mut store, &mut drafts),
                Vec::new(),
            );
            let mut same = true;
            for planned in &run.calls {
                let answer = serve(
                    &planned.call,
                    planned.time_ms,
                    &invocation.request_id,
                    &mut store,
                    &mut drafts,
                    Serving::Real,
                );
                same &= answer == planned.answer;
            }
            black_box((before, same, run.result.is_ok()))
        })
    });
    group.finish();
    assert_eq!(store.history().len(), 1, "only the first invocation writes");
}

fn invocations(c: &mut Criterion) {
    let program = match HandlerProgram::compile(HANDLER, SandboxLimits::default()) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    let mut env = Environment::new();
    let mut store = Store::new();
    let mut drafts = VersionStore::new();
    let event = Event::Sqs(vec![SqsRecord {
        message_id: "m-1".to_string(),
        body: r#"{"doc": "doc-1", "version": "v1.2", "text": "hello"}"#.to_string(),
        ..SqsRecord::default()
    }]);
    let invocation = Invocation {
        request_id: "req-1".to_string(),
        function_name: "save-draft".to_string(),
        now_ms: 0,
        remaining_time_ms: 3_000,
        latency_seed: 1,
    };
    let mut group = c.benchmark_group("handler");
    group.throughput(Throughput::Elements(1));
    group.bench_function("read_then_conditional_write", |b| {
        b.iter(|| {
            let outcome = program.invoke(&mut env, &event, &invocation, &mut store, &mut drafts);
            black_box(outcome.is_ok())
        })
    });
    let empty =
        match HandlerProgram::compile("fn handler(event, context) {}", SandboxLimits::default()) {
            Ok(p) => p,
            Err(e) => panic!("{e}"),
        };
    let mut empty_env = Environment::new();
    group.bench_function("empty_handler_baseline", |b| {
        b.iter(|| {
            let outcome =
                empty.invoke(&mut empty_env, &event, &invocation, &mut store, &mut drafts);
            black_box(outcome.is_ok())
        })
    });
    let json_event = Event::Json(serde_json::Value::Null);
    group.bench_function("empty_handler_null_event", |b| {
        b.iter(|| {
            let outcome = empty.invoke(
                &mut empty_env,
                &json_event,
                &invocation,
                &mut store,
                &mut drafts,
            );
            black_box(outcome.is_ok())
        })
    });
    group.finish();
    assert_eq!(store.history().len(), 1, "only the first invocation writes");
    served_invocations(c, &event, &invocation);
}

criterion_group!(benches, invocations);
criterion_main!(benches);
