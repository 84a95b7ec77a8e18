//! One lesson: its text, rendered from its markdown, beside its playground.

use leptos::prelude::*;

use super::lesson_source::loaded_lesson_key;
use super::route::{lesson_href, Route};
use super::share_link::{self, SharedWork};
use super::split_handle::SplitHandle;
use super::split_model::{grid_style, DEFAULT_LESSON_SHARE};
use super::with_simulator::with_simulator;
use crate::lessons::passes::strip_live_blocks;
use crate::lessons::sanitize::render_untrusted_html;
use crate::lessons::{markdown::render_html, Lesson};
use crate::ui::simulator::door::LessonPlayground;

/// The lessons before and after one, for the links under it: id and
/// title of each, when there is one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pager {
    /// The lesson before (id, title).
    pub previous: Option<(String, String)>,
    /// The lesson after (id, title).
    pub next: Option<(String, String)>,
}

impl Pager {
    /// The neighbours of lesson `id` among `lessons` (in order).
    pub fn around(lessons: &[Lesson], id: &str) -> Pager {
        let Some(at) = lessons.iter().position(|l| l.meta.id == id) else {
            return Pager::default();
        };
        let entry = |l: &Lesson| (l.meta.id.clone(), l.meta.title.clone());
        Pager {
            previous: at.checked_sub(1).and_then(|i| lessons.get(i)).map(entry),
            next: lessons.get(at + 1).map(entry),
        }
    }
}

/// Links to the lessons before and after: at the end of the text, and in
/// presenter mode (where the lesson list is hidden) the way to move on.
#[component]
fn LessonPager(pager: Pager) -> impl IntoView {
    let link = |entry: Option<(String, String)>, rel: &'static str, word: &'static str| {
        entry.map(|(id, title)| {
            view! {
                <a class=format!("pager-{rel}") rel=rel href=lesson_href(&id)>
                    <span class="pager-word">{word}</span>
                    " "
                    {title}
                </a>
            }
        })
    };
    view! {
        <nav class="lesson-pager" aria-label="Previous and next lesson">
            {link(pager.previous, "prev", "Previous:")}
            {link(pager.next, "next", "Next:")}
        </nav>
    }
}

/// The lesson text and, when the lesson has a scenario, its playground.
///
/// - `lesson`: the lesson to show. Built-in lessons are trusted HTML.
/// - `untrusted`: an instructor's lesson loaded from a file or a link: its
///   HTML is sanitized, and its playground saves apart from built-in lessons.
/// - `shared`: code and seed from a share link, shown instead of the saved
///   code (which is left alone until the learner keeps the shared version).
/// - `pager`: the lessons before and after, linked under the lesson.
#[component]
pub fn LessonView(
    lesson: Lesson,
    #[prop(optional)] untrusted: bool,
    #[prop(default = None)] shared: Option<SharedWork>,
    #[prop(default = None)] pager: Option<Pager>,
) -> impl IntoView {
    let has_playground = lesson.has_scenario();
    let lesson_id = if untrusted {
        loaded_lesson_key(&lesson.meta.id)
    } else {
        lesson.meta.id.clone()
    };
    // The playground is drawn by the simulator, loaded on demand: the text
    // shows at once, the playground when its file is there.
    let playground = has_playground.then(|| {
        let args = LessonPlayground {
            lesson: lesson.clone(),
            lesson_id,
            untrusted,
            shared,
        };
        with_simulator(move |simulator| (simulator.lesson_playground)(args.clone()))
    });
    let lesson = strip_live_blocks(lesson);
    let html = if untrusted {
        render_untrusted_html(&lesson.body_markdown)
    } else {
        render_html(&lesson.body_markdown)
    };
    let minutes = lesson.meta.minutes.map(|m| format!("About {m} minutes"));
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
        {pager.map(|pager| view! { <LessonPager pager/> })}
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
