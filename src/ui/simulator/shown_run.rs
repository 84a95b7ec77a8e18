//! The system view of the last run that ended with a world to draw.

use leptos::prelude::*;

use super::system_view::SystemView;
use super::use_playground::PlaygroundState;

/// The last run of `state`, drawn with its own variant's setup.
#[component]
pub fn ShownRunView(state: PlaygroundState) -> impl IntoView {
    move || {
        state.runs.last_run.get().map(|shown| {
            // The setup of this run (its variant's scenario): a later
            // scenario edit must not change what its playback replays.
            let setup = StoredValue::new(
                state
                    .setup
                    .with_value(|s| s.for_variant(shown.variant.as_deref())),
            );
            let on_act = Callback::new(move |iv| state.act(iv));
            view! {
                <SystemView
                    setup
                    code=shown.code
                    seed=shown.seed
                    run=shown.view
                    interventions=shown.interventions
                    start_ms=shown.start_ms
                    on_act
                />
            }
        })
    }
}
