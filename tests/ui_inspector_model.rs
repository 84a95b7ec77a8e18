//! What the inspector shows, natively: the pure half of `Inspector`, read
//! from the snapshots of real runs.

use event_playground::lessons::builtin_lessons;
use event_playground::scenario::{load, run_seed};
use event_playground::ui::simulator::inspector_model::{inspect, InspectTable, Inspected};
use event_playground::ui::simulator::playground_model::PlaygroundSetup;
use event_playground::ui::simulator::topology_model::{NodeKind, Topology};

mod disk;

fn table(found: Option<Inspected>) -> InspectTable {
    match found {
        Some(Inspected::Table(t)) => t,
        other => panic!("a table, not {other:?}"),
    }
}

#[test]
fn the_store_lists_every_write_and_marks_the_stale_one() {
    let lesson = builtin_lessons()
        .unwrap()
        .into_iter()
        .find(|l| l.meta.id == "out-of-order-bug");
    let setup = PlaygroundSetup::from_lesson(&lesson.expect("lesson"))
        .unwrap()
        .unwrap();
    let t = Topology::of(&setup.scenario);
    let code = setup.starting_code();
    // Seed 136: v1.0 overwrites v1.2 (the lesson's own walk-through).
    let view = setup.run(&code, 136);
    let snapshot = view.final_snapshot.as_ref().expect("a world");
    let store = &t.nodes[t.find(NodeKind::Store, "store").unwrap()];
    let found = table(inspect(store, snapshot));
    assert_eq!(
        found.summary,
        vec!["1 items, 3 writes, 1 stale overwrites".to_string()]
    );
    assert_eq!(found.headers.len(), 6);
    assert_eq!(found.rows.len(), 3);
    let stale: Vec<_> = found
        .rows
        .iter()
        .filter(|r| r.class == Some("stale"))
        .collect();
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0].cells[5], "stale overwrite");
    assert!(found
        .rows
        .iter()
        .all(|r| !r.body_last && r.cells.len() == 6));
}

#[test]
fn a_queue_and_a_function_list_their_messages_and_environments() {
    let lesson = builtin_lessons()
        .unwrap()
        .into_iter()
        .find(|l| l.meta.id == "out-of-order-bug");
    let setup = PlaygroundSetup::from_lesson(&lesson.expect("lesson"))
        .unwrap()
        .unwrap();
    let t = Topology::of(&setup.scenario);
    let end = setup.run(&setup.starting_code(), 136).end_ms;
    let at_end = setup
        .moment(&setup.starting_code(), 136, end)
        .unwrap()
        .snapshot;
    let queue = &t.nodes[t.find(NodeKind::Queue, "saves").unwrap()];
    let q = table(inspect(queue, &at_end));
    assert_eq!(
        q.summary,
        vec!["0 stored: 0 waiting, 0 in flight, 0 delayed".to_string()]
    );
    assert_eq!(q.headers, vec!["Message", "State", "Receives", "Body"]);
    let function = &t.nodes[t.find(NodeKind::Function, "save").unwrap()];
    let f = table(inspect(function, &at_end));
    assert!(
        f.summary[0].starts_with("0 running; 3 invocations, 3 cold starts"),
        "{:?}",
        f.summary
    );
    assert_eq!(f.rows.len(), 3, "three environments");
    assert!(f
        .rows
        .iter()
        .all(|r| r.class.is_none() && r.body_last && r.cells[1] == "idle, warm"));
    // A client has no table: its counters.
    let client = &t.nodes[t.find(NodeKind::Client, "editor").unwrap()];
    assert_eq!(
        inspect(client, &at_end),
        Some(Inspected::Counters("3/3 calls done".into()))
    );
}

#[test]
fn a_workflow_lists_its_steps_and_executions() {
    let s = load("scenarios/workflow.toml", &disk::Disk).unwrap_or_else(|d| panic!("{}", d[0]));
    let t = Topology::of(&s);
    let (_, outcome) = run_seed(&s, 1);
    let snapshot = outcome.snapshot.as_ref().unwrap();
    let workflow = &t.nodes[t.find(NodeKind::Workflow, "publish").unwrap()];
    let w = table(inspect(workflow, snapshot));
    assert!(w.summary[0].starts_with("Steps: "), "{:?}", w.summary);
    assert!(w.summary[0].contains(" → "), "{:?}", w.summary);
    assert!(
        w.summary[1].starts_with("3 started: 3 succeeded, 0 failed"),
        "{:?}",
        w.summary
    );
    assert_eq!(w.rows.len(), 3);
    assert!(w
        .rows
        .iter()
        .all(|r| r.class == Some("") && r.cells[1] == "succeeded"));
}
