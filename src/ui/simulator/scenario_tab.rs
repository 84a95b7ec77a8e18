//! The tabs above the playground's editor, "Code" and "Scenario", and the
//! Scenario tab itself: the scenario's TOML, editable, with the problems
//! `sim` would report (line, field, "did you mean") and a reset. Lessons
//! ask learners to change `interval_ms`, `delivery_jitter`, `fifo`,
//! `timeout_ms` and more: this is where they do it (see
//! `scenario_edit` for the logic).

use leptos::prelude::*;

use super::code_editor::CodeEditor;
use super::scenario_edit::ScenarioProblem;

/// Which tab shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditorTab {
    /// The handler code.
    Code,
    /// The scenario's TOML.
    Scenario,
}

/// Element ids for one playground's code and scenario panels, unique on
/// the page (a lesson may show more than one playground over time).
pub fn panel_ids() -> (String, String) {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    (format!("code-panel-{n}"), format!("scenario-panel-{n}"))
}

/// The tab list: two tabs, arrow keys move between them (WAI-ARIA tabs).
///
/// - `tab`: the tab shown; the tabs write it.
/// - `ids`: the element ids of the code and scenario panels.
#[component]
pub fn EditorTabs(tab: RwSignal<EditorTab>, ids: (String, String)) -> impl IntoView {
    let (code_panel, scenario_panel) = ids;
    let tab_button = move |which: EditorTab, label: &'static str, panel: String| {
        let selected = move || tab.get() == which;
        view! {
            <button
                type="button"
                role="tab"
                id=format!("{panel}-tab")
                aria-controls=panel
                aria-selected=move || selected().to_string()
                tabindex=move || if selected() { "0" } else { "-1" }
                on:click=move |_| tab.set(which)
            >
                {label}
            </button>
        }
    };
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        let next = match ev.key().as_str() {
            "ArrowLeft" | "ArrowRight" | "Home" | "End" => match tab.get_untracked() {
                EditorTab::Code => EditorTab::Scenario,
                EditorTab::Scenario => EditorTab::Code,
            },
            _ => return,
        };
        ev.prevent_default();
        tab.set(next);
        focus_selected_tab(&ev);
    };
    view! {
        <div class="editor-tabs" role="tablist" aria-label="What to edit" on:keydown=on_keydown>
            {tab_button(EditorTab::Code, "Code", code_panel)}
            {tab_button(EditorTab::Scenario, "Scenario", scenario_panel)}
        </div>
    }
}

/// Moves focus to the tab that is now selected (the list's other button).
fn focus_selected_tab(ev: &web_sys::KeyboardEvent) {
    use wasm_bindgen::JsCast;
    let list = ev
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    let Some(list) = list else { return };
    request_animation_frame(move || {
        if let Ok(Some(button)) = list.query_selector("[aria-selected=\"true\"]") {
            if let Ok(button) = button.dyn_into::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
        }
    });
}

/// The Scenario tab's content.
///
/// - `text`: the scenario's TOML; the editor writes every edit back.
/// - `errors`: what is wrong with it, one line each (empty when valid).
/// - `edited`: whether it differs from the lesson's scenario.
/// - `on_reset`: puts the lesson's scenario back.
/// - `on_run`: Ctrl+Enter in the editor runs.
#[component]
pub fn ScenarioPanel(
    text: RwSignal<String>,
    #[prop(into)] errors: Signal<Vec<ScenarioProblem>>,
    #[prop(into)] edited: Signal<bool>,
    on_reset: Callback<()>,
    on_run: Callback<()>,
) -> impl IntoView {
    let error_line = Signal::derive(move || errors.with(|e| e.first().and_then(|e| e.line)));
    let status = move || {
        errors.with(|e| match e.len() {
            0 if edited.get() => "Your edit is valid: Run and Check use it.".to_string(),
            0 => "The lesson's scenario, as written. Edit it to try the steps the lesson suggests."
                .to_string(),
            1 => "1 problem: runs use the last valid version until it is fixed.".to_string(),
            n => format!("{n} problems: runs use the last valid version until they are fixed."),
        })
    };
    let problems = move || {
        errors
            .get()
            .into_iter()
            .map(|e| view! { <li>{e.text}</li> })
            .collect_view()
    };
    view! {
        <p class="hint-text">
            "The system this playground runs, in the format of docs/scenarios.md. Changes are saved with your code and carried by share links."
        </p>
        <CodeEditor label="Scenario (TOML)".to_string() code=text on_run error_line/>
        <p class="scenario-status" role="status">{status}</p>
        <ul class="scenario-problems" aria-label="Problems in the scenario">{problems}</ul>
        <Show when=move || edited.get()>
            <p class="notice">
                "This scenario differs from the lesson's: checks judge your version, and the exercise is marked done only with the lesson's own scenario."
            </p>
        </Show>
        <button type="button" disabled=move || !edited.get() on:click=move |_| on_reset.run(())>
            "Reset the scenario"
        </button>
    }
}
