//! One lesson: its text, rendered from its markdown, beside its playground.

use leptos::prelude::*;

use super::lesson_source::loaded_lesson_key;
use super::playground::Playground;
use super::playground_model::PlaygroundSetup;
use super::route::Route;
use super::share_link::{self, SharedTarget, SharedWork};
use super::split_handle::SplitHandle;
use super::split_model::{grid_style, DEFAULT_LESSON_SHARE};
use crate::lessons::passes::strip_live_blocks;
use crate::lessons::sanitize::render_untrusted_html;
use crate::lessons::{markdown::render_html, Lesson};

/// The lesson text and, when the lesson has a scenario, its playground.
///
/// - `lesson`: the lesson to show. Built-in lessons are trusted HTML.
/// - `untrusted`: an instructor's lesson loaded from a file or a link: its
///   HTML is sanitized, and its playground saves apart from built-in lessons.
/// - `shared`: code and seed from a share link, shown instead of the saved
///   code (which is left alone until the learner keeps the shared version).
#[component]
pub fn LessonView(
    lesson: Lesson,
    #[prop(optional)] untrusted: bool,
    #[prop(default = None)] shared: Option<SharedWork>,
) -> impl IntoView {
    let setups = PlaygroundSetup::all_from_lesson(&lesson);
    let lesson_id = if untrusted {
        loaded_lesson_key(&lesson.meta.id)
    } else {
        lesson.meta.id.clone()
    };
    let lesson = strip_live_blocks(lesson);
    let html = if untrusted {
        render_untrusted_html(&lesson.body_markdown)
    } else {
        render_html(&lesson.body_markdown)
    };
    let minutes = lesson.meta.minutes.map(|m| format!("About {m} minutes"));
    let has_playground = setups.is_some();
    let playground = setups.map(|setups| match setups {
        Ok(setups) => view! { <Playgrounds setups lesson_id untrusted shared/> }.into_any(),
        Err(message) => view! {
            <section class="playground" role="alert">
                <h2>"This lesson's scenario has an error"</h2>
                <pre class="run-error">{message}</pre>
            </section>
        }
        .into_any(),
    });
    // The lesson's share of the width, moved with the handle between them.
    let share = RwSignal::new(DEFAULT_LESSON_SHARE);
    let handle = has_playground.then(|| view! { <SplitHandle share/> });
    view! {
        <div
            class=if has_playground { "lesson-layout with-playground" } else { "lesson-layout" }
            style=move || has_playground.then(|| grid_style(share.get()))
        >
            <article class="lesson">
                <p class="lesson-meta">{minutes}</p>
                <div class="lesson-body" inner_html=html></div>
            </article>
            {handle}
            {playground}
        </div>
    }
}

/// The playground of a lesson with one scenario block, or a choice between
/// the playgrounds of several (a story told with one scenario, an exercise
/// judged on another).
///
/// - `setups`: one per scenario block, in lesson order.
/// - `lesson_id`: the lesson's id. The block with the exercise (else the
///   first) saves its code and progress under it, the others under
///   `<id>/<n>`, so switching never mixes their code.
/// - `untrusted`: an instructor's lesson: its share links carry the
///   scenario itself, since whoever opens them does not have the lesson.
/// - `shared`: code and seed from a share link, for the block it names
///   (which is shown first).
#[component]
fn Playgrounds(
    setups: Vec<PlaygroundSetup>,
    lesson_id: String,
    untrusted: bool,
    shared: Option<SharedWork>,
) -> impl IntoView {
    let main = setups
        .iter()
        .position(|s| s.exercise.is_some())
        .unwrap_or(0);
    let save_key = {
        let lesson_id = lesson_id.clone();
        move |i: usize| {
            if i == main {
                lesson_id.clone()
            } else {
                format!("{lesson_id}/{}", i + 1)
            }
        }
    };
    let share_as = move |i: usize, setup: &PlaygroundSetup| {
        if untrusted {
            SharedTarget::Scenario {
                toml: setup.source.clone(),
            }
        } else {
            SharedTarget::Lesson {
                id: lesson_id.clone(),
                block: (i != main).then_some(i as u32),
            }
        }
    };
    // A link to one block opens on it; otherwise the first block, which
    // tells the lesson's story, is shown first.
    let shared_block = shared.as_ref().map(|work| match work.target {
        SharedTarget::Lesson {
            block: Some(block), ..
        } if (block as usize) < setups.len() => block as usize,
        _ => main,
    });
    if setups.len() == 1 {
        let setup = setups.into_iter().next();
        return setup
            .map(|setup| {
                let share_as = Some(share_as(0, &setup));
                view! { <Playground setup lesson_id=save_key(0) share_as shared/> }
            })
            .into_any();
    }
    let titles: Vec<String> = setups.iter().map(PlaygroundSetup::title).collect();
    let setups = StoredValue::new(setups);
    let first = shared_block.unwrap_or(0);
    let chosen = RwSignal::new(first);
    let shared = StoredValue::new(shared);
    let options = titles
        .into_iter()
        .enumerate()
        .map(
            |(i, title)| view! { <option value=i.to_string() selected=i == first>{title}</option> },
        )
        .collect_view();
    view! {
        <div class="playgrounds">
            <label class="scenario-choice">
                "Scenario "
                <select on:change=move |ev| {
                    if let Ok(i) = event_target_value(&ev).parse::<usize>() {
                        chosen.set(i);
                    }
                }>{options}</select>
            </label>
            {move || {
                let i = chosen.get();
                let setup = setups.with_value(|s| s.get(i).cloned());
                let shared = if Some(i) == shared_block { shared.get_value() } else { None };
                setup.map(|setup| {
                    let share_as = Some(share_as(i, &setup));
                    view! { <Playground setup lesson_id=save_key(i) share_as shared/> }
                })
            }}
        </div>
    }
    .into_any()
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
