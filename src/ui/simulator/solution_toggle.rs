//! An exercise's reference solution, hidden until asked for.

use leptos::prelude::*;

/// The button that shows or hides `text`, and the text when shown.
#[component]
pub fn SolutionToggle(text: String) -> impl IntoView {
    let shown = RwSignal::new(false);
    view! {
        <button
            type="button"
            aria-expanded=move || shown.get().to_string()
            on:click=move |_| shown.update(|s| *s = !*s)
        >
            {move || if shown.get() { "Hide the solution" } else { "Show the solution" }}
        </button>
        <Show when=move || shown.get()>
            <pre class="solution"><code>{text.clone()}</code></pre>
        </Show>
    }
}
