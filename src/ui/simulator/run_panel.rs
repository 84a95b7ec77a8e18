//! The result of one run: its verdict, checks, metrics and store.

use leptos::prelude::*;

use super::chart::ChartView;
use super::run_view::{CompareView, RunView};

/// One seed's checks, metrics, comparison, charts and store.
///
/// - `run_view`: the run to show; nothing is shown while it is `None`.
#[component]
pub fn RunPanel(run_view: RwSignal<Option<RunView>>) -> impl IntoView {
    move || run_view.get().map(|r| run_view_of(&r))
}

/// One run drawn: verdict, errors, checks, comparison, charts and tables.
fn run_view_of(r: &RunView) -> impl IntoView + use<> {
    let error = r
        .error
        .clone()
        .map(|e| view! { <p class="run-error" role="alert">{e}</p> });
    let handler_error = r.first_handler_error.clone().map(|e| {
        view! { <p class="handler-error">"An invocation failed: " {e}</p> }
    });
    let checks = r
        .checks
        .iter()
        .map(|c| check_item(c.name.clone(), c.ok, c.detail.clone()))
        .collect_view();
    let charts = r
        .charts
        .iter()
        .map(|chart| view! { <ChartView chart=chart.clone()/> })
        .collect_view();
    view! {
        <div class="run">
            // Only the verdict is announced: the tables below would
            // make a screen reader read the whole run after each Run.
            <div role="status" aria-live="polite">
                <h3>{verdict(r)}</h3>
            </div>
            {error}
            {handler_error}
            <ul class="checks">{checks}</ul>
            {r.compare.as_ref().map(compare_table)}
            <div class="charts">{charts}</div>
            <div class="tables">
                {row_table("Metrics".to_string(), r.metrics.iter().map(|(l, v)| (l.clone(), v.to_string())).collect())}
                {row_table(format!("Store at {} ms", r.end_ms), r.store.clone())}
            </div>
        </div>
    }
}

/// The run's heading: its seed and whether every check passed.
fn verdict(r: &RunView) -> String {
    if r.error.is_some() {
        format!("Seed {}: the run could not finish", r.seed)
    } else if r.ok {
        format!("Seed {}: every check passed", r.seed)
    } else {
        format!("Seed {}: some checks failed", r.seed)
    }
}

/// The clients' metrics side by side.
fn compare_table(c: &CompareView) -> impl IntoView + use<> {
    let heads = c
        .clients
        .iter()
        .map(|name| view! { <th scope="col">{name.clone()}</th> })
        .collect_view();
    let rows = c
        .rows
        .iter()
        .map(|(label, values)| {
            let cells = values
                .iter()
                .map(|v| view! { <td>{*v}</td> })
                .collect_view();
            view! { <tr><th scope="row">{label.clone()}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <table class="compare">
            <caption>"The two flows side by side"</caption>
            <thead><tr><td></td>{heads}</tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// A two-column table: a caption, then one row per label and value.
fn row_table(caption: String, rows: Vec<(String, String)>) -> impl IntoView {
    let rows = rows
        .into_iter()
        .map(|(label, value)| view! { <tr><th scope="row">{label}</th><td>{value}</td></tr> })
        .collect_view();
    view! {
        <table>
            <caption>{caption}</caption>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// One check: passed or failed (in words, not colour alone), its name and
/// its explanation.
pub fn check_item(name: String, ok: bool, detail: String) -> impl IntoView {
    let (class, mark) = if ok {
        ("pass", "Passed")
    } else {
        ("fail", "Failed")
    };
    view! {
        <li class=class>
            <span class="mark">{mark}</span>
            " "
            <strong>{name}</strong>
            <span class="detail">{detail}</span>
        </li>
    }
}
