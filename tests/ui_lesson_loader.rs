//! The lesson loader's decisions, natively: the pure half of
//! `use_lesson_loader` and `LessonLoader`.

use event_playground::lessons::Lesson;
use event_playground::ui::shell::lesson_loader_model::{
    file_report, kept_sentence, link_report, validated, Report,
};

const GOOD: &str = "+++\nid = \"mine\"\ntitle = \"Mine\"\norder = 1\n+++\n# Mine\n\nHello\n";

fn parse_only(name: &str, text: &str) -> Result<Lesson, Vec<String>> {
    Lesson::parse(name, text).map_err(|e| vec![e.to_string()])
}

#[test]
fn a_small_file_is_read_and_a_huge_one_refused_by_name() {
    assert_eq!(
        file_report("a.md", 10.0),
        Ok(Report::Busy("Reading a.md\u{2026}".into()))
    );
    let Err(Report::Problems { source, lines }) = file_report("big.md", 1e12) else {
        panic!("refused");
    };
    assert_eq!(source, "big.md");
    assert!(!lines.is_empty());
}

#[test]
fn a_link_to_another_origin_is_refused_before_any_fetch() {
    let (path, busy) = link_report("lessons/x.md").expect("same origin");
    assert_eq!(path, "lessons/x.md");
    assert_eq!(busy, Report::Busy("Loading lessons/x.md\u{2026}".into()));
    let Err(Report::Problems { source, lines }) = link_report("https://evil.example/x.md") else {
        panic!("refused");
    };
    assert_eq!(source, "https://evil.example/x.md");
    assert!(lines[0].contains("same origin"), "{lines:?}");
}

#[test]
fn a_lesson_is_shown_only_when_read_and_checked() {
    let ok = validated("mine.md", Ok(GOOD.into()), Ok(parse_only));
    assert_eq!(ok.expect("valid").meta.id, "mine");
    let unread = validated("mine.md", Err("mine.md: unreadable".into()), Ok(parse_only));
    assert_eq!(unread.unwrap_err(), vec!["mine.md: unreadable".to_string()]);
    let no_simulator = validated("mine.md", Ok(GOOD.into()), Err("offline".into()));
    let lines = no_simulator.unwrap_err();
    assert!(
        lines[0].starts_with("The simulator, which checks"),
        "{lines:?}"
    );
    assert!(lines[0].ends_with("offline"), "{lines:?}");
}

#[test]
fn problems_say_whether_an_earlier_lesson_is_still_shown() {
    assert!(kept_sentence(true).starts_with("Nothing was replaced"));
    assert_eq!(kept_sentence(false), "Nothing was loaded.");
}
