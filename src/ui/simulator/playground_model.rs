//! What the playground runs, computed without a browser: the lesson's
//! scenario and exercise, a run advanced a slice at a time, and replays for
//! playback. A run's result is turned into rows by `run_view.rs`; a sweep is
//! tallied slice by slice by `sweep_tally.rs`. Components only display
//! these values.

use crate::lessons::blocks::blocks_of_kind;
use crate::lessons::Lesson;
use crate::scenario::lesson_check::{lesson_exercises, ExerciseSetup};
use crate::scenario::outcome::Runner;
use crate::scenario::parse::parse;
use crate::scenario::source::lesson_scenarios;
use crate::scenario::sweep::{SweepRunner, FIRST_SEED};
use crate::scenario::whatif::{lesson_whatifs, WhatIf};

use super::branch_result::BranchRun;
use super::run_view::{view_of, RunView};
use crate::scenario::{MemoryFiles, RunRefusal, Scenario};

/// A lesson's live part.
#[derive(Clone, Debug)]
pub struct PlaygroundSetup {
    /// The scenario the playground runs.
    pub scenario: Scenario,
    /// The scenario's TOML text, as written (what a link to the scenario
    /// itself carries).
    pub source: String,
    /// The exercise, when the lesson has one.
    pub exercise: Option<ExerciseSetup>,
    /// The "what if?" moments the lesson prepared on this scenario
    /// (```` ```whatif ```` blocks, `scenario/whatif.rs`).
    pub whatifs: Vec<WhatIf>,
}

impl PlaygroundSetup {
    /// The lesson's playground: `None` when it has no scenario block, an
    /// error (in words, with the lesson's line) when its blocks are broken.
    /// For a lesson with several scenario blocks, the first (see
    /// [`PlaygroundSetup::all_from_lesson`]).
    pub fn from_lesson(lesson: &Lesson) -> Option<Result<PlaygroundSetup, String>> {
        PlaygroundSetup::all_from_lesson(lesson).map(|all| all.map(|mut setups| setups.remove(0)))
    }

    /// One playground per scenario block of the lesson, in order, each with
    /// the exercise written under its block (if any): a lesson can tell one
    /// story with a first scenario and judge its exercise on another.
    /// `None` without scenario blocks; the first error otherwise.
    pub fn all_from_lesson(lesson: &Lesson) -> Option<Result<Vec<PlaygroundSetup>, String>> {
        let file = format!("{}.md", lesson.meta.id);
        let text = &lesson.body_markdown;
        let files = MemoryFiles(&[]);
        let scenarios = lesson_scenarios(&file, text, &files);
        if scenarios.is_empty() {
            return None;
        }
        let mut setups = Vec::with_capacity(scenarios.len());
        // Every problem of every block, so an author fixes them in one go.
        let mut problems: Vec<String> = Vec::new();
        let sources = blocks_of_kind(text, "scenario");
        for (scenario, block) in scenarios.into_iter().zip(sources) {
            match scenario {
                Ok(scenario) => setups.push(PlaygroundSetup {
                    scenario,
                    source: block.content,
                    exercise: None,
                    whatifs: Vec::new(),
                }),
                Err(diagnostics) => problems.extend(diagnostics.iter().map(|d| d.to_string())),
            }
        }
        let (exercises, _, found) = lesson_exercises(&file, text, &files);
        for problem in found {
            if !problems.contains(&problem) {
                problems.push(problem);
            }
        }
        if !problems.is_empty() {
            return Some(Err(problems.join("\n")));
        }
        for exercise in exercises {
            // The exercise's scenario is the block above it: the last block
            // equal to it that has no exercise yet.
            if let Some(setup) = setups
                .iter_mut()
                .rev()
                .find(|s| s.exercise.is_none() && s.scenario == exercise.scenario)
            {
                setup.exercise = Some(exercise);
            }
        }
        attach_whatifs(&mut setups, &file, text, &mut problems);
        if !problems.is_empty() {
            return Some(Err(problems.join("\n")));
        }
        Some(Ok(setups))
    }

    /// The playground of a whole scenario given as TOML text (a shared
    /// custom scenario): no exercise, its own checks. The error lists every
    /// problem with its line, one per line.
    pub fn from_scenario_text(text: &str) -> Result<PlaygroundSetup, String> {
        match parse("shared scenario", text) {
            Ok(scenario) => Ok(PlaygroundSetup {
                scenario,
                source: text.to_string(),
                exercise: None,
                whatifs: Vec::new(),
            }),
            Err(diagnostics) => {
                let lines: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
                Err(lines.join("\n"))
            }
        }
    }

    /// The name of the scenario, for choosing between a lesson's scenarios.
    pub fn title(&self) -> String {
        let name = self.scenario.config.scenario.name.clone();
        match &self.exercise {
            Some(_) => format!("Exercise: {name}"),
            None => name,
        }
    }

    /// The function the learner edits: the exercise's, else the first one.
    pub fn editable_function(&self) -> Option<String> {
        match &self.exercise {
            Some(e) => Some(e.exercise.function.clone()),
            None => self.scenario.functions.first().map(|f| f.name.clone()),
        }
    }

