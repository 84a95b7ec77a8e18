//! A sweep's running totals, slice by slice: the slices add up to the same
//! verdict as one whole sweep (tests/ui_playground_model.rs).

use super::run_view::Chart;
use crate::scenario::sweep::{summary_in, SweepResult};

/// One check's totals over the seeds judged so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckTally {
    /// The check's name.
    pub name: String,
    /// Seeds where it held.
    pub passed: u64,
    /// Seeds where it failed.
    pub failed: u64,
    /// The first failing seed and what went wrong there.
    pub first_failure: Option<(u64, String)>,
    /// The variant of that seed (none: the exercise's own scenario).
    pub first_failing_variant: Option<String>,
}

/// A sweep's running totals, slice by slice.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SweepTally {
    /// Seeds judged so far.
    pub done: u64,
    /// Seeds to judge.
    pub total: u64,
    /// Each check's totals.
    pub checks: Vec<CheckTally>,
    /// Seeds where at least one check failed.
    pub failing_seeds: u64,
    /// The first run where a check failed: its variant and seed.
    pub first_failing: Option<(Option<String>, u64)>,
    /// After each slice: seeds judged, and the percentage of them where a
    /// check failed. The chart of how often the bug shows.
    pub share_history: Vec<(u64, u64)>,
    /// The runs where a check failed, in order: each its variant (none:
    /// the exercise's own scenario) and seed, and each opens its run.
    pub failing: Vec<(Option<String>, u64)>,
    /// The learner pressed Stop (or started something else) before the end.
    pub stopped: bool,
}

impl SweepTally {
    /// An empty tally of `total` seeds.
    pub fn new(total: u64) -> Self {
        SweepTally {
            total,
            ..SweepTally::default()
        }
    }

    /// Adds one slice's result (a slice that judged no seed adds nothing).
    pub fn add(&mut self, slice: &SweepResult) {
        if slice.seeds == 0 {
            return;
        }
        if self.checks.is_empty() {
            self.checks = slice
                .checks
                .iter()
                .map(|c| CheckTally {
                    name: c.name.clone(),
                    ..CheckTally::default()
                })
                .collect();
        }
        for (sum, c) in self.checks.iter_mut().zip(&slice.checks) {
            sum.passed += c.passed;
            sum.failed += c.failed;
            if sum.first_failure.is_none() {
                if let Some(seed) = c.first_failing_seed {
                    sum.first_failure = Some((seed, c.first_failure.clone().unwrap_or_default()));
                    sum.first_failing_variant = c.first_failing_variant.clone();
                }
            }
        }
        self.done += slice.seeds;
        self.failing_seeds += slice.failing_seeds;
        if self.first_failing.is_none() {
            self.first_failing = slice.first_failing_run.clone();
        }
        self.failing.extend(slice.failing_seed_list.iter().cloned());
        let share = (self.failing_seeds * 100)
            .checked_div(self.done)
            .unwrap_or(0);
        if self.share_history.is_empty() {
            self.share_history.push((0, share));
        }
        self.share_history.push((self.done, share));
    }

    /// The chart of the share of seeds where a check failed, as the sweep
    /// goes on: it settles at how often the bug shows. `None` before the
    /// first slice.
    pub fn share_chart(&self) -> Option<Chart> {
        if self.share_history.is_empty() {
            return None;
        }
        Some(Chart {
            title: format!(
                "Seeds where a check failed: {} of {}{}",
                self.failing_seeds,
                self.done,
                if self.is_done() { "" } else { " so far" }
            ),
            unit: "%".into(),
            x_unit: "seeds".into(),
            series: vec![(
                "share of seeds with a failed check".into(),
                self.share_history.clone(),
            )],
            scatter: false,
        })
    }

    /// The first failing run, to open it: its variant (none: the
    /// exercise's own scenario) and seed.
    pub fn first_failing_run(&self) -> Option<(Option<String>, u64)> {
        self.first_failing.clone()
    }

    /// Finished.
    pub fn is_done(&self) -> bool {
        self.done >= self.total
    }

    /// Still going: neither finished nor stopped.
    pub fn is_running(&self) -> bool {
        !self.is_done() && !self.stopped
    }

    /// The heading of the sweep: how far it got and how it ended.
    pub fn verdict(&self) -> String {
        let failed = |over: String| format!("Some checks failed {over}");
        match (self.is_done(), self.stopped, self.all_passed()) {
            (false, false, _) => format!("Checking… {} of {} seeds", self.done, self.total),
            (false, true, true) => format!(
                "Stopped after {} of {} seeds: every check passed so far",
                self.done, self.total
            ),
            (false, true, false) => failed(format!(
                "in the {} of {} seeds checked before Stop",
                self.done, self.total
            )),
            (true, _, true) => format!("All checks passed in {}/{} seeds", self.total, self.total),
            (true, _, false) => failed(format!("over {} seeds", self.total)),
        }
    }

    /// Every check held in every seed so far.
    pub fn all_passed(&self) -> bool {
        self.checks.iter().all(|c| c.failed == 0)
    }

    /// Per check, the sentence the checks panel shows.
    pub fn lines(&self) -> Vec<(String, bool, String)> {
        self.checks
            .iter()
            .map(|c| {
                let first = c.first_failure.as_ref();
                let variant = c.first_failing_variant.as_deref();
                let mut text = summary_in(c.passed, c.failed, first.map(|f| f.0), variant);
                if let Some((_, detail)) = first {
                    text.push_str(&format!(": {detail}"));
                }
                (c.name.clone(), c.failed == 0, text)
            })
            .collect()
    }

    /// Percent done, 0 to 100.
    pub fn percent(&self) -> u64 {
        (self.done * 100)
            .checked_div(self.total)
            .unwrap_or(100)
            .min(100)
    }
}
