//! The playground's two tabs: the learner's code and the scenario.

use leptos::prelude::*;

use super::code_editor::CodeEditor;
use super::playground_text::line_of;
use super::scenario_tab::{panel_ids, EditorTab, EditorTabs, ScenarioPanel};
use super::use_playground::PlaygroundState;

/// The tabs and their panels; `function` is the function whose code the
/// learner edits (none: nothing to edit).
#[component]
pub fn EditorPanels(state: PlaygroundState, function: Option<String>) -> impl IntoView {
    let tab = RwSignal::new(EditorTab::Code);
    let ids = panel_ids();
    let run = Callback::new(move |_| state.run());
    let reset_scenario = Callback::new(move |_| {
        state
            .work
            .scenario_text
            .set(state.lesson_setup.with_value(|s| s.source.clone()));
    });
    let run_view = state.runs.run_view;
    let error_line = Signal::derive(move || {
        run_view.with(|r| {
            let r = r.as_ref()?;
            line_of(r.error.as_deref().or(r.first_handler_error.as_deref())?)
        })
    });
    let editor = function.map(|name| {
        view! { <CodeEditor label=format!("Code of function {name}") code=state.work.code on_run=run error_line/> }
    });
    view! {
        <EditorTabs tab ids=ids.clone()/>
        <div
            role="tabpanel"
            id=ids.0.clone()
            aria-labelledby=format!("{}-tab", ids.0)
            hidden=move || tab.get() != EditorTab::Code
        >
            {editor}
        </div>
        <div
            role="tabpanel"
            id=ids.1.clone()
            aria-labelledby=format!("{}-tab", ids.1)
            hidden=move || tab.get() != EditorTab::Scenario
        >
            <ScenarioPanel
                text=state.work.scenario_text
                errors=state.edit.errors
                edited=state.work.edited
                on_reset=reset_scenario
                on_run=run
            />
        </div>
    }
}
