//! An instructor's lesson read with the same parsers as the built-in ones.
//! It lives behind the door (`door.rs`) because the scenario parser is in
//! the simulator's file; the shell calls it as `Simulator::validate_lesson`.

use super::playground_model::PlaygroundSetup;
use crate::lessons::Lesson;

/// Parses and validates an instructor's lesson with the same parsers as the
/// built-in ones: front matter, then the scenario and exercise blocks. Every
/// problem is a sentence naming the file (and line where known).
pub fn validate_lesson(name: &str, text: &str) -> Result<Lesson, Vec<String>> {
    let lesson = Lesson::parse(name, text).map_err(|e| vec![e.to_string()])?;
    match PlaygroundSetup::from_lesson(&lesson) {
        Some(Err(message)) => {
            // The block parsers see the body only, named `<id>.md`: name the
            // file and count lines from its top instead.
            let body_start = text.len().saturating_sub(lesson.body_markdown.len());
            let offset = text
                .get(..body_start)
                .map_or(0, |h| h.matches('\n').count());
            let inner = format!("{}.md:", lesson.meta.id);
            Err(message
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| match l.strip_prefix(&inner) {
                    Some(rest) => with_file_line(name, rest, offset),
                    None => format!("{name}: {l}"),
                })
                .collect())
        }
        _ => Ok(lesson),
    }
}

/// `"<line>:<rest>"` of a body diagnostic as `"<name>:<line + offset>:<rest>"`.
fn with_file_line(name: &str, rest: &str, offset: usize) -> String {
    match rest.split_once(':') {
        Some((line, tail)) if line.parse::<usize>().is_ok() => {
            let line: usize = line.parse().unwrap_or(0);
            format!("{name}:{}:{tail}", line + offset)
        }
        _ => format!("{name}:{rest}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "+++\nid = \"mine\"\ntitle = \"Mine\"\norder = 1\n+++\n# Mine\n\nHello\n";

    #[test]
    fn a_good_lesson_validates() {
        let lesson = validate_lesson("mine.md", GOOD).unwrap();
        assert_eq!(lesson.meta.id, "mine");
    }

    #[test]
    fn front_matter_errors_name_the_file() {
        let errors = validate_lesson("bad.md", "# no front matter\n").unwrap_err();
        assert!(errors[0].starts_with("bad.md"), "{errors:?}");
        assert!(errors[0].contains("front matter"), "{errors:?}");
        let errors = validate_lesson("bad.md", "+++\nid = \"x\"\n+++\n").unwrap_err();
        assert!(errors[0].contains("front matter"), "{errors:?}");
    }

    #[test]
    fn scenario_errors_are_reported() {
        let text = format!("{GOOD}\n```scenario\nthis is not toml = = =\n```\n");
        let errors = validate_lesson("scen.md", &text).unwrap_err();
        assert!(!errors.is_empty());
        assert!(
            errors.iter().all(|e| e.starts_with("scen.md")),
            "{errors:?}"
        );
    }

    #[test]
    fn every_broken_block_is_reported_not_only_the_first() {
        let text = format!(
            "{GOOD}\n```scenario\n[scenario]\nnme = \"a\"\n```\n\n```scenario\n[scenario]\nname = \"b\"\nseeed = 2\n```\n"
        );
        let errors = validate_lesson("two.md", &text).unwrap_err();
        assert!(errors.iter().any(|e| e.contains("nme")), "{errors:?}");
        assert!(errors.iter().any(|e| e.contains("seeed")), "{errors:?}");
        // Each names its own line of the file.
        let line_of = |word: &str| text.lines().position(|l| l.starts_with(word)).unwrap() + 1;
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with(&format!("two.md:{}:", line_of("nme")))),
            "{errors:?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with(&format!("two.md:{}:", line_of("seeed")))),
            "{errors:?}"
        );
    }
}
