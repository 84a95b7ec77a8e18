//! The engine, scenarios and lessons must stay pure: no web crates, no wall
//! clock, no OS randomness, no hash-ordered collections whose order could
//! leak into a trace. Everything they compute is a function of the scenario
//! and the seed; this test reads their source and fails on a violation.

use std::fs;
use std::path::{Path, PathBuf};

/// Folders under `src/` that must stay pure.
const PURE_DIRS: &[&str] = &["sim", "scenario", "lessons", "invariants"];

/// Words that betray a dependency on the browser, the clock, or randomness.
const FORBIDDEN: &[(&str, &str)] = &[
    ("leptos", "a web UI crate"),
    ("web_sys", "a web crate"),
    ("wasm_bindgen", "a web crate"),
    ("js_sys", "a web crate"),
    ("gloo", "a web crate"),
    ("std::time", "the wall clock"),
    ("Instant", "the wall clock"),
    ("SystemTime", "the wall clock"),
    ("getrandom", "OS randomness"),
    ("thread_rng", "OS randomness"),
    ("OsRng", "OS randomness"),
    ("from_entropy", "OS randomness"),
    ("from_os_rng", "OS randomness"),
    ("RandomState", "a randomly seeded hasher"),
    ("HashMap", "hash order (use BTreeMap)"),
    ("HashSet", "hash order (use BTreeSet)"),
];

/// Returns one line per violation: `file:line: word (why)`.
fn violations(file: &str, source: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (number, line) in source.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        for (word, why) in FORBIDDEN {
            if contains_word(code, word) {
                found.push(format!("{file}:{}: {word} ({why})", number + 1));
            }
        }
    }
    found
}

/// Whole-identifier match, so `instant_ms` or `leptos_free` do not count but
/// `std::time::Instant` and `use leptos::prelude` do.
fn contains_word(code: &str, word: &str) -> bool {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    code.match_indices(word).any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let after = code[at + word.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn pure_modules_import_no_web_crate_clock_or_randomness() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for dir in PURE_DIRS {
        rust_files(&src.join(dir), &mut files);
    }
    assert!(
        files.iter().any(|f| f.ends_with("lessons/mod.rs")),
        "the purity scan found no lesson sources: is the path right?"
    );
    let mut all = Vec::new();
    for file in &files {
        let source = fs::read_to_string(file).expect("readable source");
        all.extend(violations(&file.display().to_string(), &source));
    }
    assert!(
        all.is_empty(),
        "impure code in pure modules:\n{}",
        all.join("\n")
    );
}

#[test]
fn the_scanner_catches_each_kind_of_violation() {
    let bad =
        "use leptos::prelude::*;\nlet t = std::time::Instant::now();\nlet m: HashMap<u8, u8>;\n";
    let found = violations("x.rs", bad);
    assert!(
        found.iter().any(|v| v.contains("x.rs:1: leptos")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|v| v.contains("x.rs:2: Instant")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|v| v.contains("x.rs:3: HashMap")),
        "{found:?}"
    );
}

#[test]
fn the_scanner_ignores_comments_and_longer_names() {
    let fine = "// leptos is not used here\nlet instant_ms = 3; let hash_map_free = 1;\n";
    assert!(violations("x.rs", fine).is_empty());
}
