//! What the lesson loader is doing, or why a file cannot be shown.

use leptos::prelude::*;

use super::lesson_loader_model::{kept_sentence, Report};
use super::use_lesson_loader::LessonLoaderState;

/// The loader's last report.
#[component]
pub fn LoaderFeedback(state: LessonLoaderState) -> impl IntoView {
    move || match state.report.get() {
        Report::Nothing => None,
        Report::Busy(text) => {
            Some(view! { <p class="loader-status" role="status">{text}</p> }.into_any())
        }
        Report::Problems { source, lines } => {
            let kept = kept_sentence(state.loaded.with(Option::is_some));
            Some(
                view! {
                    <div class="loader-problems" role="alert">
                        <h3>{format!("{source} cannot be shown")}</h3>
                        <ul>{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                        <p>{kept}</p>
                    </div>
                }
                .into_any(),
            )
        }
    }
}
