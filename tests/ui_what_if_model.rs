//! The "what if?" buttons offered at a paused moment (issue 19): their
//! names and the interventions they apply, natively over lesson 5.

use event_playground::sim::{InterventionKind, WorldSnapshot};
use event_playground::ui::simulator::playground_model::PlaygroundSetup;
use event_playground::ui::simulator::topology_model::{Node, NodeKind};
use event_playground::ui::simulator::what_if_model::{acts, by_hand, store_down, DELAY_MS};

// Only `lesson` is used here; `setup` serves the other ui_ tests.
#[allow(dead_code)]
mod ui_common;
use ui_common::lesson;

fn node(kind: NodeKind, name: &str) -> Node {
    Node {
        kind,
        name: name.into(),
        x: 0.0,
        y: 0.0,
    }
}

/// Lesson 5 (seed 136) at the first moment `found` holds in its snapshot.
fn lesson5_when(found: impl Fn(&WorldSnapshot) -> bool) -> (u64, WorldSnapshot) {
    let setup = PlaygroundSetup::from_lesson(&lesson("out-of-order-bug"))
        .unwrap()
        .unwrap();
    let mut replay = setup.replay(&setup.starting_code(), 136).unwrap();
    for t in 0..3_000 {
        let m = replay.moment(t).unwrap();
        if found(&m.snapshot) {
            return (t, m.snapshot);
        }
    }
    panic!("never");
}

#[test]
fn a_queues_messages_can_be_duplicated_dropped_and_delayed_by_name() {
    let (t, s) = lesson5_when(|s| s.queues.iter().any(|q| !q.messages.is_empty()));
    let q = s.queues.iter().find(|q| !q.messages.is_empty()).unwrap();
    let id = q.messages[0].message_id;
    let list = acts(&node(NodeKind::Queue, q.name.as_str()), &s, t);
    let names: Vec<&str> = list.iter().map(|a| a.label.as_str()).collect();
    let dup = format!("Duplicate message {id}");
    assert!(names.contains(&dup.as_str()), "{names:?}");
    assert!(names.contains(&format!("Drop message {id}").as_str()));
    let delay = list
        .iter()
        .find(|a| a.label == format!("Delay message {id}"))
        .unwrap();
    assert_eq!(delay.intervention.kind, InterventionKind::DelayMessage);
    assert_eq!(delay.intervention.parameters.delay_ms, Some(DELAY_MS));
    assert_eq!(delay.intervention.parameters.message_id, Some(id.0));
    assert!(list
        .iter()
        .all(|a| a.intervention.at_ms == t && a.intervention.target == q.name.as_str()));
    assert_eq!(list.len(), 3 * q.messages.len());
}

#[test]
fn only_busy_environments_can_be_crashed_and_a_functions_mappings_paused() {
    let busy = |s: &WorldSnapshot| {
        s.functions
            .iter()
            .any(|f| f.environments.iter().any(|e| e.busy))
    };
    let (t, s) = lesson5_when(busy);
    let f = &s.functions[0];
    let list = acts(&node(NodeKind::Function, f.name.as_str()), &s, t);
    let crashes: Vec<_> = list
        .iter()
        .filter(|a| a.intervention.kind == InterventionKind::CrashEnvironment)
        .collect();
    let busy_ids: Vec<u64> = f
        .environments
        .iter()
        .filter(|e| e.busy)
        .map(|e| e.id)
        .collect();
    assert_eq!(crashes.len(), busy_ids.len());
    for c in crashes {
        let env = c.intervention.parameters.environment.unwrap();
        assert!(busy_ids.contains(&env));
        assert_eq!(c.label, format!("Crash environment {env}"));
    }
    let mapping = s
        .mappings
        .iter()
        .find(|m| m.config.function == f.name.as_str())
        .unwrap();
    let pause = format!("Pause mapping {}", mapping.name);
    assert!(list
        .iter()
        .any(|a| a.label == pause && a.intervention.kind == InterventionKind::PauseMapping));
}

#[test]
fn the_store_and_messages_by_hand_build_their_interventions() {
    let down = store_down(40, 2_500);
    assert_eq!(
        (down.kind, down.target.as_str()),
        (InterventionKind::StoreDown, "store")
    );
    assert_eq!((down.at_ms, down.parameters.duration_ms), (40, Some(2_500)));
    let sent = by_hand(&node(NodeKind::Queue, "saves"), 7, "{\"doc\":1}").unwrap();
    assert_eq!(sent.kind, InterventionKind::Send);
    assert_eq!(sent.parameters.body.as_deref(), Some("{\"doc\":1}"));
    let published = by_hand(&node(NodeKind::Topic, "t"), 7, "x").unwrap();
    assert_eq!(published.kind, InterventionKind::Publish);
    assert_eq!(by_hand(&node(NodeKind::Function, "f"), 7, "x"), None);
    // A component with nothing to act on offers nothing.
    let (t, s) = lesson5_when(|_| true);
    assert!(acts(&node(NodeKind::Store, "store"), &s, t).is_empty());
}

#[test]
fn running_other_code_from_a_moment_changes_later_invocations_and_bad_code_is_refused() {
    use event_playground::ui::simulator::what_if_model::{change_code, code_of};
    let setup = PlaygroundSetup::from_lesson(&lesson("out-of-order-bug"))
        .unwrap()
        .unwrap();
    let function = setup.editable_function().unwrap();
    let start = setup.starting_code();
    // The form starts with the code the run used.
    assert_eq!(
        code_of(&setup, &function, "the run's code"),
        "the run's code"
    );
    assert_eq!(code_of(&setup, "no-such-function", &start), "");
    // The exercise (lesson 5's second block) holds the reference solution.
    let blocks = PlaygroundSetup::all_from_lesson(&lesson("out-of-order-bug"))
        .unwrap()
        .unwrap();
    let exercise = blocks.iter().find_map(|b| b.exercise.as_ref()).unwrap();
    assert_eq!(exercise.exercise.function, function);
    let solution = exercise.exercise.solution.clone();
    let stale = "final value of doc-1 is v1.2";
    let passed = |view: &event_playground::ui::simulator::run_view::RunView| {
        view.checks.iter().find(|c| c.name == stale).map(|c| c.ok)
    };
    // Seed 136 shows the bug with the starting code ...
    let plain = setup.run_branch(&start, 136, &[]).unwrap();
    assert_eq!(passed(&plain.view), Some(false));
    // ... and not when the solution runs every invocation from 0 ms.
    let fixed = setup
        .run_branch(&start, 136, &[change_code(&function, 0, &solution)])
        .unwrap();
    assert!(fixed.refused.is_empty(), "{:?}", fixed.refused);
    assert_eq!(passed(&fixed.view), Some(true));
    assert!(fixed
        .view
        .trace
        .iter()
        .any(|e| e.kind == event_playground::sim::TraceKind::Intervened));
    // Code that does not compile changes nothing and says where.
    let broken = change_code(&function, 0, "fn handler(event, context) {");
    let refused = setup.run_branch(&start, 136, &[broken]).unwrap();
    let why = refused.refusal_of_last(1).expect("refused");
    assert!(why.contains("line"), "{why}");
    assert_eq!(refused.view.trace, plain.view.trace);
}
