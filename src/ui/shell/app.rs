//! The app shell: header, lesson list, and the lesson the link points at.

use leptos::html::Main;
use leptos::prelude::*;

use super::browser::{set_root_attribute, set_title, storage_get, storage_set};
use super::crash_alert::CrashAlert;
use super::crash_hook;
use super::header::Header;
use super::lesson_list::LessonList;
use super::lesson_loader::LessonLoader;
use super::lesson_view::{LessonView, MissingLesson, Pager};
use super::presenter::{
    presenter_from_storage, presenter_to_storage, shortcut_for, KeyContext, Shortcut, PRESENTER_KEY,
};
use super::route::Route;
use super::saved_work::{Progress, PROGRESS_KEY};
use super::share_link::{self, SharedTarget, SharedWork};
use super::shortcuts_help::ShortcutsHelp;
use super::theme::{ThemeChoice, STORAGE_KEY};
use super::use_hash_route::use_hash_route;
use super::with_simulator::with_simulator;
use super::your_work::YourWork;
use crate::lessons::{builtin_lessons, Lesson, LessonMeta};

const PRODUCT: &str = "Event Playground";

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let theme = RwSignal::new(ThemeChoice::parse(
        &storage_get(STORAGE_KEY).unwrap_or_default(),
    ));
    Effect::new(move |_| {
        let choice = theme.get();
        set_root_attribute("data-theme", choice.data_theme());
        storage_set(STORAGE_KEY, choice.as_str());
    });

    // Progress is read once; it is written only when it changes, so a
    // damaged record is never overwritten before the learner does something.
    let (saved, notice) = Progress::read(storage_get(PROGRESS_KEY).as_deref());
    let progress = RwSignal::new(saved);
    provide_context(progress);
    Effect::new(move |previous: Option<()>| {
        let json = progress.with(Progress::to_json);
        if previous.is_some() {
            storage_set(PROGRESS_KEY, &json);
        }
    });
    let notice = notice.map(|text| view! { <p class="notice" role="status">{text}</p> });
    // After an internal error restarted the page: say so, once.
    let crash = crash_hook::take().map(|record| view! { <CrashAlert record/> });

    let presenter = RwSignal::new(presenter_from_storage(
        storage_get(PRESENTER_KEY).as_deref(),
    ));
    Effect::new(move |previous: Option<()>| {
        let on = presenter.get();
        set_root_attribute("data-presenter", on.then_some("on"));
        if previous.is_some() {
            storage_set(PRESENTER_KEY, presenter_to_storage(on));
        }
    });
    let help_open = RwSignal::new(false);
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        let at = KeyContext {
            in_text_field: in_text_field(&ev),
            help_open: help_open.get_untracked(),
            presenter: presenter.get_untracked(),
            modifier: ev.ctrl_key() || ev.alt_key() || ev.meta_key(),
        };
        match shortcut_for(&ev.key(), at) {
            Some(Shortcut::ToggleHelp) => help_open.update(|open| *open = !*open),
            Some(Shortcut::CloseHelp) => help_open.set(false),
            Some(Shortcut::LeavePresenter) => presenter.set(false),
            None => return,
        }
        ev.prevent_default();
    });
    on_cleanup(move || keys.remove());

    let body = match builtin_lessons() {
        Ok(lessons) if !lessons.is_empty() => view! { <Shell lessons/> }.into_any(),
        Ok(_) => broken("The app was built without lessons.".to_string()),
        Err(err) => broken(err.to_string()),
    };
    view! {
        // The route lives in the hash (see `route`), so following `#main`
        // would leave the lesson for "Lesson not found": move focus instead.
        <a class="skip-link" href="#main" on:click=skip_to_main>"Skip to the lesson"</a>
        <Header theme presenter help_open/>
        {crash}
        {notice}
        {body}
        <ShortcutsHelp open=help_open/>
    }
}

