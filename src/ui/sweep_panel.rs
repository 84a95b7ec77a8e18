//! The result of a check over many seeds, as it comes in.

use leptos::prelude::*;

use super::chart::ChartView;
use super::playground_model::SweepTally;
use super::run_panel::check_item;

/// The checks over all seeds, with a progress bar and the chart of the
/// share of failing seeds.
///
/// - `tally`: the sweep so far; nothing is shown while it is `None`.
/// - `on_open`: opens a run (its variant, none for the scenario itself, and
///   seed); when given, a finished sweep that failed offers its first
///   failing run.
#[component]
pub fn SweepPanel(
    tally: RwSignal<Option<SweepTally>>,
    #[prop(optional)] on_open: Option<Callback<(Option<String>, u64)>>,
) -> impl IntoView {
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
            let open = on_open
                .filter(|_| t.is_done())
                .zip(t.first_failing_run())
                .map(|(open, (variant, seed))| {
                    let label = match &variant {
                        Some(name) => format!("Open seed {seed} of variant “{name}”"),
                        None => format!("Open seed {seed}"),
                    };
                    view! {
                        <button type="button" on:click=move |_| open.run((variant.clone(), seed))>
                            {label}
                        </button>
                    }
                });
            view! {
                <div class="sweep">
                    // The verdict is announced; the progress bar says the rest.
                    <div role="status" aria-live="polite">
                        <h3>{verdict}</h3>
                    </div>
                    <progress max="100" value=t.percent() aria-label="Seeds checked"></progress>
                    <ul class="checks">{rows}</ul>
                    {open}
                </div>
                {chart}
            }
        })
    }
}
