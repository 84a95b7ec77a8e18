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
        .map(|c| evaluate(c, outcome, &metrics, &scenario.config.clients))
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
    /// The variant that seed belongs to (none: the scenario itself).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_failing_variant: Option<String>,
    /// The explanation at that seed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_failure: Option<String>,
    /// "passed in 200/200 seeds" or "failed in 37 of 200 seeds, first at
    /// seed 5" (with "of variant `name`" when a variant failed first).
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

/// How one variant fared in a sweep over variants.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VariantTally {
    /// The variant's name.
    pub name: String,
    /// Seeds judged.
    pub seeds: u64,
    /// Seeds where at least one check failed.
    pub failing_seeds: u64,
    /// The first of them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_failing_seed: Option<u64>,
}

/// A check's results over a sweep.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SweepResult {
    /// How many seeds ran (over every variant).
    pub seeds: u64,
    /// The first seed.
    pub from: u64,
    /// Each check, in scenario order.
    pub checks: Vec<SweepCheck>,
    /// Seeds where at least one check failed: how often the bug shows.
    pub failing_seeds: u64,
    /// Per variant, when the sweep ran an exercise's variants.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<VariantTally>,
    /// The first run, in sweep order, where a check failed: its variant
    /// (none: the scenario itself) and seed. The run to open.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_failing_run: Option<(Option<String>, u64)>,
    /// Every run where a check failed, in sweep order: its variant (none:
    /// the scenario itself) and seed, so each can be opened (the app lists
    /// them; `sim sweep` and `sim judge` print only the count and the first).
    #[serde(skip)]
    pub failing_seed_list: Vec<(Option<String>, u64)>,
}

impl SweepResult {
    /// True when every check held in every seed.
    pub fn all_passed(&self) -> bool {
        self.checks.iter().all(|c| c.failed == 0)
    }

    /// The first failing run: its variant (none: the scenario) and seed.
    pub fn first_failing_run(&self) -> Option<(Option<String>, u64)> {
        self.first_failing_run.clone()
    }
}

/// Runs seeds `from`, `from + 1`, ... (`seeds` of them).
pub fn sweep(scenario: &Scenario, from: u64, seeds: u64) -> SweepResult {
    let mut runner = SweepRunner::start(scenario.clone(), from, seeds);
    while !runner.advance(u64::MAX) {}
    runner.take_judged()
}

/// One scenario of a sweep over variants: the exercise's own (no variant
/// name) or one variant's.
#[derive(Clone, Debug)]
pub struct SweepPart {
    /// The variant's name; none for the scenario itself.
    pub variant: Option<String>,
    /// The scenario it runs.
    pub scenario: Scenario,
    /// Its first seed.
    pub from: u64,
    /// How many seeds.
    pub seeds: u64,
}

/// Runs every part in turn and sums the verdicts.
pub fn sweep_parts(parts: Vec<SweepPart>) -> SweepResult {
    let mut runner = SweepRunner::start_parts(parts);
    while !runner.advance(u64::MAX) {}
    runner.take_judged()
}

/// A sweep advanced a number of events at a time, across seeds (and
/// variants), so a browser draws a frame between slices however long one
/// seed runs.
pub struct SweepRunner {
    parts: Vec<SweepPart>,
    /// The part running, the next seed to start in it.
    part: usize,
    next_seed: u64,
    current: Option<(u64, Runner)>,
    /// Seeds judged since the last [`SweepRunner::take_judged`].
    judged: SweepResult,
}

impl SweepRunner {
    /// A sweep of seeds `from`, `from + 1`, ... (`seeds` of them).
    pub fn start(scenario: Scenario, from: u64, seeds: u64) -> SweepRunner {
        SweepRunner::start_parts(vec![SweepPart {
            variant: None,
            scenario,
            from,
            seeds,
        }])
    }

    /// A sweep of each part's seeds, part after part. The parts share the
    /// checks of the first (an exercise's variants keep its checks).
    pub fn start_parts(parts: Vec<SweepPart>) -> SweepRunner {
        let from = parts.first().map_or(0, |p| p.from);
        let judged = empty_result(parts.first().map(|p| &p.scenario), from);
        SweepRunner {
            next_seed: from,
            parts,
            part: 0,
            current: None,
            judged,
        }
    }

    /// The next seed to start, moving to the next part when one is done.
    fn next_run(&mut self) -> Option<u64> {
        while let Some(part) = self.parts.get(self.part) {
            if self.next_seed < part.from.saturating_add(part.seeds) {
                let seed = self.next_seed;
                self.next_seed += 1;
                return Some(seed);
            }
            self.part += 1;
            self.next_seed = self.parts.get(self.part).map_or(0, |p| p.from);
        }
        None
    }

