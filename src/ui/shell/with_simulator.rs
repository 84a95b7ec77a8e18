//! Draws something that needs the simulator: at once when it is loaded,
//! else a status line while its file is fetched, and if that fails, the
//! reason and a button to try again (the page and the lesson text stay).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::ui::simulator::door::{self, Simulator};

/// Shows `render(simulator)` once the simulator is loaded.
///
/// - `render`: draws the view with the simulator's entry points; called
///   once the simulator is there (again after a failed load is retried).
pub fn with_simulator(render: impl Fn(Simulator) -> AnyView + Send + 'static) -> impl IntoView {
    let state = RwSignal::new(door::loaded().map(Ok));
    let start = move || {
        state.set(None);
        spawn_local(async move {
            let result = door::load().await.map_err(|e| e.to_string());
            // The page may have moved on (the view is gone): nothing to do.
            state.try_set(Some(result));
        });
    };
    if state.get_untracked().is_none() {
        start();
    }
    move || match state.get() {
        Some(Ok(simulator)) => render(simulator),
        None => view! {
            <section class="playground simulator-loading" role="status">
                <p>"Loading the simulator\u{2026}"</p>
            </section>
        }
        .into_any(),
        Some(Err(message)) => view! {
            <section class="playground" role="alert">
                <h2>"The simulator could not be loaded"</h2>
                <p>{message}</p>
                <button type="button" on:click=move |_| start()>"Try again"</button>
            </section>
        }
        .into_any(),
    }
}
