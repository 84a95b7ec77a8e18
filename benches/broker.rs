//! Broker-only throughput: 50,000 messages published to a topic that fans
//! out to two standard queues, each drained by a consumer. Reports simulated
//! (kernel) events per second; the trace events per run are printed once.
//!
//! 50,000, not the 100,000 of earlier figures: a run's trace is bounded by
//! `Limits::MAX_SIZE_CEILING` entries and `MAX_TRACE_BYTES_CEILING` bytes
//! (what a browser tab can hold, docs/scenarios.md "Budgets"), and 100,000
//! messages through two queues need more. Events per second, the figure
//! reported, does not depend on the count.
//!
//! `cargo bench --bench broker -- --warm-up-time 1 --measurement-time 5`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use event_playground::sim::{
    ConsumerConfig, Latency, Limits, PublishRequest, QueueConfig, SubscriptionConfig, TopicConfig,
    World, WorldConfig,
};

const MESSAGES: u64 = 50_000;

fn config() -> WorldConfig {
    let mut config = WorldConfig::with_seed(42)
        .queue(QueueConfig::standard("billing"))
        .queue(QueueConfig::standard("shipping"))
        .topic(TopicConfig::new(
            "orders",
            vec![
                SubscriptionConfig::to_queue("billing", "billing"),
                SubscriptionConfig::to_queue("shipping", "shipping"),
            ],
        ));
    for queue in ["billing", "shipping"] {
        config = config.consumer(ConsumerConfig {
            workers: 4,
            batch_size: 10,
            processing: Latency::Fixed { ms: 1 },
            ..ConsumerConfig::new(format!("{queue}-worker"), queue)
        });
    }
    config.limits = Limits {
        max_events: Limits::MAX_EVENTS_CEILING,
        max_trace_events: Limits::MAX_SIZE_CEILING,
        max_trace_bytes: Limits::MAX_TRACE_BYTES_CEILING,
        ..Limits::default()
    };
    config
}

/// Runs the workload; returns (kernel events, trace events).
fn run() -> (u64, usize) {
    let mut world = World::new(config()).expect("valid config");
    for i in 0..MESSAGES {
        world
            .schedule_publish(i / 2, "orders", PublishRequest::body("order"))
            .expect("schedule");
    }
    world.run_to_end().expect("run");
    let snapshot = world.snapshot();
    assert!(snapshot.queues.iter().all(|q| q.stats.deleted >= MESSAGES));
    (snapshot.events_processed, world.trace().len())
}

fn broker(c: &mut Criterion) {
    let (events, trace_events) = run();
    println!("one run: {events} simulated events, {trace_events} trace events");
    let mut group = c.benchmark_group("broker");
    group.sample_size(10);
    group.throughput(Throughput::Elements(events));
    group.bench_function("topic_two_queues_two_consumers_50k", |b| b.iter(run));
    group.finish();
}

criterion_group!(benches, broker);
criterion_main!(benches);
