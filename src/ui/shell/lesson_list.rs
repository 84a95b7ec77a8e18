//! The side navigation: every lesson, in order, the current one marked,
//! and the lessons whose exercise passed marked done.

use leptos::prelude::*;

use super::route::lesson_href;
use super::saved_work::Progress;
use crate::lessons::LessonMeta;

/// The lesson list.
///
/// - `lessons`: the lessons to list, already in order.
/// - `current`: the id of the lesson on screen, if any.
#[component]
pub fn LessonList(lessons: Vec<LessonMeta>, current: Signal<Option<String>>) -> impl IntoView {
    let progress = use_context::<RwSignal<Progress>>();
    let titles: Vec<(String, String)> = lessons
        .iter()
        .map(|m| (m.id.clone(), format!("{}. {}", m.order, m.title)))
        .collect();
    let items = lessons
        .into_iter()
        .map(|meta| {
            let id = meta.id.clone();
            let done_id = id.clone();
            let is_done =
                move || progress.is_some_and(|p| p.with(|p| p.done.contains(done_id.as_str())));
            let is_current = move || current.get().as_deref() == Some(id.as_str());
            view! {
                <li>
                    <a
                        href=lesson_href(&meta.id)
                        aria-current=move || is_current().then_some("page")
                    >
                        <span class="lesson-number">{meta.order}</span>
                        <span class="lesson-title">{meta.title.clone()}</span>
                        <Show when=is_done>
                            <span class="lesson-done" title="Done">
                                <span aria-hidden="true">"✓"</span>
                                <span class="visually-hidden">" (done)"</span>
                            </span>
                        </Show>
                    </a>
                </li>
            }
        })
        .collect_view();
    // On a phone the list folds behind a button (style/walk.css), so the
    // lesson gets the screen; following a link folds it again.
    let open = RwSignal::new(false);
    Effect::new(move |_| {
        current.track();
        open.set(false);
    });
    view! {
        <nav class="lesson-list" class:open=move || open.get() aria-label="Lessons">
            <h2 class="nav-heading">"Lessons"</h2>
            <button
                type="button"
                class="lesson-list-toggle"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {move || match current.get().and_then(|id| titles.iter().find(|(i, _)| *i == id).map(|(_, t)| t.clone())) {
                    Some(title) => format!("Lessons: {title}"),
                    None => "Lessons".to_string(),
                }}
            </button>
            <ol>{items}</ol>
        </nav>
    }
}
