//! The playground's view model, natively: a lesson's scenario and exercise,
//! one run turned into rows, and a sweep tallied slice by slice that adds
//! up to the same verdict as one whole sweep.

use event_playground::scenario::sweep;
use event_playground::scenario::FIRST_SEED;
use event_playground::ui::simulator::playground_model::PlaygroundSetup;
use event_playground::ui::simulator::run_view::RunView;
use event_playground::ui::simulator::sweep_tally::SweepTally;

mod ui_common;
use ui_common::{lesson, setup};

/// Events per slice when these tests cut a sweep as the page does (the
/// page's slices end on a time budget; any size must give the same tally).
const EVENTS_PER_SLICE: u64 = 2_000;

#[test]
fn a_lesson_without_a_scenario_has_no_playground() {
    assert!(PlaygroundSetup::from_lesson(&lesson("welcome")).is_none());
}

#[test]
fn the_exercise_starts_from_its_function_code() {
    let s = setup();
    assert_eq!(s.editable_function().as_deref(), Some("save"));
    assert!(s.starting_code().contains("store.put(save.doc, save)"));
    // 200 seeds of the scenario, 100 of each of its two variants.
    assert_eq!(s.seeds(), 400);
}

/// The checks panel's data for a handler that swallows every store error:
/// it passes the scenario's seeds, fails the store-errors variant, and the
/// tally names that variant and seed so the panel can open the exact run.
#[test]
fn a_full_check_names_the_variant_and_seed_of_the_first_failing_run() {
    let s = setup();
    let swallowing = "fn handler(event, context) {
    for record in event.Records {
        let save = record.body;
        try { store.put_if_newer(save.doc, save, save.version); } catch (err) { }
    }
}";
    let mut tally = SweepTally::new(s.seeds());
    let mut runner = s.start_check(swallowing).unwrap();
    loop {
        let finished = runner.advance(EVENTS_PER_SLICE);
        tally.add(&runner.take_judged());
        if finished {
            break;
        }
    }
    assert_eq!(tally.done, 400);
    let (variant, seed) = tally.first_failing_run().expect("it fails somewhere");
    assert_eq!(variant.as_deref(), Some("store errors"));
    // The list of failing runs (a button each) names every failing seed
    // with its variant, the first failing run first.
    assert_eq!(tally.failing.len() as u64, tally.failing_seeds);
    assert_eq!(tally.failing.first(), Some(&(variant.clone(), seed)));
    assert!(tally
        .failing
        .iter()
        .all(|(v, seed)| v.is_some() && (1..=100).contains(seed)));
    let lines = tally.lines();
    assert!(
        lines.iter().any(|(_, ok, text)| !ok
            && text.contains(&format!("first at seed {seed} of variant `store errors`"))),
        "{lines:?}"
    );
    // Opening it runs the variant's scenario, where the store fails.
    let opened = s.for_variant(variant.as_deref());
    assert_ne!(opened.scenario, s.scenario);
    let run = opened.run(swallowing, seed);
    assert!(!run.ok);
    assert_eq!(s.for_variant(None).scenario, s.scenario);
}

#[test]
fn a_run_shows_failed_checks_and_the_stale_store() {
    let s = setup();
    let start = s.starting_code();
    let failing = (1..50)
        .map(|seed| s.run(&start, seed))
        .find(|r| !r.ok)
        .expect("the naive handler fails some seed");
    assert!(failing
        .checks
        .iter()
        .any(|c| !c.ok && c.detail.contains("expected")));
    assert!(failing
        .metrics
        .iter()
        .any(|(label, value)| label == "Stale overwrites" && *value > 0));
    assert!(failing.store.iter().any(|(key, _)| key == "doc-1"));
}

#[test]
fn a_fix_passes_and_broken_code_says_where() {
    let s = setup();
    let fix = s.exercise.as_ref().unwrap().exercise.solution.clone();
    assert!(s.run(&fix, 3).ok);
    let broken = s.run("fn handler(event, context) { let x = ; }", 3);
    assert!(!broken.ok);
    assert_eq!(broken.error_line, Some(1), "the editor marks line 1");
    let error = broken.error.expect("a compile error");
    assert!(error.contains("line 1"), "{error}");
    let throws = s.run("fn handler(event, context) {\n  throw \"boom\";\n}", 3);
    assert!(throws
        .first_handler_error
        .expect("handler error")
        .contains("line 2"));
    // Retried for ever, it stops the run at its time limit: that error is
    // shown, and it names no line.
    assert!(throws.error.is_some());
    assert_eq!(throws.error_line, None);
    assert_eq!(s.run(&fix, 3).error_line, None);
    let once = fix.replacen(
        "fn handler(event, context) {",
        "fn handler(event, context) {\n  if !(\"seen\" in globals) { globals.seen = true; throw \"once\"; }",
        1,
    );
    let failed_once = s.run(&once, 3);
    assert_eq!(failed_once.error, None);
    let line = 1 + once.lines().position(|l| l.contains("\"once\"")).unwrap() as u32;
    assert_eq!(
        failed_once.error_line,
        Some(line),
        "the editor marks the throw"
    );
}

