//! A "what if?" moment the lesson prepared (a ```` ```whatif ```` block,
//! `scenario/whatif.rs`): its prompt, "Open the moment" (the run of its
//! seed, paused at its moment) and the act, ready to apply; applying it
//! starts branch 2 beside the run as written (issue 19).

use leptos::prelude::*;

use super::use_playground::PlaygroundState;
use crate::scenario::whatif::WhatIf;

/// Every moment the lesson prepared on this playground's scenario.
#[component]
pub fn PreparedMoments(state: PlaygroundState) -> impl IntoView {
    state
        .lesson_setup
        .with_value(|s| s.whatifs.clone())
        .into_iter()
        .map(|whatif| view! { <PreparedMoment state whatif/> })
        .collect_view()
}

#[component]
fn PreparedMoment(state: PlaygroundState, whatif: WhatIf) -> impl IntoView {
    let opened = RwSignal::new(false);
    let at_ms = whatif.intervention.at_ms;
    let seed = whatif.seed.unwrap_or_else(|| {
        state
            .lesson_setup
            .with_value(|s| s.scenario.config.scenario.seed)
    });
    let title = whatif.title.clone();
    let act = StoredValue::new(whatif.intervention);
    let open = move |_| {
        state.open_moment(seed, at_ms);
        opened.set(true);
    };
    let apply = move |_| state.act(act.get_value());
    view! {
        <section class="what-if prepared" aria-label=format!("Prepared what if: {title}")>
            <h3>{format!("What if? {title}")}</h3>
            <p>{whatif.prompt}</p>
            <div class="what-if-acts">
                <button type="button" on:click=open>
                    {format!("Open the moment: seed {seed} at {at_ms} ms")}
                </button>
                <button type="button" disabled=move || !opened.get() on:click=apply>
                    {title.clone()}
                </button>
            </div>
        </section>
    }
}