/// The lesson list and the current lesson.
///
/// - `lessons`: every lesson, in order (at least one).
#[component]
fn Shell(lessons: Vec<Lesson>) -> impl IntoView {
    let route = use_hash_route();
    let metas: Vec<_> = lessons.iter().map(|l| l.meta.clone()).collect();
    let work_metas = StoredValue::new(metas.clone());
    let home_title = lessons[0].meta.title.clone();
    let lessons = StoredValue::new(lessons);
    let shown = Memo::new(move |_| lessons.with_value(|all| pick_lesson(all, &route.get())));
    // The lesson view is rebuilt when the lesson changes, and also when the
    // same lesson is reached through another share link or back from one
    // (its code and seed come from the link).
    let share_of_route = Memo::new(move |_| match route.get() {
        Route::Share(hash) => Some(hash),
        _ => None,
    });
    let current_id = Signal::derive(move || shown.get().ok().map(|l| l.meta.id));
    // An instructor's lesson (from a file or a link); kept while the learner
    // visits built-in lessons.
    let loaded = RwSignal::new(None::<Lesson>);

    Effect::new(move |_| {
        let title = loaded.with(|l| page_title(&shown.get(), l.as_ref()));
        set_title(&format!("{title} \u{2014} {PRODUCT}"));
    });
    // After following a link, move focus to the lesson so keyboard and
    // screen-reader users land where the content changed.
    let main_ref = NodeRef::<Main>::new();
    Effect::new(move |previous: Option<()>| {
        route.track();
        if previous.is_some() {
            if let Some(main) = main_ref.get() {
                let _ = main.focus();
                main.set_scroll_top(0);
            }
        }
    });

    view! {
        <div class="shell">
            <LessonList lessons=metas current=current_id/>
            <main id="main" class="content" tabindex="-1" node_ref=main_ref>
                {move || {
                    route_view(shown.get(), share_of_route.get(), lessons, loaded, work_metas, &home_title)
                }}
            </main>
        </div>
    }
}

/// What the main area shows for a route: the lesson (with the share link's
/// work when the route is one), the loader, the learner's work, a shared
/// scenario, or why nothing matches.
fn route_view(
    shown: Result<Lesson, Route>,
    share: Option<String>,
    lessons: StoredValue<Vec<Lesson>>,
    loaded: RwSignal<Option<Lesson>>,
    work_metas: StoredValue<Vec<LessonMeta>>,
    home_title: &str,
) -> AnyView {
    let home_title = home_title.to_string();
    match shown {
        Ok(lesson) => {
            let shared = share.and_then(|hash| share_link::decode(&hash).ok());
            let pager = lessons.with_value(|all| Pager::around(all, &lesson.meta.id));
            view! { <LessonView lesson shared pager=Some(pager)/> }.into_any()
        }
        Err(Route::LoadLesson) => view! { <LessonLoader loaded link=None/> }.into_any(),
        Err(Route::Work) => view! { <YourWork lessons=work_metas.get_value()/> }.into_any(),
        Err(Route::Share(hash)) => match shared_scenario(&hash) {
            Some((toml, work)) => with_simulator(move |simulator| {
                (simulator.shared_scenario)(toml.clone(), work.clone())
            })
            .into_any(),
            None => {
                let route = Route::Share(hash);
                view! { <MissingLesson route home_title/> }.into_any()
            }
        },
        Err(Route::LessonUrl(path)) => view! { <LessonLoader loaded link=Some(path)/> }.into_any(),
        Err(route) => view! { <MissingLesson route home_title/> }.into_any(),
    }
}

/// The page's title (before the product's name) for what is shown: the
/// lesson's title, the loaded lesson's, or what the page is instead.
pub fn page_title(shown: &Result<Lesson, Route>, loaded: Option<&Lesson>) -> String {
    match shown {
        Ok(lesson) => lesson.meta.title.clone(),
        Err(Route::LoadLesson | Route::LessonUrl(_)) => match loaded {
            Some(lesson) => lesson.meta.title.clone(),
            None => "Load a lesson".to_string(),
        },
        Err(Route::Work) => "Your work".to_string(),
        Err(Route::Share(hash)) if shared_scenario(hash).is_some() => "Shared scenario".to_string(),
        Err(_) => "Lesson not found".to_string(),
    }
}

