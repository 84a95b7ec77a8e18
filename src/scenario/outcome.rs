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
    Runner::start(scenario, seed).finish_now()
}

/// The same run stopped at `until_ms`: the world as it was at that moment
/// (the playground's time scrubber; the engine is deterministic, so
/// replaying from the start is exact). Never runs past where [`run`]
/// would stop.
pub fn run_to(scenario: &Scenario, seed: u64, until_ms: u64) -> RunOutcome {
    Runner::start_cut(scenario, seed, until_ms).finish_now()
}

/// Where a run stops.
#[derive(Clone, Copy, Debug)]
enum Stop {
    /// When nothing is left to do.
    Quiet,
    /// At the scenario's `run_until_ms`, whatever is still going on.
    At(u64),
    /// At a moment, or earlier when nothing is left to do.
    QuietOrAt(u64),
}

/// A run advanced a slice at a time, so a browser can draw a frame (and
/// offer a Stop button) between slices however long the run is.
pub struct Runner {
    world: Option<World>,
    outcome: RunOutcome,
    stop: Stop,
    done: bool,
    /// The run stopped at its cut (not because it was quiet or failed), so
    /// [`Runner::extend_cut`] can let it go on.
    cut_reached: bool,
    /// The scenario's `run_until_ms`: no cut goes past it.
    run_until_ms: Option<u64>,
}

impl Runner {
    /// Builds the world and schedules the workload.
    pub fn start(scenario: &Scenario, seed: u64) -> Runner {
        let stop = match scenario.config.scenario.run_until_ms {
            Some(until) => Stop::At(until),
            None => Stop::Quiet,
        };
        Runner::with_stop(scenario, seed, stop)
    }

    /// A run cut at `until_ms` (never past where the whole run stops).
    pub fn start_cut(scenario: &Scenario, seed: u64, until_ms: u64) -> Runner {
        let until = match scenario.config.scenario.run_until_ms {
            Some(end) => end.min(until_ms),
            None => until_ms,
        };
        Runner::with_stop(scenario, seed, Stop::QuietOrAt(until))
    }

    fn with_stop(scenario: &Scenario, seed: u64, stop: Stop) -> Runner {
        let mut runner = Runner {
            world: None,
            outcome: RunOutcome {
                seed,
                dead_letter_queues: dead_letter_queues(scenario),
                ..RunOutcome::default()
            },
            stop,
            done: false,
            cut_reached: false,
            run_until_ms: scenario.config.scenario.run_until_ms,
        };
        let mut world = match World::new(scenario.world_config(seed)) {
            Ok(world) => world,
            Err(err) => {
                runner.outcome.error = Some(format!("the world could not be built: {err}"));
                runner.done = true;
                return runner;
            }
        };
        if let Err(err) = workload::schedule(&mut world, &scenario.config, seed) {
            runner.fail(&world, &err);
        }
        runner.world = Some(world);
        runner
    }

    fn fail(&mut self, world: &World, err: &crate::sim::SimError) {
        self.outcome.error = Some(format!("the run stopped at {} ms: {err}", world.now_ms()));
        self.done = true;
    }

    /// Processes up to `max_events` events; true once the run is over.
    pub fn advance(&mut self, max_events: u64) -> bool {
        if self.done {
            return true;
        }
        let Some(mut world) = self.world.take() else {
            self.done = true;
            return true;
        };
        for _ in 0..max_events {
            let quiet = world.is_quiescent();
            let next = world.next_event_time();
            let result = match self.stop {
                Stop::Quiet if quiet || next.is_none() => Err(None),
                Stop::QuietOrAt(_) if quiet => Err(None),
                Stop::At(until) | Stop::QuietOrAt(until) if next.is_none_or(|t| t > until) => {
                    let reached = world.run_until(until).err();
                    self.cut_reached = reached.is_none();
                    Err(reached)
                }
                _ => world.step().map(|_| ()).map_err(Some),
            };
            match result {
                Ok(()) => {}
                Err(None) => {
                    self.done = true;
                    break;
                }
                Err(Some(err)) => {
                    self.fail(&world, &err);
                    break;
                }
            }
        }
        self.world = Some(world);
        self.done
    }

