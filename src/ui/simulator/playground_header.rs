//! The playground's title, and the button that widens it over the lesson.

use leptos::prelude::*;

/// The title, and the button that widens the playground over the lesson.
#[component]
pub fn PlaygroundHeader(wide: RwSignal<bool>) -> impl IntoView {
    view! {
        <div class="playground-header">
            <h2 id="playground-title">"Playground"</h2>
            <button
                type="button"
                aria-pressed=move || wide.get().to_string()
                on:click=move |_| wide.update(|w| *w = !*w)
            >
                {move || if wide.get() { "Show the lesson" } else { "Full width" }}
            </button>
        </div>
    }
}
