//! Runs a scenario once or over many seeds and reports each check, with the
//! phrases the UI and `sim` print ("passed in 200/200 seeds", "failed in
//! 37 of 200 seeds, first at seed 5").

use serde::Serialize;

use super::checks::{evaluate, CheckResult};
use super::metrics::{compute, Metrics};
use super::outcome::{run, RunOutcome};
use super::parse::Scenario;

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
}

impl SweepResult {
    /// True when every check held in every seed.
    pub fn all_passed(&self) -> bool {
        self.checks.iter().all(|c| c.failed == 0)
    }
}

/// Runs seeds `from`, `from + 1`, ... (`seeds` of them).
pub fn sweep(scenario: &Scenario, from: u64, seeds: u64) -> SweepResult {
    let mut checks: Vec<SweepCheck> = scenario
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
        .collect();
    let mut failing_seeds = 0;
    for i in 0..seeds {
        let seed = from.wrapping_add(i);
        let (report, _) = run_seed(scenario, seed);
        if report.checks.iter().any(|c| !c.ok) {
            failing_seeds += 1;
        }
        for (sum, result) in checks.iter_mut().zip(&report.checks) {
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
    for c in &mut checks {
        c.summary = summary(c.passed, c.failed, c.first_failing_seed);
    }
    SweepResult {
        seeds,
        from,
        checks,
        failing_seeds,
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
