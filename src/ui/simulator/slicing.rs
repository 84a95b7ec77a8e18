//! Runs and sweeps cut into slices of about a frame, so the page answers
//! clicks while they go on (docs/performance.md, "Judging in the browser").
//! Pure: the clock is passed in, so plain `cargo test` drives a slice with a
//! fake one (tests/ui_slicing.rs); the hooks `use_sliced_run` and
//! `use_sweep` pass `Date.now` and yield to the page between slices.

use super::playground_model::SlicedRun;
use super::run_view::RunView;
use crate::scenario::sweep::{SweepResult, SweepRunner};

/// Wall-clock time a slice may take before the page gets a frame back.
pub const SLICE_BUDGET_MS: f64 = 12.0;
/// Events per step inside a slice: small, so a slice stops soon after its
/// budget even when each event is a handler that loops until its limit.
pub const EVENTS_PER_STEP: u64 = 50;

/// Most events in one slice, whatever the clock says: a browser that
/// coarsens `Date.now` (to 100 ms against fingerprinting) still gets its
/// frames. Only a bound; the time budget ends slices first (about 12 ms are
/// a few thousand events), so a cheap scenario's check is not cut into
/// slices shorter than a frame's worth of work.
pub const MAX_EVENTS_PER_SLICE: u64 = 50_000;

/// Advances (`advance(n)` processes up to `n` events, true when done) for
/// about [`SLICE_BUDGET_MS`] of `now_ms` and at most
/// [`MAX_EVENTS_PER_SLICE`] events, so clicks are answered within a frame or
/// one slow invocation, not after a whole slice of slow invocations (issue
/// 18: 1.2-1.7 s with a looping handler). True when done.
pub fn advance_for_a_frame(
    mut now_ms: impl FnMut() -> f64,
    mut advance: impl FnMut(u64) -> bool,
) -> bool {
    let started = now_ms();
    let mut events = 0;
    while events < MAX_EVENTS_PER_SLICE {
        if advance(EVENTS_PER_STEP) {
            return true;
        }
        events += EVENTS_PER_STEP;
        if now_ms() - started > SLICE_BUDGET_MS {
            break;
        }
    }
    false
}

/// Where a run is after one slice.
pub enum RunFrame {
    /// Still going: the run, to advance on the next frame (boxed once when
    /// it starts, so a frame moves a pointer, not the world).
    Going(Box<SlicedRun>),
    /// Over (finished, or stopped by the learner): what to show.
    Ended(Box<RunView>),
}

/// Advances `run` for one slice; `stop_requested` is asked after the slice
/// (the learner pressed Stop while the page had its turn). A stopped run
/// shows the state it reached, and says it was stopped.
pub fn run_frame(
    mut run: Box<SlicedRun>,
    now_ms: impl FnMut() -> f64,
    stop_requested: bool,
) -> RunFrame {
    let finished = advance_for_a_frame(now_ms, |n| run.advance(n));
    if !finished && !stop_requested {
        return RunFrame::Going(run);
    }
    let view = run.into_view();
    RunFrame::Ended(Box::new(if finished {
        view
    } else {
        view.stopped_by_learner()
    }))
}

/// Advances `sweep` for one slice: whether every seed is judged, and the
/// seeds judged in this slice (to add to the tally).
pub fn sweep_frame(sweep: &mut SweepRunner, now_ms: impl FnMut() -> f64) -> (bool, SweepResult) {
    let finished = advance_for_a_frame(now_ms, |n| sweep.advance(n));
    (finished, sweep.take_judged())
}

/// The run shown in the system view: its code, seed, view and variant
/// (none: the exercise's own scenario).
#[derive(Clone, Debug, PartialEq)]
pub struct ShownRun {
    /// The learner's code it ran.
    pub code: String,
    /// Its seed.
    pub seed: u64,
    /// Its result.
    pub view: RunView,
    /// The variant it ran (none: the exercise's own scenario).
    pub variant: Option<String>,
    /// The "what if?" acts applied in it (none: the run as written;
    /// docs/interventions.md).
    pub interventions: Vec<crate::sim::Intervention>,
    /// The moment playback opens at (none: the run's end).
    pub start_ms: Option<u64>,
}

impl ShownRun {
    /// The run to draw, if it ended with a world to draw (a run that could
    /// not start has none).
    pub fn of_ended(
        code: String,
        seed: u64,
        view: &RunView,
        variant: Option<String>,
    ) -> Option<Self> {
        view.final_snapshot.is_some().then(|| ShownRun {
            code,
            seed,
            view: view.clone(),
            variant,
            interventions: Vec::new(),
            start_ms: None,
        })
    }
}
