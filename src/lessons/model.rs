//! The lesson model and its parse errors.

use super::front_matter;
pub use super::meta::{LessonError, LessonMeta, MAX_LESSON_BYTES};

/// A parsed lesson: its metadata and its markdown body (front matter removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lesson {
    pub meta: LessonMeta,
    pub body_markdown: String,
}

impl Lesson {
    /// Parses a lesson file. `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Lesson, LessonError> {
        if text.len() > MAX_LESSON_BYTES {
            return Err(LessonError::TooLarge {
                file: file.to_string(),
                bytes: text.len(),
            });
        }
        let (meta, body) = front_matter::split(file, text)?;
        if !is_valid_id(&meta.id) {
            return Err(LessonError::BadId {
                file: file.to_string(),
                id: meta.id,
            });
        }
        Ok(Lesson {
            meta,
            body_markdown: body.to_string(),
        })
    }

    /// Whether the lesson has a scenario block, so a playground beside it.
    /// (Cheap: a markdown scan. The scenarios themselves are parsed by the
    /// simulator, which is loaded only for lessons that have one.)
    pub fn has_scenario(&self) -> bool {
        !super::blocks::blocks_of_kind(&self.body_markdown, "scenario").is_empty()
    }
}

/// Lesson ids appear in URLs, so keep them to a safe alphabet.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