    /// Processes up to `max_events` events, judging each seed as it ends
    /// and starting the next; true once every seed is judged.
    pub fn advance(&mut self, max_events: u64) -> bool {
        let mut budget = max_events;
        loop {
            let (seed, mut runner) = match self.current.take() {
                Some(current) => current,
                None => match self.next_run() {
                    Some(seed) => (seed, Runner::start(&self.parts[self.part].scenario, seed)),
                    None => return true,
                },
            };
            // A seed's setup counts as one event, so a budget always ends.
            let slice = budget.max(1);
            let before = runner.events_processed();
            let finished = runner.advance(slice);
            let used = runner.events_processed().saturating_sub(before).max(1);
            if finished {
                let outcome = runner.into_outcome();
                let report = report(&self.parts[self.part].scenario, &outcome);
                self.judge(seed, &report);
            } else {
                self.current = Some((seed, runner));
            }
            budget = budget.saturating_sub(used);
            if budget == 0 {
                return self.current.is_none() && self.is_last_seed_started();
            }
        }
    }

    fn is_last_seed_started(&self) -> bool {
        self.parts[self.part..].iter().enumerate().all(|(i, p)| {
            let first = if i == 0 { self.next_seed } else { p.from };
            first >= p.from.saturating_add(p.seeds)
        })
    }

    fn judge(&mut self, seed: u64, report: &RunReport) {
        let variant = self.parts[self.part].variant.clone();
        let judged = &mut self.judged;
        if judged.seeds == 0 {
            judged.from = seed;
        }
        judged.seeds += 1;
        let failing = report.checks.iter().any(|c| !c.ok);
        if failing {
            judged.failing_seeds += 1;
            judged.failing_seed_list.push((variant.clone(), seed));
            judged
                .first_failing_run
                .get_or_insert_with(|| (variant.clone(), seed));
        }
        if let Some(name) = &variant {
            tally_variant(&mut judged.variants, name, seed, failing);
        }
        for (sum, result) in judged.checks.iter_mut().zip(&report.checks) {
            if result.ok {
                sum.passed += 1;
            } else {
                sum.failed += 1;
                if sum.first_failing_seed.is_none() {
                    sum.first_failing_seed = Some(seed);
                    sum.first_failing_variant = variant.clone();
                    sum.first_failure = Some(result.detail.clone());
                }
            }
        }
    }

    /// The seeds judged since the last call (possibly none), as one slice
    /// of the sweep.
    pub fn take_judged(&mut self) -> SweepResult {
        let next_from = self.next_seed;
        let scenario = self.parts.first().map(|p| &p.scenario);
        let mut judged = std::mem::replace(&mut self.judged, empty_result(scenario, next_from));
        for c in &mut judged.checks {
            c.summary = summary_in(
                c.passed,
                c.failed,
                c.first_failing_seed,
                c.first_failing_variant.as_deref(),
            );
        }
        judged
    }
}

fn tally_variant(variants: &mut Vec<VariantTally>, name: &str, seed: u64, failing: bool) {
    if variants.last().is_none_or(|v| v.name != name) {
        variants.push(VariantTally {
            name: name.to_string(),
            seeds: 0,
            failing_seeds: 0,
            first_failing_seed: None,
        });
    }
    let Some(tally) = variants.last_mut() else {
        return;
    };
    tally.seeds += 1;
    if failing {
        tally.failing_seeds += 1;
        tally.first_failing_seed.get_or_insert(seed);
    }
}

fn empty_result(scenario: Option<&Scenario>, from: u64) -> SweepResult {
    let checks = scenario.map_or(&[][..], |s| &s.config.checks[..]);
    SweepResult {
        seeds: 0,
        from,
        checks: checks
            .iter()
            .map(|c| SweepCheck {
                name: c.display_name(),
                passed: 0,
                failed: 0,
                first_failing_seed: None,
                first_failing_variant: None,
                first_failure: None,
                summary: String::new(),
            })
            .collect(),
        failing_seeds: 0,
        variants: Vec::new(),
        first_failing_run: None,
        failing_seed_list: Vec::new(),
    }
}

/// The sentence for a check's sweep.
pub fn summary(passed: u64, failed: u64, first_failing_seed: Option<u64>) -> String {
    summary_in(passed, failed, first_failing_seed, None)
}

/// The sentence for a check's sweep over variants: "failed in 3 of 600
/// seeds, first at seed 17 of variant `store errors`".
pub fn summary_in(
    passed: u64,
    failed: u64,
    first_failing_seed: Option<u64>,
    variant: Option<&str>,
) -> String {
    let total = passed + failed;
    match first_failing_seed {
        Some(seed) if failed > 0 => {
            let of = variant
                .map(|v| format!(" of variant `{v}`"))
                .unwrap_or_default();
            format!("failed in {failed} of {total} seeds, first at seed {seed}{of}")
        }
        _ => format!("passed in {passed}/{total} seeds"),
    }
}