    /// The code the editor starts with.
    pub fn starting_code(&self) -> String {
        match (&self.exercise, self.editable_function()) {
            (Some(e), _) => e.starting_code(),
            (None, Some(name)) => self
                .scenario
                .functions
                .iter()
                .find(|f| f.name == name)
                .map(|f| f.code.clone())
                .unwrap_or_default(),
            (None, None) => String::new(),
        }
    }

    /// Seeds a full check runs over: an exercise's own and its variants'.
    pub fn seeds(&self) -> u64 {
        match &self.exercise {
            Some(e) => e.total_seeds(),
            None => self.scenario.config.scenario.seeds,
        }
    }

    /// The same playground on a variant's scenario (none: the exercise's
    /// own), to open the exact run a check over all seeds reports ("seed 17
    /// of variant `store errors`"). An unknown name gives the playground
    /// unchanged.
    pub fn for_variant(&self, name: Option<&str>) -> PlaygroundSetup {
        let scenario = self
            .exercise
            .as_ref()
            .and_then(|e| e.scenario_of(name))
            .cloned();
        match scenario {
            Some(scenario) => PlaygroundSetup {
                scenario,
                ..self.clone()
            },
            None => self.clone(),
        }
    }

    /// The scenario with the learner's code in place.
    pub(super) fn with_code(&self, code: &str) -> Result<Scenario, RunRefusal> {
        let mut scenario = self.scenario.clone();
        if let Some(name) = self.editable_function() {
            scenario.replace_code(&name, code.to_string())?;
        }
        scenario.engine_check()?;
        Ok(scenario)
    }

    /// Runs one seed with `code` to the end.
    pub fn run(&self, code: &str, seed: u64) -> RunView {
        match self.start_run(code, seed) {
            Ok(run) => run.finish_now(),
            Err(view) => *view,
        }
    }

    /// Starts a run of one seed with `code`, to advance in slices
    /// ([`SlicedRun::advance`]); a run that cannot start is its own view.
    pub fn start_run(&self, code: &str, seed: u64) -> Result<SlicedRun, Box<RunView>> {
        let scenario = self
            .with_code(code)
            .map_err(|e| Box::new(RunView::error(seed, e)))?;
        Ok(SlicedRun {
            runner: Runner::start(&scenario, seed),
            scenario,
        })
    }
}

/// Gives each scenario block the whatif blocks written under it (the last
/// setup of an equal scenario, as for exercises); their problems join
/// `problems`.
fn attach_whatifs(
    setups: &mut [PlaygroundSetup],
    file: &str,
    text: &str,
    problems: &mut Vec<String>,
) {
    let (found, found_problems) = lesson_whatifs(file, text, &MemoryFiles(&[]));
    problems.extend(found_problems);
    for w in found {
        if let Some(setup) = setups.iter_mut().rev().find(|s| s.scenario == w.scenario) {
            setup.whatifs.push(w.whatif);
        }
    }
}

/// A run the page advances a slice at a time.
pub struct SlicedRun {
    runner: Runner,
    scenario: Scenario,
}

impl SlicedRun {
    /// Processes up to `events` events; true once the run is over.
    pub fn advance(&mut self, events: u64) -> bool {
        self.runner.advance(events)
    }

    /// Virtual time reached.
    pub fn now_ms(&self) -> u64 {
        self.runner.now_ms()
    }

    /// Runs what is left and shows the result.
    pub fn finish_now(mut self) -> RunView {
        while !self.runner.advance(u64::MAX) {}
        self.into_view()
    }

    /// The result so far: of a finished run, or of one the learner stopped
    /// (its checks judge the state it reached).
    pub fn into_view(self) -> RunView {
        let seed_scenario = self.scenario;
        let outcome = self.runner.into_outcome();
        view_of(&seed_scenario, outcome)
    }
}

impl PlaygroundSetup {
    /// The world at `time_ms` of the run of `seed` with `code`: replayed
    /// from the start (the engine is deterministic, so this is exact).
    pub fn moment(&self, code: &str, seed: u64, time_ms: u64) -> Result<Moment, String> {
        let scenario = self.with_code(code)?;
        let outcome = crate::scenario::outcome::run_to(&scenario, seed, time_ms);
        let snapshot = outcome
            .snapshot
            .ok_or_else(|| outcome.error.clone().unwrap_or_default())?;
        Ok(Moment {
            time_ms: outcome.end_ms,
            snapshot,
            trace: outcome.trace,
        })
    }

    /// A run with `code` and `seed` shown moment by moment (playback).
    pub fn replay(&self, code: &str, seed: u64) -> Result<Replay, String> {
        self.replay_branch(code, seed, &[])
    }

    /// The same for a branch of "what if?" acts: `interventions` applied
    /// at their moments (docs/interventions.md).
    pub fn replay_branch(
        &self,
        code: &str,
        seed: u64,
        interventions: &[crate::sim::Intervention],
    ) -> Result<Replay, String> {
        Ok(Replay {
            scenario: self.with_code(code)?,
            seed,
            runner: None,
            at_ms: 0,
            interventions: crate::sim::in_time_order(interventions),
        })
    }

