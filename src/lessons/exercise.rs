//! The ```` ```exercise ```` block: what the learner is asked to do with the
//! scenario block above it, in TOML.
//!
//! ```toml
//! goal = "The store must end at v1.2 in every seed."
//! function = "save"        # the function the learner edits
//! seeds = 200              # judged over this many seeds (default: the scenario's)
//! starts_failing = true    # the starting code shows the bug in some seed
//! starting_code = '''...'''  # default: the function's code in the scenario
//! hints = ["first hint", "second hint"]
//! solution = '''...'''     # the reference solution, revealed on request
//! ```
//!
//! The checks are the scenario's `[[checks]]`: they judge the outcome
//! (final state, stale writes, lost messages, metrics) over the seeds, never
//! the text of the code, so every correct approach passes.

use serde::{Deserialize, Serialize};

/// Most seeds an exercise may be judged over (a sweep in the browser).
pub const MAX_EXERCISE_SEEDS: u64 = 1_000;
/// Most hints.
pub const MAX_HINTS: usize = 5;
/// Longest goal, in characters: one sentence.
pub const MAX_GOAL_CHARS: usize = 300;

/// An exercise block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// The goal in one sentence.
    pub goal: String,
    /// The function whose code the learner edits.
    pub function: String,
    /// Seeds the checks must hold in (default: the scenario's `seeds`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seeds: Option<u64>,
    /// The starting code fails the checks in some seed: the learner starts
    /// from the bug (`sim check` verifies it).
    #[serde(default)]
    pub starts_failing: bool,
    /// The code the learner starts from (default: the scenario's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starting_code: Option<String>,
    /// Hints, revealed one at a time.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<String>,
    /// The reference solution.
    pub solution: String,
}

impl Exercise {
    /// Parses a block's TOML; an error names the line within the block.
    pub fn parse(text: &str) -> Result<Exercise, (Option<usize>, String)> {
        let exercise: Exercise = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
            (line, e.message().to_string())
        })?;
        exercise.validate().map_err(|message| (None, message))?;
        Ok(exercise)
    }

    fn validate(&self) -> Result<(), String> {
        let goal = self.goal.trim();
        if goal.is_empty() || goal.chars().count() > MAX_GOAL_CHARS {
            return Err(format!(
                "`goal` must be one sentence of 1 to {MAX_GOAL_CHARS} characters"
            ));
        }
        if self.hints.len() > MAX_HINTS {
            return Err(format!(
                "{} hints; at most {MAX_HINTS} (they are revealed one at a time)",
                self.hints.len()
            ));
        }
        if self.hints.iter().any(|h| h.trim().is_empty()) {
            return Err("a hint is empty".to_string());
        }
        if let Some(seeds) = self.seeds {
            if !(1..=MAX_EXERCISE_SEEDS).contains(&seeds) {
                return Err(format!("`seeds` is {seeds}; use 1 to {MAX_EXERCISE_SEEDS}"));
            }
        }
        if self.solution.trim().is_empty() {
            return Err("`solution` is empty: give the reference solution".to_string());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
goal = "End at v1.2."
function = "save"
hints = ["one", "two"]
solution = "fn handler(event, context) {}"
"#;

    #[test]
    fn a_minimal_exercise_parses_with_defaults() {
        let e = Exercise::parse(GOOD).unwrap();
        assert_eq!(e.function, "save");
        assert!(!e.starts_failing);
        assert_eq!(e.seeds, None);
        assert_eq!(e.hints.len(), 2);
    }

    #[test]
    fn unknown_fields_name_their_line() {
        let (line, message) = Exercise::parse(&format!("{GOOD}\nhint = \"x\"\n")).unwrap_err();
        assert_eq!(line, Some(7));
        assert!(message.contains("hint"), "{message}");
    }

    #[test]
    fn out_of_range_values_say_what_is_allowed() {
        let (_, message) = Exercise::parse(&format!("{GOOD}seeds = 0\n")).unwrap_err();
        assert!(message.contains("1 to 1000"), "{message}");
        let many = format!(
            "goal = \"g\"\nfunction = \"f\"\nsolution = \"s\"\nhints = [{}]\n",
            ["\"h\""; 6].join(",")
        );
        assert!(Exercise::parse(&many).unwrap_err().1.contains("at most 5"));
    }
}
