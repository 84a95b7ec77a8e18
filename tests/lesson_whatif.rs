//! The ```` ```whatif ```` block (issue 19): a lesson's prepared "what if?"
//! moment is checked against the engine, so a lesson cannot promise a
//! moment the run does not show. See `src/scenario/whatif.rs` and
//! docs/authoring.md, "What if? moments".

use event_playground::lessons::passes::strip_live_blocks;
use event_playground::lessons::Lesson;
use event_playground::scenario::intervened::run_with_interventions;
use event_playground::scenario::source::MemoryFiles;
use event_playground::scenario::sweep::report;
use event_playground::scenario::whatif::{check_whatif, lesson_whatifs, WhatIf};

const LESSON_7: &str = include_str!("../lessons/07-at-least-once.md");

/// Lesson 7 with its moment's block changed by `edit`.
fn lesson_7_with(edit: impl Fn(&str) -> String) -> String {
    let start = LESSON_7.find("```whatif\n").expect("lesson 7 has a moment");
    let end = start + LESSON_7[start..].find("\n```\n").unwrap() + 5;
    format!(
        "{}{}{}",
        &LESSON_7[..start],
        edit(&LESSON_7[start..end]),
        &LESSON_7[end..]
    )
}

fn untrue(text: &str) -> Vec<String> {
    let (setups, problems) = lesson_whatifs("07.md", text, &MemoryFiles(&[]));
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(setups.len(), 1);
    check_whatif(&setups[0])
}

#[test]
fn lesson_7_duplicates_a_save_by_hand_and_the_count_goes_wrong() {
    let (setups, problems) = lesson_whatifs("07.md", LESSON_7, &MemoryFiles(&[]));
    assert!(problems.is_empty(), "{problems:?}");
    let [moment] = setups.as_slice() else {
        panic!("lesson 7 has one moment, found {}", setups.len())
    };
    // It acts on the story block (no duplicate fault), not the exercise's.
    assert!(moment.scenario.config.faults.is_empty());
    assert_eq!(check_whatif(moment), Vec::<String>::new());
    // Independently: the branch applies it, and the count is 4.
    let list = [moment.whatif.intervention.clone()];
    let run = run_with_interventions(&moment.scenario, moment.seed(), &list);
    assert_eq!((run.applied, run.refused.len()), (1, 0));
    let checks = report(&moment.scenario, &run.outcome).checks;
    let count = checks
        .iter()
        .find(|c| c.name == "doc-1 counts 3 edits")
        .unwrap();
    assert!(
        !count.ok && count.detail.contains("it is 4"),
        "{}",
        count.detail
    );
}

#[test]
fn a_moment_after_the_message_left_the_queue_is_reported_refused() {
    // m1 is deleted at 131 ms in seed 1.
    let text = lesson_7_with(|b| b.replace("at_ms = 100", "at_ms = 600"));
    let found = untrue(&text);
    assert!(
        found
            .iter()
            .any(|f| f.contains("refused") && f.contains("m1")),
        "{found:?}"
    );
}

#[test]
fn a_check_the_moment_does_not_break_is_an_untrue_claim() {
    let text = lesson_7_with(|b| {
        b.replace(
            "fails = \"doc-1 counts 3 edits\"",
            "fails = \"doc-2 counts 3 edits\"",
        )
    });
    assert_eq!(
        untrue(&text),
        vec!["`doc-2 counts 3 edits` still passes in seed 1 after the intervention".to_string()]
    );
    let text = lesson_7_with(|b| b.replace("doc-1 counts 3 edits\"\n", "doc-1 counts three\"\n"));
    let found = untrue(&text);
    assert!(found[0].contains("names no check"), "{found:?}");
}

#[test]
fn a_moment_with_no_scenario_above_or_a_typo_is_a_problem_with_its_line() {
    let lone = "+++\nid = \"t\"\ntitle = \"T\"\norder = 1\n+++\n\n```whatif\ntitle = \"x\"\nprompt = \"y\"\n[intervention]\nat_ms = 1\nkind = \"send\"\ntarget = \"q\"\n```\n";
    let (setups, problems) = lesson_whatifs("t.md", lone, &MemoryFiles(&[]));
    assert!(setups.is_empty());
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].starts_with("t.md:8: whatif: no ```scenario block above it"),
        "{problems:?}"
    );

    let typo = lesson_7_with(|b| b.replace("seed = 1\n", "sede = 1\n"));
    let (_, problems) = lesson_whatifs("07.md", &typo, &MemoryFiles(&[]));
    let line = typo.lines().position(|l| l == "sede = 1").unwrap() + 1;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with(&format!("07.md:{line}: whatif: unknown field `sede`")),
        "{problems:?}"
    );
}

#[test]
fn a_title_too_long_or_an_empty_prompt_is_refused() {
    let block = |title: &str, prompt: &str| {
        format!("title = \"{title}\"\nprompt = \"{prompt}\"\n[intervention]\nat_ms = 1\nkind = \"send\"\ntarget = \"q\"\n")
    };
    assert!(WhatIf::parse(&block("ok", "ok")).is_ok());
    assert!(WhatIf::parse(&block(&"x".repeat(81), "ok")).is_err());
    assert!(WhatIf::parse(&block("ok", "  ")).is_err());
}

#[test]
fn the_block_is_not_printed_in_the_lesson_text() {
    let lesson = Lesson::parse("07-at-least-once.md", LESSON_7).unwrap();
    let text = strip_live_blocks(lesson).body_markdown;
    assert!(!text.contains("[intervention]"));
    assert!(text.contains("Deliver one save twice yourself"));
}
