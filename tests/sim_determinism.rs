//! Same config + same seed => byte-identical trace, natively and in wasm.
//!
//! The golden hash below is the FNV-1a hash of the JSON traces of a fixed set
//! of random worlds. The same test runs under `wasm-bindgen-test`
//! (`cargo test --target wasm32-unknown-unknown --test sim_determinism`), so
//! a platform difference in any draw, latency or ordering shows up as a
//! different hash. When the engine's behaviour or trace format changes on
//! purpose, print the new value with
//! `cargo test --test sim_determinism -- --nocapture` and update it.

mod sim_common;

use event_playground::sim::testing::fnv1a64;
use event_playground::sim::World;
use sim_common::random_world::{drive, random_plan, schedule_workload};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const GOLDEN_TRACE_HASH: u64 = 0x69ea_3e04_93cf_8a6b;

fn traces_hash() -> u64 {
    let mut all = String::new();
    for seed in [0u64, 1, 2, 3, 5, 8, 13, 21, 34, 55] {
        let plan = random_plan(seed);
        let mut world = World::new(plan.config.clone()).unwrap();
        schedule_workload(&mut world, &plan, seed);
        let _ = drive(&mut world, &plan, seed, |_| {});
        all.push_str(&world.trace().to_json());
        // The queues' final state (not the whole snapshot, which grows with
        // every new component kind).
        all.push_str(&serde_json::to_string(&world.snapshot().queues).unwrap());
    }
    fnv1a64(all.as_bytes())
}

#[test]
fn traces_match_the_golden_hash_on_every_platform() {
    let hash = traces_hash();
    println!("trace hash: {hash:#018x}");
    assert_eq!(hash, GOLDEN_TRACE_HASH, "trace hash changed: {hash:#018x}");
}

/// The traces of handlers racing on one store: the busy-editors scenario
/// (ten editors, twenty warm environments, reads and writes served at their
/// own times, handlers run again when a served answer changed) with a racy
/// and a conditional handler, and lesson 6's store under load. Every draw of
/// a call's latency, every replay and every answer must be the same in wasm.
const GOLDEN_HANDLER_TRACE_HASH: u64 = 0x0bf6_2646_009d_60e6;

const READ_COMPARE_WRITE: &str =
    include_str!("solutions/out-of-order-bug/wrong/read-compare-write.rhai");
const DRAFTS_THEN_CONDITIONAL: &str =
    include_str!("solutions/out-of-order-bug/right/drafts-then-conditional-write.rhai");

fn handler_traces_hash() -> u64 {
    use event_playground::scenario::outcome::run;
    use event_playground::scenario::parse::parse;
    let busy = include_str!("scenarios/race/busy-editors.toml");
    let mut all = String::new();
    for code in [READ_COMPARE_WRITE, DRAFTS_THEN_CONDITIONAL] {
        let mut scenario = parse("busy-editors.toml", busy).expect("the scenario parses");
        scenario
            .replace_code("save", code.to_string())
            .expect("save exists");
        for seed in [1u64, 2, 3] {
            let outcome = run(&scenario, seed);
            assert!(outcome.error.is_none(), "seed {seed}: {:?}", outcome.error);
            all.push_str(&serde_json::to_string(&outcome.trace).unwrap());
        }
    }
    fnv1a64(all.as_bytes())
}

#[test]
fn racing_handlers_trace_the_same_on_every_platform() {
    let hash = handler_traces_hash();
    println!("handler trace hash: {hash:#018x}");
    assert_eq!(
        hash, GOLDEN_HANDLER_TRACE_HASH,
        "handler trace hash changed: {hash:#018x}"
    );
}
