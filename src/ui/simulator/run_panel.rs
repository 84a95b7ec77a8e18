//! The result of one run: its verdict, checks, metrics and store.

use leptos::prelude::*;

use super::chart::ChartView;
use super::run_view::RunView;

/// One seed's checks, metrics, comparison, charts and store.
///
/// - `run_view`: the run to show; nothing is shown while it is `None`.
#[component]
pub fn RunPanel(run_view: RwSignal<Option<RunView>>) -> impl IntoView {
    move || {
        run_view.get().map(|r| {
            let heading = if r.error.is_some() {
                format!("Seed {}: the run could not finish", r.seed)
            } else if r.ok {
                format!("Seed {}: every check passed", r.seed)
            } else {
                format!("Seed {}: some checks failed", r.seed)
            };
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
            let metrics = r
                .metrics
                .iter()
                .map(|(label, value)| view! { <tr><th scope="row">{label.clone()}</th><td>{*value}</td></tr> })
                .collect_view();
            let compare = r.compare.clone().map(|c| {
                let heads = c
                    .clients
                    .iter()
                    .map(|name| view! { <th scope="col">{name.clone()}</th> })
                    .collect_view();
                let rows = c
                    .rows
                    .iter()
                    .map(|(label, values)| {
                        let cells = values.iter().map(|v| view! { <td>{*v}</td> }).collect_view();
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
            });
            let charts = r
                .charts
                .iter()
                .map(|chart| view! { <ChartView chart=chart.clone()/> })
                .collect_view();
            let store = r
                .store
                .iter()
                .map(|(key, version)| view! { <tr><th scope="row">{key.clone()}</th><td>{version.clone()}</td></tr> })
                .collect_view();
            view! {
                <div class="run">
                    // Only the verdict is announced: the tables below would
                    // make a screen reader read the whole run after each Run.
                    <div role="status" aria-live="polite">
                        <h3>{heading}</h3>
                    </div>
                    {error}
                    {handler_error}
                    <ul class="checks">{checks}</ul>
                    {compare}
                    <div class="charts">{charts}</div>
                    <div class="tables">
                        <table>
                            <caption>"Metrics"</caption>
                            <tbody>{metrics}</tbody>
                        </table>
                        <table>
                            <caption>{format!("Store at {} ms", r.end_ms)}</caption>
                            <tbody>{store}</tbody>
                        </table>
                    </div>
                </div>
            }
        })
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
