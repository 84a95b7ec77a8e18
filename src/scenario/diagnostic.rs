//! Errors a person can act on: which file, which line and column, which
//! field, what was expected, and a suggestion when a name looks like a typo
//! of a known one.

use std::fmt;

/// One problem in a scenario (or a lesson's scenario block).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file (or `lesson.md (scenario block)`) the text came from.
    pub file: String,
    /// 1-based line and column, when the problem has a place.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The field at fault, when known (`queues[0].visibility_timeout_ms`).
    pub field: Option<String>,
    /// What is wrong and what was expected.
    pub message: String,
    /// A likely fix, e.g. "did you mean `visibility_timeout_ms`?".
    pub suggestion: Option<String>,
}

impl Diagnostic {
    /// A problem with no place in the text (e.g. a reference to a queue that
    /// no section defines).
    pub fn new(file: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: file.to_string(),
            line: None,
            column: None,
            field: None,
            message: message.into(),
            suggestion: None,
        }
    }

    /// Names the field at fault.
    pub fn with_field(mut self, field: impl Into<String>) -> Diagnostic {
        self.field = Some(field.into());
        self
    }

    /// Adds a suggestion.
    pub fn with_suggestion(mut self, suggestion: impl Into<String>) -> Diagnostic {
        self.suggestion = Some(suggestion.into());
        self
    }

    /// Places the problem at a byte offset of `text`.
    pub fn at_offset(mut self, text: &str, offset: usize) -> Diagnostic {
        let (line, column) = line_column(text, offset);
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Reads a `toml` deserialization error: its place, its message, and a
    /// suggestion for an unknown field or variant.
    pub fn from_toml(file: &str, text: &str, err: &toml::de::Error) -> Diagnostic {
        let message = err.message().trim().to_string();
        let mut diagnostic = Diagnostic::new(file, message.clone());
        if let Some(span) = err.span() {
            diagnostic = diagnostic.at_offset(text, span.start);
        }
        if let Some(unknown) = quoted_after(&message, "unknown field ") {
            diagnostic.field = Some(unknown.clone());
            if let Some(best) = closest(&unknown, &expected_names(&message)) {
                diagnostic.suggestion = Some(format!("did you mean `{best}`?"));
            }
        } else if let Some(unknown) = quoted_after(&message, "unknown variant ") {
            if let Some(best) = closest(&unknown, &expected_names(&message)) {
                diagnostic.suggestion = Some(format!("did you mean `{best}`?"));
            }
        } else if let Some(missing) = quoted_after(&message, "missing field ") {
            diagnostic.field = Some(missing.clone());
            diagnostic.suggestion = Some(format!("add `{missing} = ...` to this section"));
        }
        diagnostic
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": ")?;
        if let Some(field) = &self.field {
            if !self.message.contains(field.as_str()) {
                write!(f, "`{field}`: ")?;
            }
        }
        write!(f, "{}", self.message)?;
        if let Some(suggestion) = &self.suggestion {
            write!(f, " ({suggestion})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The first `` `name` `` after `prefix` in `message`.
fn quoted_after(message: &str, prefix: &str) -> Option<String> {
    let rest = &message[message.find(prefix)? + prefix.len()..];
    let rest = rest.strip_prefix('`')?;
    Some(rest[..rest.find('`')?].to_string())
}

/// The names listed after "expected" in a serde message.
fn expected_names(message: &str) -> Vec<String> {
    let Some(at) = message.find("expected") else {
        return Vec::new();
    };
    message[at..]
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// The candidate closest to `word` by edit distance, if close enough to be a
/// plausible typo.
pub fn closest(word: &str, candidates: &[String]) -> Option<String> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.clone())
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Queue {
        name: String,
        #[serde(default)]
        visibility_timeout_ms: u64,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct File {
        queues: Vec<Queue>,
    }

    fn diagnose(text: &str) -> Diagnostic {
        let err = toml::from_str::<File>(text).unwrap_err();
        Diagnostic::from_toml("s.toml", text, &err)
    }

    #[test]
    fn a_typo_in_a_field_names_the_line_and_suggests_the_field() {
        let d = diagnose("[[queues]]\nname = \"a\"\nvisibilty_timeout_ms = 3\n");
        assert_eq!(d.line, Some(3));
        assert_eq!(d.field.as_deref(), Some("visibilty_timeout_ms"));
        assert_eq!(
            d.suggestion.as_deref(),
            Some("did you mean `visibility_timeout_ms`?")
        );
        assert!(
            d.to_string().starts_with("s.toml:3:1: unknown field"),
            "{d}"
        );
    }

    #[test]
    fn a_missing_field_is_named_with_a_suggestion() {
        let d = diagnose("[[queues]]\nvisibility_timeout_ms = 3\n");
        assert_eq!(d.field.as_deref(), Some("name"));
        assert_eq!(d.line, Some(1));
        assert!(d.suggestion.unwrap().contains("name = "));
    }

    #[test]
    fn a_wrong_type_points_at_the_value() {
        let d = diagnose("[[queues]]\nname = 5\n");
        assert_eq!((d.line, d.column), (Some(2), Some(8)));
        assert!(d.message.contains("expected a string"), "{}", d.message);
    }

    #[test]
    fn far_away_names_get_no_suggestion() {
        let names = vec!["visibility_timeout_ms".to_string()];
        assert_eq!(closest("colour", &names), None);
        assert_eq!(
            closest("visibility_timeout", &names).as_deref(),
            Some("visibility_timeout_ms")
        );
    }

    #[test]
    fn line_column_counts_characters_not_bytes() {
        assert_eq!(line_column("é\nab", 4), (2, 2));
        assert_eq!(line_column("abc", 99), (1, 4));
    }
}
