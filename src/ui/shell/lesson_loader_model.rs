//! What the lesson loader reports, decided without a browser
//! (tests/ui_lesson_loader.rs); `use_lesson_loader` reads and fetches.

use super::lesson_source::{check_lesson_path, check_size};
use crate::lessons::Lesson;

/// What the loader last reported.
#[derive(Debug, Clone, PartialEq)]
pub enum Report {
    /// Nothing to say.
    Nothing,
    /// Reading or fetching: what.
    Busy(String),
    /// `source` cannot be shown, for these reasons.
    Problems {
        /// The file or path.
        source: String,
        /// One sentence per problem.
        lines: Vec<String>,
    },
}

/// A file of `bytes` bytes named `name`: read it (and say so), or refuse it.
pub fn file_report(name: &str, bytes: f64) -> Result<Report, Report> {
    match check_size(name, bytes) {
        Ok(()) => Ok(Report::Busy(format!("Reading {name}\u{2026}"))),
        Err(lines) => Err(Report::Problems {
            source: name.to_string(),
            lines,
        }),
    }
}

/// A link's `path`: the path to fetch and what to say meanwhile, or why it
/// is refused.
pub fn link_report(path: &str) -> Result<(String, Report), Report> {
    match check_lesson_path(path) {
        Ok(path) => {
            let busy = Report::Busy(format!("Loading {path}\u{2026}"));
            Ok((path, busy))
        }
        Err(refusal) => Err(Report::Problems {
            source: path.to_string(),
            lines: vec![refusal.message()],
        }),
    }
}

/// The simulator's check of a lesson's text (`Simulator::validate_lesson`).
pub type ValidateLesson = fn(&str, &str) -> Result<Lesson, Vec<String>>;

/// The lesson in `text` read from `source`, checked by `validate` (the
/// simulator's, or why it could not be loaded); else its problems.
pub fn validated(
    source: &str,
    text: Result<String, String>,
    validate: Result<ValidateLesson, String>,
) -> Result<Lesson, Vec<String>> {
    match (text, validate) {
        (Err(e), _) => Err(vec![e]),
        (Ok(_), Err(e)) => Err(vec![format!(
            "The simulator, which checks the lesson's scenarios, could not be loaded. {e}"
        )]),
        (Ok(text), Ok(validate)) => validate(source, &text),
    }
}

/// Under a lesson's problems: whether the lesson shown is an earlier one.
pub fn kept_sentence(has_loaded: bool) -> &'static str {
    if has_loaded {
        "Nothing was replaced: the lesson below is the one loaded before."
    } else {
        "Nothing was loaded."
    }
}
