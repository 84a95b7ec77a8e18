//! The table of lessons with saved work on the "Your work" page, each with
//! its Reset button.

use leptos::prelude::*;

use super::route::lesson_href;
use super::saved_work::lessons_with_work;
use super::use_your_work::YourWorkState;
use super::your_work_model::{state_label, Pending};

/// The lessons `state`'s storage holds work of (or a sentence: none).
#[component]
pub fn WorkTable(state: YourWorkState) -> impl IntoView {
    move || {
        let work = state
            .entries
            .with(|e| lessons_with_work(e.iter().map(|(k, v)| (k.as_str(), v.as_str()))));
        if work.is_empty() {
            return view! { <p>"Nothing is saved in this browser yet."</p> }.into_any();
        }
        let rows = work
            .into_iter()
            .map(|w| {
                let title = state.title_of(&w.id);
                let id = w.id.clone();
                let pending = state.pending;
                view! {
                    <tr>
                        <th scope="row"><a href=lesson_href(&w.id)>{title.clone()}</a></th>
                        <td>{state_label(w.done, w.saved_blocks).to_string()}</td>
                        <td>
                            <button
                                type="button"
                                aria-label=format!("Reset {title}")
                                on:click=move |_| pending.set(Some(Pending::ResetLesson(id.clone())))
                            >
                                "Reset"
                            </button>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="work-table">
                <caption>"Saved in this browser"</caption>
                <thead><tr><th scope="col">"Lesson"</th><th scope="col">"State"</th><td></td></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    }
}
