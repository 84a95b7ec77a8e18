//! One problem validation finds, before `parse` places it in the text. A
//! leaf of its own so that `validate.rs` and the checks it delegates to
//! (`validate_aws.rs`, `validate_messages.rs`) share it without importing
//! each other.

/// A problem at a field path, before it is placed in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `clients[0].target.topic`.
    pub field: String,
    /// What is wrong and what was expected.
    pub message: String,
    /// A likely fix.
    pub suggestion: Option<String>,
}

impl Problem {
    pub(super) fn new(field: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            field: field.into(),
            message: message.into(),
            suggestion: None,
        }
    }
}
