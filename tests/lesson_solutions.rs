//! The lessons' exercises judge outcomes, not code: every correct approach
//! in `tests/solutions/<lesson-id>/right/` passes the exercise's checks in
//! all of its seeds and every variant's, and every known wrong one in
//! `.../wrong/` (versions compared as strings or floats, an in-memory global
//! as the version store, a swallowed store error, a mark written before the
//! count, an execution named by version alone...) fails some check in some
//! seed of the scenario or a variant. Each exercise of lessons 3 to 11 has
//! at least six wrong and three right handlers, each opening with a comment
//! that says what it does and why it is wrong or right. Also: every lesson
//! in `lessons/` passes `sim check`.

use std::fs;
use std::path::{Path, PathBuf};

use event_playground::scenario::lesson_check::{check_lesson, lesson_exercises, ExerciseSetup};
use event_playground::scenario::SweepRunner;

mod disk;
use disk::Disk;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Lesson files in `lessons/`, sorted.
fn lesson_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(root().join("lessons"))
        .expect("lessons/ exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}

/// The value of `id = "..."` in a lesson's front matter.
fn lesson_id(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix("id"))
        .and_then(|rest| rest.trim_start().strip_prefix('='))
        .map(|v| v.trim().trim_matches('"').to_string())
}

/// The first exercise of the lesson whose id is `id`.
fn exercise_of(id: &str) -> ExerciseSetup {
    for path in lesson_files() {
        let text = fs::read_to_string(&path).unwrap();
        if lesson_id(&text).as_deref() != Some(id) {
            continue;
        }
        let rel = format!("lessons/{}", path.file_name().unwrap().to_string_lossy());
        let (setups, _, problems) = lesson_exercises(&rel, &text, &Disk);
        assert!(problems.is_empty(), "{rel}: {problems:?}");
        return setups
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("{rel} has no exercise"));
    }
    panic!("no lesson with id {id} in lessons/");
}

/// The `.rhai` files of `tests/solutions/<id>/<kind>/`, sorted.
fn solutions(id: &str, kind: &str) -> Vec<PathBuf> {
    let dir = root().join("tests/solutions").join(id).join(kind);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "rhai"))
        .collect();
    files.sort();
    files
}

/// Judges every right and wrong solution in `tests/solutions/<id>/` against
/// the lesson's exercise.
fn judge_corpus(id: &str) {
    let setup = exercise_of(id);
    let right = solutions(id, "right");
    let wrong = solutions(id, "wrong");
    assert!(right.len() >= 3, "{id}: at least 3 right solutions");
    assert!(wrong.len() >= 6, "{id}: at least 6 wrong solutions");
    for file in right.iter().chain(&wrong) {
        let code = fs::read_to_string(file).unwrap();
        let first = code.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("// ") && first.len() > 40,
            "{}: the first line must be a comment saying what it does and why it is wrong or right",
            file.display()
        );
    }
    for file in &right {
        let code = fs::read_to_string(file).unwrap();
        let name = file.display();
        let result = setup
            .judge(&code)
            .unwrap_or_else(|e| panic!("{name} does not run: {e}"));
        if let Some(c) = result.checks.iter().find(|c| c.failed > 0) {
            panic!(
                "{name} is a correct solution but fails `{}`: {}",
                c.name,
                c.explained()
            );
        }
    }
    for file in &wrong {
        let code = fs::read_to_string(file).unwrap();
        assert!(
            fails_somewhere(&setup, &code),
            "{} is wrong but passes every check in all {} seeds of the scenario and its variants",
            file.display(),
            setup.total_seeds()
        );
    }
}

/// True when `code` fails some check in some seed of the scenario or of a
/// variant. Stops at the first failing seed: a wrong handler needs only
/// one, and the whole sweep of every variant costs minutes in a debug
/// build. A handler that does not even run is rejected too.
fn fails_somewhere(setup: &ExerciseSetup, code: &str) -> bool {
    let Ok(parts) = setup.sweep_parts(code) else {
        return true;
    };
    let mut runner = SweepRunner::start_parts(parts);
    loop {
        let finished = runner.advance(20_000);
        if runner.take_judged().failing_seeds > 0 {
            return true;
        }
        if finished {
            return false;
        }
    }
}

#[test]
fn every_lesson_passes_sim_check() {
    let files = lesson_files();
    assert!(!files.is_empty());
    for path in files {
        let text = fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let rel = format!("lessons/{name}");
        let check = check_lesson(&rel, &name, &text, &Disk);
        assert!(
            check.ok,
            "{rel}: problems {:?}, failures {:?}",
            check.problems, check.failures
        );
    }
}

/// Lesson 3: a handler that swallows every error is caught by the store
/// errors variant; text comparison by versions past v1.9.
#[test]
fn throttling_lesson_accepts_every_fix_and_rejects_every_bug() {
    judge_corpus("throttling-and-retries");
}

/// Lesson 4: hiding the poison message, reporting the whole batch, or
/// swallowing a failed store write.
#[test]
fn fire_and_forget_lesson_accepts_every_fix_and_rejects_every_bug() {
    judge_corpus("fire-and-forget");
}

/// Lesson 10: too many store calls per record, versions compared as text
/// or numbers past v1.9, records skipped when time runs short.
#[test]
fn limits_lesson_accepts_every_fix_and_rejects_every_bug() {
    judge_corpus("limits");
}

#[test]
fn out_of_order_lesson_accepts_every_fix_and_rejects_every_bug() {
    judge_corpus("out-of-order-bug");
}

/// Lesson 9's exercise: on a FIFO queue a partial batch response retries
/// the reported record and every one after it, so reporting only the failed
/// record (right on a standard queue) or throwing the whole batch writes
/// older versions over newer ones.
#[test]
fn fifo_lesson_accepts_every_fix_and_rejects_every_bug() {
    judge_corpus("fifo");
}

#[test]
fn version_store_lesson_accepts_every_fix_and_rejects_every_bug() {
    judge_corpus("version-store");
}

#[test]
fn at_least_once_lesson_accepts_every_fix_and_rejects_every_bug() {
    judge_corpus("at-least-once");
}

#[test]
fn stateless_lesson_accepts_every_fix_and_rejects_every_bug() {
    judge_corpus("stateless");
}

#[test]
fn workflows_lesson_accepts_every_fix_and_rejects_every_bug() {
    judge_corpus("workflows");
}
