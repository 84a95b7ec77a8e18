//! The alert a restarted page shows after an internal error stopped the
//! app (docs/architecture.md, "When the simulator fails"). Part of the app
//! shell: it must show even when the simulator's file is what failed.

use leptos::prelude::*;

use super::crash_record::{CrashRecord, CRASH_EXPLANATION, CRASH_HEADING};

/// What happened, the error's (bounded) text, and what is kept.
///
/// - `record`: the record the panic hook (or the guard script) left.
#[component]
pub fn CrashAlert(record: CrashRecord) -> impl IntoView {
    let shown = RwSignal::new(true);
    let error = record.error_text();
    view! {
        <Show when=move || shown.get()>
            <section class="notice crash-alert" role="alert" aria-labelledby="crash-alert-title">
                <p>
                    <strong id="crash-alert-title">{CRASH_HEADING}</strong>
                </p>
                <p>{CRASH_EXPLANATION}</p>
                <p class="crash-error">"The error: " <code>{error.clone()}</code></p>
                <button type="button" on:click=move |_| shown.set(false)>
                    "Dismiss this message"
                </button>
            </section>
        </Show>
    }
}
