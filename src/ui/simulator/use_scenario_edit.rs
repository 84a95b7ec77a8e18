//! The Scenario tab's edits, read as `sim` reads them: a valid one replaces
//! the setup runs use, a broken one lists its problems.

use leptos::prelude::*;

use super::playground_model::PlaygroundSetup;
use super::scenario_edit::ScenarioProblem;

/// What an edit of the scenario changes.
#[derive(Clone, Copy)]
pub struct ScenarioEdit {
    /// The problems of the text in the tab (none: it is in use).
    pub errors: RwSignal<Vec<ScenarioProblem>>,
    /// The variant Run uses: set by opening a failing run of a check.
    pub run_variant: RwSignal<Option<String>>,
    /// Seeds "Check over N seeds" runs: fewer once an edit drops the variants.
    pub check_seeds: RwSignal<u64>,
}

/// Reads each edit of `text` against `lesson_setup` into `setup`.
pub fn use_scenario_edit(
    text: RwSignal<String>,
    lesson_setup: StoredValue<PlaygroundSetup>,
    setup: StoredValue<PlaygroundSetup>,
) -> ScenarioEdit {
    let edit = ScenarioEdit {
        errors: RwSignal::new(Vec::new()),
        run_variant: RwSignal::new(None),
        check_seeds: RwSignal::new(setup.with_value(|s| s.seeds())),
    };
    Effect::new(move |_| {
        let (read, is_edit) =
            text.with(|t| lesson_setup.with_value(|s| (s.with_scenario_text(t), s.is_edited(t))));
        match read {
            Ok(next) => {
                // An edited scenario has no variants (see `scenario_edit`).
                if is_edit {
                    edit.run_variant.set(None);
                }
                edit.check_seeds.set(next.seeds());
                setup.set_value(next);
                edit.errors.set(Vec::new());
            }
            Err(problems) => edit.errors.set(problems),
        }
    });
    edit
}
