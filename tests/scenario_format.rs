//! The scenario format: round trips, the broken corpus (each file states
//! the error it must give), lessons as scenario sources, code files.

use std::fs;
use std::path::Path;

use event_playground::scenario::source::{lesson_scenarios, MemoryFiles};
use event_playground::scenario::{load, parse, Diagnostic};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Reads disk files for `load` (tests only: the library reads no disk).
struct Disk;

impl event_playground::scenario::FileReader for Disk {
    fn read(&self, path: &str) -> Result<String, String> {
        fs::read_to_string(root().join(path)).map_err(|e| e.to_string())
    }
}

fn example_files() -> Vec<String> {
    let mut files: Vec<String> = fs::read_dir(root().join("scenarios"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| format!("scenarios/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    files.sort();
    files
}

#[test]
fn every_example_scenario_loads_and_round_trips_through_toml() {
    let files = example_files();
    assert!(files.len() >= 3, "{files:?}");
    for file in files {
        let scenario = load(&file, &Disk).unwrap_or_else(|d| panic!("{file}: {}", d[0]));
        let text = scenario.to_toml();
        // The round trip keeps `code_file`, so read it relative to the same folder.
        let again = event_playground::scenario::parse::parse_with(&file, &text, &Disk)
            .unwrap_or_else(|d| panic!("{file} round trip: {}\n{text}", d[0]));
        assert_eq!(again.config, scenario.config, "{file}");
        assert_eq!(again.functions, scenario.functions, "{file}");
    }
}

#[test]
fn defaults_fill_in_what_a_minimal_scenario_leaves_out() {
    let s = parse("s.toml", "[scenario]\nname = \"tiny\"\n").unwrap();
    assert_eq!(s.config.scenario.seed, 1);
    assert_eq!(s.config.scenario.seeds, 100);
    assert!(s.config.clients.is_empty() && s.config.checks.is_empty());
    assert_eq!(s.world_config(9).seed, 9);
}

/// The expectations a broken file states in its header.
struct Expect {
    line: usize,
    field: Option<String>,
    message: String,
    suggestion: Option<String>,
}

fn header(text: &str, key: &str) -> String {
    let prefix = format!("# expect-{key}: ");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("missing `{prefix}`"))
        .to_string()
}

fn expectations(text: &str) -> Expect {
    let optional = |v: String| (v != "none").then_some(v);
    Expect {
        line: header(text, "line").parse().unwrap(),
        field: optional(header(text, "field")),
        message: header(text, "message"),
        suggestion: optional(header(text, "suggestion")),
    }
}

#[test]
fn each_broken_file_gives_its_specific_error() {
    let dir = root().join("tests/scenarios/broken");
    let mut count = 0;
    for entry in fs::read_dir(&dir).unwrap().flatten() {
        let path = entry.path();
        let name = format!("broken/{}", path.file_name().unwrap().to_string_lossy());
        let text = fs::read_to_string(&path).unwrap();
        let expect = expectations(&text);
        let diagnostics = parse(&name, &text).expect_err(&name);
        let d: &Diagnostic = &diagnostics[0];
        assert_eq!(d.file, name);
        assert_eq!(d.line, Some(expect.line), "{name}: {d}");
        assert_eq!(d.field, expect.field, "{name}: {d}");
        assert!(d.message.contains(&expect.message), "{name}: {d}");
        match &expect.suggestion {
            Some(s) => assert!(
                d.suggestion.as_deref().unwrap_or("").contains(s.as_str()),
                "{name}: {d}"
            ),
            None => assert_eq!(d.suggestion, None, "{name}: {d}"),
        }
        count += 1;
    }
    assert!(count >= 20, "only {count} broken files");
}

#[test]
fn a_scenario_larger_than_the_limit_is_refused_before_parsing() {
    let big = format!("[scenario]\nname = \"x\"\n#{}\n", "a".repeat(300 * 1024));
    let d = parse("big.toml", &big).unwrap_err();
    assert!(d[0].message.contains("limit"), "{}", d[0]);
}

#[test]
fn code_files_are_read_relative_to_the_scenario() {
    let scenario =
        "[scenario]\nname = \"x\"\n\n[[functions]]\nname = \"f\"\ncode_file = \"h.rhai\"\n";
    let files = [
        ("dir/s.toml", scenario),
        ("dir/h.rhai", "fn handler(event, context) { }"),
    ];
    let s = load("dir/s.toml", &MemoryFiles(&files)).unwrap();
    assert_eq!(s.functions[0].code, "fn handler(event, context) { }");
    let missing = [("dir/s.toml", scenario)];
    let d = load("dir/s.toml", &MemoryFiles(&missing)).unwrap_err();
    assert_eq!(d[0].field.as_deref(), Some("functions[0].code_file"));
    assert_eq!(d[0].line, Some(6));
}

#[test]
fn replacing_code_names_the_functions_that_exist() {
    let files = [
        ("s.toml", "[scenario]\nname = \"x\"\n\n[[functions]]\nname = \"save\"\ncode = \"fn handler(e, c) { }\"\n"),
    ];
    let mut s = load("s.toml", &MemoryFiles(&files)).unwrap();
    s.replace_code("save", "fn handler(e, c) { 1 }".into())
        .unwrap();
    assert_eq!(s.functions[0].code, "fn handler(e, c) { 1 }");
    let err = s.replace_code("sav", String::new()).unwrap_err();
    assert!(err.contains("save"), "{err}");
}

const LESSON: &str = "+++\nid = \"l\"\ntitle = \"L\"\norder = 1\n+++\n# A lesson\n\nText.\n\n```scenario\n[scenario]\nname = \"in a lesson\"\n\n[[consumers]]\nname = \"c\"\nqueue = \"nowhere\"\n```\n";

#[test]
fn errors_in_a_lesson_block_point_at_the_lesson_line() {
    let results = lesson_scenarios("lesson.md", LESSON, &MemoryFiles(&[]));
    assert_eq!(results.len(), 1);
    let d = &results[0].as_ref().unwrap_err()[0];
    assert_eq!(d.file, "lesson.md");
    assert_eq!(d.line, Some(16), "{d}");
    assert_eq!(d.field.as_deref(), Some("consumers[0].queue"));
}

#[test]
fn a_lesson_is_accepted_wherever_a_scenario_is() {
    let good = LESSON.replace("\n[[consumers]]\nname = \"c\"\nqueue = \"nowhere\"\n", "");
    let files = [("lesson.md", good.as_str())];
    let s = load("lesson.md", &MemoryFiles(&files)).unwrap();
    assert_eq!(s.config.scenario.name, "in a lesson");
    let none = [(
        "empty.md",
        "+++\nid = \"e\"\ntitle = \"E\"\norder = 1\n+++\nNo block.\n",
    )];
    let d = load("empty.md", &MemoryFiles(&none)).unwrap_err();
    assert!(d[0].message.contains("scenario block"), "{}", d[0]);
}

/// The ```toml blocks of docs/scenarios.md that start with `[scenario]`.
fn documented_scenarios() -> Vec<String> {
    let text = fs::read_to_string(root().join("docs/scenarios.md")).unwrap();
    text.split("```toml\n")
        .skip(1)
        .filter_map(|rest| rest.split("```").next())
        .filter(|block| block.starts_with("[scenario]"))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_complete_scenario_in_the_docs_is_valid_and_the_big_one_passes() {
    let blocks = documented_scenarios();
    assert!(blocks.len() >= 3, "{}", blocks.len());
    for block in &blocks {
        // As if saved next to the examples, so `code_file` paths resolve.
        let s = event_playground::scenario::parse::parse_with("scenarios/doc.toml", block, &Disk)
            .unwrap_or_else(|d| panic!("{}\n{block}", d[0]));
        if s.config.scenario.name == "Everything at once" {
            let (report, _) = event_playground::scenario::run_seed(&s, s.config.scenario.seed);
            assert!(report.ok, "{:?}", report.checks);
        }
    }
}

#[test]
fn every_metric_a_check_may_name_is_documented() {
    let text = fs::read_to_string(root().join("docs/scenarios.md")).unwrap();
    for name in event_playground::scenario::metric_registry::metric_names() {
        // Percentile families are documented once: `x_p50_ms`, `_p95_ms`...
        let family = ["_p95_ms", "_p99_ms", "_max_ms"]
            .iter()
            .find_map(|suffix| name.strip_suffix(suffix))
            .map(|base| format!("`{base}_p50_ms`"));
        let documented =
            text.contains(&format!("`{name}`")) || family.is_some_and(|f| text.contains(&f));
        assert!(
            documented,
            "docs/scenarios.md does not document metric {name}"
        );
    }
}