    /// Moves the cut of a run started with [`Runner::start_cut`] to the
    /// later `until_ms`, so the same world goes on: playback moves forward
    /// without replaying from the start. Going on from a cut gives exactly
    /// the world a fresh run cut at `until_ms` gives (nothing happens at a
    /// cut but the clock moving). False, with nothing changed, when the run
    /// cannot go on that way: it ended quiet or failed, or `until_ms` is
    /// earlier than the cut.
    pub fn extend_cut(&mut self, until_ms: u64) -> bool {
        let Stop::QuietOrAt(cut) = self.stop else {
            return false;
        };
        if until_ms < cut {
            return false;
        }
        let until = self.run_until_ms.map_or(until_ms, |end| end.min(until_ms));
        if until == cut {
            return true;
        }
        if self.done && !self.cut_reached {
            return false;
        }
        self.stop = Stop::QuietOrAt(until);
        self.done = false;
        self.cut_reached = false;
        true
    }

    /// The world as it is now: time, snapshot and trace (copies; the run
    /// can go on).
    pub fn peek(&self) -> Option<(u64, crate::sim::WorldSnapshot, Vec<crate::sim::TraceEvent>)> {
        let world = self.world.as_ref()?;
        Some((
            world.now_ms(),
            world.snapshot(),
            world.trace_events().to_vec(),
        ))
    }

    /// Acts on the world between slices (interventions, see
    /// `intervened.rs`); a run error stops the run as [`Runner::advance`]
    /// would. `None` when the run is over or the act failed.
    pub(crate) fn act<T>(
        &mut self,
        act: impl FnOnce(&mut World) -> Result<T, crate::sim::SimError>,
    ) -> Option<T> {
        if self.done {
            return None;
        }
        let mut world = self.world.take()?;
        let result = act(&mut world);
        let value = match result {
            Ok(value) => Some(value),
            Err(err) => {
                self.fail(&world, &err);
                None
            }
        };
        self.world = Some(world);
        value
    }

    /// A copy of this run from where it is now that goes on to the run's
    /// own end, not to this runner's cut: a "what if?" branch starts from
    /// the moment shown without replaying from time 0 ([`World::fork`],
    /// docs/interventions.md, "Branches"). `None` when the run failed or
    /// has no world.
    pub fn fork_to_end(&self) -> Option<Runner> {
        if self.outcome.error.is_some() {
            return None;
        }
        let world = self.world.as_ref()?.fork();
        let stop = match self.run_until_ms {
            Some(until) => Stop::At(until),
            None => Stop::Quiet,
        };
        Some(Runner {
            world: Some(world),
            outcome: self.outcome.clone(),
            stop,
            done: false,
            cut_reached: false,
            run_until_ms: self.run_until_ms,
        })
    }

    /// Events processed so far.
    pub fn events_processed(&self) -> u64 {
        self.world.as_ref().map_or(0, World::events_processed)
    }

    /// Virtual time reached so far.
    pub fn now_ms(&self) -> u64 {
        self.world.as_ref().map_or(0, World::now_ms)
    }

    /// Runs to the end and gives the outcome.
    pub fn finish_now(mut self) -> RunOutcome {
        while !self.advance(u64::MAX) {}
        self.into_outcome()
    }

    /// The outcome so far (call once [`Runner::advance`] says the run is
    /// over, or to keep what a stopped run did).
    pub fn into_outcome(mut self) -> RunOutcome {
        if let Some(world) = self.world.take() {
            self.outcome.end_ms = world.now_ms();
            self.outcome.snapshot = Some(world.snapshot());
            self.outcome.trace = world.into_trace_events();
        }
        self.outcome
    }
}
