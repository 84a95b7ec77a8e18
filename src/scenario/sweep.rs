//! Runs a scenario once or over many seeds and reports each check, with the
//! phrases the UI and `sim` print ("passed in 200/200 seeds", "failed in
//! 37 of 200 seeds, first at seed 5").

use serde::Serialize;

use super::checks::{evaluate, CheckResult};
use super::metrics::{compute, Metrics};
use super::outcome::{run, RunOutcome, Runner};
use super::parse::Scenario;

/// The first seed of every sweep: the app's "Check over N seeds", `sim
/// check` and `sim sweep` (without `--from`) all try seeds 1 to N, so a
/// count a lesson quotes is the count a learner sees (docs/scenarios.md,
/// "Seeds").
pub const FIRST_SEED: u64 = 1;

/// Everything one seed gives.
#[derive(Clone, Debug, Serialize)]
pub struct RunReport {
    /// The seed.
    pub seed: u64,
    /// True when every check held and the run finished.
    pub ok: bool,
    /// Each check.
    pub checks: Vec<CheckResult>,
    /// The metrics.
    pub metrics: Metrics,
    /// Why the run stopped early, if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Runs and evaluates one seed; also returns the raw outcome (for `--trace`).
pub fn run_seed(scenario: &Scenario, seed: u64) -> (RunReport, RunOutcome) {
    let outcome = run(scenario, seed);
    (report(scenario, &outcome), outcome)
}

/// Evaluates a finished run: its metrics and each check.
pub fn report(scenario: &Scenario, outcome: &RunOutcome) -> RunReport {
    let seed = outcome.seed;
    let metrics = compute(outcome);
    let checks: Vec<CheckResult> = scenario
        .config
        .checks
        .iter()
        .map(|c| evaluate(c, outcome, &metrics))
        .collect();
    RunReport {
        seed,
        ok: outcome.error.is_none() && checks.iter().all(|c| c.ok),
        checks,
        metrics,
        error: outcome.error.clone(),
    }
}

/// One check over a sweep.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SweepCheck {
    /// The check's name.
    pub name: String,
    /// Seeds where it held.
    pub passed: u64,
    /// Seeds where it failed.
    pub failed: u64,
    /// The first seed where it failed.
    pub first_failing_seed: Option<u64>,
    /// The explanation at that seed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_failure: Option<String>,
    /// "passed in 200/200 seeds" or "failed in 37 of 200 seeds, first at seed 5".
    pub summary: String,
}

impl SweepCheck {
    /// The summary with what went wrong at the first failing seed:
    /// "failed in 3 of 200 seeds, first at seed 17 (expected ...)".
    pub fn explained(&self) -> String {
        match &self.first_failure {
            Some(detail) => format!("{} ({detail})", self.summary),
            None => self.summary.clone(),
        }
    }
}

/// A check's results over a sweep.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SweepResult {
    /// How many seeds ran.
    pub seeds: u64,
    /// The first seed.
    pub from: u64,
    /// Each check, in scenario order.
    pub checks: Vec<SweepCheck>,
    /// Seeds where at least one check failed: how often the bug shows.
    pub failing_seeds: u64,
    /// Those seeds, in order, so each can be opened (the app lists them;
    /// `sim sweep` prints only the count and the first per check).
    #[serde(skip)]
    pub failing_seed_list: Vec<u64>,
}

impl SweepResult {
    /// True when every check held in every seed.
    pub fn all_passed(&self) -> bool {
        self.checks.iter().all(|c| c.failed == 0)
    }
}

/// Runs seeds `from`, `from + 1`, ... (`seeds` of them).
pub fn sweep(scenario: &Scenario, from: u64, seeds: u64) -> SweepResult {
    let mut runner = SweepRunner::start(scenario.clone(), from, seeds);
    while !runner.advance(u64::MAX) {}
    runner.take_judged()
}

