//! The built-in curriculum, compiled into the app so it works offline and
//! from any static host without fetching files.

use super::model::{Lesson, LessonError};

/// Every file in `lessons/`, by file name. `tests/lessons.rs` fails if a file
/// in the folder is missing here.
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    ("01-welcome.md", include_str!("../../lessons/01-welcome.md")),
    (
        "02-server-api-vs-events.md",
        include_str!("../../lessons/02-server-api-vs-events.md"),
    ),
    (
        "03-throttling-and-retries.md",
        include_str!("../../lessons/03-throttling-and-retries.md"),
    ),
    (
        "04-fire-and-forget.md",
        include_str!("../../lessons/04-fire-and-forget.md"),
    ),
    (
        "05-out-of-order-bug.md",
        include_str!("../../lessons/05-out-of-order-bug.md"),
    ),
    (
        "07-at-least-once.md",
        include_str!("../../lessons/07-at-least-once.md"),
    ),
    (
        "08-stateless.md",
        include_str!("../../lessons/08-stateless.md"),
    ),
    ("09-fifo.md", include_str!("../../lessons/09-fifo.md")),
    ("10-limits.md", include_str!("../../lessons/10-limits.md")),
    (
        "11-workflows.md",
        include_str!("../../lessons/11-workflows.md"),
    ),
    (
        "06-version-store.md",
        include_str!("../../lessons/06-version-store.md"),
    ),
];

/// Parses every built-in lesson, sorted by their `order`. Ids must be unique.
pub fn builtin_lessons() -> Result<Vec<Lesson>, LessonError> {
    parse_all(BUILTIN_FILES)
}

/// Parses a set of lesson files and sorts them by `order`, then id.
pub fn parse_all(files: &[(&str, &str)]) -> Result<Vec<Lesson>, LessonError> {
    let mut lessons: Vec<(String, Lesson)> = Vec::with_capacity(files.len());
    for (file, text) in files {
        let lesson = Lesson::parse(file, text)?;
        if let Some((first, _)) = lessons.iter().find(|(_, l)| l.meta.id == lesson.meta.id) {
            return Err(LessonError::DuplicateId {
                id: lesson.meta.id,
                first: first.clone(),
                second: file.to_string(),
            });
        }
        lessons.push((file.to_string(), lesson));
    }
    let mut lessons: Vec<Lesson> = lessons.into_iter().map(|(_, l)| l).collect();
    lessons.sort_by(|a, b| (a.meta.order, &a.meta.id).cmp(&(b.meta.order, &b.meta.id)));
    Ok(lessons)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_ids_are_rejected() {
        let a = "+++\nid = \"x\"\ntitle = \"A\"\norder = 1\n+++\n";
        let err = parse_all(&[("a.md", a), ("b.md", a)]).unwrap_err();
        assert!(matches!(err, LessonError::DuplicateId { .. }), "{err}");
    }

    #[test]
    fn lessons_are_sorted_by_order() {
        let a = "+++\nid = \"a\"\ntitle = \"A\"\norder = 2\n+++\n";
        let b = "+++\nid = \"b\"\ntitle = \"B\"\norder = 1\n+++\n";
        let ids: Vec<_> = parse_all(&[("a.md", a), ("b.md", b)])
            .unwrap()
            .into_iter()
            .map(|l| l.meta.id)
            .collect();
        assert_eq!(ids, ["b", "a"]);
    }
}
