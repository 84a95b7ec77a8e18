//! The inspector of one component at the moment shown: a queue's messages
//! (waiting, in flight with their visibility deadline, delayed), a
//! function's execution environments and their globals, a workflow's
//! executions with the step each is at and its state, the store with its
//! write history and the stale overwrites marked. What it shows is
//! `inspector_model`'s.

use leptos::prelude::*;

use super::inspect_table::InspectTableView;
use super::inspector_model::{inspect, Inspected};
use super::topology_model::{Node, NodeKind};
use crate::sim::WorldSnapshot;

/// The inspector.
///
/// - `node`: the component inspected.
/// - `snapshot`: the world at the moment shown.
#[component]
pub fn Inspector(
    node: Node,
    #[prop(into)] snapshot: Signal<Option<WorldSnapshot>>,
) -> impl IntoView {
    let title = match node.kind {
        NodeKind::Store => "The store".to_string(),
        kind => format!("{} {}", kind.label(), node.name),
    };
    let body = move || snapshot.with(|s| s.as_ref().map(|s| details(&node, s)));
    view! {
        <section class="inspector" aria-label=format!("Inspector: {title}")>
            <h3>{title.clone()}</h3>
            {body}
        </section>
    }
}

fn details(node: &Node, s: &WorldSnapshot) -> AnyView {
    match inspect(node, s) {
        None => ().into_any(),
        Some(Inspected::Table(table)) => view! { <InspectTableView table/> }.into_any(),
        Some(Inspected::Counters(text)) => view! { <p>{text}</p> }.into_any(),
    }
}
