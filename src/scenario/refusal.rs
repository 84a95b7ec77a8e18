//! Why a run with the learner's code cannot start, as words and, when the
//! engine knows it, the line of the code at fault: the editor marks that
//! line from the number itself, never by reading it back out of the words.

use std::fmt;

use crate::sim::SimError;

/// Why a run cannot start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunRefusal {
    /// What is wrong, in the lessons' words (the engine's error as text).
    pub message: String,
    /// 1-based line of the learner's code at fault (a handler that does not
    /// compile), when known.
    pub code_line: Option<u32>,
}

impl From<String> for RunRefusal {
    /// A refusal that names no line of code (e.g. an unknown function).
    fn from(message: String) -> Self {
        RunRefusal {
            message,
            code_line: None,
        }
    }
}

impl From<SimError> for RunRefusal {
    fn from(err: SimError) -> Self {
        let code_line = match &err {
            SimError::HandlerCompile { line, .. } => *line,
            _ => None,
        };
        RunRefusal {
            message: err.to_string(),
            code_line,
        }
    }
}

impl From<RunRefusal> for String {
    fn from(refusal: RunRefusal) -> Self {
        refusal.message
    }
}

impl fmt::Display for RunRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_compile_error_keeps_its_line_as_a_number() {
        let refusal = RunRefusal::from(SimError::HandlerCompile {
            function: "save".into(),
            line: Some(7),
            column: Some(3),
            message: "syntax error".into(),
        });
        assert_eq!(refusal.code_line, Some(7));
        assert_eq!(
            refusal.message,
            "function save: line 7, column 3: syntax error"
        );
    }

    #[test]
    fn words_alone_name_no_line_even_when_they_say_line() {
        let refusal = RunRefusal::from("the deadline 30 passed".to_string());
        assert_eq!(refusal.code_line, None);
        assert_eq!(String::from(refusal), "the deadline 30 passed");
    }
}
