//! The side navigation: every lesson, in order, the current one marked.

use leptos::prelude::*;

use super::route::lesson_href;
use crate::lessons::LessonMeta;

/// The lesson list.
///
/// - `lessons`: the lessons to list, already in order.
/// - `current`: the id of the lesson on screen, if any.
#[component]
pub fn LessonList(lessons: Vec<LessonMeta>, current: Signal<Option<String>>) -> impl IntoView {
    let items = lessons
        .into_iter()
        .map(|meta| {
            let id = meta.id.clone();
            let is_current = move || current.get().as_deref() == Some(id.as_str());
            view! {
                <li>
                    <a
                        href=lesson_href(&meta.id)
                        aria-current=move || is_current().then_some("page")
                    >
                        <span class="lesson-number">{meta.order}</span>
                        <span class="lesson-title">{meta.title.clone()}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="lesson-list" aria-label="Lessons">
            <h2 class="nav-heading">"Lessons"</h2>
            <ol>{items}</ol>
        </nav>
    }
}
