//! A lesson's front matter and the errors of reading a lesson. A leaf of
//! their own so that `front_matter.rs` (which reads them) and `model.rs`
//! (which calls it) do not import each other.

use std::fmt;

/// Longest lesson file accepted, in bytes. Instructors can load their own
/// lessons later; a limit keeps a wrong file from freezing the tab.
pub const MAX_LESSON_BYTES: usize = 256 * 1024;

/// What the front matter says about a lesson.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonMeta {
    /// Stable identifier used in links (`#/lesson/<id>`): lowercase letters,
    /// digits and dashes.
    pub id: String,
    pub title: String,
    /// Position in the lesson list, smallest first.
    pub order: u32,
    /// Estimated time to complete, in minutes.
    #[serde(default)]
    pub minutes: Option<u32>,
}

/// Why a lesson file could not be used. Every variant names the file so an
/// instructor can find the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LessonError {
    TooLarge {
        file: String,
        bytes: usize,
    },
    MissingFrontMatter {
        file: String,
    },
    UnclosedFrontMatter {
        file: String,
    },
    BadFrontMatter {
        file: String,
        line: usize,
        message: String,
    },
    BadId {
        file: String,
        id: String,
    },
    DuplicateId {
        id: String,
        first: String,
        second: String,
    },
}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LessonError::TooLarge { file, bytes } => write!(
                f,
                "{file}: the lesson is {bytes} bytes; the limit is {MAX_LESSON_BYTES} bytes"
            ),
            LessonError::MissingFrontMatter { file } => write!(
                f,
                "{file}: a lesson must start with front matter: a line `+++`, TOML with id, title and order, and another `+++`"
            ),
            LessonError::UnclosedFrontMatter { file } => {
                write!(f, "{file}: the front matter opened with `+++` is never closed by a second `+++` line")
            }
            LessonError::BadFrontMatter { file, line, message } => {
                write!(f, "{file}:{line}: front matter: {message}")
            }
            LessonError::BadId { file, id } => write!(
                f,
                "{file}: id {id:?} must be non-empty and use only lowercase letters, digits and dashes (it appears in links)"
            ),
            LessonError::DuplicateId { id, first, second } => {
                write!(f, "{second}: id {id:?} is already used by {first}")
            }
        }
    }
}

impl std::error::Error for LessonError {}
