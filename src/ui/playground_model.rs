//! What the playground shows, computed without a browser: the lesson's
//! scenario and exercise, a run of one seed turned into rows, and a sweep
//! tallied chunk by chunk (so the page can yield between chunks and never
//! freezes). Components only display these values.

use crate::lessons::blocks::blocks_of_kind;
use crate::lessons::Lesson;
use crate::scenario::lesson_check::{lesson_exercises, ExerciseSetup};
use crate::scenario::metric_registry::{metric, METRICS};
use crate::scenario::outcome::Runner;
use crate::scenario::parse::parse;
use crate::scenario::source::lesson_scenarios;
use crate::scenario::sweep::{report, summary_in, SweepResult, SweepRunner, FIRST_SEED};
use crate::scenario::{MemoryFiles, RunRefusal, Scenario};

/// Metrics shown after a run, in this order, with their labels from the
/// registry ([`crate::scenario::metric_registry`]).
pub const SHOWN_METRICS: &[&str] = &[
    "messages_sent",
    "messages_processed",
    "invocations",
    "cold_starts",
    "peak_concurrency",
    "stale_overwrites",
    "max_queue_depth",
    "messages_in_dlq",
    "client_latency_p95_ms",
    "throttled_requests",
    "retries",
    "end_to_end_latency_p95_ms",
];

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
    fn with_code(&self, code: &str) -> Result<Scenario, RunRefusal> {
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

/// A finished (or stopped) run, ready to show.
fn view_of(scenario: &Scenario, outcome: crate::scenario::RunOutcome) -> RunView {
    let seed = outcome.seed;
    let report = report(scenario, &outcome);
    let metrics = SHOWN_METRICS
        .iter()
        .filter_map(|name| {
            let label = metric(name)?.label;
            report
                .metrics
                .get(name)
                .map(|value| (label.to_string(), value))
        })
        .collect();
    let store = outcome
        .snapshot
        .as_ref()
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
    let first_failure = outcome
        .trace
        .iter()
        .filter(|e| e.kind == crate::sim::TraceKind::InvocationFailed)
        .find_map(|e| Some((e.details.reason()?, e.details.line())));
    let failed_invocations = first_failure.map(|(r, line)| match line {
        Some(line) => format!("line {line}: {r}"),
        None => r.to_string(),
    });
    // A run that stopped with an error shows that error, not a handler's.
    let error_line = match report.error {
        Some(_) => None,
        None => first_failure.and_then(|(_, line)| line),
    };
    let compare = compare_view(&report.metrics, &scenario.config);
    let charts = charts(&report.metrics, &outcome.trace);
    RunView {
        compare,
        charts,
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
        error_line,
        end_ms: outcome.end_ms,
        trace: outcome.trace,
        final_snapshot: outcome.snapshot,
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
        Ok(Replay {
            scenario: self.with_code(code)?,
            seed,
            runner: None,
            at_ms: 0,
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
        if !continues {
            self.runner = Some(Runner::start_cut(&self.scenario, self.seed, time_ms));
        }
        self.at_ms = time_ms;
        let runner = self.runner.as_mut()?;
        while !runner.advance(u64::MAX) {}
        let (time_ms, snapshot, trace) = runner.peek()?;
        Some(Moment {
            time_ms,
            snapshot,
            trace,
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
#[derive(Clone, Debug, PartialEq)]
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
    /// The line of the learner's code to mark: where the code the run
    /// refused is at fault, else where the first failed invocation failed.
    pub error_line: Option<u32>,
    /// Virtual time at the end.
    pub end_ms: u64,
    /// The whole trace (for the diagrams).
    pub trace: Vec<crate::sim::TraceEvent>,
    /// The world at the end (for the system view).
    pub final_snapshot: Option<crate::sim::WorldSnapshot>,
    /// Side by side client metrics, when the scenario has several clients.
    pub compare: Option<CompareView>,
    /// Charts: queue depth and client latency over time.
    pub charts: Vec<Chart>,
}

/// Client metrics side by side (the compare view).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompareView {
    /// Column headings: each client, with its flow.
    pub clients: Vec<String>,
    /// Row label and one value per client.
    pub rows: Vec<(String, Vec<u64>)>,
}

/// A chart: named series of (time, value) points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chart {
    /// Its title (also its accessible name).
    pub title: String,
    /// What the values are.
    pub unit: String,
    /// What the horizontal axis counts (`ms` for time series).
    pub x_unit: String,
    /// Series name and points, in time order.
    pub series: Vec<(String, Vec<(u64, u64)>)>,
    /// Draw points only (a scatter) instead of lines.
    pub scatter: bool,
}

fn compare_view(
    metrics: &crate::scenario::Metrics,
    file: &crate::scenario::ScenarioFile,
) -> Option<CompareView> {
    if metrics.clients.len() < 2 {
        return None;
    }
    let flow = |name: &str| {
        file.clients
            .iter()
            .find(|c| c.name == name)
            .map(|c| match &c.target {
                crate::scenario::Target::Endpoint(_) => "server API",
                _ => "event-driven",
            })
            .unwrap_or("client")
    };
    let clients = metrics
        .clients
        .keys()
        .map(|name| format!("{name} ({})", flow(name)))
        .collect();
    // Every per-client metric of the registry, with its row label.
    let rows = METRICS
        .iter()
        .filter_map(|m| Some((m.name, m.client_row()?)))
        .map(|(key, label)| {
            let values = metrics
                .clients
                .values()
                .map(|m| m.get(key).copied().unwrap_or(0))
                .collect();
            (label.to_string(), values)
        })
        .collect();
    Some(CompareView { clients, rows })
}

fn charts(metrics: &crate::scenario::Metrics, trace: &[crate::sim::TraceEvent]) -> Vec<Chart> {
    let mut out = Vec::new();
    let depth: Vec<(String, Vec<(u64, u64)>)> = metrics
        .queue_depth
        .iter()
        .filter(|(_, samples)| samples.iter().any(|s| s.depth > 0))
        .map(|(queue, samples)| {
            (
                queue.clone(),
                samples.iter().map(|s| (s.time_ms, s.depth)).collect(),
            )
        })
        .collect();
    if !depth.is_empty() {
        out.push(Chart {
            title: "Queue depth over time".into(),
            unit: "messages".into(),
            x_unit: "ms".into(),
            series: depth,
            scatter: false,
        });
    }
    let mut latency: std::collections::BTreeMap<String, Vec<(u64, u64)>> = Default::default();
    for e in trace {
        if e.kind == crate::sim::TraceKind::ClientResponded && e.details.status_code() == Some(200)
        {
            if let (crate::sim::ActorId::Client(name), Some(ms)) =
                (&e.actor, e.details.duration_ms())
            {
                latency
                    .entry(name.to_string())
                    .or_default()
                    .push((e.time_ms, ms));
            }
        }
    }
    if latency
        .values()
        .any(|points| points.iter().any(|p| p.1 > 0))
    {
        out.push(Chart {
            title: "Client latency of each successful call".into(),
            unit: "ms".into(),
            x_unit: "ms".into(),
            series: latency.into_iter().collect(),
            scatter: true,
        });
    }
    out
}

impl RunView {
    /// A run that could not start or go on, with the reason (and the line
    /// of code at fault, when the reason has one).
    pub fn error(seed: u64, why: impl Into<RunRefusal>) -> RunView {
        let why = why.into();
        RunView {
            seed,
            ok: false,
            checks: Vec::new(),
            metrics: Vec::new(),
            store: Vec::new(),
            error: Some(why.message),
            first_handler_error: None,
            error_line: why.code_line,
            end_ms: 0,
            trace: Vec::new(),
            final_snapshot: None,
            compare: None,
            charts: Vec::new(),
        }
    }

    /// A run the learner stopped: say so above its checks.
    pub fn stopped_by_learner(mut self) -> RunView {
        let note = format!(
            "You stopped the run at {} ms; the checks judge the state it had reached.",
            self.end_ms
        );
        self.error = Some(match self.error.take() {
            Some(e) => format!("{note} {e}"),
            None => note,
        });
        // The note replaces the handler errors it stopped short of.
        self.error_line = None;
        self.ok = false;
        self
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
