//! The hostile corpus (issue 17): handlers and scenario or lesson files that
//! nobody on the team would write, each of which must end with a named
//! error (a refusal when the file is read, a limit the run names, or an
//! invocation error that names a sandbox limit), under its memory budget,
//! never with a panic or an abort.
//!
//! Every file states what it expects on its first line: `// expect: a|b`
//! (handlers), `# expect: a|b` (scenarios), `<!-- expect: a|b -->`
//! (lessons); one of the words must appear in the errors. Handlers run in
//! `tests/hostile/handler-world.toml`. The budgets are those of
//! docs/scenarios.md, "Budgets": at most 256 MiB per run, measured here by
//! a counting allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use event_playground::scenario::parse::parse_with;
use event_playground::scenario::{load, FileReader};

mod hostile_support;
use hostile_support::{expected_words, run_errors, WithHandler};

/// Counts live heap bytes and their peak, so a case's peak can be read.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// One case at a time: the peak is per case only if nothing else runs.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The memory budget of one run (docs/scenarios.md, "Budgets").
const RUN_BUDGET_BYTES: usize = 256 * 1024 * 1024;
/// Seeds each runnable case runs.
const SEEDS: u64 = 2;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/hostile");

/// Reads files of the corpus folder only.
struct Corpus;

impl FileReader for Corpus {
    fn read(&self, path: &str) -> Result<String, String> {
        let full = Path::new(DIR).join(path);
        if !full.starts_with(DIR) || path.contains("..") {
            return Err(format!("outside the corpus: {path}"));
        }
        std::fs::read_to_string(&full).map_err(|e| format!("{path}: {e}"))
    }
}

/// What a case did: its errors, per-seed wall time, peak heap bytes.
struct Ran {
    errors: String,
    seconds: Vec<f64>,
    peak_bytes: usize,
}

fn run_case(name: &str, text: &str, files: &dyn FileReader) -> Ran {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let parsed = if name.ends_with(".md") {
        load(name, files)
    } else {
        parse_with(name, text, files)
    };
    let mut ran = Ran {
        errors: String::new(),
        seconds: Vec::new(),
        peak_bytes: 0,
    };
    match parsed {
        Err(diagnostics) => {
            for d in diagnostics {
                ran.errors.push_str(d.field.as_deref().unwrap_or_default());
                ran.errors.push(' ');
                ran.errors.push_str(&d.message);
                ran.errors.push('\n');
            }
        }
        Ok(scenario) => {
            for seed in 1..=SEEDS {
                let started = Instant::now();
                let outcome = event_playground::scenario::outcome::run(&scenario, seed);
                ran.seconds.push(started.elapsed().as_secs_f64());
                ran.errors.push_str(&run_errors(&outcome));
            }
        }
    }
    ran.peak_bytes = PEAK.load(Ordering::Relaxed).saturating_sub(base);
    ran
}

/// Runs a case and checks it: a named error, within budget, no panic.
fn check_case(name: &str, text: &str, files: &dyn FileReader) -> Result<String, String> {
    let words = expected_words(text);
    let ran =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_case(name, text, files)))
            .map_err(|_| format!("{name}: PANICKED"))?;
    let report = format!(
        "{name}: {:?} s, peak {} KiB",
        ran.seconds,
        ran.peak_bytes / 1024
    );
    eprintln!("{report}");
    if !words.iter().any(|w| ran.errors.contains(w.as_str())) {
        let shown: String = ran.errors.chars().take(600).collect();
        return Err(format!(
            "{report}: none of {words:?} in the errors: {shown:?}"
        ));
    }
    if ran.peak_bytes > RUN_BUDGET_BYTES {
        return Err(format!("{report}: over the {RUN_BUDGET_BYTES}-byte budget"));
    }
    Ok(report)
}

fn files_in(folder: &str, extensions: &[&str]) -> Vec<(String, String)> {
    let mut files: Vec<_> = std::fs::read_dir(Path::new(DIR).join(folder))
        .expect("the corpus folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| extensions.iter().any(|x| n.ends_with(x)))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|n| {
            let text = std::fs::read_to_string(Path::new(DIR).join(folder).join(&n))
                .expect("a corpus file");
            (format!("{folder}/{n}"), text)
        })
        .collect()
}

fn report(results: Vec<Result<String, String>>, at_least: usize) {
    assert!(results.len() >= at_least, "only {} cases", results.len());
    let failures: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(failures.is_empty(), "{} failed:\n{}", failures.len(), {
        let lines: Vec<_> = failures.iter().map(|f| f.as_str()).collect();
        lines.join("\n")
    });
}

#[test]
fn every_hostile_handler_ends_with_a_named_error_within_budget() {
    let world = std::fs::read_to_string(Path::new(DIR).join("handler-world.toml"))
        .expect("the handler world");
    let results = files_in("handlers", &[".rhai"])
        .into_iter()
        .map(|(name, code)| {
            let words = expected_words(&code).join("|");
            let text = format!("# expect: {words}\n{world}");
            check_case(&name, &text, &WithHandler(code.clone()))
        })
        .collect();
    report(results, 40);
}

#[test]
fn every_hostile_scenario_or_lesson_ends_with_a_named_error_within_budget() {
    let results = files_in("scenarios", &[".toml", ".md"])
        .into_iter()
        .map(|(name, text)| check_case(&name, &text, &Corpus))
        .collect();
    report(results, 30);
}
