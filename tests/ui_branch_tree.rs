//! The "what if?" history (issue 19): the branch tree, a branch's run and
//! replay, and the comparison of two branches, natively.

use event_playground::sim::{Intervention, InterventionKind, Parameters};
use event_playground::ui::simulator::branch_compare::compare;
use event_playground::ui::simulator::branch_tree::{
    describe, BranchSummary, BranchTree, MAX_BRANCHES,
};
use event_playground::ui::simulator::playground_model::PlaygroundSetup;

// Only `lesson` is used here; `setup` serves the other ui_ tests.
#[allow(dead_code)]
mod ui_common;
use ui_common::lesson;

/// Lesson 5's playground (the out-of-order saves), seed 136 as it opens.
fn lesson5() -> (PlaygroundSetup, String, u64) {
    let setup = PlaygroundSetup::from_lesson(&lesson("out-of-order-bug"))
        .expect("has a scenario")
        .expect("valid");
    let code = setup.starting_code();
    (setup, code, 136)
}

fn duplicate(at_ms: u64, message_id: u64) -> Intervention {
    Intervention {
        at_ms,
        kind: InterventionKind::DuplicateMessage,
        target: "saves".into(),
        parameters: Parameters {
            message_id: Some(message_id),
            ..Parameters::default()
        },
    }
}

fn summary(end_ms: u64) -> BranchSummary {
    BranchSummary {
        checks: vec![("no message lost".into(), true)],
        metrics: vec![("Invocations".into(), 3)],
        error: None,
        end_ms,
    }
}

/// The first moment (in 1 ms steps) at which queue `saves` holds a message,
/// and that message's id.
fn first_stored_message(setup: &PlaygroundSetup, code: &str, seed: u64) -> (u64, u64) {
    let mut replay = setup.replay(code, seed).expect("replays");
    for t in 0..2_000 {
        let moment = replay.moment(t).expect("a moment");
        let queue = moment
            .snapshot
            .queues
            .iter()
            .find(|q| q.name.as_str() == "saves");
        if let Some(m) = queue.and_then(|q| q.messages.first()) {
            return (t, m.message_id.0);
        }
    }
    panic!("no message is ever stored in `saves`");
}

#[test]
fn a_child_keeps_the_parents_interventions_up_to_its_moment_and_adds_its_own() {
    let mut tree = BranchTree::new(Vec::new(), summary(600));
    let first = tree.plan(duplicate(100, 1)).expect("room");
    tree.add(first, summary(700)).expect("kept");
    let later = tree.plan(duplicate(300, 2)).expect("room");
    assert_eq!(later, vec![duplicate(100, 1), duplicate(300, 2)]);
    // Acting earlier than the parent's act: that act has not happened yet.
    let earlier = tree.plan(duplicate(50, 3)).expect("room");
    assert_eq!(earlier, vec![duplicate(50, 3)]);
}

#[test]
fn acting_keeps_the_earlier_branch_and_switching_loses_none() {
    let mut tree = BranchTree::new(Vec::new(), summary(600));
    let list = tree.plan(duplicate(100, 1)).unwrap();
    let child = tree.add(list.clone(), summary(700)).unwrap();
    assert_eq!((child, tree.shown()), (1, 1));
    assert_eq!(tree.branches()[0].interventions, Vec::new());
    assert_eq!(tree.branches()[0].summary, summary(600));
    assert!(tree.select(0));
    assert_eq!(tree.shown_branch().summary.end_ms, 600);
    // A second act on the first branch is a sibling, not a replacement.
    let sibling = tree.plan(duplicate(200, 2)).unwrap();
    tree.add(sibling, summary(800)).unwrap();
    assert_eq!(tree.branches().len(), 3);
    assert_eq!(tree.branches()[2].parent, Some(0));
    assert_eq!(tree.branches()[1].interventions, list);
    assert_eq!(tree.origin(2), "forks from branch 1 at 200 ms");
    assert_eq!(tree.origin(0), "the first run");
    assert_eq!(tree.branches()[0].done(), "the run as written");
    assert_eq!(
        tree.branches()[1].done(),
        "duplicated message m1 in `saves` at 100 ms"
    );
    assert_eq!((tree.depth(0), tree.depth(1), tree.depth(2)), (0, 1, 1));
    // A share link's branch opens as the first of a new history.
    let opened = BranchTree::new(list, summary(700));
    assert_eq!(
        opened.branches()[0].done(),
        "opened with duplicated message m1 in `saves` at 100 ms"
    );
    assert!(!tree.select(3), "there is no fourth branch");
    assert_eq!(tree.shown(), 2);
}

#[test]
fn the_history_keeps_at_most_its_budget_of_branches_and_says_so() {
    let mut tree = BranchTree::new(Vec::new(), summary(1));
    for i in 1..MAX_BRANCHES {
        let list = tree.plan(duplicate(i as u64, 1)).expect("room");
        tree.add(list, summary(1)).expect("kept");
    }
    assert_eq!(tree.branches().len(), MAX_BRANCHES);
    let refused = tree.plan(duplicate(99, 1)).unwrap_err();
    assert!(refused.contains("64 branches"), "{refused}");
    assert!(tree.add(vec![duplicate(99, 1)], summary(1)).is_err());
    assert_eq!(tree.branches().len(), MAX_BRANCHES);
}

