//! A "what if?" branch forked from the world at the moment shown is the
//! same run as the branch replayed from time 0 (issue 19: acting on a
//! paused run costs no replay from time 0; docs/interventions.md,
//! "Branches"). Each case acts on lesson 5 and lesson 7 at several moments
//! and compares the fork with `run_with_interventions`, trace for trace.

use event_playground::sim::{Intervention, InterventionKind, Parameters};
use event_playground::ui::simulator::playground_model::PlaygroundSetup;

#[allow(dead_code)]
mod ui_common;
use ui_common::lesson;

fn act(at_ms: u64, kind: InterventionKind, target: &str, parameters: Parameters) -> Intervention {
    Intervention {
        at_ms,
        kind,
        target: target.into(),
        parameters,
    }
}

fn message(id: u64) -> Parameters {
    Parameters {
        message_id: Some(id),
        ..Parameters::default()
    }
}

fn send(body: &str) -> Parameters {
    Parameters {
        body: Some(body.into()),
        ..Parameters::default()
    }
}

/// Forks `list` (its last act at the moment) from a replay of `parents`
/// paused there, and replays it from 0; both must be the same run.
fn fork_equals_replay(
    setup: &PlaygroundSetup,
    seed: u64,
    parents: &[Intervention],
    act: Intervention,
) {
    let code = setup.starting_code();
    let t = act.at_ms;
    let mut replay = setup.replay_branch(&code, seed, parents).unwrap();
    replay.moment(t).expect("the moment is reached");
    let mut list: Vec<Intervention> = parents.iter().filter(|iv| iv.at_ms <= t).cloned().collect();
    list.push(act);
    let forked = replay
        .fork_branch(&list)
        .unwrap_or_else(|| panic!("seed {seed}: no fork at {t} ms"));
    let replayed = setup.run_branch(&code, seed, &list).unwrap();
    assert_eq!(
        forked.view.trace, replayed.view.trace,
        "seed {seed}, {t} ms"
    );
    assert_eq!(
        forked.view.checks, replayed.view.checks,
        "seed {seed}, {t} ms"
    );
    assert_eq!(forked.view.final_snapshot, replayed.view.final_snapshot);
    // The fork reports the new act only (the parents' were the parent
    // branch's news); the act's own verdict must match.
    let last = list.len();
    assert_eq!(
        forked.refusal_of_last(last),
        replayed.refusal_of_last(last),
        "seed {seed}, {t} ms"
    );
}

fn lesson5() -> PlaygroundSetup {
    PlaygroundSetup::from_lesson(&lesson("out-of-order-bug"))
        .expect("has a scenario")
        .expect("valid")
}

#[test]
fn a_fork_at_the_moment_is_the_branch_a_replay_gives() {
    let setup = lesson5();
    for seed in [1, 136] {
        for t in [0, 5, 20, 60, 150, 400] {
            let kind = InterventionKind::DuplicateMessage;
            fork_equals_replay(&setup, seed, &[], act(t, kind, "saves", message(1)));
            let by_hand = act(
                t,
                InterventionKind::Send,
                "saves",
                send("{\"doc\":\"doc-1\"}"),
            );
            fork_equals_replay(&setup, seed, &[], by_hand);
        }
    }
}

#[test]
fn a_fork_below_a_branch_keeps_its_parents_acts_and_refusals_match() {
    let setup = lesson5();
    let parent = act(
        10,
        InterventionKind::Send,
        "saves",
        send("{\"doc\":\"doc-9\"}"),
    );
    let later = act(900, InterventionKind::DropMessage, "saves", message(2));
    for t in [30, 120, 300] {
        let parents = [parent.clone(), later.clone()];
        fork_equals_replay(
            &setup,
            136,
            &parents,
            act(t, InterventionKind::DropMessage, "saves", message(3)),
        );
        // A message that is not there: refused the same way both times.
        fork_equals_replay(
            &setup,
            136,
            &parents,
            act(t, InterventionKind::DropMessage, "saves", message(99)),
        );
    }
}

#[test]
fn lesson_7s_moment_forked_breaks_the_same_check() {
    let setups = PlaygroundSetup::all_from_lesson(&lesson("at-least-once"))
        .expect("scenario blocks")
        .expect("valid");
    let story = setups.iter().find(|s| !s.whatifs.is_empty()).unwrap();
    let moment = story.whatifs[0].intervention.clone();
    fork_equals_replay(story, 1, &[], moment);
}

#[test]
fn no_fork_when_the_replay_is_elsewhere_or_an_earlier_act_shares_the_moment() {
    let setup = lesson5();
    let code = setup.starting_code();
    let mut replay = setup.replay_branch(&code, 136, &[]).unwrap();
    replay.moment(50).unwrap();
    let elsewhere = [act(
        60,
        InterventionKind::DuplicateMessage,
        "saves",
        message(1),
    )];
    assert!(replay.fork_branch(&elsewhere).is_none());

    let first = act(50, InterventionKind::DuplicateMessage, "saves", message(1));
    let mut replay = setup
        .replay_branch(&code, 136, std::slice::from_ref(&first))
        .unwrap();
    replay.moment(50).unwrap();
    let same_moment = [
        first,
        act(50, InterventionKind::DropMessage, "saves", message(2)),
    ];
    assert!(replay.fork_branch(&same_moment).is_none());
    // The acts already applied must be the branch's own.
    let other_parent = [
        act(10, InterventionKind::DropMessage, "saves", message(3)),
        act(50, InterventionKind::DropMessage, "saves", message(2)),
    ];
    assert!(replay.fork_branch(&other_parent).is_none());
}
