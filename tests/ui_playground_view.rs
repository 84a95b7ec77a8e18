//! What a playground opens with and the sentences it shows, natively: the
//! pure halves of `use_saved_work` and the `Playground` component.

use event_playground::ui::shell::saved_work::SavedCode;
use event_playground::ui::shell::share_link::{SharedTarget, SharedWork};
use event_playground::ui::simulator::playground_text::{hint_button_label, scenario_problem};
use event_playground::ui::simulator::playground_work::OpenedWork;
use event_playground::ui::simulator::scenario_edit::ScenarioProblem;

mod ui_common;
use ui_common::setup;

fn shared(scenario: Option<&str>) -> SharedWork {
    SharedWork {
        target: SharedTarget::Lesson {
            id: "version-store".into(),
            block: None,
        },
        code: "shared code".into(),
        seed: 77,
        scenario: scenario.map(str::to_string),
        interventions: None,
    }
}

#[test]
fn with_nothing_saved_the_lesson_opens_as_written() {
    let s = setup();
    let opened = OpenedWork::open(&s, None, None);
    assert_eq!(opened.code, s.starting_code());
    assert_eq!(opened.seed, s.scenario.config.scenario.seed);
    assert_eq!(opened.scenario_text, s.source);
    assert!(!opened.viewing_shared);
    assert_eq!(opened.notice, None);
}

#[test]
fn saved_work_opens_with_its_code_seed_and_scenario() {
    let s = setup();
    let record = SavedCode::write("my code", Some(9), Some("my scenario")).unwrap();
    let opened = OpenedWork::open(&s, Some(&record), None);
    assert_eq!(
        (
            opened.code.as_str(),
            opened.seed,
            opened.scenario_text.as_str()
        ),
        ("my code", 9, "my scenario")
    );
    // Saved without a seed or scenario: the lesson's.
    let record = SavedCode::write("my code", None, None).unwrap();
    let opened = OpenedWork::open(&s, Some(&record), None);
    assert_eq!(opened.seed, s.scenario.config.scenario.seed);
    assert_eq!(opened.scenario_text, s.source);
}

#[test]
fn a_share_link_wins_over_saved_work_but_its_notice_still_shows() {
    let s = setup();
    let opened = OpenedWork::open(&s, Some("not json"), Some(shared(None)));
    assert_eq!((opened.code.as_str(), opened.seed), ("shared code", 77));
    assert_eq!(opened.scenario_text, s.source);
    assert!(opened.viewing_shared);
    assert!(opened.notice.is_some(), "the unreadable record is reported");
    let opened = OpenedWork::open(&s, None, Some(shared(Some("their scenario"))));
    assert_eq!(opened.scenario_text, "their scenario");
}

#[test]
fn run_refuses_with_the_count_and_the_first_problem() {
    assert_eq!(scenario_problem(&[]), None);
    let problems = [
        ScenarioProblem::whole("line 3: no".to_string()),
        ScenarioProblem::whole("line 9: neither".to_string()),
    ];
    assert_eq!(
        scenario_problem(&problems).as_deref(),
        Some("The scenario has 2 problem(s); fix them in the Scenario tab first. line 3: no")
    );
}

#[test]
fn the_hint_button_counts_up_then_says_there_are_no_more() {
    assert_eq!(hint_button_label(0, 2), "Show hint 1 of 2");
    assert_eq!(hint_button_label(1, 2), "Show hint 2 of 2");
    assert_eq!(hint_button_label(2, 2), "No more hints");
}

#[test]
fn the_branch_shown_opens_from_a_link_or_saved_work_and_the_link_wins() {
    let s = setup();
    let saved_acts =
        r#"[{"at_ms":1,"kind":"store_down","target":"store","parameters":{"duration_ms":5}}]"#;
    let record = SavedCode::write_branch("my code", Some(9), None, Some(saved_acts)).unwrap();
    let opened = OpenedWork::open(&s, Some(&record), None);
    assert_eq!(opened.interventions.as_deref(), Some(saved_acts));
    let link = SharedWork {
        interventions: Some("[]".into()),
        ..shared(None)
    };
    let opened = OpenedWork::open(&s, Some(&record), Some(link));
    assert_eq!(opened.interventions.as_deref(), Some("[]"));
    let opened = OpenedWork::open(&s, Some(&record), Some(shared(None)));
    assert_eq!(opened.interventions, None, "a link without acts shows none");
}
