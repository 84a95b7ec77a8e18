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
//!
//! [[variants]]             # the same system under other faults, data, load
//! name = "store errors"
//! catches = "a handler that swallows every store error"
//! faults = [{ kind = "store_errors", rate_ppm = 100000, until_ms = 20000 }]
//! ```
//!
//! The checks are the scenario's `[[checks]]`: they judge the outcome
//! (final state, stale writes, lost messages, metrics) over the seeds, never
//! the text of the code, so every correct approach passes.

use serde::{Deserialize, Serialize};

use super::variant::{Variant, MAX_VARIANTS};

/// Most seeds an exercise may be judged over (a sweep in the browser).
pub const MAX_EXERCISE_SEEDS: u64 = 1_000;
/// Most hints.
pub const MAX_HINTS: usize = 5;
/// Longest goal, in characters: one sentence.
pub const MAX_GOAL_CHARS: usize = 300;

/// An exercise block.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    /// Other fault, data and load profiles every check must also hold in
    /// (see [`Variant`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<Variant>,
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
        self.validate_variants()
    }

    fn validate_variants(&self) -> Result<(), String> {
        if self.variants.len() > MAX_VARIANTS {
            return Err(format!(
                "{} variants; at most {MAX_VARIANTS} (each multiplies the sweep)",
                self.variants.len()
            ));
        }
        let mut names = std::collections::BTreeSet::new();
        for variant in &self.variants {
            variant.validate(MAX_EXERCISE_SEEDS)?;
            if !names.insert(variant.name.trim()) {
                return Err(format!("two variants are called `{}`", variant.name));
            }
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

    #[test]
    fn variants_parse_and_their_mistakes_are_named() {
        let with = format!(
            "{GOOD}[[variants]]\nname = \"store errors\"\ncatches = \"swallowing errors\"\nseeds = 20\nfaults = [{{ kind = \"store_errors\", until_ms = 100 }}]\nclients = [{{ name = \"editor\", editors = 3 }}]\n"
        );
        let e = Exercise::parse(&with).unwrap();
        assert_eq!(e.variants.len(), 1);
        assert_eq!(e.variants[0].seeds, Some(20));
        assert_eq!(e.variants[0].clients[0]["editors"].as_integer(), Some(3));
        let nameless = with.replace("{ name = \"editor\", editors", "{ editors");
        let message = Exercise::parse(&nameless).unwrap_err().1;
        assert!(message.contains("needs the `name`"), "{message}");
        let twice = format!("{with}[[variants]]\nname = \"store errors\"\ncatches = \"x\"\n");
        assert!(Exercise::parse(&twice)
            .unwrap_err()
            .1
            .contains("two variants"));
        let code = with.replace("clients = [{ name", "functions = [{ code = \"x\", name");
        assert!(Exercise::parse(&code)
            .unwrap_err()
            .1
            .contains("cannot change a function's code"));
        let silent = with.replace("catches = \"swallowing errors\"", "catches = \" \"");
        assert!(Exercise::parse(&silent)
            .unwrap_err()
            .1
            .contains("`catches` is empty"));
    }
}
