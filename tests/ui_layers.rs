//! The cut between the app shell and the simulator, checked on the source.
//!
//! The release build cuts the wasm in two (`scripts/split-wasm.mjs`): the
//! shell is the first file, the simulator the second, fetched when a page
//! first needs a playground. Anything a shell file names directly is pulled
//! into the first file, so `src/ui/shell/` may reach the simulator only
//! through the door's table of function pointers
//! (`src/ui/simulator/door.rs`) and must not name the engine or the
//! scenarios at all (docs/architecture.md, "The UI's two layers").

use std::fs;
use std::path::{Path, PathBuf};

use event_playground::scenario::limits::MAX_SCENARIO_BYTES;
use event_playground::ui::shell::saved_work::MAX_SAVED_SCENARIO_BYTES;

/// Every `.rs` file under `dir`, depth first.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            found.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
    found.sort();
    found
}

/// Whether `word` occurs in `line` as a whole path segment (not as the
/// start of a longer name: `crate::sim` must not match `crate::simple`).
fn names(line: &str, word: &str) -> bool {
    line.match_indices(word).any(|(at, _)| {
        let after = line[at + word.len()..].chars().next();
        !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// The rule each line of a shell file breaks, if any.
fn forbidden(line: &str) -> Option<&'static str> {
    let code = line.split("//").next().unwrap_or("");
    if names(code, "crate::sim") {
        return Some("names the engine (crate::sim)");
    }
    if names(code, "crate::scenario") {
        return Some("names the scenarios (crate::scenario)");
    }
    // A grouped import (`use crate::{sim, ...}`) names them too.
    if let Some(group) = code.split("crate::{").nth(1) {
        let listed = group.split(['}', ',', ' ']).map(str::trim);
        if listed.clone().any(|n| n == "sim" || n == "scenario") {
            return Some("names the engine or the scenarios in a grouped import");
        }
    }
    let reaches_in = code.match_indices("simulator::").any(|(at, _)| {
        let before = &code[..at];
        let is_module = before.ends_with("ui::") || before.ends_with("super::");
        is_module && !code[at..].starts_with("simulator::door")
    });
    reaches_in.then_some("reaches into ui::simulator past its door")
}

/// `file:line: rule` for every line of `source` that breaks the rule.
fn breaches(file: &str, source: &str) -> Vec<String> {
    source
        .lines()
        .enumerate()
        .filter_map(|(i, line)| forbidden(line).map(|why| format!("{file}:{}: {why}", i + 1)))
        .collect()
}

#[test]
fn no_shell_file_names_the_engine_the_scenarios_or_simulator_modules() {
    let shell = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui/shell");
    let files = rust_files(&shell);
    assert!(files.len() > 10, "the shell's files: {files:?}");
    let found: Vec<String> = files
        .iter()
        .flat_map(|path| {
            let source = fs::read_to_string(path).expect("readable");
            breaches(&path.display().to_string(), &source)
        })
        .collect();
    assert!(
        found.is_empty(),
        "shell files past the cut:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_catches_each_way_of_crossing_the_cut() {
    let crossing = [
        "use crate::sim::World;",
        "use crate::scenario::limits::MAX_SCENARIO_BYTES;",
        "    let x = crate::sim::Trace::default();",
        "use crate::{lessons, scenario};",
        "use crate::ui::simulator::playground::Playground;",
        "use super::super::simulator::playground_model::RunView;",
    ];
    for line in crossing {
        assert!(forbidden(line).is_some(), "not caught: {line}");
    }
    let found = breaches("x.rs", "use crate::lessons::Lesson;\nuse crate::sim;\n");
    assert_eq!(
        found,
        vec!["x.rs:2: names the engine (crate::sim)".to_string()]
    );
}

#[test]
fn the_check_lets_the_door_and_look_alike_names_through() {
    let allowed = [
        "use crate::ui::simulator::door::{self, Simulator};",
        "use crate::lessons::Lesson;",
        "    // the simulator's file: crate::sim is behind the door",
        "let simulator = door::loaded();",
        "use crate::simple_thing;",
    ];
    for line in allowed {
        assert_eq!(forbidden(line), None, "{line}");
    }
}

#[test]
fn saved_work_keeps_a_scenario_as_long_as_the_parser_reads() {
    // The shell cannot name the parser's limit, so it keeps its own copy.
    assert_eq!(MAX_SAVED_SCENARIO_BYTES, MAX_SCENARIO_BYTES);
}
