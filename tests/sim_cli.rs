//! The `sim` binary end to end: its interface, exit statuses (0 passed,
//! 1 a check failed, 2 bad input) and the JSON it prints.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn sim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sim"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the sim binary runs")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A scratch folder for files a test writes.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn run_prints_seed_checks_and_metrics_and_exits_0_when_all_pass() {
    let out = sim(&["run", "scenarios/editor-fanout.toml", "--seed", "4"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["seed"], 4);
    let checks = v["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 3);
    for c in checks {
        assert!(c["name"].is_string() && c["detail"].is_string());
        assert_eq!(c["ok"], true);
    }
    assert_eq!(v["metrics"]["messages_sent"], 9);
    assert!(v["metrics"]["queue_depth"]["indexer"].is_array());
    assert!(v.get("trace").is_none());
}

#[test]
fn run_uses_the_scenario_seed_by_default_and_prints_the_trace_on_request() {
    let out = sim(&["run", "scenarios/dead-letter.toml", "--trace"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["seed"], 7);
    let trace = v["trace"].as_array().unwrap();
    assert!(trace.iter().any(|e| e["kind"] == "moved_to_dlq"));
}

#[test]
fn run_exits_1_when_a_check_fails() {
    let seed = (0..50)
        .find(|s| {
            sim(&[
                "run",
                "scenarios/out-of-order.toml",
                "--seed",
                &s.to_string(),
            ])
            .status
            .code()
                == Some(1)
        })
        .expect("the naive handler fails in some seed");
    let out = sim(&[
        "run",
        "scenarios/out-of-order.toml",
        "--seed",
        &seed.to_string(),
    ]);
    let v = json(&out);
    assert_eq!(v["seed"], seed);
    assert!(v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["ok"] == false));
}

#[test]
fn code_replaces_a_function_and_sweep_reports_counts() {
    let out = sim(&[
        "sweep",
        "scenarios/out-of-order.toml",
        "--seeds",
        "30",
        "--from",
        "100",
        "--code",
        "save=scenarios/handlers/conditional-write.rhai",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["seeds"], 30);
    for c in v["checks"].as_array().unwrap() {
        assert_eq!(c["passed"], 30);
        assert_eq!(c["failed"], 0);
        assert_eq!(c["first_failing_seed"], Value::Null);
        assert_eq!(c["summary"], "passed in 30/30 seeds");
    }
}

#[test]
fn sweep_exits_1_and_names_the_first_failing_seed() {
    let out = sim(&["sweep", "scenarios/out-of-order.toml", "--seeds", "40"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json(&out);
    let stale = &v["checks"][0];
    let failed = stale["failed"].as_u64().unwrap();
    assert!(failed > 0);
    assert_eq!(stale["passed"].as_u64().unwrap() + failed, 40);
    assert!(stale["first_failing_seed"].is_u64());
}

#[test]
fn a_lesson_file_is_accepted_wherever_a_scenario_is() {
    let dir = scratch("lesson-as-scenario");
    let scenario = std::fs::read_to_string(root().join("scenarios/editor-fanout.toml")).unwrap();
    let lesson = format!(
        "+++\nid = \"x\"\ntitle = \"X\"\norder = 1\n+++\n# X\n\n```scenario\n{scenario}```\n"
    );
    let file = dir.join("x.md");
    std::fs::write(&file, lesson).unwrap();
    let out = sim(&["run", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out)["seed"], 1);
}

#[test]
fn bad_input_exits_2_with_a_readable_message_on_stderr() {
    let cases: &[(&[&str], &str)] = &[
        (&[], "usage"),
        (&["fly"], "unknown command `fly`"),
        (&["run"], "missing the scenario file"),
        (&["run", "no/such/file.toml"], "no/such/file.toml"),
        (
            &["run", "scenarios/dead-letter.toml", "--seed", "x"],
            "--seed needs a whole number",
        ),
        (
            &["run", "scenarios/dead-letter.toml", "--seeds", "3"],
            "unknown option `--seeds`",
        ),
        (&["sweep", "scenarios/dead-letter.toml"], "needs --seeds N"),
        (
            &["sweep", "scenarios/dead-letter.toml", "--seeds", "0"],
            "--seeds must be 1 to",
        ),
        (
            &[
                "run",
                "scenarios/out-of-order.toml",
                "--code",
                "sav=scenarios/handlers/naive.rhai",
            ],
            "no function is called `sav`",
        ),
        (
            &["run", "scenarios/out-of-order.toml", "--code", "save"],
            "NAME=FILE",
        ),
        (
            &["run", "tests/scenarios/broken/consumer-unknown-queue.toml"],
            "did you mean `orders`?",
        ),
        (&["check"], "one folder"),
    ];
    for (args, expected) in cases {
        let out = sim(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(
            stderr(&out).contains(expected),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    let out = sim(&["run", "tests/scenarios/broken/consumer-unknown-queue.toml"]);
    assert!(
        stderr(&out).contains("consumer-unknown-queue.toml:14:9: `consumers[0].queue`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn check_validates_every_lesson_of_a_folder() {
    let out = sim(&["check", "lessons"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["ok"], true);
    assert!(!v["lessons"].as_array().unwrap().is_empty());

    let dir = scratch("bad-lessons");
    std::fs::write(
        dir.join("01-bad.md"),
        "+++\nid = \"bad\"\ntitle = \"Bad\"\norder = 1\n+++\n# Bad\n\n```scenario\n[scenario]\nname = \"b\"\nseeds = 0\n```\n",
    )
    .unwrap();
    let out = sim(&["check", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json(&out)["ok"], false);
    assert!(
        stderr(&out).contains("01-bad.md:11:9: `scenario.seeds`"),
        "{}",
        stderr(&out)
    );
}

/// A lesson around the out-of-order scenario whose exercise edits `save`.
fn exercise_lesson(starts_failing: bool, solution: &str, extra: &str) -> String {
    let scenario = std::fs::read_to_string(root().join("scenarios/out-of-order.toml"))
        .unwrap()
        .replace(
            "code_file = \"handlers/naive.rhai\"",
            &format!(
                "code = '''\n{}'''",
                std::fs::read_to_string(root().join("scenarios/handlers/naive.rhai")).unwrap()
            ),
        )
        .replace("seeds = 200", "seeds = 40");
    format!(
        "+++\nid = \"ex\"\ntitle = \"Ex\"\norder = 1\n+++\n# Ex\n\n```scenario\n{scenario}```\n\n```exercise\ngoal = \"End at v1.2.\"\nfunction = \"save\"\nstarts_failing = {starts_failing}\nhints = [\"h\"]\nsolution = '''\n{solution}'''\n{extra}```\n"
    )
}

#[test]
fn check_runs_each_exercise_solution_and_its_buggy_start() {
    let fix =
        std::fs::read_to_string(root().join("scenarios/handlers/version-store.rhai")).unwrap();
    let naive = std::fs::read_to_string(root().join("scenarios/handlers/naive.rhai")).unwrap();

    // A sound exercise: the fix passes in every seed, the naive start fails.
    let dir = scratch("exercise-ok");
    std::fs::write(dir.join("01-ex.md"), exercise_lesson(true, &fix, "")).unwrap();
    let out = sim(&["check", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out)["lessons"][0]["exercises"], 1);

    // A reference solution that does not fix the bug: exit 1, named seed.
    let dir = scratch("exercise-bad-solution");
    std::fs::write(dir.join("01-ex.md"), exercise_lesson(true, &naive, "")).unwrap();
    let out = sim(&["check", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the reference solution fails `no stale overwrite`: failed in"),
        "{}",
        stderr(&out)
    );

    // A start said to be buggy that passes: exit 1.
    let dir = scratch("exercise-start-passes");
    let text = exercise_lesson(true, &fix, &format!("starting_code = '''\n{fix}'''\n"));
    std::fs::write(dir.join("01-ex.md"), text).unwrap();
    let out = sim(&["check", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the starting code passes every check in 40 seeds"),
        "{}",
        stderr(&out)
    );

    // An exercise naming a function the scenario does not have: exit 2.
    let dir = scratch("exercise-unknown-function");
    let text = exercise_lesson(false, &fix, "").replace(
        "function = \"save\"\nstarts_failing",
        "function = \"sav\"\nstarts_failing",
    );
    std::fs::write(dir.join("01-ex.md"), text).unwrap();
    let out = sim(&["check", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("function `sav` is not in the scenario above (it has: save)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn share_prints_a_link_that_carries_the_whole_scenario() {
    use event_playground::ui::shell::share_link::{decode, SharedTarget};
    let base = "https://example.org/workshop/";
    let out = sim(&[
        "share",
        "scenarios/workflow.toml",
        "--seed",
        "9",
        "--base",
        base,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    let link = v["link"].as_str().unwrap();
    let hash = link
        .strip_prefix(base)
        .expect("the link starts with --base");
    let work = decode(hash).expect("the app can open the link");
    let text = std::fs::read_to_string(root().join("scenarios/workflow.toml")).unwrap();
    assert_eq!(work.target, SharedTarget::Scenario { toml: text });
    assert_eq!(work.seed, 9);
    assert_eq!(v["function"], "start");
    assert!(work.code.contains("workflows.start"), "{}", work.code);

    // --code replaces the first function's code, after a compile check.
    let dir = scratch("share-code");
    let good = dir.join("good.rhai");
    std::fs::write(&good, "fn handler(event, context) { }\n").unwrap();
    let out = sim(&[
        "share",
        "scenarios/workflow.toml",
        "--code",
        good.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let work = decode(json(&out)["link"].as_str().unwrap()).unwrap();
    assert_eq!(work.code, "fn handler(event, context) { }\n");
    let bad = dir.join("bad.rhai");
    std::fs::write(&bad, "fn handler(event, context) { let x = ; }\n").unwrap();
    let out = sim(&[
        "share",
        "scenarios/workflow.toml",
        "--code",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--code"), "{}", stderr(&out));
}

#[test]
fn share_refuses_what_a_link_cannot_carry() {
    // Code read from files: the browser has only the link.
    let out = sim(&["share", "scenarios/out-of-order.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("code_file"), "{}", stderr(&out));
    // Lessons are shared from their playground.
    let out = sim(&["share", "lessons/05-out-of-order-bug.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("scenario .toml"), "{}", stderr(&out));
    let out = sim(&["share", "scenarios/workflow.toml", "--nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown option"), "{}", stderr(&out));
}
