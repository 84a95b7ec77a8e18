//! `sim run ... --intervene FILE` (issue 19, docs/interventions.md): the
//! run applies the file's interventions, says how many it applied and which
//! it refused, and a malformed file is bad input (exit 2) with an error
//! that names the problem.

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

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Writes `text` to a scratch file and returns its path.
fn file(name: &str, text: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sim_cli_interventions");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn run_with(name: &str, text: &str) -> Output {
    let path = file(name, text);
    sim(&[
        "run",
        "scenarios/editor-fanout.toml",
        "--intervene",
        path.to_str().unwrap(),
    ])
}

const ONE_MORE_AND_A_MISS: &str = r#"[
  { "at_ms": 50, "kind": "publish", "target": "doc-saved",
    "parameters": { "body": "by hand" } },
  { "at_ms": 10, "kind": "drop_message", "target": "indexer",
    "parameters": { "message_id": 999 } }
]"#;

#[test]
fn a_publish_by_hand_changes_the_checks_and_a_refusal_is_reported() {
    let out = run_with("publish.json", ONE_MORE_AND_A_MISS);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["interventions"], 1);
    let refused = v["refused"].as_array().unwrap();
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0]["index"], 1);
    assert_eq!(refused[0]["kind"], "message_gone");
    assert!(refused[0]["message"]
        .as_str()
        .unwrap()
        .contains("message m999"));
    assert_eq!(
        v["metrics"]["messages_sent"], 10,
        "nine saves and one by hand"
    );
    assert_eq!(
        v["metrics"]["messages_processed"], 20,
        "each in both queues"
    );
    let published = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"].as_str().unwrap().contains("published"))
        .expect("the trace_count check");
    assert_eq!(published["ok"], false, "ten publishes, nine allowed");
}

#[test]
fn the_same_file_gives_the_same_output() {
    let a = run_with("same-a.json", ONE_MORE_AND_A_MISS);
    let b = run_with("same-b.json", ONE_MORE_AND_A_MISS);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn an_empty_list_runs_as_without_the_flag() {
    let plain = sim(&["run", "scenarios/editor-fanout.toml"]);
    let out = run_with("empty.json", "[]");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let p: Value = serde_json::from_slice(&plain.stdout).unwrap();
    assert_eq!(v["interventions"], 0);
    v.as_object_mut().unwrap().remove("interventions");
    v.as_object_mut().unwrap().remove("refused");
    assert_eq!(v, p);
}

fn expect_bad_input(name: &str, text: &str, says: &str) {
    let out = run_with(name, text);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("--intervene"), "{err}");
    assert!(err.contains(says), "expected `{says}` in: {err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_malformed_file_is_bad_input_naming_the_problem() {
    expect_bad_input("not-json.json", "{ at_ms: 1 }", "not a JSON list");
    expect_bad_input(
        "unknown-kind.json",
        r#"[{ "at_ms": 1, "kind": "explode", "target": "q" }]"#,
        "unknown variant `explode`",
    );
    expect_bad_input(
        "typo.json",
        r#"[{ "at_ms": 1, "kind": "send", "target": "q", "parameters": { "bdy": "x" } }]"#,
        "unknown field `bdy`",
    );
    expect_bad_input(
        "no-time.json",
        r#"[{ "kind": "send", "target": "q" }]"#,
        "missing field `at_ms`",
    );
}

#[test]
fn a_missing_file_is_bad_input() {
    let out = sim(&[
        "run",
        "scenarios/editor-fanout.toml",
        "--intervene",
        "no/such/file.json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--intervene: cannot read"));
}

#[test]
fn share_carries_a_prepared_branch_the_app_reads_back() {
    use event_playground::sim::parse_interventions;
    use event_playground::ui::shell::share_link::decode;
    let path = file("share.json", ONE_MORE_AND_A_MISS);
    let out = sim(&[
        "share",
        "scenarios/editor-fanout.toml",
        "--intervene",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let work = decode(v["link"].as_str().unwrap()).expect("the app opens it");
    let carried = parse_interventions(work.interventions.as_deref().expect("carried")).unwrap();
    assert_eq!(carried, parse_interventions(ONE_MORE_AND_A_MISS).unwrap());
    // A malformed list is refused before any link is printed.
    let bad = file("share-bad.json", r#"[{"at_ms": "soon"}]"#);
    let out = sim(&[
        "share",
        "scenarios/editor-fanout.toml",
        "--intervene",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--intervene"), "{}", stderr(&out));
}
