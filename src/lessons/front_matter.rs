//! Front matter: TOML between two `+++` lines at the top of a lesson (the
//! convention of Zola and Hugo), parsed with the same `toml` crate the
//! scenarios use.

use super::meta::{LessonError, LessonMeta};

const FENCE: &str = "+++";

/// Splits a lesson into its metadata and its markdown body.
pub fn split<'a>(file: &str, text: &'a str) -> Result<(LessonMeta, &'a str), LessonError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != FENCE {
        return Err(LessonError::MissingFrontMatter {
            file: file.to_string(),
        });
    }
    let toml_start = first.len();
    let mut offset = toml_start;
    for line in lines {
        if line.trim_end() == FENCE {
            let toml_text = &text[toml_start..offset];
            let body = &text[offset + line.len()..];
            let meta = parse_meta(file, toml_text)?;
            return Ok((meta, body));
        }
        offset += line.len();
    }
    Err(LessonError::UnclosedFrontMatter {
        file: file.to_string(),
    })
}

fn parse_meta(file: &str, toml_text: &str) -> Result<LessonMeta, LessonError> {
    toml::from_str::<LessonMeta>(toml_text).map_err(|err| {
        // Line numbers count from the top of the file: the opening fence is line 1.
        let line = err
            .span()
            .map(|span| {
                toml_text[..span.start.min(toml_text.len())]
                    .matches('\n')
                    .count()
                    + 2
            })
            .unwrap_or(1);
        LessonError::BadFrontMatter {
            file: file.to_string(),
            line,
            message: err.message().to_string(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_meta_from_body() {
        let text = "+++\nid = \"a\"\ntitle = \"A\"\norder = 2\n+++\n# Hi\n";
        let (meta, body) = split("a.md", text).unwrap();
        assert_eq!(meta.id, "a");
        assert_eq!(meta.order, 2);
        assert_eq!(meta.minutes, None);
        assert_eq!(body, "# Hi\n");
    }

    #[test]
    fn accepts_windows_line_endings() {
        let text = "+++\r\nid = \"a\"\r\ntitle = \"A\"\r\norder = 1\r\n+++\r\nbody";
        let (meta, body) = split("a.md", text).unwrap();
        assert_eq!(meta.title, "A");
        assert_eq!(body, "body");
    }

    #[test]
    fn missing_fence_is_an_error() {
        let err = split("x.md", "# no front matter").unwrap_err();
        assert!(matches!(err, LessonError::MissingFrontMatter { .. }));
    }

    #[test]
    fn unclosed_fence_is_an_error() {
        let err = split("x.md", "+++\nid = \"a\"\n").unwrap_err();
        assert!(matches!(err, LessonError::UnclosedFrontMatter { .. }));
    }

    #[test]
    fn bad_toml_reports_the_file_line() {
        let text = "+++\nid = \"a\"\ntitle = \norder = 1\n+++\n";
        match split("x.md", text).unwrap_err() {
            LessonError::BadFrontMatter { line, .. } => assert_eq!(line, 3),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn unknown_field_is_an_error_not_ignored() {
        let text = "+++\nid = \"a\"\ntitle = \"A\"\norder = 1\ntitel = \"typo\"\n+++\n";
        let err = split("x.md", text).unwrap_err();
        assert!(err.to_string().contains("titel"), "{err}");
    }
}
