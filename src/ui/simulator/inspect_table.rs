//! One inspector table: its summary lines, headers and rows.

use leptos::prelude::*;

use super::inspector_model::InspectTable;

/// Draws `table`.
#[component]
pub fn InspectTableView(table: InspectTable) -> impl IntoView {
    let summary = table
        .summary
        .into_iter()
        .map(|line| view! { <p>{line}</p> })
        .collect_view();
    let headers = table
        .headers
        .into_iter()
        .map(|h| view! { <th scope="col">{h}</th> })
        .collect_view();
    let rows = table
        .rows
        .into_iter()
        .map(|row| {
            let last = row.cells.len().saturating_sub(1);
            let cells = row
                .cells
                .into_iter()
                .enumerate()
                .map(|(i, text)| {
                    let class = (row.body_last && i == last).then_some("body");
                    view! { <td class=class>{text}</td> }
                })
                .collect_view();
            view! { <tr class=row.class>{cells}</tr> }
        })
        .collect_view();
    view! {
        {summary}
        <table class="inspect-table">
            <thead><tr>{headers}</tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
