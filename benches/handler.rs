//! Handler invocations per second: a small handler that reads the store and
//! writes only when the incoming version is newer (the lesson's fix).
//! Target: at least 200,000 invocations per second natively.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use event_playground::sim::sandbox::{
    Environment, Event, HandlerProgram, Invocation, SandboxLimits, SqsRecord,
};
use event_playground::sim::store::Store;
use event_playground::sim::version_store::VersionStore;

const HANDLER: &str = r#"
fn handler(event, context) {
    let draft = event.Records[0].body;
    let current = store.get(draft.doc);
    if current == () || compare_versions(current.version, draft.version) < 0 {
        store.put(draft.doc, draft.text, draft.version);
    }
}
"#;

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
}

criterion_group!(benches, invocations);
criterion_main!(benches);
