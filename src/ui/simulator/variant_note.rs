//! Says when Run uses a variant of the exercise (opened from a check's
//! failing run), with the way back to the exercise's own scenario.

use leptos::prelude::*;

/// The note while `run_variant` is set.
#[component]
pub fn VariantNote(run_variant: RwSignal<Option<String>>) -> impl IntoView {
    move || {
        run_variant.get().map(|name| {
            view! {
                <p class="notice" role="status">
                    {format!("Run uses variant “{name}” of this exercise. ")}
                    <button type="button" on:click=move |_| run_variant.set(None)>
                        "Back to the exercise's scenario"
                    </button>
                </p>
            }
        })
    }
}
