//! Every number a lesson quotes in a `figures` block matches the run it
//! names (see src/scenario/figures.rs and docs/authoring.md, "Numbers a
//! lesson quotes"), and a figure that no longer matches is reported with
//! the lesson's line and what the run gives.

use event_playground::scenario::figures::check_figures;

mod disk;
use disk::Disk;

#[test]
fn every_quoted_figure_matches_its_run() {
    let mut problems = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir("lessons")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    paths.sort();
    for path in paths {
        let file = path.to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        problems.extend(check_figures(&file, &text, &Disk));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

const LESSON: &str = r#"+++
id = "t"
title = "T"
order = 1
+++

# T

Saves 1 ms apart: the queue delivers QUOTE.

```scenario
[scenario]
name = "t"
seed = 1
seeds = 5

[[queues]]
name = "q"

[[consumers]]
name = "w"
queue = "q"

[[clients]]
name = "burst"
kind = "burst"
target = { queue = "q" }
count = 7

[[checks]]
kind = "metric"
metric = "messages_processed"
at_least = 8
```

```figures
[[figure]]
quote = "QUOTE"
seed = 1
metric = "messages_processed"

[[figure]]
quote = "FAILING"
seeds = 5
failing = "messages_processed >= 8"
```
"#;

fn problems(quote: &str, failing: &str) -> Vec<String> {
    let text = LESSON
        .replace(
            "delivers QUOTE.",
            &format!("delivers {quote}, failing {failing}."),
        )
        .replace("quote = \"QUOTE\"", &format!("quote = \"{quote}\""))
        .replace("quote = \"FAILING\"", &format!("quote = \"{failing}\""));
    check_figures("t.md", &text, &Disk)
}

#[test]
fn a_matching_figure_passes() {
    assert_eq!(
        problems("7 messages", "in 5 of 5 seeds"),
        Vec::<String>::new()
    );
}

#[test]
fn a_drifted_figure_names_the_line_and_what_the_run_gives() {
    let found = problems("8 messages", "in 4 of 5 seeds");
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].starts_with("t.md:"), "{}", found[0]);
    assert!(
        found[0].ends_with("figure \"8 messages\": seed 1's messages_processed gives 7"),
        "{}",
        found[0]
    );
    assert!(
        found[1].ends_with(
            "figure \"in 4 of 5 seeds\": seeds 1-5 (`messages_processed >= 8` failed) gives 5"
        ),
        "{}",
        found[1]
    );
}

#[test]
fn a_quote_missing_from_the_text_is_reported() {
    let text = LESSON.replace("delivers QUOTE.", "delivers something.");
    let found = check_figures("t.md", &text, &Disk);
    assert!(
        found
            .iter()
            .any(|p| p.contains("\"QUOTE\": these words are not in the lesson's text")),
        "{found:?}"
    );
}
