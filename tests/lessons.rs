//! The built-in curriculum: every file in `lessons/` is compiled in and
//! parses.

use std::collections::BTreeSet;

use event_playground::lessons::{builtin_lessons, catalog::BUILTIN_FILES};

#[test]
fn every_lesson_file_is_compiled_into_the_app() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/lessons");
    let on_disk: BTreeSet<String> = std::fs::read_dir(dir)
        .expect("lessons/ exists")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".md"))
        .collect();
    let built_in: BTreeSet<String> = BUILTIN_FILES.iter().map(|(f, _)| f.to_string()).collect();
    assert!(!on_disk.is_empty());
    assert_eq!(on_disk, built_in, "lessons/ and the catalog differ");
}

#[test]
fn every_built_in_lesson_parses_with_a_title_and_body() {
    let lessons = builtin_lessons().unwrap_or_else(|e| panic!("{e}"));
    for lesson in &lessons {
        assert!(!lesson.meta.title.trim().is_empty(), "{}", lesson.meta.id);
        assert!(
            lesson.body_markdown.trim().len() > 200,
            "lesson {} has almost no text",
            lesson.meta.id
        );
    }
}

#[test]
fn the_welcome_lesson_comes_first() {
    let lessons = builtin_lessons().unwrap();
    assert_eq!(lessons[0].meta.id, "welcome");
    assert!(lessons[0].meta.title.starts_with("Welcome"));
}

/// The complete example of docs/authoring.md is a lesson `sim check`
/// accepts, and its starting code really fails, so the guide never drifts
/// from the format.
#[test]
fn the_authoring_guide_example_passes_sim_check() {
    use event_playground::scenario::lesson_check::check_lesson;
    use event_playground::scenario::MemoryFiles;

    let guide = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/authoring.md"))
        .expect("docs/authoring.md");
    let start = guide.find("````markdown\n").expect("example block") + "````markdown\n".len();
    let end = start + guide[start..].find("````").expect("end of example");
    let example = &guide[start..end];
    let report = check_lesson("20-poison.md", "20-poison.md", example, &MemoryFiles(&[]));
    assert!(report.ok, "{:?} {:?}", report.problems, report.failures);
    assert_eq!(report.exercises, 1);
    // Starting from the solution, the lesson claims a bug that is not
    // there: the check says so, so it is a real check.
    let quotes = "'''";
    let solution = example
        .split(&format!("solution = {quotes}"))
        .nth(1)
        .and_then(|rest| rest.split(quotes).next())
        .expect("solution");
    let broken = example.replace(
        "starts_failing = true",
        &format!("starts_failing = true\nstarting_code = {quotes}{solution}{quotes}"),
    );
    let report = check_lesson("20-poison.md", "20-poison.md", &broken, &MemoryFiles(&[]));
    assert!(!report.ok);
    assert!(
        report.failures[0].contains("the starting code passes every check"),
        "{:?}",
        report.failures
    );
}
