//! "What if?": buttons that act on the component inspected at the paused
//! moment (issue 19). Each starts a new branch of the run; the earlier
//! branch stays in the history. The acts are `what_if_model`'s.

use leptos::prelude::*;

use super::topology_model::{Node, NodeKind};
use super::what_if_model::{acts, by_hand, change_code, store_down, DELAY_MS, STORE_DOWN_MS};
use crate::sim::{Intervention, WorldSnapshot};

/// The acts on `node` at `at_ms`, as `snapshot` shows it then.
///
/// - `code`: for a function, the code it ran (the form to run other code
///   from this moment starts with it).
#[component]
pub fn WhatIf(
    node: Node,
    #[prop(into)] snapshot: Signal<Option<WorldSnapshot>>,
    at_ms: RwSignal<u64>,
    on_act: Callback<Intervention>,
    #[prop(default = String::new())] code: String,
) -> impl IntoView {
    let node = StoredValue::new(node);
    let buttons = move || {
        let t = at_ms.get();
        let list = snapshot.with(|s| {
            s.as_ref()
                .map(|s| node.with_value(|n| acts(n, s, t)))
                .unwrap_or_default()
        });
        list.into_iter()
            .map(|a| {
                let iv = a.intervention;
                view! {
                    <button type="button" on:click=move |_| on_act.run(iv.clone())>{a.label}</button>
                }
            })
            .collect_view()
    };
    let kind = node.with_value(|n| n.kind);
    let extra = match kind {
        NodeKind::Store => view! { <StoreDown at_ms on_act/> }.into_any(),
        NodeKind::Queue | NodeKind::DeadLetterQueue | NodeKind::Topic => {
            view! { <ByHand node=node.get_value() at_ms on_act/> }.into_any()
        }
        NodeKind::Function => {
            let function = node.with_value(|n| n.name.clone());
            view! { <NewCode function code at_ms on_act/> }.into_any()
        }
        _ => ().into_any(),
    };
    view! {
        <section class="what-if" aria-label="What if?">
            <h3>{move || format!("What if? Act at {} ms", at_ms.get())}</h3>
            <p class="hint">
                {format!("Each act starts a new branch from this moment; the run shown stays in the history. Delay makes a message receivable {DELAY_MS} ms later.")}
            </p>
            <div class="what-if-acts">{buttons}</div>
            {extra}
        </section>
    }
}

/// "Store down…": the store fails every call for a chosen time from now.
#[component]
fn StoreDown(at_ms: RwSignal<u64>, on_act: Callback<Intervention>) -> impl IntoView {
    let duration_ms = RwSignal::new(STORE_DOWN_MS);
    view! {
        <div class="what-if-form">
            <label>
                "Down for (ms) "
                <input
                    type="number"
                    min="1"
                    prop:value=move || duration_ms.get().to_string()
                    on:input=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<u64>() {
                            duration_ms.set(v);
                        }
                    }
                />
            </label>
            <button
                type="button"
                on:click=move |_| on_act.run(store_down(at_ms.get_untracked(), duration_ms.get_untracked()))
            >
                "Store down…"
            </button>
        </div>
    }
}

/// "Send a message by hand…" (a queue) or "Publish a message by hand…" (a
/// topic), with the body typed.
#[component]
fn ByHand(node: Node, at_ms: RwSignal<u64>, on_act: Callback<Intervention>) -> impl IntoView {
    let body = RwSignal::new(String::from("{}"));
    let verb = if node.kind == NodeKind::Topic {
        "Publish"
    } else {
        "Send"
    };
    let node = StoredValue::new(node);
    let send = move |_| {
        let iv = node.with_value(|n| by_hand(n, at_ms.get_untracked(), &body.get_untracked()));
        if let Some(iv) = iv {
            on_act.run(iv);
        }
    };
    view! {
        <div class="what-if-form">
            <label>
                "Message body "
                <textarea
                    rows="2"
                    prop:value=move || body.get()
                    on:input=move |ev| body.set(event_target_value(&ev))
                ></textarea>
            </label>
            <button type="button" on:click=send>{format!("{verb} a message by hand…")}</button>
        </div>
    }
}

/// "Run this code from here": invocations that start from this moment run
/// the code typed (the ones already running keep theirs).
#[component]
fn NewCode(
    function: String,
    code: String,
    at_ms: RwSignal<u64>,
    on_act: Callback<Intervention>,
) -> impl IntoView {
    let code = RwSignal::new(code);
    let label = format!("New code of function {function}");
    let apply = move |_| {
        on_act.run(change_code(
            &function,
            at_ms.get_untracked(),
            &code.get_untracked(),
        ))
    };
    view! {
        <div class="what-if-form what-if-code">
            <label>
                {label}
                <textarea
                    rows="6"
                    spellcheck="false"
                    prop:value=move || code.get()
                    on:input=move |ev| code.set(event_target_value(&ev))
                ></textarea>
            </label>
            <button type="button" on:click=apply>"Run this code from here"</button>
        </div>
    }
}
