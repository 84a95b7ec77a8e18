//! What `sim check` verifies about one lesson file, as a library function so
//! the UI and tests can run the same check.
//!
//! Today: the lesson parses (front matter, id) and every ```` ```scenario ````
//! block is a valid scenario. Hook for exercise blocks (issue 7): each
//! exercise will add one step here that runs its reference solution over the
//! exercise's seed count (every check must pass, via
//! [`super::sweep::sweep`] after [`super::parse::Scenario::replace_code`]) and
//! its starting code (which must fail where the lesson says the learner
//! starts from a bug). Each step appends to [`LessonCheck::problems`].

use serde::Serialize;

use super::source::{lesson_scenarios, FileReader};
use crate::lessons::Lesson;

/// The verdict on one lesson file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LessonCheck {
    /// The file checked.
    pub file: String,
    /// True when nothing is wrong.
    pub ok: bool,
    /// How many scenario blocks it has.
    pub scenario_blocks: usize,
    /// Every problem, each a readable line with file and line.
    pub problems: Vec<String>,
}

/// Checks one lesson. `file` is its path (for messages and `code_file`
/// paths); `name` is the file name the lesson parser reports.
pub fn check_lesson(file: &str, name: &str, text: &str, files: &dyn FileReader) -> LessonCheck {
    let mut problems = Vec::new();
    if let Err(e) = Lesson::parse(name, text) {
        problems.push(format!("{file}: {e}"));
    }
    let scenarios = lesson_scenarios(file, text, files);
    for result in &scenarios {
        if let Err(diagnostics) = result {
            problems.extend(diagnostics.iter().map(|d| d.to_string()));
        }
    }
    LessonCheck {
        file: file.to_string(),
        ok: problems.is_empty(),
        scenario_blocks: scenarios.len(),
        problems,
    }
}