/// A sweep advanced a number of events at a time, across seeds, so a
/// browser draws a frame between slices however long one seed runs.
pub struct SweepRunner {
    scenario: Scenario,
    /// The next seed to start, and the first seed not to run.
    next_seed: u64,
    end_seed: u64,
    current: Option<(u64, Runner)>,
    /// Seeds judged since the last [`SweepRunner::take_judged`].
    judged: SweepResult,
}

impl SweepRunner {
    /// A sweep of seeds `from`, `from + 1`, ... (`seeds` of them).
    pub fn start(scenario: Scenario, from: u64, seeds: u64) -> SweepRunner {
        let judged = empty_result(&scenario, from);
        SweepRunner {
            scenario,
            next_seed: from,
            end_seed: from.saturating_add(seeds),
            current: None,
            judged,
        }
    }

    /// Processes up to `max_events` events, judging each seed as it ends
    /// and starting the next; true once every seed is judged.
    pub fn advance(&mut self, max_events: u64) -> bool {
        let mut budget = max_events;
        loop {
            let (seed, mut runner) = match self.current.take() {
                Some(current) => current,
                None if self.next_seed < self.end_seed => {
                    let seed = self.next_seed;
                    self.next_seed += 1;
                    (seed, Runner::start(&self.scenario, seed))
                }
                None => return true,
            };
            // A seed's setup counts as one event, so a budget always ends.
            let slice = budget.max(1);
            let before = runner.events_processed();
            let finished = runner.advance(slice);
            let used = runner.events_processed().saturating_sub(before).max(1);
            if finished {
                let outcome = runner.into_outcome();
                let report = report(&self.scenario, &outcome);
                self.judge(seed, &report);
            } else {
                self.current = Some((seed, runner));
            }
            budget = budget.saturating_sub(used);
            if budget == 0 {
                return self.current.is_none() && self.next_seed >= self.end_seed;
            }
        }
    }

    fn judge(&mut self, seed: u64, report: &RunReport) {
        let judged = &mut self.judged;
        if judged.seeds == 0 {
            judged.from = seed;
        }
        judged.seeds += 1;
        if report.checks.iter().any(|c| !c.ok) {
            judged.failing_seeds += 1;
            judged.failing_seed_list.push(seed);
        }
        for (sum, result) in judged.checks.iter_mut().zip(&report.checks) {
            if result.ok {
                sum.passed += 1;
            } else {
                sum.failed += 1;
                if sum.first_failing_seed.is_none() {
                    sum.first_failing_seed = Some(seed);
                    sum.first_failure = Some(result.detail.clone());
                }
            }
        }
    }

    /// The seeds judged since the last call (possibly none), as one slice
    /// of the sweep.
    pub fn take_judged(&mut self) -> SweepResult {
        let next_from = self.next_seed;
        let mut judged =
            std::mem::replace(&mut self.judged, empty_result(&self.scenario, next_from));
        for c in &mut judged.checks {
            c.summary = summary(c.passed, c.failed, c.first_failing_seed);
        }
        judged
    }
}

fn empty_result(scenario: &Scenario, from: u64) -> SweepResult {
    SweepResult {
        seeds: 0,
        from,
        checks: scenario
            .config
            .checks
            .iter()
            .map(|c| SweepCheck {
                name: c.display_name(),
                passed: 0,
                failed: 0,
                first_failing_seed: None,
                first_failure: None,
                summary: String::new(),
            })
            .collect(),
        failing_seeds: 0,
        failing_seed_list: Vec::new(),
    }
}

/// The sentence for a check's sweep.
pub fn summary(passed: u64, failed: u64, first_failing_seed: Option<u64>) -> String {
    let total = passed + failed;
    match first_failing_seed {
        Some(seed) if failed > 0 => {
            format!("failed in {failed} of {total} seeds, first at seed {seed}")
        }
        _ => format!("passed in {passed}/{total} seeds"),
    }
}
