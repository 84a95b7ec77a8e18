//! The result of a check over many seeds, as it comes in.

use leptos::prelude::*;

use super::chart::ChartView;
use super::run_panel::check_item;
use super::sweep_tally::SweepTally;

/// How many failing runs get a button; the rest are counted.
const SEEDS_LISTED: usize = 30;

/// A run of a sweep: its variant (none: the exercise's own scenario) and
/// seed.
type FailingRun = (Option<String>, u64);

/// The checks over all seeds, with a progress bar, the first failing run,
/// the runs that failed (each opens its run, variant and seed) and the
/// chart of the share of failing seeds.
///
/// - `tally`: the sweep so far; nothing is shown while it is `None`.
/// - `on_open`: opens a run in the playground: its variant (none for the
///   scenario itself) and seed.
#[component]
pub fn SweepPanel(
    tally: RwSignal<Option<SweepTally>>,
    on_open: Callback<FailingRun>,
) -> impl IntoView {
    move || {
        tally.get().map(|t| {
            let rows = t
                .lines()
                .into_iter()
                .map(|(name, ok, text)| check_item(name, ok, text))
                .collect_view();
            let chart = t.share_chart().map(|chart| view! { <ChartView chart/> });
            let first = t
                .first_failing_run()
                .filter(|_| t.is_done())
                .map(|run| first_failing(run, on_open));
            let failing = failing_seeds(&t.failing, on_open);
            view! {
                <div class="sweep">
                    // The verdict is announced; the progress bar says the rest.
                    <div role="status" aria-live="polite">
                        <h3>{t.verdict()}</h3>
                    </div>
                    <progress max="100" value=t.percent() aria-label="Seeds checked"></progress>
                    <ul class="checks">{rows}</ul>
                    {first}
                    {failing}
                </div>
                {chart}
            }
        })
    }
}

/// "seed 4" or "seed 4 of variant “store errors”".
fn run_label((variant, seed): &FailingRun) -> String {
    match variant {
        Some(name) => format!("seed {seed} of variant “{name}”"),
        None => format!("seed {seed}"),
    }
}

/// The run a finished check names first (as `sim judge` prints it), one
/// press away.
fn first_failing(run: FailingRun, on_open: Callback<FailingRun>) -> impl IntoView {
    let label = format!("Open the first failing run: {}", run_label(&run));
    view! {
        <button type="button" class="first-failing" on:click=move |_| on_open.run(run.clone())>
            {label}
        </button>
    }
}

/// A button per failing run (the first [`SEEDS_LISTED`]), so the seed a
/// sweep names is one press away from its run, in its variant.
fn failing_seeds(runs: &[FailingRun], on_open: Callback<FailingRun>) -> Option<impl IntoView> {
    if runs.is_empty() {
        return None;
    }
    let buttons = runs
        .iter()
        .take(SEEDS_LISTED)
        .map(|run| {
            let label = format!("Open {}", run_label(run));
            let run = run.clone();
            view! {
                <li>
                    <button type="button" on:click=move |_| on_open.run(run.clone())>
                        {label}
                    </button>
                </li>
            }
        })
        .collect_view();
    let more = (runs.len() > SEEDS_LISTED)
        .then(|| view! { <p>{format!("and {} more", runs.len() - SEEDS_LISTED)}</p> });
    Some(view! {
        <div class="failing-seeds" role="group" aria-label="Failing seeds">
            <h4>{format!("Seeds where a check failed ({})", runs.len())}</h4>
            <ul>{buttons}</ul>
            {more}
        </div>
    })
}
