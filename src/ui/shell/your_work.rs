//! "Your work" (`#/work`): what this browser keeps for the learner, with
//! export to a JSON file, import from one, and reset of one lesson or of
//! everything. Every step that throws work away asks first. The records'
//! format and every rule about them live in `saved_work`.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;

use super::browser::{download_text, storage_entries, storage_remove, storage_set};
use super::confirm_panel::ConfirmPanel;
use super::route::lesson_href;
use super::saved_work::{code_keys_of_lesson, is_app_key, lessons_with_work, Backup, Progress};
use crate::lessons::LessonMeta;

/// The name of an exported file.
pub const EXPORT_FILE_NAME: &str = "event-playground-work.json";

/// Which "are you sure?" is open.
#[derive(Clone, Debug, PartialEq)]
enum Pending {
    ResetLesson(String),
    ResetEverything,
    Import(Backup),
}

/// The saved-work page.
///
/// - `lessons`: the built-in lessons, for their titles and links (saved
///   work of lessons not listed here, e.g. an instructor's, shows its id).
#[component]
pub fn YourWork(lessons: Vec<LessonMeta>) -> impl IntoView {
    let progress = use_context::<RwSignal<Progress>>();
    let entries = RwSignal::new(storage_entries());
    let refresh = move || entries.set(storage_entries());
    let status = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let pending = RwSignal::new(None::<Pending>);
    let lessons = StoredValue::new(lessons);
    let title_of = move |id: &str| {
        lessons.with_value(|all| {
            all.iter()
                .find(|m| m.id == id)
                .map(|m| m.title.clone())
                .unwrap_or_else(|| id.to_string())
        })
    };

    // The progress signal is the one the lesson list shows; setting it also
    // stores it (the app's effect).
    let set_done = move |done: std::collections::BTreeSet<String>| {
        if let Some(progress) = progress {
            progress.update(|p| p.done = done);
        }
    };

    let export = move |_| {
        let backup =
            entries.with(|e| Backup::collect(e.iter().map(|(k, v)| (k.as_str(), v.as_str()))));
        let text = backup.to_json();
        if download_text(EXPORT_FILE_NAME, "application/json", &text) {
            status.set(format!(
                "Exported {} to {EXPORT_FILE_NAME}.",
                describe(&backup)
            ));
        } else {
            problem.set(Some("The browser did not start the download.".to_string()));
        }
    };

    let on_file = move |ev: leptos::ev::Event| {
        let input: HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        // The same file can be chosen again after a cancel.
        input.set_value("");
        status.set(String::new());
        problem.set(None);
        spawn_local(async move {
            let text = JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|v| v.as_string());
            match text.map(|t| Backup::read(&t)) {
                Some(Ok(backup)) => pending.set(Some(Pending::Import(backup))),
                Some(Err(message)) => problem.set(Some(message)),
                None => problem.set(Some(format!(
                    "{}: the file could not be read.",
                    file.name()
                ))),
            }
        });
    };

    let remove_all = move || {
        let keys: Vec<String> = entries.with(|e| {
            e.iter()
                .map(|(k, _)| k.clone())
                .filter(|k| is_app_key(k))
                .collect()
        });
        for key in keys {
            storage_remove(&key);
        }
    };

    let confirm = Callback::new(move |_| {
        let Some(action) = pending.get_untracked() else {
            return;
        };
        pending.set(None);
        problem.set(None);
        match action {
            Pending::ResetLesson(id) => {
                let keys =
                    entries.with(|e| code_keys_of_lesson(&id, e.iter().map(|(k, _)| k.as_str())));
                for key in keys {
                    storage_remove(&key);
                }
                if let Some(progress) = progress {
                    progress.update(|p| {
                        p.done.remove(&id);
                    });
                }
                status.set(format!("\u{201c}{}\u{201d} was reset.", title_of(&id)));
            }
            Pending::ResetEverything => {
                remove_all();
                set_done(Default::default());
                status.set("All your work was removed from this browser.".to_string());
            }
            Pending::Import(backup) => {
                remove_all();
                let records = backup.records();
                let failed = records
                    .iter()
                    .filter(|(key, value)| !storage_set(key, value))
                    .count();
                set_done(backup.done.clone());
                if failed == 0 {
                    status.set(format!("Imported {}.", describe(&backup)));
                } else {
                    problem.set(Some(format!(
                        "The browser stored only {} of {} records (storage is full or blocked).",
                        records.len() - failed,
                        records.len()
                    )));
                }
            }
        }
        refresh();
    });
    let cancel = Callback::new(move |_| pending.set(None));

    let question = move || {
        pending.get().map(|action| {
            let (message, label) = match &action {
                Pending::ResetLesson(id) => (
                    format!(
                        "Reset \u{201c}{}\u{201d}? Its code goes back to the starting code and it is no longer marked done.",
                        title_of(id)
                    ),
                    "Reset this lesson".to_string(),
                ),
                Pending::ResetEverything => (
                    "Remove your code and progress in every lesson from this browser? Export first to keep a copy.".to_string(),
                    "Remove all my work".to_string(),
                ),
                Pending::Import(backup) => (
                    format!(
                        "The file holds {}. Importing replaces all the work saved in this browser.",
                        describe(backup)
                    ),
                    "Replace my work with this file".to_string(),
                ),
            };
            view! { <ConfirmPanel message confirm_label=label on_confirm=confirm on_cancel=cancel/> }
        })
    };

    let rows = move || {
        let work =
            entries.with(|e| lessons_with_work(e.iter().map(|(k, v)| (k.as_str(), v.as_str()))));
        if work.is_empty() {
            return view! { <p>"Nothing is saved in this browser yet."</p> }.into_any();
        }
        let rows = work
            .into_iter()
            .map(|w| {
                let title = title_of(&w.id);
                let id = w.id.clone();
                let state = match (w.done, w.saved_blocks) {
                    (true, 0) => "Done".to_string(),
                    (true, _) => "Done, code saved".to_string(),
                    (false, _) => "Code saved".to_string(),
                };
                view! {
                    <tr>
                        <th scope="row"><a href=lesson_href(&w.id)>{title.clone()}</a></th>
                        <td>{state}</td>
                        <td>
                            <button
                                type="button"
                                aria-label=format!("Reset {title}")
                                on:click=move |_| pending.set(Some(Pending::ResetLesson(id.clone())))
                            >
                                "Reset"
                            </button>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="work-table">
                <caption>"Saved in this browser"</caption>
                <thead><tr><th scope="col">"Lesson"</th><th scope="col">"State"</th><td></td></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };

    view! {
        <section class="your-work" aria-labelledby="your-work-title">
            <h1 id="your-work-title">"Your work"</h1>
            <p>
                "Your code, seeds and finished lessons are saved in this browser as you work. "
                "Export them to a file to move to another computer or to keep a copy; import the file to get them back."
            </p>
            <div class="work-actions">
                <button type="button" on:click=export>"Export my work"</button>
                <label class="file-button">
                    "Import work from a file"
                    <input type="file" accept=".json,application/json" on:change=on_file/>
                </label>
                <button type="button" class="danger" on:click=move |_| pending.set(Some(Pending::ResetEverything))>
                    "Reset everything"
                </button>
            </div>
            {question}
            <p class="work-status" role="status">{move || status.get()}</p>
            {move || problem.get().map(|p| view! { <p class="notice" role="alert">{p}</p> })}
            {rows}
        </section>
    }
}

/// "code of 3 lessons and 2 lessons done", for status lines.
fn describe(backup: &Backup) -> String {
    let plural = |n: usize| if n == 1 { "lesson" } else { "lessons" };
    let code = backup.lessons_with_code();
    let done = backup.done.len();
    format!(
        "code of {code} {} and {done} {} done",
        plural(code),
        plural(done)
    )
}
