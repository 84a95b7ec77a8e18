//! Helpers shared by the simulation tests: run a world while checking every
//! invariant after every step.
#![allow(dead_code)]

pub mod random_world;

use event_playground::invariants::Checker;
use event_playground::sim::{StepOutcome, TraceEvent, TraceKind, World, WorldConfig};

/// A world and a checker that has seen its whole trace.
pub struct Checked {
    pub world: World,
    pub checker: Checker,
}

impl Checked {
    pub fn new(config: WorldConfig) -> Self {
        let world = World::new(config).expect("valid config");
        let checker = Checker::new(&world.snapshot());
        let mut checked = Checked { world, checker };
        checked.verify();
        checked
    }

    /// Checks the trace so far and the snapshot; panics with the violation.
    pub fn verify(&mut self) {
        let snapshot = self.world.snapshot();
        if let Err(v) = self.checker.check(&snapshot, self.world.trace_events()) {
            panic!("seed {}: {v}", self.world.seed());
        }
    }

    /// One step, then all checks.
    pub fn step(&mut self) -> StepOutcome {
        let outcome = self.world.step().expect("step");
        self.verify();
        outcome
    }

    /// Steps through every event up to `time_ms`, checking after each.
    pub fn run_until(&mut self, time_ms: u64) {
        while let Some(next) = self.next_time() {
            if next > time_ms {
                break;
            }
            self.step();
        }
        self.world.run_until(time_ms).expect("run_until");
        self.verify();
    }

    /// Steps until quiescent, checking after each step.
    pub fn run_to_end(&mut self) {
        while !self.world.is_quiescent() {
            if self.step() == StepOutcome::Idle {
                break;
            }
        }
    }

    fn next_time(&self) -> Option<u64> {
        self.world.next_event_time()
    }

    /// Events of one kind.
    pub fn events(&self, kind: TraceKind) -> Vec<TraceEvent> {
        self.world
            .trace_events()
            .iter()
            .filter(|e| e.kind == kind)
            .cloned()
            .collect()
    }
}
