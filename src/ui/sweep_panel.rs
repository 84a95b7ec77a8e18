//! The result of a check over many seeds, as it comes in.

use leptos::prelude::*;

use super::chart::ChartView;
use super::playground_model::SweepTally;
use super::run_panel::check_item;

/// How many failing seeds get a button; the rest are counted.
const SEEDS_LISTED: usize = 30;

/// The checks over all seeds, with a progress bar, the seeds that failed
/// (each opens its run) and the chart of the share of failing seeds.
///
/// - `tally`: the sweep so far; nothing is shown while it is `None`.
/// - `on_open_seed`: runs one seed in the playground.
#[component]
pub fn SweepPanel(
    tally: RwSignal<Option<SweepTally>>,
    on_open_seed: Callback<u64>,
) -> impl IntoView {
    move || {
        tally.get().map(|t| {
            let rows = t
                .lines()
                .into_iter()
                .map(|(name, ok, text)| check_item(name, ok, text))
                .collect_view();
            let chart = t.share_chart().map(|chart| view! { <ChartView chart/> });
            let failing = failing_seeds(&t.failing, on_open_seed);
            view! {
                <div class="sweep">
                    // The verdict is announced; the progress bar says the rest.
                    <div role="status" aria-live="polite">
                        <h3>{t.verdict()}</h3>
                    </div>
                    <progress max="100" value=t.percent() aria-label="Seeds checked"></progress>
                    <ul class="checks">{rows}</ul>
                    {failing}
                </div>
                {chart}
            }
        })
    }
}

/// A button per failing seed (the first [`SEEDS_LISTED`]), so the seed a
/// sweep names is one press away from its run.
fn failing_seeds(seeds: &[u64], on_open_seed: Callback<u64>) -> Option<impl IntoView> {
    if seeds.is_empty() {
        return None;
    }
    let buttons = seeds
        .iter()
        .take(SEEDS_LISTED)
        .map(|&seed| {
            view! {
                <li>
                    <button type="button" on:click=move |_| on_open_seed.run(seed)>
                        {format!("Open seed {seed}")}
                    </button>
                </li>
            }
        })
        .collect_view();
    let more = (seeds.len() > SEEDS_LISTED)
        .then(|| view! { <p>{format!("and {} more", seeds.len() - SEEDS_LISTED)}</p> });
    Some(view! {
        <div class="failing-seeds" role="group" aria-label="Failing seeds">
            <h4>{format!("Seeds where a check failed ({})", seeds.len())}</h4>
            <ul>{buttons}</ul>
            {more}
        </div>
    })
}
