//! The "Your work" page's words and decisions, natively: the pure half of
//! `use_your_work` and `YourWork`.

use event_playground::ui::shell::saved_work::{Backup, Progress, SavedCode, PROGRESS_KEY};
use event_playground::ui::shell::your_work_model::{
    describe, import_outcome, state_label, Pending,
};

/// A backup of two lessons' code, one of them done.
fn backup() -> Backup {
    let mut progress = Progress::new();
    progress.done.insert("a".into());
    let progress = progress.to_json();
    let a = SavedCode::write("code a", Some(3), None).unwrap();
    let b = SavedCode::write("code b", None, None).unwrap();
    Backup::collect([
        (PROGRESS_KEY, progress.as_str()),
        ("event-playground.code.a", a.as_str()),
        ("event-playground.code.b", b.as_str()),
    ])
}

#[test]
fn a_backup_is_described_with_singular_and_plural() {
    assert_eq!(describe(&backup()), "code of 2 lessons and 1 lesson done");
    assert_eq!(
        describe(&Backup::default()),
        "code of 0 lessons and 0 lessons done"
    );
}

#[test]
fn each_question_says_what_is_lost_and_names_its_button() {
    let (message, label) = Pending::ResetLesson("a".into()).question("Lesson A");
    assert!(
        message.starts_with("Reset \u{201c}Lesson A\u{201d}?"),
        "{message}"
    );
    assert_eq!(label, "Reset this lesson");
    let (message, label) = Pending::ResetEverything.question("");
    assert!(message.contains("Export first"), "{message}");
    assert_eq!(label, "Remove all my work");
    let (message, label) = Pending::Import(backup()).question("");
    assert!(
        message.starts_with("The file holds code of 2 lessons and 1 lesson done."),
        "{message}"
    );
    assert_eq!(label, "Replace my work with this file");
}

#[test]
fn a_row_says_done_saved_or_both() {
    assert_eq!(state_label(true, 0), "Done");
    assert_eq!(state_label(true, 2), "Done, code saved");
    assert_eq!(state_label(false, 1), "Code saved");
}

#[test]
fn an_import_that_stored_only_part_says_how_much() {
    let b = backup();
    assert_eq!(
        import_outcome(&b, 3, 0),
        Ok("Imported code of 2 lessons and 1 lesson done.".to_string())
    );
    assert_eq!(
        import_outcome(&b, 3, 1),
        Err("The browser stored only 2 of 3 records (storage is full or blocked).".to_string())
    );
}
