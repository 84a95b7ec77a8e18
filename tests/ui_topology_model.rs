//! The topology view model, natively: boxes in columns with no empty ones,
//! the edges a scenario implies, counters read from a snapshot, and the
//! messages travelling at a moment placed on their edges.

use event_playground::scenario::{load, Scenario};
use event_playground::ui::simulator::playground_model::PlaygroundSetup;
use event_playground::ui::simulator::topology_flow::s_curve_point;
use event_playground::ui::simulator::topology_model::{
    counters, NodeKind, Topology, NODE_WIDTH, TRAVEL_MS,
};

mod disk;
use disk::Disk;

fn scenario(path: &str) -> Scenario {
    load(path, &Disk).unwrap_or_else(|d| panic!("{}", d[0]))
}

fn edge(t: &Topology, from: (NodeKind, &str), to: (NodeKind, &str)) -> bool {
    let (Some(a), Some(b)) = (t.find(from.0, from.1), t.find(to.0, to.1)) else {
        return false;
    };
    t.edges.iter().any(|e| e.from == a && e.to == b)
}

#[test]
fn the_compare_scenario_has_both_flows_in_columns() {
    let t = Topology::of(&scenario("scenarios/compare.toml"));
    assert!(edge(
        &t,
        (NodeKind::Client, "api-editors"),
        (NodeKind::Endpoint, "api")
    ));
    assert!(edge(
        &t,
        (NodeKind::Endpoint, "api"),
        (NodeKind::Function, "save-api")
    ));
    assert!(edge(
        &t,
        (NodeKind::Client, "queue-editors"),
        (NodeKind::Queue, "saves")
    ));
    assert!(edge(
        &t,
        (NodeKind::Queue, "saves"),
        (NodeKind::Function, "save-queue")
    ));
    assert!(edge(
        &t,
        (NodeKind::Function, "save-api"),
        (NodeKind::Store, "store")
    ));
    assert_eq!(t.edges.len(), 6);
    // Left to right: client, endpoint, queue, function, store.
    let x = |kind, name| t.nodes[t.find(kind, name).unwrap()].x;
    assert!(x(NodeKind::Client, "api-editors") < x(NodeKind::Endpoint, "api"));
    assert!(x(NodeKind::Endpoint, "api") < x(NodeKind::Queue, "saves"));
    assert!(x(NodeKind::Queue, "saves") < x(NodeKind::Function, "save-api"));
    assert!(x(NodeKind::Function, "save-api") < x(NodeKind::Store, "store"));
    // Nothing overlaps.
    for (i, a) in t.nodes.iter().enumerate() {
        for b in &t.nodes[i + 1..] {
            assert!(
                a.x != b.x || a.y != b.y,
                "{} and {} overlap",
                a.name,
                b.name
            );
        }
    }
}

#[test]
fn empty_columns_take_no_room_and_dead_letter_queues_are_marked() {
    let t = Topology::of(&scenario("scenarios/dead-letter.toml"));
    assert!(t.nodes.iter().any(|n| n.kind == NodeKind::DeadLetterQueue));
    let columns: std::collections::BTreeSet<u64> = t.nodes.iter().map(|n| n.x as u64).collect();
    assert!(t.width <= columns.len() as f64 * (NODE_WIDTH + 60.0) + 24.0);
}

