//! Runs one seed of a scenario and keeps what checks and metrics read: the
//! trace, the final snapshot (which holds the store and its write history),
//! and an error if the run stopped early.

use std::collections::BTreeSet;

use super::parse::Scenario;
use super::workload;
use crate::sim::{TraceEvent, World, WorldSnapshot};

/// What one run left behind.
#[derive(Clone, Debug, Default)]
pub struct RunOutcome {
    /// The run's seed.
    pub seed: u64,
    /// Every trace event.
    pub trace: Vec<TraceEvent>,
    /// The world at the end (`None` if it could not be built).
    pub snapshot: Option<WorldSnapshot>,
    /// Queues used as dead-letter queues.
    pub dead_letter_queues: BTreeSet<String>,
    /// Virtual time the run ended at.
    pub end_ms: u64,
    /// Why the run stopped early, if it did.
    pub error: Option<String>,
}

/// Queues some redrive policy or subscription names as dead-letter queue.
pub fn dead_letter_queues(scenario: &Scenario) -> BTreeSet<String> {
    let config = &scenario.config;
    let from_queues = config.queues.iter().filter_map(|q| {
        q.redrive_policy
            .as_ref()
            .map(|p| p.dead_letter_queue.clone())
    });
    let from_subs = config
        .topics
        .iter()
        .flat_map(|t| t.subscriptions.iter())
        .filter_map(|s| s.dead_letter_queue.clone());
    from_queues.chain(from_subs).collect()
}

/// Runs the scenario with `seed`: builds the world, schedules the workload,
/// runs to `run_until_ms` or until nothing is left to do.
pub fn run(scenario: &Scenario, seed: u64) -> RunOutcome {
    let mut outcome = RunOutcome {
        seed,
        dead_letter_queues: dead_letter_queues(scenario),
        ..RunOutcome::default()
    };
    let mut world = match World::new(scenario.world_config(seed)) {
        Ok(world) => world,
        Err(err) => {
            outcome.error = Some(format!("the world could not be built: {err}"));
            return outcome;
        }
    };
    let result =
        workload::schedule(&mut world, &scenario.config, seed).and_then(|_| {
            match scenario.config.scenario.run_until_ms {
                Some(until) => world.run_until(until).map(|_| until),
                None => world.run_to_end(),
            }
        });
    if let Err(err) = result {
        outcome.error = Some(format!("the run stopped at {} ms: {err}", world.now_ms()));
    }
    outcome.end_ms = world.now_ms();
    outcome.trace = world.trace_events().to_vec();
    outcome.snapshot = Some(world.snapshot());
    outcome
}
