//! What the playground shows, computed without a browser: the lesson's
//! scenario and exercise, a run of one seed turned into rows, and a sweep
//! tallied chunk by chunk (so the page can yield between chunks and never
//! freezes). Components only display these values.

use crate::lessons::Lesson;
use crate::scenario::lesson_check::{lesson_exercises, ExerciseSetup};
use crate::scenario::source::lesson_scenarios;
use crate::scenario::sweep::{run_seed, summary, SweepResult};
use crate::scenario::{MemoryFiles, Scenario};

/// Seeds judged per slice of a sweep before the page gets a frame back.
pub const SEEDS_PER_SLICE: u64 = 10;

/// Metrics shown after a run, with their labels, in this order.
pub const SHOWN_METRICS: &[(&str, &str)] = &[
    ("messages_sent", "Saves sent"),
    ("messages_processed", "Messages processed"),
    ("invocations", "Invocations"),
    ("cold_starts", "Cold starts"),
    ("peak_concurrency", "Peak concurrency"),
    ("stale_overwrites", "Stale overwrites"),
    ("max_queue_depth", "Max queue depth"),
    ("messages_in_dlq", "Messages in DLQ"),
    ("client_latency_p95_ms", "Client latency p95 (ms)"),
    ("throttled_requests", "Throttled requests (429)"),
    ("retries", "Client retries"),
    ("end_to_end_latency_p95_ms", "End-to-end latency p95 (ms)"),
];

/// A lesson's live part.
#[derive(Clone, Debug)]
pub struct PlaygroundSetup {
    /// The scenario the playground runs.
    pub scenario: Scenario,
    /// The exercise, when the lesson has one.
    pub exercise: Option<ExerciseSetup>,
}

impl PlaygroundSetup {
    /// The lesson's playground: `None` when it has no scenario block, an
    /// error (in words, with the lesson's line) when its blocks are broken.
    pub fn from_lesson(lesson: &Lesson) -> Option<Result<PlaygroundSetup, String>> {
        let file = format!("{}.md", lesson.meta.id);
        let text = &lesson.body_markdown;
        let files = MemoryFiles(&[]);
        let mut scenarios = lesson_scenarios(&file, text, &files);
        if scenarios.is_empty() {
            return None;
        }
        let scenario = match scenarios.remove(0) {
            Ok(s) => s,
            Err(diagnostics) => {
                let lines: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
                return Some(Err(lines.join("\n")));
            }
        };
        let (mut exercises, _, problems) = lesson_exercises(&file, text, &files);
        if !problems.is_empty() {
            return Some(Err(problems.join("\n")));
        }
        let exercise = (!exercises.is_empty()).then(|| exercises.remove(0));
        Some(Ok(PlaygroundSetup { scenario, exercise }))
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

    /// Seeds a full check runs over.
    pub fn seeds(&self) -> u64 {
        match &self.exercise {
            Some(e) => e.seeds(),
            None => self.scenario.config.scenario.seeds,
        }
    }

    /// The scenario with the learner's code in place.
    fn with_code(&self, code: &str) -> Result<Scenario, String> {
        let mut scenario = self.scenario.clone();
        if let Some(name) = self.editable_function() {
            scenario.replace_code(&name, code.to_string())?;
        }
        scenario.engine_check()?;
        Ok(scenario)
    }

    /// Runs one seed with `code`.
    pub fn run(&self, code: &str, seed: u64) -> RunView {
        let scenario = match self.with_code(code) {
            Ok(s) => s,
            Err(e) => return RunView::error(seed, e),
        };
        let (report, outcome) = run_seed(&scenario, seed);
        let metrics = SHOWN_METRICS
            .iter()
            .filter_map(|(key, label)| {
                report
                    .metrics
                    .get(key)
                    .map(|value| (label.to_string(), value))
            })
            .collect();
        let store = outcome
            .snapshot
            .map(|s| {
                s.store
                    .items
                    .iter()
                    .map(|item| {
                        let shown =
                            item.effective_version
                                .clone()
                                .unwrap_or_else(|| match &item.value {
                                    serde_json::Value::String(s) => s.clone(),
                                    other => other.to_string(),
                                });
                        (item.key.clone(), shown)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let failed_invocations = outcome
            .trace
            .iter()
            .filter(|e| e.kind == crate::sim::TraceKind::InvocationFailed)
            .filter_map(|e| {
                e.details.reason.as_ref().map(|r| match e.details.line {
                    Some(line) => format!("line {line}: {r}"),
                    None => r.to_string(),
                })
            })
            .next();
        RunView {
            seed,
            ok: report.ok,
            checks: report
                .checks
                .into_iter()
                .map(|c| CheckRow {
                    name: c.name,
                    ok: c.ok,
                    detail: c.detail,
                })
                .collect(),
            metrics,
            store,
            error: report.error,
            first_handler_error: failed_invocations,
            end_ms: outcome.end_ms,
        }
    }

    /// Judges `seeds` seeds from `from` with `code` (one slice of a sweep).
    pub fn sweep_slice(&self, code: &str, from: u64, seeds: u64) -> Result<SweepResult, String> {
        let scenario = self.with_code(code)?;
        Ok(crate::scenario::sweep(&scenario, from, seeds))
    }
}

/// One check's verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckRow {
    /// Name.
    pub name: String,
    /// Held.
    pub ok: bool,
    /// Explanation.
    pub detail: String,
}

/// A run of one seed, ready to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunView {
    /// The seed.
    pub seed: u64,
    /// Every check held.
    pub ok: bool,
    /// Each check.
    pub checks: Vec<CheckRow>,
    /// Label and value of the metrics shown.
    pub metrics: Vec<(String, u64)>,
    /// The store at the end: key and version (or value).
    pub store: Vec<(String, String)>,
    /// Why the run could not start or stopped early.
    pub error: Option<String>,
    /// The first handler error, with its line, if any invocation failed.
    pub first_handler_error: Option<String>,
    /// Virtual time at the end.
    pub end_ms: u64,
}

impl RunView {
    fn error(seed: u64, message: String) -> RunView {
        RunView {
            seed,
            ok: false,
            checks: Vec::new(),
            metrics: Vec::new(),
            store: Vec::new(),
            error: Some(message),
            first_handler_error: None,
            end_ms: 0,
        }
    }
}

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
}

impl SweepTally {
    /// An empty tally of `total` seeds.
    pub fn new(total: u64) -> Self {
        SweepTally {
            total,
            ..SweepTally::default()
        }
    }

    /// Adds one slice's result.
    pub fn add(&mut self, slice: &SweepResult) {
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
                }
            }
        }
        self.done += slice.seeds;
    }

    /// Finished.
    pub fn is_done(&self) -> bool {
        self.done >= self.total
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
                let mut text = summary(c.passed, c.failed, first.map(|f| f.0));
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
