//! The Scenario tab's logic: the learner's edit of a lesson's scenario
//! TOML, read with the same parser and the same diagnostics as `sim` (line,
//! field, "did you mean"), and whether it differs from the lesson's own.
//! Pure, so it is tested natively; `scenario_tab` draws it.

use std::fmt;

use super::playground_model::PlaygroundSetup;
use crate::scenario::limits::MAX_SCENARIO_BYTES;
use crate::scenario::{parse, Diagnostic};

/// The name diagnostics give the text: the tab's lines are its own.
pub const TAB_FILE: &str = "scenario";

/// One problem of the tab's text: its words as `sim` prints them, and the
/// line the editor marks, kept as a number (never read back from words).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioProblem {
    /// One line, as `sim` prints it (`scenario:12:5: ...`).
    pub text: String,
    /// 1-based line in the tab's text, when the problem has a place.
    pub line: Option<u32>,
}

impl ScenarioProblem {
    /// A problem of the whole text, with no line to mark.
    pub fn whole(text: String) -> ScenarioProblem {
        ScenarioProblem { text, line: None }
    }

    fn from_diagnostic(diagnostic: &Diagnostic) -> ScenarioProblem {
        ScenarioProblem {
            text: diagnostic.to_string(),
            line: diagnostic.line.and_then(|l| u32::try_from(l).ok()),
        }
    }
}

impl fmt::Display for ScenarioProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl PlaygroundSetup {
    /// This playground with its scenario replaced by `text` (the exercise,
    /// its goal, hints and seeds kept). Each error is one line, as `sim`
    /// prints it.
    pub fn with_scenario_text(&self, text: &str) -> Result<PlaygroundSetup, Vec<ScenarioProblem>> {
        if text.len() > MAX_SCENARIO_BYTES {
            return Err(vec![ScenarioProblem::whole(format!(
                "{TAB_FILE}: the scenario is {} bytes; the limit is {MAX_SCENARIO_BYTES}",
                text.len()
            ))]);
        }
        let scenario = parse(TAB_FILE, text).map_err(|all| {
            all.iter()
                .map(ScenarioProblem::from_diagnostic)
                .collect::<Vec<_>>()
        })?;
        let mut setup = PlaygroundSetup {
            exercise: self.exercise.clone(),
            whatifs: self.whatifs.clone(),
            scenario,
            source: text.to_string(),
        };
        if self.is_edited(text) {
            setup.judge_the_edit();
        }
        // The editor edits one function: it must still be there.
        if let Some(name) = self.editable_function() {
            if !setup.scenario.functions.iter().any(|f| f.name == name) {
                return Err(vec![ScenarioProblem::whole(format!(
                    "{TAB_FILE}: the code editor writes function `{name}`: keep a [[functions]] section with name = \"{name}\""
                ))]);
            }
        }
        // The scenario's own code is replaced by the editor's at each run;
        // nothing else in the setup depends on the text.
        setup.source = text.to_string();
        Ok(setup)
    }

    /// Makes a check over all seeds (and an opened run) use the edited
    /// scenario: the exercise's variants were written against the lesson's
    /// scenario, so an edit is checked over the exercise's own seeds only
    /// (and earns no credit: see `playground`). The starting code stays the
    /// lesson's.
    fn judge_the_edit(&mut self) {
        let Some(exercise) = self.exercise.as_mut() else {
            return;
        };
        if exercise.exercise.starting_code.is_none() {
            exercise.exercise.starting_code = Some(exercise.starting_code());
        }
        let own_seeds = exercise.seeds();
        exercise.exercise.seeds = Some(own_seeds);
        exercise.scenario = self.scenario.clone();
        exercise.variants.clear();
    }

    /// Whether `text` is other than the lesson's scenario as written
    /// (spaces at the ends of the text do not count).
    pub fn is_edited(&self, text: &str) -> bool {
        text.trim() != self.source.trim()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::builtin_lessons;

    fn lesson_setup(id: &str) -> PlaygroundSetup {
        let lessons = builtin_lessons().unwrap();
        let lesson = lessons.iter().find(|l| l.meta.id == id).unwrap();
        PlaygroundSetup::from_lesson(lesson).unwrap().unwrap()
    }

    #[test]
    fn an_edit_replaces_the_scenario_and_keeps_the_exercise() {
        let setup = lesson_setup("out-of-order-bug");
        let edited = setup.source.replace("seed = 136", "seed = 7");
        assert!(setup.is_edited(&edited));
        let next = setup.with_scenario_text(&edited).unwrap();
        assert_eq!(next.scenario.config.scenario.seed, 7);
        assert_eq!(next.seeds(), setup.seeds());
        assert_eq!(next.editable_function(), setup.editable_function());
        assert!(!setup.is_edited(&format!("\n{}\n", setup.source)));
    }

    #[test]
    fn an_edit_is_checked_over_the_edited_scenario_without_the_variants() {
        let setup = lesson_setup("limits");
        let exercise = setup.exercise.as_ref().unwrap();
        assert!(!exercise.variants.is_empty(), "lesson 10 has variants");
        let own_seeds = exercise.seeds();
        assert!(setup.seeds() > own_seeds);
        let edited = setup
            .source
            .replacen("[scenario]\n", "[scenario]\n# an edit\n", 1)
            .replacen("seed = ", "seed = 9", 1);
        let next = setup.with_scenario_text(&edited).unwrap();
        // The check runs the edit over the exercise's own seeds, and
        // opening a run of "no variant" opens the edit, not the lesson's.
        assert_eq!(next.seeds(), own_seeds);
        let opened = next.for_variant(None);
        assert_eq!(opened.scenario, next.scenario);
        assert_ne!(opened.scenario, setup.scenario);
        assert_eq!(next.starting_code(), setup.starting_code());
        // Unedited, the variants stay.
        let same = setup.with_scenario_text(&setup.source).unwrap();
        assert_eq!(same.seeds(), setup.seeds());
    }

    #[test]
    fn a_typo_is_reported_with_line_field_and_suggestion_as_sim_does() {
        let setup = lesson_setup("out-of-order-bug");
        let broken = setup
            .source
            .replacen("[scenario]\n", "[scenario]\nseeed = 3\n", 1);
        let errors = setup.with_scenario_text(&broken).unwrap_err();
        let line = broken.lines().position(|l| l.starts_with("seeed")).unwrap() + 1;
        assert_eq!(errors[0].line, Some(line as u32));
        let first = &errors[0].text;
        assert!(first.starts_with(&format!("{TAB_FILE}:{line}:")), "{first}");
        assert!(first.contains("seeed"), "{first}");
        assert!(first.contains("did you mean `seed`"), "{first}");
    }

    #[test]
    fn removing_the_edited_function_is_refused_in_words() {
        let setup = lesson_setup("out-of-order-bug");
        let name = setup.editable_function().unwrap();
        let renamed = setup
            .source
            .replace(&format!("name = \"{name}\""), "name = \"other\"");
        let errors = setup.with_scenario_text(&renamed);
        assert!(errors.is_err());
    }
}
