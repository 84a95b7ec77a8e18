//! Branching a run at its current moment (`World::fork`, issue 19,
//! docs/interventions.md): a fork has the same future as the world it was
//! forked from, and the same future as a replay from time 0 to that moment,
//! with or without an intervention applied at it.

mod sim_common;

use event_playground::sim::StoreConfig;
use event_playground::sim::{
    FunctionConfig, Intervention, InterventionKind as Kind, Latency, MappingConfig, Parameters,
    QueueConfig, SendRequest, TraceKind, World, WorldConfig,
};
use sim_common::random_world::{random_plan, schedule_workload};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// Steps `world` `events` times (fewer if it goes idle).
fn step_n(world: &mut World, events: u64) {
    for _ in 0..events {
        if world.step().expect("step") == event_playground::sim::StepOutcome::Idle {
            break;
        }
    }
}

fn random_world(seed: u64) -> World {
    let plan = random_plan(seed);
    let mut world = World::new(plan.config.clone()).unwrap();
    schedule_workload(&mut world, &plan, seed);
    world
}

fn finish(mut world: World) -> String {
    let _ = world.run_to_end();
    let snapshot = serde_json::to_string(&world.snapshot()).unwrap();
    format!("{}{snapshot}", world.trace().to_json())
}

#[test]
fn a_fork_and_its_origin_both_go_on_as_an_unforked_run() {
    for seed in [1u64, 2, 3, 5, 8] {
        let mut whole = random_world(seed);
        step_n(&mut whole, 200);
        let whole = finish(whole);
        let mut origin = random_world(seed);
        step_n(&mut origin, 200);
        let fork = origin.fork();
        assert_eq!(finish(fork), whole, "seed {seed}: the fork");
        assert_eq!(finish(origin), whole, "seed {seed}: the origin");
    }
}

/// Counts each record, in two store writes 50 ms apart.
const COUNTER: &str = r#"globals.seen = 0;
fn handler(event, context) {
    globals.seen += 1;
    for record in event.Records {
        store.add("count-" + record.body, 1);
        store.put("last-" + record.body, globals.seen);
    }
}"#;

fn handler_world() -> World {
    let mut q = QueueConfig::standard("q");
    q.delivery_jitter = Some(Latency::ZERO);
    let mut config = WorldConfig::with_seed(5)
        .queue(q)
        .function(FunctionConfig {
            cold_start: Latency::Fixed { ms: 100 },
            duration: Latency::Fixed { ms: 10 },
            ..FunctionConfig::new("f", COUNTER)
        })
        .mapping(MappingConfig {
            batch_size: 1,
            ..MappingConfig::new("m", "q", "f")
        });
    config.store = StoreConfig::default();
    let mut world = World::new(config).unwrap();
    for (i, body) in ["a", "b", "c", "d"].iter().enumerate() {
        let request = SendRequest::body(*body).delay_ms(i as u64 * 40);
        world.send("q", request).unwrap();
    }
    world
}

/// Runs to the moment the first store write is served: an invocation is
/// half-way, its environment has globals.
fn to_first_write(world: &mut World) {
    while world.now_ms() < 60_000
        && !world
            .trace_events()
            .iter()
            .any(|e| e.kind == TraceKind::StoreWrite)
    {
        world.step().unwrap();
    }
    assert!(world.now_ms() < 60_000, "the handler writes");
}

fn busy_environment(world: &World) -> u64 {
    let snapshot = world.snapshot();
    let f = snapshot.function("f").unwrap();
    f.environments.iter().find(|e| e.busy).unwrap().id
}

#[test]
fn acting_on_a_fork_half_way_through_an_invocation_equals_acting_on_a_replay() {
    let mut origin = handler_world();
    to_first_write(&mut origin);
    let crash = Intervention {
        at_ms: origin.now_ms(),
        kind: Kind::CrashEnvironment,
        target: "f".into(),
        parameters: Parameters {
            environment: Some(busy_environment(&origin)),
            ..Parameters::default()
        },
    };
    let mut fork = origin.fork();
    fork.intervene(&crash).expect("applied on the fork");
    let mut replay = handler_world();
    to_first_write(&mut replay);
    replay.intervene(&crash).expect("applied on the replay");
    let untouched = {
        let mut w = handler_world();
        to_first_write(&mut w);
        finish(w)
    };
    let forked = finish(fork);
    assert_ne!(forked, untouched, "the crash changed the branch");
    assert_eq!(forked, finish(replay));
    assert_eq!(finish(origin), untouched, "the origin branch is unchanged");
}
