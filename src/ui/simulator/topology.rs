//! The topology diagram: the scenario's components as boxes in columns,
//! live counters at the current moment, messages moving along the edges.
//! Each box is a button: choosing one opens its inspector.

use leptos::prelude::*;

use super::topology_model::{
    counters, Dot, Flow, Node, NodeKind, Topology, NODE_HEIGHT, NODE_WIDTH,
};
use super::use_element_width::use_element_width;
use crate::sim::WorldSnapshot;

/// The diagram, drawn across or down, whichever fits its box
/// (`topology_flow` says why). Only one is drawn: its counters and moving
/// dots are redrawn every frame of playback.
///
/// - `topology`: boxes and edges (fixed for a scenario), laid out across.
/// - `snapshot`: the world at the moment shown (counters).
/// - `dots`: messages travelling at that moment.
/// - `selected`: the box whose inspector is open (index into the boxes).
#[component]
pub fn TopologyDiagram(
    topology: Topology,
    #[prop(into)] snapshot: Signal<Option<WorldSnapshot>>,
    #[prop(into)] dots: Signal<Vec<Dot>>,
    selected: RwSignal<Option<usize>>,
) -> impl IntoView {
    let down = StoredValue::new(topology.down());
    let across = StoredValue::new(topology);
    let figure = NodeRef::<leptos::html::Figure>::new();
    let width_px = use_element_width(figure);
    // Redrawn only when the flow changes, not on every resize.
    let flow = Memo::new(move |_| Flow::for_width_px(width_px.get()));
    view! {
        <figure class="topology" node_ref=figure>
            {move || {
                let chosen = match flow.get() {
                    Flow::Across => across.get_value(),
                    Flow::Down => down.get_value(),
                };
                drawing(chosen, snapshot, dots, selected)
            }}
        </figure>
    }
}

/// One drawing of the diagram, in its own flow.
fn drawing(
    topology: Topology,
    snapshot: Signal<Option<WorldSnapshot>>,
    dots: Signal<Vec<Dot>>,
    selected: RwSignal<Option<usize>>,
) -> impl IntoView {
    let (width, height) = (topology.width, topology.height);
    let class = match topology.flow {
        Flow::Across => "topology-across",
        Flow::Down => "topology-down",
    };
    let edges = topology
        .edges
        .iter()
        .map(|e| view! { <path class="edge" d=topology.edge_path(e) marker-end=format!("url(#arrowhead-{class})")></path> })
        .collect_view();
    let nodes = topology
        .nodes
        .iter()
        .enumerate()
        .map(|(i, node)| node_view(i, node.clone(), snapshot, selected))
        .collect_view();
    let topology = StoredValue::new(topology);
    let moving = move || {
        dots.get()
            .into_iter()
            .filter_map(|dot| {
                topology.with_value(|t| {
                    let (x, y) = t.point_on(t.edges.get(dot.edge)?, dot.progress);
                    let class = if dot.alarm { "dot alarm" } else { "dot" };
                    Some(view! { <circle class=class cx=x cy=y r="5"></circle> })
                })
            })
            .collect_view()
    };
    view! {
        <svg
            class=class
            viewBox=format!("0 0 {width} {height}")
            // Never drawn larger than a quarter over its own size.
            style:max-width=format!("{}px", width * 1.25)
            role="group"
            aria-label="System topology"
            preserveAspectRatio="xMinYMin meet"
        >
            <defs>
                <marker id=format!("arrowhead-{class}") viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead"></path>
                </marker>
            </defs>
            {edges}
            {nodes}
            <g aria-hidden="true">{moving}</g>
        </svg>
    }
}

/// One box: a button that opens its inspector, named by the words on it.
fn node_view(
    i: usize,
    node: Node,
    snapshot: Signal<Option<WorldSnapshot>>,
    selected: RwSignal<Option<usize>>,
) -> impl IntoView {
    let kind = node.kind;
    let class = move || {
        let mut c = format!("node node-{}", kind_class(kind));
        if selected.get() == Some(i) {
            c.push_str(" selected");
        }
        c
    };
    // One computation per moment, read by the visible text and the
    // accessible name alike.
    let counter_node = node.clone();
    let counter = Memo::new(move |_| {
        snapshot.with(|s| {
            s.as_ref()
                .map(|s| counters(&counter_node, s))
                .unwrap_or_default()
        })
    });
    let name = node.name.clone();
    // The name starts with the words on the box, in their order, so a
    // speech-input user can say what they see (axe
    // `label-content-name-mismatch`).
    let aria = move || format!("{} {} {}. Inspect", kind.label(), name, counter.get());
    let toggle = move || selected.update(|s| *s = if *s == Some(i) { None } else { Some(i) });
    view! {
        <g
            class=class
            role="button"
            tabindex="0"
            aria-label=aria
            aria-pressed=move || (selected.get() == Some(i)).to_string()
            on:click=move |_| toggle()
            on:keydown=move |ev: web_sys::KeyboardEvent| {
                if ev.key() == "Enter" || ev.key() == " " {
                    ev.prevent_default();
                    toggle();
                }
            }
        >
            <rect x=node.x y=node.y width=NODE_WIDTH height=NODE_HEIGHT rx="8"></rect>
            // One text of three lines with spaces between them, so the
            // words read as "queue saves 3 waiting", as the name says.
            <text>
                <tspan x=node.x + 10.0 y=node.y + 16.0 class="node-kind">{kind.label()}</tspan>
                " "
                <tspan x=node.x + 10.0 y=node.y + 33.0 class="node-name">{node.name.clone()}</tspan>
                " "
                <tspan x=node.x + 10.0 y=node.y + 49.0 class="node-counter">{counter}</tspan>
            </text>
        </g>
    }
}

fn kind_class(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Client => "client",
        NodeKind::Endpoint => "endpoint",
        NodeKind::Topic => "topic",
        NodeKind::Queue => "queue",
        NodeKind::DeadLetterQueue => "dlq",
        NodeKind::Function => "function",
        NodeKind::Consumer => "consumer",
        NodeKind::Workflow => "workflow",
        NodeKind::Store => "store",
    }
}
