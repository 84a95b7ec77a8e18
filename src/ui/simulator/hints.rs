//! An exercise's hints, shown one at a time on request.

use leptos::prelude::*;

use super::playground_text::hint_button_label;

/// The hints shown so far and the button that shows the next.
#[component]
pub fn Hints(hints: Vec<String>) -> impl IntoView {
    let shown_count = RwSignal::new(0usize);
    let count = hints.len();
    let shown = move || {
        hints
            .iter()
            .take(shown_count.get())
            .enumerate()
            .map(|(i, h)| view! { <li>{format!("Hint {}: {h}", i + 1)}</li> })
            .collect_view()
    };
    view! {
        <ol class="hints" aria-live="polite">{shown}</ol>
        <button
            type="button"
            disabled=move || { shown_count.get() >= count }
            on:click=move |_| shown_count.update(|n| *n += 1)
        >
            {move || hint_button_label(shown_count.get(), count)}
        </button>
    }
}