#[test]
fn interventions_are_described_in_words() {
    assert_eq!(
        describe(&duplicate(1500, 3)),
        "duplicated message m3 in `saves` at 1500 ms"
    );
    let down = Intervention {
        at_ms: 10,
        kind: InterventionKind::StoreDown,
        target: "store".into(),
        parameters: Parameters {
            duration_ms: Some(5000),
            ..Parameters::default()
        },
    };
    assert_eq!(describe(&down), "took the store down for 5000 ms at 10 ms");
}

#[test]
fn duplicating_a_message_of_lesson_5_changes_the_run_and_the_root_stays() {
    let (setup, code, seed) = lesson5();
    let root = setup.run(&code, seed);
    let (t, message) = first_stored_message(&setup, &code, seed);
    let list = vec![duplicate(t, message)];
    let branch = setup.run_branch(&code, seed, &list).expect("runs");
    assert_eq!(branch.refused, Vec::new());
    assert_ne!(
        branch.view.metrics, root.metrics,
        "a duplicate is processed too"
    );
    // The root, run again, is as it was: the branch changed nothing of it.
    assert_eq!(setup.run(&code, seed), root);
    let mut tree = BranchTree::new(Vec::new(), BranchSummary::of(&root));
    tree.add(list, BranchSummary::of(&branch.view)).unwrap();
    let rows = compare(&tree, 0, 1).expect("two branches");
    let invocations = rows.rows.iter().find(|r| r.label == "Invocations").unwrap();
    assert!(invocations.differs, "{invocations:?}");
    assert!(rows.rows.iter().any(|r| !r.differs));
    assert!(compare(&tree, 1, 1).is_err());
    assert!(compare(&tree, 0, 5).is_err());
}

#[test]
fn a_refused_act_is_said_in_words_and_makes_no_branch() {
    let (setup, code, seed) = lesson5();
    let list = vec![duplicate(5, 99)];
    let run = setup.run_branch(&code, seed, &list).expect("runs");
    let why = run.refusal_of_last(list.len()).expect("refused");
    assert!(why.contains("m99"), "{why}");
    // A refused act changes nothing: the run is the root's.
    assert_eq!(run.view, setup.run(&code, seed));
}

#[test]
fn a_branchs_replay_shows_its_intervention_and_ends_as_its_run() {
    let (setup, code, seed) = lesson5();
    let (t, message) = first_stored_message(&setup, &code, seed);
    let list = vec![duplicate(t, message)];
    let run = setup.run_branch(&code, seed, &list).unwrap().view;
    let mut replay = setup.replay_branch(&code, seed, &list).unwrap();
    let copies = |m: &event_playground::ui::simulator::playground_model::Moment| {
        let q = m
            .snapshot
            .queues
            .iter()
            .find(|q| q.name.as_str() == "saves")
            .unwrap();
        q.messages
            .iter()
            .filter(|s| s.message_id.0 == message)
            .count()
    };
    // Without the act one copy at `t`, with it two; playing on from before
    // the act and jumping straight to it agree.
    let plain = setup.replay(&code, seed).unwrap().moment(t).unwrap();
    assert_eq!(copies(&plain), 1);
    assert_eq!(copies(&replay.moment(t.saturating_sub(1)).unwrap()), 0);
    let continued = replay.moment(t).unwrap();
    assert_eq!(copies(&continued), 2);
    let mut fresh = setup.replay_branch(&code, seed, &list).unwrap();
    assert_eq!(fresh.moment(t).unwrap(), continued);
    let end = replay.moment(run.end_ms).unwrap();
    assert_eq!(end.trace, run.trace);
    assert_eq!(Some(end.snapshot), run.final_snapshot);
}

#[test]
fn lesson_7s_prepared_moment_is_on_its_story_playground_and_breaks_its_check() {
    let setups = PlaygroundSetup::all_from_lesson(&lesson("at-least-once"))
        .expect("scenario blocks")
        .expect("valid");
    let with: Vec<&PlaygroundSetup> = setups.iter().filter(|s| !s.whatifs.is_empty()).collect();
    assert_eq!(with.len(), 1, "one playground carries the moment");
    let (setup, whatif) = (with[0], &with[0].whatifs[0]);
    assert!(
        setup.exercise.is_none(),
        "the story block, not the exercise's"
    );
    let code = setup.starting_code();
    let seed = whatif.seed.unwrap_or(setup.scenario.config.scenario.seed);
    let fails = whatif.fails.as_deref().expect("names a check");
    let held = |view: &event_playground::ui::simulator::run_view::RunView| {
        view.checks.iter().find(|c| c.name == fails).map(|c| c.ok)
    };
    assert_eq!(held(&setup.run(&code, seed)), Some(true));
    let list = vec![whatif.intervention.clone()];
    let branch = setup.run_branch(&code, seed, &list).unwrap();
    assert_eq!(branch.refusal_of_last(1), None);
    assert_eq!(held(&branch.view), Some(false));
}
