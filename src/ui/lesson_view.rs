//! One lesson: its text, rendered from its markdown, beside its playground.

use leptos::prelude::*;

use super::playground::Playground;
use super::playground_model::PlaygroundSetup;
use super::route::Route;
use super::share_link::{self, SharedWork};
use crate::lessons::passes::strip_live_blocks;
use crate::lessons::{markdown::render_html, Lesson};

/// The lesson text and, when the lesson has a scenario, its playground.
///
/// - `lesson`: the lesson to show. Built-in lessons are trusted HTML.
/// - `shared`: code and seed from a share link, shown instead of the saved
///   code (which is left alone until the learner keeps the shared version).
#[component]
pub fn LessonView(
    lesson: Lesson,
    #[prop(default = None)] shared: Option<SharedWork>,
) -> impl IntoView {
    let setup = PlaygroundSetup::from_lesson(&lesson);
    let lesson_id = lesson.meta.id.clone();
    let lesson = strip_live_blocks(lesson);
    let html = render_html(&lesson.body_markdown);
    let minutes = lesson.meta.minutes.map(|m| format!("About {m} minutes"));
    let has_playground = setup.is_some();
    let playground = setup.map(|setup| match setup {
        Ok(setup) => {
            view! { <Playground setup lesson_id=lesson_id.clone() shared=shared.clone()/> }
                .into_any()
        }
        Err(message) => view! {
            <section class="playground" role="alert">
                <h2>"This lesson's scenario has an error"</h2>
                <pre class="run-error">{message}</pre>
            </section>
        }
        .into_any(),
    });
    view! {
        <div class=if has_playground { "lesson-layout with-playground" } else { "lesson-layout" }>
            <article class="lesson">
                <p class="lesson-meta">{minutes}</p>
                <div class="lesson-body" inner_html=html></div>
            </article>
            {playground}
        </div>
    }
}

/// Shown for a link to a lesson that does not exist (a typo, or a lesson
/// removed since the link was shared).
///
/// - `route`: the route that could not be shown.
/// - `home_title`: the title of the first lesson, offered instead.
#[component]
pub fn MissingLesson(route: Route, home_title: String) -> impl IntoView {
    let heading = match &route {
        Route::Share(_) => "This share link cannot be opened",
        _ => "Lesson not found",
    };
    let what = match &route {
        Route::Lesson(id) => format!("There is no lesson called \u{201c}{id}\u{201d}."),
        Route::Share(hash) => match share_link::decode(hash) {
            Err(err) => format!("{err} Your saved work was not changed."),
            Ok(_) => "The lesson in this share link does not exist in this version of the app. Your saved work was not changed.".to_string(),
        },
        other => format!("The link {:?} does not point at a lesson.", other.href()),
    };
    view! {
        <section class="missing" role="alert">
            <h1>{heading}</h1>
            <p>{what}</p>
            <p>
                <a href="#/">{format!("Go to \u{201c}{home_title}\u{201d}")}</a>
            </p>
        </section>
    }
}
