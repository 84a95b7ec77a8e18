//! Instructors' lessons: where a lesson file may come from and whether it can
//! be shown. Pure logic (no browser calls), tested with plain `cargo test`;
//! the `LessonLoader` component does the reading and fetching, and
//! `simulator/lesson_check.rs` parses what it read (behind the door).

use crate::lessons::model::MAX_LESSON_BYTES;

/// Why a lesson link was refused before anything was fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkRefusal {
    /// Nothing after `#/lesson-url/`.
    Empty,
    /// A scheme, `//host` or a backslash: possibly another origin.
    OtherOrigin(String),
}

impl LinkRefusal {
    /// The message shown to the learner.
    pub fn message(&self) -> String {
        match self {
            LinkRefusal::Empty => "The link names no lesson file: put a path after \
                 #/lesson-url/, e.g. #/lesson-url/lessons/my-lesson.md"
                .to_string(),
            LinkRefusal::OtherOrigin(path) => format!(
                "Refused to load {path:?}: lessons can only be loaded by link from this \
                 site (the same origin as the app). Download the file and open it with \
                 \u{201c}Choose a lesson file\u{201d} instead."
            ),
        }
    }
}

/// Checks a lesson path from a link: it must be relative to the app or an
/// absolute path on this site. The component checks the resolved URL's
/// origin again before fetching.
pub fn check_lesson_path(path: &str) -> Result<String, LinkRefusal> {
    let path = path.trim();
    if path.is_empty() {
        return Err(LinkRefusal::Empty);
    }
    let scheme_end = path.find([':', '/', '?', '#']);
    let has_scheme = scheme_end.is_some_and(|i| path[i..].starts_with(':'));
    if has_scheme
        || path.starts_with("//")
        || path.contains('\\')
        || path.chars().any(char::is_control)
    {
        return Err(LinkRefusal::OtherOrigin(path.to_string()));
    }
    Ok(path.to_string())
}

/// Whether a file of `bytes` bytes is worth reading at all.
pub fn check_size(name: &str, bytes: f64) -> Result<(), Vec<String>> {
    if bytes > MAX_LESSON_BYTES as f64 {
        return Err(vec![format!(
            "{name}: the file is {bytes} bytes; a lesson can be at most {MAX_LESSON_BYTES} bytes"
        )]);
    }
    Ok(())
}

/// The key a loaded lesson's playground saves its code under: never the
/// same as a built-in lesson's, so loading a file cannot overwrite a
/// learner's work on the real lesson with the same id.
pub fn loaded_lesson_key(id: &str) -> String {
    format!("loaded-{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_and_absolute_paths_are_accepted() {
        for ok in [
            "lessons/x.md",
            "./x.md",
            "../x.md",
            "/workshop/x.md",
            "x.md?v=2",
        ] {
            assert_eq!(check_lesson_path(ok), Ok(ok.to_string()), "{ok}");
        }
    }

    #[test]
    fn other_origins_are_refused() {
        for bad in [
            "https://evil.example/x.md",
            "//evil.example/x.md",
            "HTTP://evil.example/x.md",
            "javascript:alert(1)",
            "data:text/plain,x",
            "\\\\evil.example\\x.md",
            "/\\evil.example/x.md",
        ] {
            let refused = check_lesson_path(bad).unwrap_err();
            assert!(matches!(refused, LinkRefusal::OtherOrigin(_)), "{bad}");
            assert!(refused.message().contains("same origin"), "{bad}");
        }
        assert_eq!(check_lesson_path("  "), Err(LinkRefusal::Empty));
    }

    #[test]
    fn oversized_files_are_refused_before_reading() {
        assert!(check_size("big.md", (MAX_LESSON_BYTES + 1) as f64).is_err());
        assert!(check_size("ok.md", 10.0).is_ok());
    }

    #[test]
    fn loaded_lessons_save_apart_from_built_in_ones() {
        assert_ne!(loaded_lesson_key("welcome"), "welcome");
    }
}
