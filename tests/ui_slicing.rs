//! Runs and sweeps cut into frame-sized slices, natively: the logic of the
//! playground's `use_sliced_run` and `use_sweep` hooks, driven by a fake
//! clock instead of `Date.now`.

use std::cell::Cell;

use event_playground::scenario::sweep;
use event_playground::ui::simulator::playground_model::PlaygroundSetup;
use event_playground::ui::simulator::slicing::{
    advance_for_a_frame, run_frame, sweep_frame, RunFrame, ShownRun, EVENTS_PER_STEP,
    MAX_EVENTS_PER_SLICE, SLICE_BUDGET_MS,
};
use event_playground::ui::simulator::sweep_tally::SweepTally;

mod ui_common;
use ui_common::setup;

/// A clock that moves `step_ms` each time it is read.
fn ticking(step_ms: f64) -> impl FnMut() -> f64 {
    let now = Cell::new(0.0);
    move || {
        now.set(now.get() + step_ms);
        now.get()
    }
}

#[test]
fn a_slice_ends_once_its_time_budget_is_spent() {
    let mut steps = 0;
    // One millisecond per step: the budget allows about twelve.
    let done = advance_for_a_frame(ticking(1.0), |n| {
        assert_eq!(n, EVENTS_PER_STEP);
        steps += 1;
        false
    });
    assert!(!done);
    assert_eq!(steps, SLICE_BUDGET_MS as u64 + 1);
}

#[test]
fn a_frozen_clock_still_ends_the_slice_at_the_event_bound() {
    // A browser that coarsens Date.now shows no time passing.
    let mut events = 0;
    let done = advance_for_a_frame(
        || 0.0,
        |n| {
            events += n;
            false
        },
    );
    assert!(!done);
    assert_eq!(events, MAX_EVENTS_PER_SLICE);
}

#[test]
fn a_slice_stops_as_soon_as_the_work_is_done() {
    let mut steps = 0;
    let done = advance_for_a_frame(
        || 0.0,
        |_| {
            steps += 1;
            steps == 3
        },
    );
    assert!(done);
    assert_eq!(steps, 3);
}

/// Runs `code` with `seed` a frame at a time until it ends; the frames
/// taken and what the run panel shows.
fn run_in_frames(
    s: &PlaygroundSetup,
    code: &str,
    seed: u64,
    stop_after: Option<usize>,
) -> (usize, RunFrame) {
    let mut run = Box::new(s.start_run(code, seed).expect("starts"));
    let mut frames = 0;
    loop {
        frames += 1;
        // Each read of the clock spends the budget: slices of one step.
        let stop = stop_after.is_some_and(|n| frames >= n);
        match run_frame(run, ticking(SLICE_BUDGET_MS + 1.0), stop) {
            RunFrame::Going(next) => run = next,
            ended => return (frames, ended),
        }
    }
}

#[test]
fn a_run_in_frames_shows_what_one_whole_run_shows() {
    let s = setup();
    let code = s.starting_code();
    let (frames, ended) = run_in_frames(&s, &code, 4, None);
    let RunFrame::Ended(view) = ended else {
        panic!("the run ended")
    };
    assert!(frames > 1, "the run took more than one frame");
    assert_eq!(*view, s.run(&code, 4));
    assert!(view.error.is_none(), "{:?}", view.error);
}

#[test]
fn a_stopped_run_shows_the_state_it_reached_and_says_so() {
    let s = setup();
    let code = s.starting_code();
    let (frames, ended) = run_in_frames(&s, &code, 4, Some(1));
    let RunFrame::Ended(view) = ended else {
        panic!("the run ended")
    };
    assert_eq!(frames, 1);
    let whole = s.run(&code, 4);
    assert!(view.end_ms < whole.end_ms, "stopped before its end");
    assert!(!view.ok);
    let note = view.error.as_deref().expect("a note");
    assert!(
        note.starts_with(&format!("You stopped the run at {} ms", view.end_ms)),
        "{note}"
    );
    // The system view still draws it: it has a world.
    let shown = ShownRun::of_ended(code.clone(), 4, &view, None).expect("drawn");
    assert_eq!((shown.seed, shown.code), (4, code));
}

#[test]
fn a_run_that_could_not_start_is_not_drawn() {
    let view = event_playground::ui::simulator::run_view::RunView::error(3, "no".to_string());
    assert_eq!(ShownRun::of_ended("x".into(), 3, &view, None), None);
}

#[test]
fn a_check_in_frames_tallies_what_one_whole_sweep_judges() {
    let s = setup();
    let code = include_str!("solutions/version-store/wrong/read-compare-write.rhai");
    let mut tally = SweepTally::new(20);
    let mut runner = s.start_sweep(code, 1, 20).unwrap();
    let mut frames = 0;
    loop {
        frames += 1;
        let (finished, slice) = sweep_frame(&mut runner, ticking(1.0));
        tally.add(&slice);
        if finished {
            break;
        }
    }
    assert!(frames > 1, "the check took more than one frame");
    assert!(tally.is_done());
    let mut scenario = s.scenario.clone();
    scenario.replace_code("save", code.to_string()).unwrap();
    let whole = sweep(&scenario, 1, 20);
    assert_eq!(tally.failing_seeds, whole.failing_seeds);
    for (sum, c) in tally.checks.iter().zip(&whole.checks) {
        assert_eq!((sum.passed, sum.failed), (c.passed, c.failed), "{}", c.name);
    }
}
