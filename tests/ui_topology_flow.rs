//! The topology drawn down, for a narrow box: the same boxes and edges,
//! none overlapping, every edge leaving the bottom of a box higher up, and
//! the whole much narrower than the drawing across (which would shrink
//! lesson 5's words to a third in the playground's 400 px column).

use event_playground::scenario::{load, Scenario};
use event_playground::ui::simulator::topology_model::{Flow, Topology, NODE_HEIGHT, NODE_WIDTH};

mod disk;
use disk::Disk;

fn scenario(path: &str) -> Scenario {
    load(path, &Disk).unwrap_or_else(|d| panic!("{}", d[0]))
}

fn overlap(t: &Topology) -> Option<(usize, usize)> {
    for (i, a) in t.nodes.iter().enumerate() {
        for (j, b) in t.nodes.iter().enumerate().skip(i + 1) {
            let apart_x = a.x + NODE_WIDTH <= b.x || b.x + NODE_WIDTH <= a.x;
            let apart_y = a.y + NODE_HEIGHT <= b.y || b.y + NODE_HEIGHT <= a.y;
            if !apart_x && !apart_y {
                return Some((i, j));
            }
        }
    }
    None
}

#[test]
fn lesson_5_drawn_down_fits_a_narrow_box_at_full_size() {
    let across = Topology::of(&scenario("lessons/05-out-of-order-bug.md"));
    let down = across.down();
    assert_eq!(across.flow, Flow::Across);
    assert_eq!(down.flow, Flow::Down);
    assert!(across.width > 800.0, "across is {} wide", across.width);
    // One box per row here: as wide as a box and its margins.
    assert!(down.width < 400.0, "down is {} wide", down.width);
    assert_eq!(down.nodes.len(), across.nodes.len());
    assert_eq!(down.edges, across.edges);
    assert_eq!(overlap(&down), None);
}

#[test]
fn every_scenario_drawn_down_keeps_boxes_apart_and_edges_downward() {
    for path in [
        "scenarios/compare.toml",
        "lessons/05-out-of-order-bug.md",
        "lessons/11-workflows.md",
        "lessons/07-at-least-once.md",
        "scenarios/dead-letter.toml",
        "scenarios/editor-fanout.toml",
    ] {
        let across = Topology::of(&scenario(path));
        let down = across.down();
        assert_eq!(overlap(&down), None, "{path}");
        for node in &down.nodes {
            assert!(node.x + NODE_WIDTH <= down.width && node.y + NODE_HEIGHT <= down.height);
        }
        for edge in &down.edges {
            let ((x1, y1), (x2, y2)) = down.edge_ends(edge);
            // Leaves a box's bottom centre, lands on a top centre.
            let (from, to) = (&down.nodes[edge.from], &down.nodes[edge.to]);
            assert_eq!((x1, y1), (from.x + NODE_WIDTH / 2.0, from.y + NODE_HEIGHT));
            assert_eq!((x2, y2), (to.x + NODE_WIDTH / 2.0, to.y));
            // A travelling message starts and ends on the edge's ends.
            assert_eq!(down.point_on(edge, 0.0), (x1, y1));
            assert_eq!(down.point_on(edge, 1.0), (x2, y2));
            assert!(down
                .edge_path(edge)
                .starts_with(&format!("M {x1} {y1} C {x1} ")));
        }
    }
}

#[test]
fn a_narrow_box_reads_down_and_a_wide_or_unmeasured_one_across() {
    use event_playground::ui::simulator::topology_flow::FLOW_DOWN_BELOW_PX;
    assert_eq!(Flow::for_width_px(408.0), Flow::Down);
    assert_eq!(Flow::for_width_px(FLOW_DOWN_BELOW_PX), Flow::Down);
    assert_eq!(Flow::for_width_px(FLOW_DOWN_BELOW_PX + 1.0), Flow::Across);
    assert_eq!(Flow::for_width_px(0.0), Flow::Across);
}
