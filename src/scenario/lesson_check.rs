//! What `sim check` verifies about one lesson file, as a library function so
//! the UI and tests can run the same check:
//!
//! - the lesson parses (front matter, id) and every ```` ```scenario ````
//!   block is a valid scenario (problems: bad input);
//! - every ```` ```exercise ```` block parses, names a function of the
//!   scenario block above it, and that scenario has checks (problems);
//! - every `[[variants]]` entry applies to that scenario (problems);
//! - its reference solution passes every check in every one of its seeds,
//!   in the scenario and in every variant, and, when it says
//!   `starts_failing`, its starting code fails some check in some seed
//!   (failures: the lesson teaches something untrue);
//! - every ```` ```whatif ```` moment follows a scenario block, its
//!   intervention is applied in its run, and the check it says it breaks
//!   passes without it and fails with it (see [`super::whatif`]).

use serde::Serialize;

use super::diagnostic::Diagnostic;
use super::parse::Scenario;
use super::refusal::RunRefusal;
use super::source::{parse_block, FileReader};
use super::sweep::{sweep_parts, SweepPart, SweepResult, FIRST_SEED};
use super::variant::apply;
use super::whatif::{check_whatif, lesson_whatifs};
use crate::lessons::blocks::{fenced_blocks, Block};
use crate::lessons::variant::Variant;
use crate::lessons::{Exercise, Lesson};

/// The verdict on one lesson file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LessonCheck {
    /// The file checked.
    pub file: String,
    /// True when nothing is wrong.
    pub ok: bool,
    /// How many scenario blocks it has.
    pub scenario_blocks: usize,
    /// How many exercise blocks it has.
    pub exercises: usize,
    /// What makes the lesson unusable (parse errors, bad references), each a
    /// readable line with file and line.
    pub problems: Vec<String>,
    /// Exercises whose solution fails or whose buggy start passes.
    pub failures: Vec<String>,
}

/// An exercise with the scenario it runs in, ready to judge.
#[derive(Clone, Debug)]
pub struct ExerciseSetup {
    /// The exercise.
    pub exercise: Exercise,
    /// Its scenario (with the scenario block's own code).
    pub scenario: Scenario,
    /// The lesson line of the exercise block.
    pub line: usize,
    /// Each variant with its scenario, in the exercise's order.
    pub variants: Vec<VariantSetup>,
}

/// A variant of an exercise, applied to its scenario.
#[derive(Clone, Debug)]
pub struct VariantSetup {
    /// The variant as written.
    pub variant: Variant,
    /// The exercise's scenario with the variant applied.
    pub scenario: Scenario,
}

impl ExerciseSetup {
    /// Seeds it is judged over.
    pub fn seeds(&self) -> u64 {
        self.exercise
            .seeds
            .unwrap_or(self.scenario.config.scenario.seeds)
    }

    /// Seeds of a whole judgement: the exercise's and every variant's.
    pub fn total_seeds(&self) -> u64 {
        let own = self.seeds();
        self.variants
            .iter()
            .map(|v| v.variant.seeds.unwrap_or(own))
            .fold(own, u64::saturating_add)
    }

    /// The code the learner starts from.
    pub fn starting_code(&self) -> String {
        match &self.exercise.starting_code {
            Some(code) => code.clone(),
            None => self
                .scenario
                .functions
                .iter()
                .find(|f| f.name == self.exercise.function)
                .map(|f| f.code.clone())
                .unwrap_or_default(),
        }
    }

    /// The scenario a run of `variant` uses (none: the exercise's own), so
    /// the learner can open the exact run a sweep reports.
    pub fn scenario_of(&self, variant: Option<&str>) -> Option<&Scenario> {
        match variant {
            None => Some(&self.scenario),
            Some(name) => self
                .variants
                .iter()
                .find(|v| v.variant.name == name)
                .map(|v| &v.scenario),
        }
    }

    /// What a judgement runs with `code` as the learner's function: the
    /// scenario over its seeds, then each variant over its own, all from
    /// seed 1. Errors when the code does not compile.
    pub fn sweep_parts(&self, code: &str) -> Result<Vec<SweepPart>, RunRefusal> {
        let mut scenario = self.scenario.clone();
        scenario.replace_code(&self.exercise.function, code.to_string())?;
        scenario.engine_check()?;
        let mut parts = vec![SweepPart {
            variant: None,
            scenario,
            from: FIRST_SEED,
            seeds: self.seeds(),
        }];
        for v in &self.variants {
            let mut scenario = v.scenario.clone();
            scenario.replace_code(&self.exercise.function, code.to_string())?;
            parts.push(SweepPart {
                variant: Some(v.variant.name.clone()),
                scenario,
                from: FIRST_SEED,
                seeds: v.variant.seeds.unwrap_or(self.seeds()),
            });
        }
        Ok(parts)
    }

    /// Runs the exercise's checks with `code` as the learner's function over
    /// its seeds and every variant's (see [`ExerciseSetup::sweep_parts`]).
    pub fn judge(&self, code: &str) -> Result<SweepResult, String> {
        Ok(sweep_parts(self.sweep_parts(code)?))
    }
}

