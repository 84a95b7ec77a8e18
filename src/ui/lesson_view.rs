//! One lesson's text, rendered from its markdown.

use leptos::prelude::*;

use super::route::Route;
use crate::lessons::{markdown::render_html, Lesson};

/// The lesson text.
///
/// - `lesson`: the lesson to show. Built-in lessons are trusted HTML.
#[component]
pub fn LessonView(lesson: Lesson) -> impl IntoView {
    let html = render_html(&lesson.body_markdown);
    let minutes = lesson.meta.minutes.map(|m| format!("About {m} minutes"));
    view! {
        <article class="lesson">
            <p class="lesson-meta">{minutes}</p>
            <div class="lesson-body" inner_html=html></div>
        </article>
    }
}

/// Shown for a link to a lesson that does not exist (a typo, or a lesson
/// removed since the link was shared).
///
/// - `route`: the route that could not be shown.
/// - `home_title`: the title of the first lesson, offered instead.
#[component]
pub fn MissingLesson(route: Route, home_title: String) -> impl IntoView {
    let what = match &route {
        Route::Lesson(id) => format!("There is no lesson called \u{201c}{id}\u{201d}."),
        other => format!("The link {:?} does not point at a lesson.", other.href()),
    };
    view! {
        <section class="missing" role="alert">
            <h1>"Lesson not found"</h1>
            <p>{what}</p>
            <p>
                <a href="#/">{format!("Go to \u{201c}{home_title}\u{201d}")}</a>
            </p>
        </section>
    }
}
