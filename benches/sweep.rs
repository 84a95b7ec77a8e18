//! Sweeps of 1,000 seeds, as `sim check` and the browser's checks panel run
//! them: lesson 5's story (`lessons/05-out-of-order-bug.md`, one editor, the
//! naive handler) and lesson 6's (`lessons/06-version-store.md`: two editors
//! and a team of three through a standard queue into a store under load). Criterion reports
//! the time per sweep; divide by 1,000 for the time per seed, or read the
//! throughput line (seeds per second).
//!
//! `cargo bench --bench sweep -- --warm-up-time 1 --measurement-time 20`

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use event_playground::scenario::{load, sweep};

const LESSONS: [(&str, &str); 2] = [
    (
        "out_of_order_lesson_1000_seeds",
        "lessons/05-out-of-order-bug.md",
    ),
    (
        "version_store_lesson_1000_seeds",
        "lessons/06-version-store.md",
    ),
];
const SEEDS: u64 = 1_000;

#[path = "../tests/disk/mod.rs"]
mod disk;
use disk::Disk;

fn sweep_lesson(c: &mut Criterion) {
    let mut group = c.benchmark_group("sweep");
    group.sample_size(10);
    group.throughput(Throughput::Elements(SEEDS));
    for (name, lesson) in LESSONS {
        let scenario = match load(lesson, &Disk) {
            Ok(s) => s,
            Err(d) => panic!("{}", d[0]),
        };
        group.bench_function(name, |b| {
            b.iter(|| black_box(sweep(&scenario, 1, SEEDS).all_passed()))
        });
    }
    group.finish();
}

criterion_group!(benches, sweep_lesson);
criterion_main!(benches);
