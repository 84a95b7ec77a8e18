//! "Your work" (`#/work`): what this browser keeps for the learner, with
//! export to a JSON file, import from one, and reset of one lesson or of
//! everything. Every step that throws work away asks first. The records'
//! format and every rule about them live in `saved_work`; the page's words
//! in `your_work_model`, its verbs in `use_your_work`.

use leptos::prelude::*;
use web_sys::HtmlInputElement;

use super::confirm_panel::ConfirmPanel;
use super::use_your_work::use_your_work;
use super::work_table::WorkTable;
use super::your_work_model::Pending;
use crate::lessons::LessonMeta;

/// The saved-work page.
///
/// - `lessons`: the built-in lessons, for their titles and links (saved
///   work of lessons not listed here, e.g. an instructor's, shows its id).
#[component]
pub fn YourWork(lessons: Vec<LessonMeta>) -> impl IntoView {
    let state = use_your_work(lessons);
    let (pending, status, problem) = (state.pending, state.status, state.problem);
    let on_file = move |ev: leptos::ev::Event| {
        let input: HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        // The same file can be chosen again after a cancel.
        input.set_value("");
        state.read_file(file);
    };
    let confirm = Callback::new(move |_| state.confirm());
    let cancel = Callback::new(move |_| pending.set(None));
    let question = move || {
        pending.get().map(|action| {
            let title = match &action {
                Pending::ResetLesson(id) => state.title_of(id),
                _ => String::new(),
            };
            let (message, label) = action.question(&title);
            view! { <ConfirmPanel message confirm_label=label on_confirm=confirm on_cancel=cancel/> }
        })
    };
    view! {
        <section class="your-work" aria-labelledby="your-work-title">
            <h1 id="your-work-title">"Your work"</h1>
            <p>
                "Your code, seeds and finished lessons are saved in this browser as you work. "
                "Export them to a file to move to another computer or to keep a copy; import the file to get them back."
            </p>
            <div class="work-actions">
                <button type="button" on:click=move |_| state.export()>"Export my work"</button>
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
            <WorkTable state/>
        </section>
    }
}
