//! The instructors' lesson loader (`#/load` and `#/lesson-url/<path>`): opens
//! a lesson markdown file from disk (file picker or drag and drop) or from a
//! path on this site, validates it and shows it, sanitized, with its
//! playground. A bad file shows its problems and replaces nothing.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    File, HtmlInputElement, RequestCredentials, RequestInit, RequestMode, Response, Url,
};

use super::lesson_source::{check_lesson_path, check_size};
use super::lesson_view::LessonView;
use crate::lessons::Lesson;
use crate::ui::simulator::door;

/// What the loader last reported.
#[derive(Debug, Clone, PartialEq)]
enum Report {
    Nothing,
    Busy(String),
    Problems { source: String, lines: Vec<String> },
}

/// The loader panel and, below it, the loaded lesson.
///
/// - `loaded`: the instructor's lesson on show, kept by the app shell so it
///   survives a visit to a built-in lesson; only a valid file replaces it.
/// - `link`: a path from `#/lesson-url/<path>` to fetch at once, if any.
#[component]
pub fn LessonLoader(loaded: RwSignal<Option<Lesson>>, link: Option<String>) -> impl IntoView {
    let report = RwSignal::new(Report::Nothing);
    let dragging = RwSignal::new(false);

    // Validates text from `source`; shows it if good, the problems if not.
    // The scenario blocks are checked by the simulator, loaded if need be.
    let accept = move |source: String, text: Result<String, String>| async move {
        let result = match (text, door::load().await) {
            (Err(e), _) => Err(vec![e]),
            (Ok(_), Err(e)) => Err(vec![format!(
                "The simulator, which checks the lesson's scenarios, could not be loaded. {e}"
            )]),
            (Ok(text), Ok(simulator)) => (simulator.validate_lesson)(&source, &text),
        };
        match result {
            Ok(lesson) => {
                loaded.set(Some(lesson));
                report.try_set(Report::Nothing);
            }
            Err(lines) => {
                report.try_set(Report::Problems { source, lines });
            }
        }
    };

    let open_file = move |file: File| {
        let name = file.name();
        if let Err(lines) = check_size(&name, file.size()) {
            report.set(Report::Problems {
                source: name,
                lines,
            });
            return;
        }
        report.set(Report::Busy(format!("Reading {name}\u{2026}")));
        spawn_local(async move {
            let text = read_file(&file).await;
            accept(name, text).await;
        });
    };

    if let Some(path) = link {
        match check_lesson_path(&path) {
            Err(refusal) => report.set(Report::Problems {
                source: path,
                lines: vec![refusal.message()],
            }),
            Ok(path) => {
                report.set(Report::Busy(format!("Loading {path}\u{2026}")));
                spawn_local(async move {
                    let text = fetch_same_origin(&path).await;
                    accept(path, text).await;
                });
            }
        }
    }

    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            open_file(file);
        }
        // The same file can be chosen again after it is fixed.
        input.set_value("");
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(file) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|files| files.get(0))
        {
            open_file(file);
        }
    };

    let feedback = move || match report.get() {
        Report::Nothing => None,
        Report::Busy(text) => {
            Some(view! { <p class="loader-status" role="status">{text}</p> }.into_any())
        }
        Report::Problems { source, lines } => {
            let kept = if loaded.with(Option::is_some) {
                "Nothing was replaced: the lesson below is the one loaded before."
            } else {
                "Nothing was loaded."
            };
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
    };

    view! {
        <section class="lesson-loader" aria-labelledby="lesson-loader-title">
            <h1 id="lesson-loader-title">"Load a lesson"</h1>
            <p>
                "Open a lesson markdown file (front matter, text and optional scenario and exercise \
                 blocks, as in docs/authoring.md). It is checked like a built-in lesson and shown \
                 without any HTML it contains. Instructors can also link to a file on this site: "
                <code>"#/lesson-url/lessons/my-lesson.md"</code>
            </p>
            <div
                class="drop-zone"
                class:dragging=move || dragging.get()
                on:dragenter=move |ev: leptos::ev::DragEvent| {
                    ev.prevent_default();
                    dragging.set(true);
                }
                on:dragover=move |ev: leptos::ev::DragEvent| ev.prevent_default()
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
            >
                <label for="lesson-file">"Choose a lesson file"</label>
                <input id="lesson-file" type="file" accept=".md,.markdown,text/markdown,text/plain" on:change=on_change/>
                <span class="drop-hint">"or drop it here"</span>
            </div>
            {feedback}
        </section>
        {move || loaded.get().map(|lesson| view! { <LessonView lesson untrusted=true/> })}
    }
}

/// The text of a file the learner chose or dropped.
async fn read_file(file: &File) -> Result<String, String> {
    let name = file.name();
    JsFuture::from(file.text())
        .await
        .ok()
        .and_then(|v| v.as_string())
        .ok_or_else(|| format!("{name}: the file could not be read as text"))
}

/// Fetches a lesson from a path on this site; any other origin is refused.
async fn fetch_same_origin(path: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let here = window.location().href().map_err(|_| "no location")?;
    let origin = window.location().origin().map_err(|_| "no location")?;
    let url = Url::new_with_base(path, &here).map_err(|_| format!("{path} is not a valid path"))?;
    if url.origin() != origin {
        return Err(format!(
            "Refused to load {path:?}: it is on {}, not on this site ({origin}).",
            url.origin()
        ));
    }
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_mode(RequestMode::SameOrigin);
    init.set_credentials(RequestCredentials::SameOrigin);
    let unreachable =
        || format!("{path}: the file could not be fetched (offline, or not on this site)");
    let response = JsFuture::from(window.fetch_with_str_and_init(&url.href(), &init))
        .await
        .map_err(|_| unreachable())?
        .dyn_into::<Response>()
        .map_err(|_| unreachable())?;
    if !response.ok() {
        return Err(format!(
            "{path}: the server answered {} {} (is the path right?)",
            response.status(),
            response.status_text()
        ));
    }
    let text = response.text().map_err(|_| unreachable())?;
    JsFuture::from(text)
        .await
        .ok()
        .and_then(|v| v.as_string())
        .ok_or_else(|| format!("{path}: the file is not text"))
}
