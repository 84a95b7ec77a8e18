//! The instructors' lesson loader (`#/load` and `#/lesson-url/<path>`): opens
//! a lesson markdown file from disk (file picker or drag and drop) or from a
//! path on this site, validates it and shows it, sanitized, with its
//! playground. A bad file shows its problems and replaces nothing. The
//! verbs are `use_lesson_loader`'s, the decisions `lesson_loader_model`'s.

use leptos::prelude::*;

use super::lesson_drop_zone::LessonDropZone;
use super::lesson_view::LessonView;
use super::loader_feedback::LoaderFeedback;
use super::use_lesson_loader::use_lesson_loader;
use crate::lessons::Lesson;

/// The loader panel and, below it, the loaded lesson.
///
/// - `loaded`: the instructor's lesson on show, kept by the app shell so it
///   survives a visit to a built-in lesson; only a valid file replaces it.
/// - `link`: a path from `#/lesson-url/<path>` to fetch at once, if any.
#[component]
pub fn LessonLoader(loaded: RwSignal<Option<Lesson>>, link: Option<String>) -> impl IntoView {
    let state = use_lesson_loader(loaded, link);
    view! {
        <section class="lesson-loader" aria-labelledby="lesson-loader-title">
            <h1 id="lesson-loader-title">"Load a lesson"</h1>
            <p>
                "Open a lesson markdown file (front matter, text and optional scenario and exercise \
                 blocks, as in docs/authoring.md). It is checked like a built-in lesson and shown \
                 without any HTML it contains. Instructors can also link to a file on this site: "
                <code>"#/lesson-url/lessons/my-lesson.md"</code>
            </p>
            <LessonDropZone state/>
            <LoaderFeedback state/>
        </section>
        {move || loaded.get().map(|lesson| view! { <LessonView lesson untrusted=true/> })}
    }
}
