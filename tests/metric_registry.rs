//! The metric registry is the one list of metrics: every metric a lesson,
//! an example scenario, a test scenario or the docs name resolves in it (a
//! client metric to a per-client one), the docs' table names nothing
//! else, and the result panel shows only metrics it knows.

use std::fs;
use std::path::{Path, PathBuf};

use event_playground::scenario::metric_registry::{metric, MetricDef, METRICS};
use event_playground::ui::simulator::run_view::SHOWN_METRICS;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Files directly in `dir` whose name ends with `ext`.
fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(ext))
        .collect();
    out.sort();
    out
}

/// One `metric = "..."` of a file: the name, its line, and whether its
/// table (check or figure) also says `client = ...`.
struct Named {
    name: String,
    line: usize,
    for_client: bool,
}

/// Every metric a file names. A table ends where the next `[...]` header
/// or code fence begins.
fn named_metrics(text: &str) -> Vec<Named> {
    let mut out = Vec::new();
    let mut open: Option<Named> = None;
    let mut client = false;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.starts_with('[') || line.starts_with("```") {
            out.extend(open.take().map(|n| Named {
                for_client: client,
                ..n
            }));
            client = false;
        }
        if let Some(rest) = line.strip_prefix("metric = \"") {
            let name = rest.split('"').next().unwrap_or_default().to_string();
            open = Some(Named {
                name,
                line: i + 1,
                for_client: false,
            });
        }
        client |= line.starts_with("client = ");
    }
    out.extend(open.map(|n| Named {
        for_client: client,
        ..n
    }));
    out
}

fn assert_resolves(path: &Path, named: &Named) {
    let place = format!("{}:{}", path.display(), named.line);
    let Some(def) = metric(&named.name) else {
        panic!("{place}: `{}` is not in the metric registry", named.name);
    };
    if named.for_client {
        assert!(
            def.per_client(),
            "{place}: `{}` is not a per-client metric",
            named.name
        );
    }
}

#[test]
fn every_metric_in_lessons_examples_and_docs_is_in_the_registry() {
    let mut checked = 0;
    for path in [
        files("lessons", ".md"),
        files("docs", ".md"),
        files("scenarios", ".toml"),
        files("tests/scenarios/race", ".toml"),
    ]
    .concat()
    {
        for named in named_metrics(&fs::read_to_string(&path).unwrap()) {
            assert_resolves(&path, &named);
            checked += 1;
        }
    }
    assert!(
        checked >= 20,
        "only {checked} metrics found: is the scan broken?"
    );
}

#[test]
fn broken_test_scenarios_name_registry_metrics_unless_that_is_their_fault() {
    let mut unknown = 0;
    for path in files("tests/scenarios/broken", ".toml") {
        let text = fs::read_to_string(&path).unwrap();
        let on_purpose = text.contains("expect-message: no metric is called");
        for named in named_metrics(&text) {
            if on_purpose {
                assert!(
                    metric(&named.name).is_none(),
                    "{}: `{}`",
                    path.display(),
                    named.name
                );
                unknown += 1;
            } else {
                assert_resolves(&path, &named);
            }
        }
    }
    assert_eq!(unknown, 1, "unknown-metric.toml names one unknown metric");
}

#[test]
fn a_client_check_on_a_run_only_metric_is_caught_by_the_scan() {
    let text = "[[checks]]\nkind = \"metric\"\nmetric = \"invocations\"\nclient = \"a\"\n\n[[checks]]\nmetric = \"retries\"\n";
    let named = named_metrics(text);
    assert_eq!(named.len(), 2);
    assert!(named[0].for_client && !named[1].for_client);
    assert!(!metric(&named[0].name).unwrap().per_client());
}

/// The names in the first column of docs/scenarios.md's metrics table,
/// with a family's `_p95_ms` shorthand written out.
fn documented_metrics() -> Vec<String> {
    let text = fs::read_to_string(root().join("docs/scenarios.md")).unwrap();
    let table = text
        .split("| metric | meaning |")
        .nth(1)
        .expect("docs/scenarios.md has a metrics table");
    let mut out = Vec::new();
    for row in table.lines().skip(2).take_while(|l| l.starts_with('|')) {
        let first = row.split('|').nth(1).unwrap_or_default();
        let names: Vec<&str> = first
            .split(',')
            .map(|n| n.trim().trim_matches('`'))
            .collect();
        let stem = names[0].strip_suffix("_p50_ms");
        for name in names {
            match (name.strip_prefix('_'), stem) {
                (Some(suffix), Some(stem)) => out.push(format!("{stem}_{suffix}")),
                _ => out.push(name.to_string()),
            }
        }
    }
    out
}

#[test]
fn the_docs_table_lists_exactly_the_registry() {
    let documented = documented_metrics();
    for name in &documented {
        assert!(
            metric(name).is_some(),
            "docs/scenarios.md documents `{name}`, which is not a metric"
        );
    }
    for def in METRICS {
        assert!(
            documented.iter().any(|d| d == def.name),
            "`{}` is not in the docs table",
            def.name
        );
    }
    assert_eq!(documented.len(), METRICS.len(), "a metric documented twice");
}

#[test]
fn the_result_panel_shows_registry_metrics_with_their_labels() {
    for name in SHOWN_METRICS {
        let def: &MetricDef = metric(name).unwrap_or_else(|| panic!("{name}"));
        assert!(!def.label.is_empty());
    }
}
