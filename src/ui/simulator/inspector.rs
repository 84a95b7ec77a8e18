//! The inspector of one component at the moment shown: a queue's messages
//! (waiting, in flight with their visibility deadline, delayed), a
//! function's execution environments and their globals, a workflow's
//! executions with the step each is at and its state, the store with its
//! write history and the stale overwrites marked.

use leptos::prelude::*;

use super::topology_model::{Node, NodeKind};
use crate::sim::snapshot::MessageState;
use crate::sim::{ExecutionStatus, WorldSnapshot};

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
    let name = node.name.as_str();
    match node.kind {
        NodeKind::Queue | NodeKind::DeadLetterQueue => {
            let Some(q) = s.queues.iter().find(|q| q.name.as_str() == name) else {
                return ().into_any();
            };
            let rows = q
                .messages
                .iter()
                .map(|m| {
                    let state = match &m.state {
                        MessageState::Delayed { until_ms } => {
                            format!("delayed until {until_ms} ms")
                        }
                        MessageState::Waiting => "waiting".to_string(),
                        MessageState::InFlight { visible_at_ms, .. } => {
                            format!("in flight, visible again at {visible_at_ms} ms")
                        }
                    };
                    view! {
                        <tr>
                            <td>{m.message_id.to_string()}</td>
                            <td>{state}</td>
                            <td>{m.receive_count}</td>
                            <td class="body">{m.body.clone()}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <p>{format!("{} stored: {} waiting, {} in flight, {} delayed", q.counts.stored(), q.counts.waiting, q.counts.in_flight, q.counts.delayed)}</p>
                <table class="inspect-table">
                    <thead><tr><th scope="col">"Message"</th><th scope="col">"State"</th><th scope="col">"Receives"</th><th scope="col">"Body"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }
            .into_any()
        }
        NodeKind::Function => {
            let Some(f) = s.functions.iter().find(|f| f.name.as_str() == name) else {
                return ().into_any();
            };
            let rows = f
                .environments
                .iter()
                .map(|e| {
                    let state = match (e.busy, e.warm) {
                        (true, false) => "cold start",
                        (true, true) => "busy",
                        (false, _) => "idle, warm",
                    };
                    view! {
                        <tr>
                            <td>{format!("env {}", e.id)}</td>
                            <td>{state}</td>
                            <td>{e.invocations}</td>
                            <td class="body">{e.globals.to_string()}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <p>{format!("{} running; {} invocations, {} cold starts, {} failed, {} throttled", f.concurrency, f.stats.invocations, f.stats.cold_starts, f.stats.failed, f.stats.throttled)}</p>
                <table class="inspect-table">
                    <thead><tr><th scope="col">"Environment"</th><th scope="col">"State"</th><th scope="col">"Invocations"</th><th scope="col">"globals"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }
            .into_any()
        }
        NodeKind::Workflow => {
            let Some(w) = s.workflows.iter().find(|w| w.name == name) else {
                return ().into_any();
            };
            let rows = w
                .executions
                .iter()
                .map(|e| {
                    let status = match e.status {
                        ExecutionStatus::Running => "running",
                        ExecutionStatus::Succeeded => "succeeded",
                        ExecutionStatus::Failed => "failed",
                    };
                    let class = if e.status == ExecutionStatus::Failed {
                        "stale"
                    } else {
                        ""
                    };
                    view! {
                        <tr class=class>
                            <td>{e.name.clone()}</td>
                            <td>{status}</td>
                            <td>{e.step.clone()}</td>
                            <td>{e.retries}</td>
                            <td class="body">{e.state.to_string()}</td>
                        </tr>
                    }
                })
                .collect_view();
            let st = &w.stats;
            let steps = w
                .config
                .steps
                .iter()
                .map(|step| step.name.clone())
                .collect::<Vec<_>>()
                .join(" → ");
            view! {
                <p>{format!("Steps: {steps}")}</p>
                <p>{format!("{} started: {} succeeded, {} failed, {} retries, {} duplicate starts ignored", st.started, st.succeeded, st.failed, st.retries, st.deduplicated)}</p>
                <table class="inspect-table">
                    <thead><tr><th scope="col">"Execution"</th><th scope="col">"Status"</th><th scope="col">"Step"</th><th scope="col">"Retries"</th><th scope="col">"State"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }
            .into_any()
        }
        NodeKind::Store => {
            let stale: Vec<u64> = s.store.stale_overwrites.iter().map(|w| w.seq).collect();
            let rows = s
                .store
                .history
                .iter()
                .map(|w| {
                    let is_stale = stale.contains(&w.seq);
                    let class = if is_stale { "stale" } else { "" };
                    let note = if is_stale { "stale overwrite" } else { "" };
                    view! {
                        <tr class=class>
                            <td>{format!("{} ms", w.time_ms)}</td>
                            <td>{w.key.clone()}</td>
                            <td>{w.version.clone().unwrap_or_default()}</td>
                            <td>{w.replaced_version.clone().unwrap_or_default()}</td>
                            <td>{w.writer.clone()}</td>
                            <td>{note}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <p>{format!("{} items, {} writes, {} stale overwrites", s.store.items.len(), s.store.history.len(), stale.len())}</p>
                <table class="inspect-table">
                    <thead><tr><th scope="col">"Time"</th><th scope="col">"Key"</th><th scope="col">"Version"</th><th scope="col">"Replaced"</th><th scope="col">"Writer"</th><th scope="col">"Note"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }
            .into_any()
        }
        _ => view! { <p>{super::topology_model::counters(node, s)}</p> }.into_any(),
    }
}
