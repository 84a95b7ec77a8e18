//! Broker-only throughput: 100,000 messages published to a topic that fans
//! out to two standard queues, each drained by a consumer. Reports simulated
//! (kernel) events per second; the trace events per run are printed once.
//!
//! `cargo bench --bench broker -- --warm-up-time 1 --measurement-time 5`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use event_playground::sim::{
    ConsumerConfig, Latency, Limits, PublishRequest, QueueConfig, SubscriptionConfig, TopicConfig,
    World, WorldConfig,
};

const MESSAGES: u64 = 100_000;

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
        max_events: 100_000_000,
        max_trace_events: 10_000_000,
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
    group.bench_function("topic_two_queues_two_consumers_100k", |b| b.iter(run));
    group.finish();
}

criterion_group!(benches, broker);
criterion_main!(benches);
