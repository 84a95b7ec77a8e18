//! What the browser keeps for the learner: which lessons are done and the
//! code of each lesson, as small versioned JSON records. Reading never
//! fails: a missing, corrupted or foreign record gives an empty default and
//! a notice to show, so a bad saved state can never blank the page.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

/// localStorage key of the progress record.
pub const PROGRESS_KEY: &str = "event-playground.progress";
/// Prefix of the localStorage key of a lesson's code.
pub const CODE_KEY_PREFIX: &str = "event-playground.code.";
/// The record format this build writes.
pub const FORMAT_VERSION: u32 = 1;
/// Longest code kept per lesson (bytes); longer text is not saved.
pub const MAX_SAVED_CODE_BYTES: usize = 64 * 1024;

/// Lessons whose exercise passed in this browser.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Format version.
    pub version: u32,
    /// Lesson ids.
    pub done: BTreeSet<String>,
}

impl Progress {
    /// Reads a stored record. `None` text is a first visit (no notice).
    pub fn read(text: Option<&str>) -> (Progress, Option<String>) {
        let Some(text) = text else {
            return (Progress::new(), None);
        };
        match serde_json::from_str::<Progress>(text) {
            Ok(p) if p.version == FORMAT_VERSION => (p, None),
            Ok(p) => (
                Progress::new(),
                Some(format!(
                    "Your saved progress is from another version of the app (format {}); it was set aside and you start fresh.",
                    p.version
                )),
            ),
            Err(_) => (
                Progress::new(),
                Some("Your saved progress could not be read (it was damaged); it was set aside and you start fresh.".to_string()),
            ),
        }
    }

    /// An empty record.
    pub fn new() -> Progress {
        Progress {
            version: FORMAT_VERSION,
            done: BTreeSet::new(),
        }
    }

    /// The record as stored.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The localStorage key of a lesson's code.
pub fn code_key(lesson_id: &str) -> String {
    format!("{CODE_KEY_PREFIX}{lesson_id}")
}

/// One lesson's saved code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedCode {
    /// Format version.
    pub version: u32,
    /// The code.
    pub code: String,
}

impl SavedCode {
    /// Reads a stored record: the code, or `None` (with a notice when the
    /// record existed but was damaged).
    pub fn read(text: Option<&str>) -> (Option<String>, Option<String>) {
        let Some(text) = text else {
            return (None, None);
        };
        match serde_json::from_str::<SavedCode>(text) {
            Ok(saved) if saved.version == FORMAT_VERSION => (Some(saved.code), None),
            _ => (
                None,
                Some("Your saved code for this lesson could not be read; the starting code is shown instead.".to_string()),
            ),
        }
    }

    /// The record to store, or `None` when the code is too long to keep.
    pub fn write(code: &str) -> Option<String> {
        (code.len() <= MAX_SAVED_CODE_BYTES).then(|| {
            serde_json::to_string(&SavedCode {
                version: FORMAT_VERSION,
                code: code.to_string(),
            })
            .unwrap_or_default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_round_trips() {
        let mut p = Progress::new();
        p.done.insert("version-store".into());
        let (back, notice) = Progress::read(Some(&p.to_json()));
        assert_eq!(back, p);
        assert_eq!(notice, None);
    }

    #[test]
    fn damaged_or_foreign_progress_starts_fresh_with_a_notice() {
        for text in [
            "{not json",
            "[]",
            "{\"version\":99,\"done\":[\"x\"]}",
            "\"\"",
        ] {
            let (p, notice) = Progress::read(Some(text));
            assert!(p.done.is_empty(), "{text}");
            assert!(notice.is_some(), "{text}");
        }
        assert_eq!(Progress::read(None), (Progress::new(), None));
    }

    #[test]
    fn code_round_trips_and_damage_is_reported() {
        let stored = SavedCode::write("fn handler(e, c) {}\n").unwrap();
        assert_eq!(
            SavedCode::read(Some(&stored)),
            (Some("fn handler(e, c) {}\n".to_string()), None)
        );
        let (code, notice) = SavedCode::read(Some("garbage"));
        assert_eq!(code, None);
        assert!(notice.unwrap().contains("starting code"));
        assert!(SavedCode::write(&"x".repeat(MAX_SAVED_CODE_BYTES + 1)).is_none());
    }
}
