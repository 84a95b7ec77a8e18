//! The playground's sentences and labels that depend on its state, as plain
//! functions (tests/ui_playground_view.rs).

use super::scenario_edit::ScenarioProblem;

/// Why Run and Check refuse while the scenario tab has problems.
pub fn scenario_problem(errors: &[ScenarioProblem]) -> Option<String> {
    errors.first().map(|first| {
        format!(
            "The scenario has {} problem(s); fix them in the Scenario tab first. {first}",
            errors.len()
        )
    })
}

/// The hint button's label, `shown` of `count` hints being shown.
pub fn hint_button_label(shown: usize, count: usize) -> String {
    if shown >= count {
        "No more hints".to_string()
    } else {
        format!("Show hint {} of {count}", shown + 1)
    }
}
