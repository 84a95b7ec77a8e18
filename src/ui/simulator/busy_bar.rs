//! Progress and Stop of a run or a check; stays in view while the learner
//! scrolls.

use leptos::prelude::*;

use super::sweep_tally::SweepTally;
use super::use_sliced_run::SlicedRunState;
use super::use_sweep::SweepState;

/// The run's simulated time and the check's verdict so far, with Stop.
#[component]
pub fn BusyBar(runs: SlicedRunState, sweeps: SweepState) -> impl IntoView {
    let tally = sweeps.tally;
    view! {
        <div class="busy-bar">
            <p class="run-progress" role="status">
                {move || runs.running.get().map(|t| format!("Running… {t} ms of simulated time so far"))}
            </p>
            <Show when=move || runs.running.get().is_some()>
                <button type="button" on:click=move |_| runs.request_stop()>"Stop the run"</button>
            </Show>
            <Show when=move || tally.with(|t| t.as_ref().is_some_and(SweepTally::is_running))>
                <p class="sweep-progress">
                    {move || tally.with(|t| t.as_ref().map(SweepTally::verdict))}
                </p>
                <button type="button" on:click=move |_| sweeps.stop()>"Stop the check"</button>
            </Show>
        </div>
    }
}
