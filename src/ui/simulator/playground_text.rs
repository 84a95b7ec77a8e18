//! The playground's sentences and labels that depend on its state, as plain
//! functions (tests/ui_playground_view.rs).

/// Why Run and Check refuse while the scenario tab has problems.
pub fn scenario_problem(errors: &[String]) -> Option<String> {
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

/// The first `line N` in an error text.
pub fn line_of(text: &str) -> Option<u32> {
    let at = text.find("line ")?;
    let digits: String = text[at + 5..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}
