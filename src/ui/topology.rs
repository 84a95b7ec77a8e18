//! The topology diagram: the scenario's components as boxes in columns,
//! live counters at the current moment, messages moving along the edges.
//! Each box is a button: choosing one opens its inspector.

use leptos::prelude::*;

use super::topology_model::{
    counters, edge_path, point_on_edge, Dot, NodeKind, Topology, NODE_HEIGHT, NODE_WIDTH,
};
use crate::sim::WorldSnapshot;

/// The diagram.
///
/// - `topology`: boxes and edges (fixed for a scenario).
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
    let topology = StoredValue::new(topology);
    let (width, height) = topology.with_value(|t| (t.width, t.height));
    let edges = topology.with_value(|t| {
        t.edges
            .iter()
            .map(|e| {
                let (x1, y1) = t.nodes[e.from].right();
                let (x2, y2) = t.nodes[e.to].left();
                let path = edge_path(x1, y1, x2, y2);
                view! { <path class="edge" d=path marker-end="url(#arrowhead)"></path> }
            })
            .collect_view()
    });
    let nodes = topology.with_value(|t| {
        t.nodes
            .iter()
            .enumerate()
            .map(|(i, node)| {
                let node = node.clone();
                let class = move || {
                    let mut c = format!("node node-{}", kind_class(node.kind));
                    if selected.get() == Some(i) {
                        c.push_str(" selected");
                    }
                    c
                };
                // One computation per moment, read by the visible text and
                // the accessible name alike.
                let counter_node = node.clone();
                let counter = Memo::new(move |_| {
                    snapshot.with(|s| s.as_ref().map(|s| counters(&counter_node, s)).unwrap_or_default())
                });
                let label_node = node.clone();
                // The name starts with the words on the box, in their order,
                // so a speech-input user can say what they see (axe
                // `label-content-name-mismatch`).
                let aria = move || {
                    format!(
                        "{} {} {}. Inspect",
                        label_node.kind.label(),
                        label_node.name,
                        counter.get()
                    )
                };
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
                        <text x=node.x + 10.0 y=node.y + 16.0 class="node-kind">{node.kind.label()}</text>
                        <text x=node.x + 10.0 y=node.y + 33.0 class="node-name">{node.name.clone()}</text>
                        <text x=node.x + 10.0 y=node.y + 49.0 class="node-counter">{counter}</text>
                    </g>
                }
            })
            .collect_view()
    });
    let moving = move || {
        dots.get()
            .into_iter()
            .filter_map(|dot| {
                topology.with_value(|t| {
                    let e = t.edges.get(dot.edge)?;
                    let (x1, y1) = t.nodes[e.from].right();
                    let (x2, y2) = t.nodes[e.to].left();
                    let (x, y) = point_on_edge(x1, y1, x2, y2, dot.progress);
                    let class = if dot.alarm { "dot alarm" } else { "dot" };
                    Some(view! { <circle class=class cx=x cy=y r="5"></circle> })
                })
            })
            .collect_view()
    };
    view! {
        <figure class="topology">
            <svg
                viewBox=format!("0 0 {width} {height}")
                role="group"
                aria-label="System topology"
                preserveAspectRatio="xMinYMin meet"
            >
                <defs>
                    <marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead"></path>
                    </marker>
                </defs>
                {edges}
                {nodes}
                <g aria-hidden="true">{moving}</g>
            </svg>
        </figure>
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
