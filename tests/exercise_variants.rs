//! Exercises judged over variants (docs/authoring.md, "Variants"): a
//! handler that swallows every store error passes the plain scenario but
//! fails the store-errors variant; the verdict names the variant and the
//! seed, and that exact run shows the store error. Also the
//! `every_save_applied` check and `sim judge --block`.

use std::path::Path;
use std::process::Command;

use event_playground::scenario::lesson_check::{check_lesson, lesson_exercises};
use event_playground::scenario::run_seed;
use event_playground::scenario::MemoryFiles;
use event_playground::sim::TraceKind;

const LESSON: &str = r#"+++
id = "variants"
title = "Variants"
order = 1
+++

# Variants

```scenario
[scenario]
name = "Saves"
seeds = 10

[[queues]]
name = "saves"

[[functions]]
name = "save"
code = '''
fn handler(event, context) {
    for record in event.Records {
        let save = record.body;
        try { store.put_if_newer(save.doc, save, save.version); } catch (err) { }
    }
}
'''

[[mappings]]
name = "saves-to-save"
queue = "saves"
function = "save"
batch_size = 1

[[clients]]
name = "editor"
kind = "editor"
target = { queue = "saves" }
interval_ms = 100

[[checks]]
kind = "every_save_applied"
```

```exercise
goal = "Every save is stored, even while the store fails."
function = "save"
starts_failing = true
solution = '''
fn handler(event, context) {
    for record in event.Records {
        let save = record.body;
        try {
            store.put_if_newer(save.doc, save, save.version);
        } catch (err) {
            if err.name != "ConditionalCheckFailed" { throw err; }
        }
    }
}
'''

[[variants]]
name = "store errors"
catches = "a handler that swallows every store error"
seeds = 5
faults = [{ kind = "store_errors", until_ms = 1000 }]
```
"#;

#[test]
fn a_swallowing_handler_passes_the_scenario_but_fails_the_named_variant_and_seed() {
    let (setups, _, problems) = lesson_exercises("v.md", LESSON, &MemoryFiles(&[]));
    assert!(problems.is_empty(), "{problems:?}");
    let setup = &setups[0];
    assert_eq!(setup.total_seeds(), 15);
    let swallowing = setup.starting_code();
    let result = setup.judge(&swallowing).unwrap();
    assert_eq!(result.seeds, 15);
    let check = &result.checks[0];
    // The scenario's 10 seeds pass; every seed of the variant fails.
    assert_eq!((check.passed, check.failed), (10, 5));
    assert_eq!(check.first_failing_variant.as_deref(), Some("store errors"));
    assert_eq!(
        result.first_failing_run(),
        Some((Some("store errors".to_string()), 1))
    );
    assert!(
        check
            .summary
            .contains("first at seed 1 of variant `store errors`"),
        "{}",
        check.summary
    );
    let tally = &result.variants[0];
    assert_eq!((tally.seeds, tally.failing_seeds), (5, 5));

    // The run it names shows the failed store call.
    let mut scenario = setup.scenario_of(Some("store errors")).unwrap().clone();
    scenario.replace_code("save", swallowing).unwrap();
    let (report, outcome) = run_seed(&scenario, 1);
    assert!(!report.ok);
    let failed_calls = outcome
        .trace
        .iter()
        .filter(|e| e.kind == TraceKind::StoreCallFailed)
        .count();
    assert!(
        failed_calls > 0,
        "the variant's run shows the failed store call"
    );
    // The plain scenario's run at the same seed has none.
    let mut plain = setup.scenario.clone();
    plain.replace_code("save", setup.starting_code()).unwrap();
    let (_, plain_outcome) = run_seed(&plain, 1);
    assert!(plain_outcome
        .trace
        .iter()
        .all(|e| e.kind != TraceKind::StoreCallFailed));
}

#[test]
fn the_reference_solution_passes_every_variant_and_sim_check_says_so() {
    let check = check_lesson("v.md", "v.md", LESSON, &MemoryFiles(&[]));
    assert!(check.ok, "{:?} {:?}", check.problems, check.failures);
    let broken = LESSON.replace(
        "if err.name != \"ConditionalCheckFailed\" { throw err; }",
        "",
    );
    let check = check_lesson("v.md", "v.md", &broken, &MemoryFiles(&[]));
    assert!(!check.ok);
    assert!(
        check.failures[0].contains("of variant `store errors`"),
        "{:?}",
        check.failures
    );
}

#[test]
fn a_variant_that_names_a_missing_queue_is_a_problem_at_the_exercise() {
    let wrong = LESSON.replace(
        "faults = [{ kind = \"store_errors\", until_ms = 1000 }]",
        "faults = [{ kind = \"duplicate_deliveries\", queue = \"savez\", rate_ppm = 1000 }]",
    );
    let (setups, _, problems) = lesson_exercises("v.md", &wrong, &MemoryFiles(&[]));
    assert!(setups.is_empty());
    assert!(
        problems[0].contains("variant `store errors`") && problems[0].contains("savez"),
        "{problems:?}"
    );
}

#[test]
fn sim_judge_picks_a_block_and_names_the_failing_variant() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(env!("CARGO_BIN_EXE_sim"))
        .args([
            "judge",
            "lessons/09-fifo.md",
            "--block",
            "FIFO batches with a flaky store",
        ])
        .current_dir(root)
        .output()
        .unwrap();
    // The starting code of lesson 9's exercise (under its second block)
    // fails.
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["scenario"], "FIFO batches with a flaky store");
    assert!(v["first_failing_run"]["seed"].is_u64());
    let names: Vec<&str> = v["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"a flakier store"), "{names:?}");
    let first = Command::new(env!("CARGO_BIN_EXE_sim"))
        .args(["judge", "lessons/09-fifo.md", "--block", "1"])
        .current_dir(root)
        .output()
        .unwrap();
    assert_eq!(first.status.code(), Some(2), "block 1 has no exercise");
    assert!(String::from_utf8_lossy(&first.stderr).contains("has no exercise under it"));
}