    /// A sweep of `seeds` seeds from `from` with `code`, for the page to
    /// advance a number of events at a time (see [`SweepRunner`]).
    pub fn start_sweep(
        &self,
        code: &str,
        from: u64,
        seeds: u64,
    ) -> Result<SweepRunner, RunRefusal> {
        let scenario = self.with_code(code)?;
        Ok(SweepRunner::start(scenario, from, seeds))
    }

    /// The full check with `code`: an exercise's seeds and then every
    /// variant's ([`Self::seeds`] in all); a plain scenario's seeds from 1.
    pub fn start_check(&self, code: &str) -> Result<SweepRunner, RunRefusal> {
        match &self.exercise {
            Some(e) => Ok(SweepRunner::start_parts(e.sweep_parts(code)?)),
            None => self.start_sweep(code, FIRST_SEED, self.seeds()),
        }
    }
}

/// A run shown moment by moment. A later moment continues the same world
/// from the last one; an earlier moment starts again from time 0 (the
/// engine is deterministic, so both give the moment exactly). Playback
/// forward then costs the events between two frames, not the whole run
/// again each frame.
pub struct Replay {
    scenario: Scenario,
    seed: u64,
    runner: Option<crate::scenario::outcome::Runner>,
    at_ms: u64,
    /// A branch's interventions, in time order: each is applied when a
    /// moment reaches it, as the branch's run applied it.
    interventions: Vec<crate::sim::Intervention>,
}

impl Replay {
    /// The world at `time_ms` (or where the run ended, if earlier).
    pub fn moment(&mut self, time_ms: u64) -> Option<Moment> {
        use crate::scenario::outcome::Runner;
        let continues = time_ms >= self.at_ms
            && self
                .runner
                .as_mut()
                .is_some_and(|runner| runner.extend_cut(time_ms));
        // Interventions applied already: those up to the moment continued.
        let applied_until = continues.then_some(self.at_ms);
        if !continues {
            self.runner = Some(Runner::start_cut(&self.scenario, self.seed, time_ms));
        }
        self.at_ms = time_ms;
        let runner = self.runner.as_mut()?;
        // As `run_with_interventions`: none after the scenario's end.
        let end_ms = self
            .scenario
            .config
            .scenario
            .run_until_ms
            .unwrap_or(u64::MAX);
        let due = self.interventions.iter().filter(|iv| {
            iv.at_ms <= time_ms.min(end_ms) && applied_until.is_none_or(|done| iv.at_ms > done)
        });
        for iv in due {
            // A refused one changes nothing, as in the branch's run.
            let _ = runner.act(|world| world.run_and_intervene(iv));
        }
        while !runner.advance(u64::MAX) {}
        let (time_ms, snapshot, trace) = runner.peek()?;
        Some(Moment {
            time_ms,
            snapshot,
            trace,
        })
    }
}

impl Replay {
    /// The branch `list` forked from the world this replay holds, when it
    /// holds that branch's moment: the runner is at the last act's
    /// `at_ms` and has applied exactly the acts before it. The branch then
    /// costs a copy of the world, not a replay from time 0
    /// (docs/interventions.md, "Branches"). `None` when the replay is
    /// elsewhere, or when an earlier act shares the moment (a replay
    /// applies acts of one moment back to back; this world has already
    /// run the events that followed it): the caller replays instead.
    pub fn fork_branch(&self, list: &[crate::sim::Intervention]) -> Option<BranchRun> {
        let (act, before) = list.split_last()?;
        let t = act.at_ms;
        let applied: Vec<_> = self
            .interventions
            .iter()
            .filter(|iv| iv.at_ms <= t)
            .collect();
        let before = crate::sim::in_time_order(before);
        let same_acts =
            before.len() == applied.len() && before.iter().zip(&applied).all(|(a, b)| a == *b);
        if self.at_ms != t || !same_acts || before.iter().any(|iv| iv.at_ms == t) {
            return None;
        }
        let runner = self.runner.as_ref().filter(|r| r.now_ms() <= t)?;
        let mut fork = runner.fork_to_end()?;
        let refused = match fork.act(|world| world.run_and_intervene(act))? {
            Ok(()) => Vec::new(),
            Err(refusal) => vec![crate::scenario::RefusedIntervention {
                index: list.len() - 1,
                at_ms: t,
                kind: refusal.kind,
                message: refusal.message,
            }],
        };
        Some(BranchRun {
            view: view_of(&self.scenario, fork.finish_now()),
            refused,
        })
    }
}

/// The world at one moment of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct Moment {
    /// The moment.
    pub time_ms: u64,
    /// Every component then.
    pub snapshot: crate::sim::WorldSnapshot,
    /// What happened up to then.
    pub trace: Vec<crate::sim::TraceEvent>,
}

/// The next time something happens after `time_ms`, for the Step button.
pub fn next_event_time(trace: &[crate::sim::TraceEvent], time_ms: u64) -> Option<u64> {
    let at = trace.partition_point(|e| e.time_ms <= time_ms);
    trace.get(at).map(|e| e.time_ms)
}
