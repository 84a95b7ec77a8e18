//! Execution names as Step Functions' `StartExecution` accepts them, and
//! what a second start with a used name answers. See docs/scenarios.md,
//! "Workflows", and the AWS API reference:
//! <https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html>.

/// Longest execution name, in characters (StartExecution: 1 to 80).
pub const MAX_EXECUTION_NAME_CHARS: usize = 80;

/// Characters StartExecution refuses in a name, besides whitespace and
/// control characters: brackets, wildcards and special characters.
pub const FORBIDDEN_NAME_CHARS: &str = "<>{}[]?*\"#%\\^|~`$&,;:/";

/// Why `name` is not a valid execution name, or `None` when it is. `@`,
/// `.`, `-`, `_`, `+`, `=`, `!` and non-ASCII letters are allowed.
pub fn execution_name_problem(name: &str) -> Option<String> {
    let count = name.chars().count();
    if count == 0 || count > MAX_EXECUTION_NAME_CHARS {
        return Some(format!(
            "the execution name \"{name}\" has {count} characters; Step Functions allows 1 to {MAX_EXECUTION_NAME_CHARS}"
        ));
    }
    let bad = name
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || FORBIDDEN_NAME_CHARS.contains(*c))?;
    let shown = if bad.is_whitespace() || bad.is_control() {
        format!("U+{:04X}", bad as u32)
    } else {
        format!("'{bad}'")
    };
    Some(format!(
        "the execution name \"{}\" contains {shown}; Step Functions refuses whitespace, control characters and any of {FORBIDDEN_NAME_CHARS}",
        name.escape_debug()
    ))
}

/// The error a start with a used name answers (StartExecution's
/// `ExecutionAlreadyExists`).
pub const EXECUTION_ALREADY_EXISTS: &str = "ExecutionAlreadyExists";