/// Which lesson a route shows: the first for the home route, or the one
/// named; the route itself when nothing matches.
pub fn pick_lesson(lessons: &[Lesson], route: &Route) -> Result<Lesson, Route> {
    let found = match route {
        Route::Home => lessons.first(),
        Route::Lesson(id) => lessons.iter().find(|l| &l.meta.id == id),
        Route::Share(hash) => match share_link::decode(hash) {
            Ok(SharedWork {
                target: SharedTarget::Lesson { id, .. },
                ..
            }) => lessons.iter().find(|l| l.meta.id == id),
            _ => None,
        },
        Route::LoadLesson | Route::Work | Route::LessonUrl(_) | Route::Unknown(_) => None,
    };
    found.cloned().ok_or_else(|| route.clone())
}

/// Whether a key event comes from a field that takes typed text, where
/// keys belong to the field, not to a shortcut.
fn in_text_field(ev: &web_sys::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    let Some(element) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return false;
    };
    matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        || element.is_content_editable()
}

/// The scenario text and the whole link, when `hash` is a valid share link
/// to a scenario rather than a lesson.
fn shared_scenario(hash: &str) -> Option<(String, SharedWork)> {
    match share_link::decode(hash) {
        Ok(work) => match &work.target {
            SharedTarget::Scenario { toml } => Some((toml.clone(), work)),
            SharedTarget::Lesson { .. } => None,
        },
        Err(_) => None,
    }
}

/// Moves focus to the lesson without touching the hash route.
fn skip_to_main(ev: leptos::ev::MouseEvent) {
    ev.prevent_default();
    if let Some(main) = document()
        .get_element_by_id("main")
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
    {
        let _ = main.focus();
        main.scroll_into_view();
    }
}

fn broken(message: String) -> AnyView {
    view! {
        <main id="main" class="content">
            <section class="missing" role="alert">
                <h1>"The lessons could not be loaded"</h1>
                <p>{message}</p>
            </section>
        </main>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lessons() -> Vec<Lesson> {
        builtin_lessons().expect("built-in lessons parse")
    }

    #[test]
    fn home_shows_the_first_lesson() {
        let all = lessons();
        assert_eq!(
            pick_lesson(&all, &Route::Home).unwrap().meta.id,
            all[0].meta.id
        );
    }

    #[test]
    fn a_lesson_route_shows_that_lesson() {
        let all = lessons();
        let last = all.last().unwrap().meta.id.clone();
        let shown = pick_lesson(&all, &Route::Lesson(last.clone())).unwrap();
        assert_eq!(shown.meta.id, last);
    }

    #[test]
    fn the_title_names_the_lesson_or_what_is_shown_instead() {
        let all = lessons();
        let first = &all[0];
        assert_eq!(page_title(&Ok(first.clone()), None), first.meta.title);
        let load = Err(Route::LoadLesson);
        assert_eq!(page_title(&load, None), "Load a lesson");
        assert_eq!(page_title(&load, Some(&all[1])), all[1].meta.title);
        assert_eq!(page_title(&Err(Route::Work), None), "Your work");
        let scenario = share_link::encode(&SharedWork {
            target: SharedTarget::Scenario {
                toml: "[[queues]]".into(),
            },
            code: String::new(),
            seed: 1,
            scenario: None,
            interventions: None,
        });
        assert_eq!(
            page_title(&Err(Route::Share(scenario)), None),
            "Shared scenario"
        );
        let bad_link = Err(Route::Share("not-a-share-link".into()));
        assert_eq!(page_title(&bad_link, None), "Lesson not found");
    }

    #[test]
    fn an_unknown_lesson_is_reported_not_replaced() {
        let all = lessons();
        let route = Route::Lesson("no-such-lesson".into());
        assert_eq!(pick_lesson(&all, &route).unwrap_err(), route);
    }
}
