//! The "what if?" history: every branch of the run (where it forks, what
//! was done, its checks at the end), a button to show each, and "Compare"
//! for two branches side by side (issue 19). A thin view over
//! `branch_tree.rs` and `branch_compare.rs`.

use leptos::prelude::*;

use super::branch_compare::{compare, Comparison};
use super::branch_tree::BranchTree;
use super::use_playground::PlaygroundState;

/// The history of `state`'s run, once the learner has acted on it.
#[component]
pub fn BranchHistory(state: PlaygroundState) -> impl IntoView {
    let branches = state.branches;
    let notice = move || {
        branches
            .notice
            .get()
            .map(|text| view! { <p class="notice" role="alert">{text}</p> })
    };
    let history = move || {
        branches.tree.get().map(|tree| {
            let items = branch_items(&tree, state);
            view! {
                <ol class="branch-list">{items}</ol>
                <CompareBranches tree=branches.tree/>
            }
        })
    };
    // Drawn only once there is something to say: no empty box before.
    let any = move || branches.notice.with(Option::is_some) || branches.tree.with(Option::is_some);
    move || {
        any().then(|| {
            view! {
                <section class="history" aria-label="Branches">
                    <h3>"Branches"</h3>
                    {notice}
                    {history}
                </section>
            }
        })
    }
}

fn branch_items(tree: &BranchTree, state: PlaygroundState) -> impl IntoView {
    tree.branches()
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let shown = i == tree.shown();
            let style = format!("margin-inline-start: {}em", 1.5 * tree.depth(i) as f64);
            let text = format!("{}; {}; {}.", tree.origin(i), b.done(), b.summary.verdict());
            view! {
                <li style=style class:shown=shown>
                    <button
                        type="button"
                        aria-pressed=shown.to_string()
                        on:click=move |_| state.branches.select(state.runs, i)
                    >
                        {format!("Show branch {}", i + 1)}
                    </button>
                    " "
                    <span>{text}</span>
                </li>
            }
        })
        .collect_view()
}

/// Two branch choosers and "Compare"; the table once pressed.
#[component]
fn CompareBranches(tree: RwSignal<Option<BranchTree>>) -> impl IntoView {
    let count = tree.with_untracked(|t| t.as_ref().map_or(0, |t| t.branches().len()));
    let first = RwSignal::new(0usize);
    let second = RwSignal::new(count.saturating_sub(1));
    let result = RwSignal::new(None::<Result<Comparison, String>>);
    let options = move |chosen: RwSignal<usize>| {
        (0..count)
            .map(|i| {
                view! { <option value=i.to_string() selected=move || chosen.get() == i>{format!("Branch {}", i + 1)}</option> }
            })
            .collect_view()
    };
    let pick = move |chosen: RwSignal<usize>| {
        move |ev: leptos::ev::Event| {
            if let Ok(i) = event_target_value(&ev).parse::<usize>() {
                chosen.set(i);
            }
        }
    };
    let go = move |_| {
        let (a, b) = (first.get_untracked(), second.get_untracked());
        result.set(tree.with_untracked(|t| t.as_ref().map(|t| compare(t, a, b))));
    };
    view! {
        <div class="compare-branches">
            <label>"First branch " <select on:change=pick(first)>{options(first)}</select></label>
            <label>"Second branch " <select on:change=pick(second)>{options(second)}</select></label>
            <button type="button" on:click=go>"Compare"</button>
        </div>
        {move || result.get().map(comparison_view)}
    }
}

fn comparison_view(result: Result<Comparison, String>) -> AnyView {
    let c = match result {
        Ok(c) => c,
        Err(why) => return view! { <p class="notice" role="alert">{why}</p> }.into_any(),
    };
    let rows = c
        .rows
        .into_iter()
        .map(|r| {
            let mark = if r.differs { "differs" } else { "same" };
            view! {
                <tr class:differs=r.differs>
                    <th scope="row">{r.label}</th>
                    <td>{r.first}</td>
                    <td>{r.second}</td>
                    <td>{mark}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="compare branch-compare">
            <caption>{format!("{} and {} side by side", c.names.0, c.names.1)}</caption>
            <thead>
                <tr>
                    <td></td>
                    <th scope="col">{c.names.0}</th>
                    <th scope="col">{c.names.1}</th>
                    <th scope="col">"Differs?"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}
