//! The words and decisions of the "Your work" page, as plain functions
//! (tests/ui_your_work.rs); `use_your_work` applies them to the browser's
//! storage and `YourWork` draws them.

use super::saved_work::Backup;

/// Which "are you sure?" is open.
#[derive(Clone, Debug, PartialEq)]
pub enum Pending {
    /// Reset the lesson with this id.
    ResetLesson(String),
    /// Remove all work.
    ResetEverything,
    /// Replace all work with this backup.
    Import(Backup),
}

impl Pending {
    /// The question and its confirm button's label; `title` is the lesson's
    /// title for a reset of one lesson.
    pub fn question(&self, title: &str) -> (String, String) {
        match self {
            Pending::ResetLesson(_) => (
                format!(
                    "Reset \u{201c}{title}\u{201d}? Its code goes back to the starting code and it is no longer marked done."
                ),
                "Reset this lesson".to_string(),
            ),
            Pending::ResetEverything => (
                "Remove your code and progress in every lesson from this browser? Export first to keep a copy.".to_string(),
                "Remove all my work".to_string(),
            ),
            Pending::Import(backup) => (
                format!(
                    "The file holds {}. Importing replaces all the work saved in this browser.",
                    describe(backup)
                ),
                "Replace my work with this file".to_string(),
            ),
        }
    }
}

/// A lesson's row state: done, with saved code, or both.
pub fn state_label(done: bool, saved_blocks: usize) -> &'static str {
    match (done, saved_blocks) {
        (true, 0) => "Done",
        (true, _) => "Done, code saved",
        (false, _) => "Code saved",
    }
}

/// "code of 3 lessons and 2 lessons done", for status lines.
pub fn describe(backup: &Backup) -> String {
    let plural = |n: usize| if n == 1 { "lesson" } else { "lessons" };
    let code = backup.lessons_with_code();
    let done = backup.done.len();
    format!(
        "code of {code} {} and {done} {} done",
        plural(code),
        plural(done)
    )
}

/// After an import wrote `records` records of which `failed` failed: the
/// status line, or the problem to show.
pub fn import_outcome(backup: &Backup, records: usize, failed: usize) -> Result<String, String> {
    if failed == 0 {
        Ok(format!("Imported {}.", describe(backup)))
    } else {
        Err(format!(
            "The browser stored only {} of {records} records (storage is full or blocked).",
            records - failed
        ))
    }
}