/// Applies each variant of `exercise` to `scenario`; the problems name the
/// exercise's line.
fn variant_setups(
    exercise: &Exercise,
    scenario: &Scenario,
    at: &str,
    problems: &mut Vec<String>,
) -> Option<Vec<VariantSetup>> {
    let mut setups = Vec::new();
    for variant in &exercise.variants {
        match apply(scenario, variant) {
            Ok(applied) => setups.push(VariantSetup {
                variant: variant.clone(),
                scenario: applied,
            }),
            Err(e) => problems.push(format!("{at}: exercise: {e}")),
        }
    }
    (setups.len() == exercise.variants.len()).then_some(setups)
}

/// The exercises of a lesson, each with its scenario, and the problems
/// found on the way (with lesson lines).
pub fn lesson_exercises(
    file: &str,
    text: &str,
    files: &dyn FileReader,
) -> (Vec<ExerciseSetup>, usize, Vec<String>) {
    let mut problems = Vec::new();
    let mut setups = Vec::new();
    let mut scenario: Option<Result<Scenario, ()>> = None;
    let mut scenario_blocks = 0;
    for block in fenced_blocks(text) {
        match block.kind.as_str() {
            "scenario" => {
                scenario_blocks += 1;
                scenario = Some(parse_block(file, &block, files).map_err(|diagnostics| {
                    problems.extend(diagnostics.iter().map(Diagnostic::to_string));
                }));
            }
            "exercise" => {
                let found = exercise_setup(file, &block, scenario.as_ref(), &mut problems);
                setups.extend(found);
            }
            _ => {}
        }
    }
    (setups, scenario_blocks, problems)
}

/// One exercise block with the scenario block above it (`None`: there is
/// none; `Err`: it did not parse, already reported), or `None` with the
/// problems pushed.
fn exercise_setup(
    file: &str,
    block: &Block,
    scenario: Option<&Result<Scenario, ()>>,
    problems: &mut Vec<String>,
) -> Option<ExerciseSetup> {
    let at = |line: Option<usize>| format!("{file}:{}", block.first_line + line.unwrap_or(1) - 1);
    let exercise = match Exercise::parse(&block.content) {
        Ok(e) => e,
        Err((line, message)) => {
            problems.push(format!("{}: exercise: {message}", at(line)));
            return None;
        }
    };
    let scenario = match scenario {
        Some(Ok(s)) => s.clone(),
        // Its scenario's errors are already reported.
        Some(Err(())) => return None,
        None => {
            problems.push(format!(
                "{}: exercise: no ```scenario block above it; an exercise runs the scenario before it",
                at(None)
            ));
            return None;
        }
    };
    if let Some(problem) = unjudgeable(&exercise, &scenario) {
        problems.push(format!("{}: exercise: {problem}", at(None)));
        return None;
    }
    let variants = variant_setups(&exercise, &scenario, &at(None), problems)?;
    Some(ExerciseSetup {
        exercise,
        scenario,
        line: block.first_line,
        variants,
    })
}

/// Why `scenario` cannot judge `exercise`: its function is missing, or
/// there are no checks.
fn unjudgeable(exercise: &Exercise, scenario: &Scenario) -> Option<String> {
    if !scenario
        .functions
        .iter()
        .any(|f| f.name == exercise.function)
    {
        let known: Vec<&str> = scenario.functions.iter().map(|f| f.name.as_str()).collect();
        return Some(format!(
            "function `{}` is not in the scenario above (it has: {})",
            exercise.function,
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        ));
    }
    if scenario.config.checks.is_empty() {
        return Some(
            "the scenario above has no [[checks]], so nothing can judge the learner's code".into(),
        );
    }
    None
}

/// Checks one lesson. `file` is its path (for messages and `code_file`
/// paths); `name` is the file name the lesson parser reports.
pub fn check_lesson(file: &str, name: &str, text: &str, files: &dyn FileReader) -> LessonCheck {
    let mut problems = Vec::new();
    if let Err(e) = Lesson::parse(name, text) {
        problems.push(format!("{file}: {e}"));
    }
    let (setups, scenario_blocks, mut found) = lesson_exercises(file, text, files);
    problems.append(&mut found);
    let mut failures = Vec::new();
    let (moments, mut found) = lesson_whatifs(file, text, files);
    problems.append(&mut found);
    for moment in &moments {
        let at = format!("{file}:{}", moment.line);
        let untrue = check_whatif(moment).into_iter();
        failures.extend(untrue.map(|why| format!("{at}: whatif: {why}")));
    }
    for setup in &setups {
        let at = format!("{file}:{}", setup.line);
        match setup.judge(&setup.exercise.solution) {
            Err(e) => problems.push(format!("{at}: the reference solution does not run: {e}")),
            Ok(result) => {
                for c in result.checks.iter().filter(|c| c.failed > 0) {
                    failures.push(format!(
                        "{at}: the reference solution fails `{}`: {}",
                        c.name,
                        c.explained()
                    ));
                }
            }
        }
        if setup.exercise.starts_failing {
            match setup.judge(&setup.starting_code()) {
                Err(e) => problems.push(format!("{at}: the starting code does not run: {e}")),
                Ok(result) if result.all_passed() => failures.push(format!(
                    "{at}: the starting code passes every check in {} seeds, but the exercise says the learner starts from a bug (starts_failing = true)",
                    result.seeds
                )),
                Ok(_) => {}
            }
        }
    }
    LessonCheck {
        file: file.to_string(),
        ok: problems.is_empty() && failures.is_empty(),
        scenario_blocks,
        exercises: setups.len(),
        problems,
        failures,
    }
}
