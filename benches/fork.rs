//! Branching cost (issue 19, docs/interventions.md "Branches"): forking a
//! world at the end of a 10,000-event run, and forking then applying an
//! intervention, against replaying those 10,000 events from time 0. The
//! world mixes a topic fanning out to a queue drained by a consumer and a
//! queue drained by an event source mapping whose handler writes to the
//! store, so environments, globals, the store and the trace are all copied.
//!
//! `cargo bench --bench fork -- --warm-up-time 1 --measurement-time 5`

use criterion::{criterion_group, criterion_main, Criterion};
use event_playground::sim::{
    ConsumerConfig, FunctionConfig, Intervention, InterventionKind, Latency, MappingConfig,
    Parameters, PublishRequest, QueueConfig, SubscriptionConfig, TopicConfig, World, WorldConfig,
};

const EVENTS: u64 = 10_000;

const HANDLER: &str = r#"globals.seen = 0;
fn handler(event, context) {
    globals.seen += 1;
    for record in event.Records {
        store.add("count", 1);
        store.put("last", record.body);
    }
}"#;

fn config() -> WorldConfig {
    WorldConfig::with_seed(42)
        .queue(QueueConfig::standard("billing"))
        .queue(QueueConfig::standard("shipping"))
        .topic(TopicConfig::new(
            "orders",
            vec![
                SubscriptionConfig::to_queue("billing", "billing"),
                SubscriptionConfig::to_queue("shipping", "shipping"),
            ],
        ))
        .consumer(ConsumerConfig {
            workers: 4,
            processing: Latency::Fixed { ms: 5 },
            ..ConsumerConfig::new("billing-worker", "billing")
        })
        .function(FunctionConfig::new("ship", HANDLER))
        .mapping(MappingConfig::new("shipping-mapping", "shipping", "ship"))
}

/// A world that has processed exactly `EVENTS` events.
fn world_at_10k() -> World {
    let mut world = World::new(config()).expect("valid config");
    for i in 0..4_000u64 {
        world
            .schedule_publish(i * 5, "orders", PublishRequest::body(format!("order {i}")))
            .expect("schedule");
    }
    while world.events_processed() < EVENTS {
        world.step().expect("step");
    }
    world
}

fn bench(c: &mut Criterion) {
    let world = world_at_10k();
    println!(
        "forking at {} ms after {} events, {} trace events",
        world.now_ms(),
        world.events_processed(),
        world.trace().len()
    );
    let publish = Intervention {
        at_ms: world.now_ms(),
        kind: InterventionKind::Publish,
        target: "orders".into(),
        parameters: Parameters {
            body: Some("by hand".into()),
            ..Parameters::default()
        },
    };
    let mut group = c.benchmark_group("branch_at_10k_events");
    group.sample_size(20);
    group.bench_function("fork", |b| b.iter(|| world.fork()));
    group.bench_function("fork_and_intervene", |b| {
        b.iter(|| {
            let mut branch = world.fork();
            branch.intervene(&publish).expect("applied");
            branch
        })
    });
    group.bench_function("replay_from_0", |b| b.iter(world_at_10k));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