#[test]
fn check_all_with_code_that_does_not_compile_names_its_line() {
    let s = setup();
    let refused = s
        .start_check("fn handler(event, context) {\n\n  let x = ;\n}")
        .err()
        .expect("refused");
    assert_eq!(refused.code_line, Some(3), "{refused}");
    let view = RunView::error(FIRST_SEED, refused);
    assert_eq!(view.error_line, Some(3));
    // A stop replaces the errors the editor would mark.
    let stopped = s
        .run("fn handler(event, context) { throw \"boom\"; }", 3)
        .stopped_by_learner();
    assert_eq!(stopped.error_line, None);
}

const RACY_GUARD: &str = include_str!("solutions/version-store/wrong/read-compare-write.rhai");

#[test]
fn slices_add_up_to_the_whole_sweep() {
    let s = setup();
    // The read-compare-write guard: it races in some seeds of lesson 6 (a
    // team of editors, a store under load) and not in others.
    let code = RACY_GUARD.to_string();
    let mut tally = SweepTally::new(40);
    let mut runner = s.start_sweep(&code, 1, 40).unwrap();
    let mut slices = 0;
    loop {
        let finished = runner.advance(EVENTS_PER_SLICE);
        tally.add(&runner.take_judged());
        slices += 1;
        if finished {
            break;
        }
    }
    assert!(tally.is_done());
    assert!(slices > 1, "the sweep took more than one slice");
    let mut scenario = s.scenario.clone();
    scenario.replace_code("save", code).unwrap();
    let whole = sweep(&scenario, 1, 40);
    for (sum, c) in tally.checks.iter().zip(&whole.checks) {
        assert_eq!(sum.name, c.name);
        assert_eq!((sum.passed, sum.failed), (c.passed, c.failed));
        assert_eq!(
            sum.first_failure.as_ref().map(|f| f.0),
            c.first_failing_seed
        );
    }
    assert_eq!(tally.percent(), 100);
    assert!(!tally.all_passed());
    assert_eq!(tally.failing_seeds, whole.failing_seeds);
    // Some seeds show the bug, not all: the share settles in between.
    assert!(whole.failing_seeds > 0 && whole.failing_seeds < 40);
    let worst = whole.checks.iter().map(|c| c.failed).max().unwrap();
    assert!(whole.failing_seeds >= worst);

    // The chart of how often the bug shows: one point per slice, ending at
    // the whole sweep's share.
    let chart = tally.share_chart().expect("a chart after a sweep");
    let points = &chart.series[0].1;
    assert!(points.len() >= 2 && points.len() <= slices + 1);
    assert_eq!(points.first(), Some(&(0, points[1].1)));
    assert_eq!(points.last(), Some(&(40, whole.failing_seeds * 100 / 40)));
    assert_eq!(chart.x_unit, "seeds");
    assert!(chart
        .title
        .contains(&format!("{} of 40", whole.failing_seeds)));
    assert!(SweepTally::new(10).share_chart().is_none());
}

#[test]
fn a_replay_going_forward_shows_exactly_the_moments_a_fresh_run_shows() {
    for id in ["version-store", "throttling-and-retries", "workflows"] {
        let lesson = event_playground::lessons::builtin_lessons()
            .unwrap()
            .into_iter()
            .find(|l| l.meta.id == id)
            .unwrap();
        let s = PlaygroundSetup::from_lesson(&lesson).unwrap().unwrap();
        let code = s.starting_code();
        let end = s.run(&code, 2).end_ms;
        let mut replay = s.replay(&code, 2).unwrap();
        // Forward in uneven steps, past the end, then back, then forward.
        let mut times: Vec<u64> = (0..=12).map(|i| end * i / 10 + i).collect();
        times.extend([end / 3, end / 3, end / 2, end + 5_000]);
        for t in times {
            let shown = replay.moment(t).expect("a moment");
            let fresh = s.moment(&code, 2, t).unwrap();
            assert_eq!(shown.time_ms, fresh.time_ms, "{id} at {t} ms");
            assert_eq!(shown.trace, fresh.trace, "{id} at {t} ms");
            assert_eq!(
                serde_json::to_string(&shown.snapshot).unwrap(),
                serde_json::to_string(&fresh.snapshot).unwrap(),
                "{id} at {t} ms"
            );
        }
    }
}

#[test]
fn a_lesson_with_two_scenarios_has_two_playgrounds_and_the_exercise_under_its_own() {
    let all = PlaygroundSetup::all_from_lesson(&lesson("fifo"))
        .expect("scenario blocks")
        .expect("valid");
    assert_eq!(all.len(), 2);
    assert!(all[0].exercise.is_none(), "the story block has no exercise");
    let exercise = all[1].exercise.as_ref().expect("the exercise block");
    assert_eq!(exercise.scenario, all[1].scenario);
    assert_eq!(all[1].title(), "Exercise: FIFO batches with a flaky store");
    assert_eq!(all[0].title(), "Saves in order, one group per document");
    // The first block is what from_lesson (one playground) gives.
    let first = PlaygroundSetup::from_lesson(&lesson("fifo"))
        .unwrap()
        .unwrap();
    assert_eq!(first.scenario, all[0].scenario);
    // The exercise starts from its block's code, not the story's.
    assert!(all[1].starting_code().contains("batchItemFailures"));
    assert!(!all[0].starting_code().contains("batchItemFailures"));
}
