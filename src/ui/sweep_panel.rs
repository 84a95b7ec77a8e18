//! The result of a check over many seeds, as it comes in.

use leptos::prelude::*;

use super::chart::ChartView;
use super::playground_model::SweepTally;
use super::run_panel::check_item;

/// The checks over all seeds, with a progress bar and the chart of the
/// share of failing seeds.
///
/// - `tally`: the sweep so far; nothing is shown while it is `None`.
#[component]
pub fn SweepPanel(tally: RwSignal<Option<SweepTally>>) -> impl IntoView {
    move || {
        tally.get().map(|t| {
            let verdict = if !t.is_done() {
                format!("Checking… {} of {} seeds", t.done, t.total)
            } else if t.all_passed() {
                format!("All checks passed in {}/{} seeds", t.total, t.total)
            } else {
                format!("Some checks failed over {} seeds", t.total)
            };
            let rows = t
                .lines()
                .into_iter()
                .map(|(name, ok, text)| check_item(name, ok, text))
                .collect_view();
            let chart = t.share_chart().map(|chart| view! { <ChartView chart/> });
            view! {
                <div class="sweep">
                    // The verdict is announced; the progress bar says the rest.
                    <div role="status" aria-live="polite">
                        <h3>{verdict}</h3>
                    </div>
                    <progress max="100" value=t.percent() aria-label="Seeds checked"></progress>
                    <ul class="checks">{rows}</ul>
                </div>
                {chart}
            }
        })
    }
}