#[test]
fn counters_and_moving_messages_come_from_the_moment_shown() {
    let lesson = event_playground::lessons::builtin_lessons()
        .unwrap()
        .into_iter()
        .find(|l| l.meta.id == "version-store")
        .unwrap();
    let setup = PlaygroundSetup::from_lesson(&lesson).unwrap().unwrap();
    let t = Topology::of(&setup.scenario);
    let code = setup.starting_code();
    let first_send = setup.moment(&code, 1, 0).unwrap();
    assert!(first_send.trace.iter().all(|e| e.time_ms == 0));
    let end = setup.run(&code, 1).end_ms;
    let at_end = setup.moment(&code, 1, end).unwrap();
    let store = &t.nodes[t.find(NodeKind::Store, "store").unwrap()];
    // doc-1, report-1 and the team's plan-1 to plan-3.
    assert!(counters(store, &at_end.snapshot).starts_with("5 items"));
    assert!(counters(store, &setup.moment(&code, 1, 0).unwrap().snapshot).starts_with("0 items"));

    // Just after the first save leaves, it travels from the client to the queue.
    let save_at = at_end
        .trace
        .iter()
        .find(|e| e.kind == event_playground::sim::TraceKind::Sent)
        .unwrap()
        .time_ms;
    let moment = setup.moment(&code, 1, save_at + TRAVEL_MS / 2).unwrap();
    let dots = t.dots(&moment.trace, &setup.scenario, moment.time_ms);
    let client_to_queue = t
        .edges
        .iter()
        .position(|e| t.nodes[e.from].kind == NodeKind::Client && t.nodes[e.to].name == "saves")
        .unwrap();
    assert!(dots
        .iter()
        .any(|d| d.edge == client_to_queue && (d.progress - 0.5).abs() < 0.01));
    // Long after the end nothing moves.
    assert!(t
        .dots(&at_end.trace, &setup.scenario, end + 10 * TRAVEL_MS)
        .is_empty());
}

#[test]
fn dots_follow_the_drawn_curve() {
    assert_eq!(s_curve_point(0.0, 0.0, 100.0, 50.0, 0.0), (0.0, 0.0));
    assert_eq!(s_curve_point(0.0, 0.0, 100.0, 50.0, 1.0), (100.0, 50.0));
    assert_eq!(s_curve_point(0.0, 0.0, 100.0, 50.0, 0.5), (50.0, 25.0));
}

#[test]
fn a_workflow_sits_under_the_store_with_its_edges_and_counters() {
    use event_playground::scenario::run_seed;
    use event_playground::sim::TraceKind;

    let s = scenario("scenarios/workflow.toml");
    let t = Topology::of(&s);
    let workflow = &t.nodes[t.find(NodeKind::Workflow, "publish").unwrap()];
    let function = &t.nodes[t.find(NodeKind::Function, "start").unwrap()];
    let store = &t.nodes[t.find(NodeKind::Store, "store").unwrap()];
    assert!(function.x < workflow.x);
    assert_eq!(workflow.x, store.x);
    assert!(workflow.y > store.y, "under the store");
    // The handler that calls workflows.start("publish", ...) and the two
    // task functions are joined to it; the client is not.
    for f in ["start", "keep-draft", "publish-latest"] {
        assert!(
            edge(&t, (NodeKind::Function, f), (NodeKind::Workflow, "publish")),
            "{f}"
        );
    }
    assert!(!edge(
        &t,
        (NodeKind::Client, "editor"),
        (NodeKind::Workflow, "publish")
    ));

    let (_, outcome) = run_seed(&s, 1);
    let snapshot = outcome.snapshot.as_ref().unwrap();
    assert_eq!(counters(workflow, snapshot), "3 done");

    // Just after an execution starts, a dot goes from the handler to the
    // workflow; a task step's dot goes back from the workflow to its
    // function (reversed on the function → workflow edge).
    let started = outcome
        .trace
        .iter()
        .find(|e| e.kind == TraceKind::ExecutionStarted)
        .unwrap();
    let dots = t.dots(&outcome.trace, &s, started.time_ms + TRAVEL_MS / 4);
    let start_edge = t
        .edges
        .iter()
        .position(|e| t.nodes[e.from].name == "start" && t.nodes[e.to].name == "publish")
        .unwrap();
    assert!(dots
        .iter()
        .any(|d| d.edge == start_edge && d.progress < 0.5));
    let keep_edge = t
        .edges
        .iter()
        .position(|e| t.nodes[e.from].name == "keep-draft" && t.nodes[e.to].name == "publish")
        .unwrap();
    assert!(dots.iter().any(|d| d.edge == keep_edge && d.progress > 0.5));
}
