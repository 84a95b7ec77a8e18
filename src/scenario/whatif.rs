//! The ```` ```whatif ```` block: a "what if?" moment an instructor prepares
//! in a lesson (issue 19, `docs/interventions.md`). It follows a scenario
//! block and names a seed, a moment and one intervention; the playground
//! opens that run paused at the moment with the intervention ready to
//! apply, and the learner sees the branch's result beside the first one.
//!
//! ```toml
//! title = "Deliver one save twice"
//! prompt = "At 100 ms message m1 is being processed. What if the queue delivered it again?"
//! seed = 1                      # default: the scenario's seed
//! fails = "doc-1 counts 3 edits"  # the check the moment breaks (optional)
//!
//! [intervention]                # as in `sim run --intervene`, one entry
//! at_ms = 100
//! kind = "duplicate_message"
//! target = "saves"
//! parameters = { message_id = 1 }
//! ```
//!
//! `sim check` proves what the block claims: the intervention is applied,
//! not refused, in that run with the scenario's own code; and when `fails`
//! names a check, that check passes without the intervention and fails
//! with it. A lesson cannot promise a moment the engine does not show.

use serde::{Deserialize, Serialize};

use super::intervened::run_with_interventions;
use super::parse::Scenario;
use super::source::{parse_block, FileReader};
use super::sweep::{report, run_seed};
use crate::lessons::blocks::{fenced_blocks, Block};
use crate::sim::Intervention;

/// The info string of the block.
pub const WHATIF_BLOCK: &str = "whatif";
/// Longest title, in characters: it labels a button.
pub const MAX_TITLE_CHARS: usize = 80;
/// Longest prompt, in characters: two or three sentences.
pub const MAX_PROMPT_CHARS: usize = 500;

/// A prepared "what if?" moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WhatIf {
    /// What the intervention does, as a button's words.
    pub title: String,
    /// What the learner is looking at and asked to predict.
    pub prompt: String,
    /// The run's seed (default: the scenario's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// The check the moment makes fail, when it shows a bug.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fails: Option<String>,
    /// The act, at its moment.
    pub intervention: Intervention,
}

impl WhatIf {
    /// Parses a block's TOML; an error names the line within the block.
    pub fn parse(text: &str) -> Result<WhatIf, (Option<usize>, String)> {
        let whatif: WhatIf = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
            (line, e.message().trim().to_string())
        })?;
        let chars = |s: &str| s.trim().chars().count();
        if !(1..=MAX_TITLE_CHARS).contains(&chars(&whatif.title)) {
            return Err((
                None,
                format!("`title` must be 1 to {MAX_TITLE_CHARS} characters"),
            ));
        }
        if !(1..=MAX_PROMPT_CHARS).contains(&chars(&whatif.prompt)) {
            return Err((
                None,
                format!("`prompt` must be 1 to {MAX_PROMPT_CHARS} characters"),
            ));
        }
        Ok(whatif)
    }
}

/// A moment with the scenario block above it.
#[derive(Clone, Debug, PartialEq)]
pub struct WhatIfSetup {
    /// The block.
    pub whatif: WhatIf,
    /// The scenario it acts on, with the block's own code.
    pub scenario: Scenario,
    /// The lesson line of the block's first line.
    pub line: usize,
}

impl WhatIfSetup {
    /// The seed of its run.
    pub fn seed(&self) -> u64 {
        self.whatif
            .seed
            .unwrap_or(self.scenario.config.scenario.seed)
    }
}

/// The whatif blocks of a lesson, each with the scenario block above it,
/// and the problems found on the way (with lesson lines).
pub fn lesson_whatifs(
    file: &str,
    text: &str,
    files: &dyn FileReader,
) -> (Vec<WhatIfSetup>, Vec<String>) {
    let mut problems = Vec::new();
    let mut setups = Vec::new();
    // The last scenario block: `Err` when it did not parse (reported by
    // the lesson check already, so not again here).
    let mut scenario: Option<Result<Scenario, ()>> = None;
    for block in fenced_blocks(text) {
        match block.kind.as_str() {
            "scenario" => {
                scenario = Some(parse_block(file, &block, files).map_err(|_| ()));
            }
            WHATIF_BLOCK => {
                let found = whatif_setup(file, &block, scenario.as_ref(), &mut problems);
                setups.extend(found);
            }
            _ => {}
        }
    }
    (setups, problems)
}

fn whatif_setup(
    file: &str,
    block: &Block,
    scenario: Option<&Result<Scenario, ()>>,
    problems: &mut Vec<String>,
) -> Option<WhatIfSetup> {
    let at = |line: Option<usize>| format!("{file}:{}", block.first_line + line.unwrap_or(1) - 1);
    let whatif = match WhatIf::parse(&block.content) {
        Ok(w) => w,
        Err((line, message)) => {
            problems.push(format!("{}: whatif: {message}", at(line)));
            return None;
        }
    };
    match scenario {
        Some(Ok(scenario)) => Some(WhatIfSetup {
            whatif,
            scenario: scenario.clone(),
            line: block.first_line,
        }),
        Some(Err(())) => None,
        None => {
            problems.push(format!(
                "{}: whatif: no ```scenario block above it; a moment acts on the scenario before it",
                at(None)
            ));
            None
        }
    }
}

/// What is untrue about a moment: its intervention is refused in its run,
/// or the check it says it breaks does not pass without it and fail with
/// it. Empty when the block shows what it says.
pub fn check_whatif(setup: &WhatIfSetup) -> Vec<String> {
    let seed = setup.seed();
    let intervened = run_with_interventions(
        &setup.scenario,
        seed,
        std::slice::from_ref(&setup.whatif.intervention),
    );
    let mut untrue: Vec<String> = intervened
        .refused
        .iter()
        .map(|r| format!("the intervention is refused in seed {seed}: {}", r.message))
        .collect();
    let Some(check) = &setup.whatif.fails else {
        return untrue;
    };
    let (before, _) = run_seed(&setup.scenario, seed);
    let after = report(&setup.scenario, &intervened.outcome);
    let passed = |checks: &[super::checks::CheckResult]| {
        checks.iter().find(|c| &c.name == check).map(|c| c.ok)
    };
    match (passed(&before.checks), passed(&after.checks)) {
        (None, _) | (_, None) => {
            let names: Vec<&str> = before.checks.iter().map(|c| c.name.as_str()).collect();
            untrue.push(format!(
                "`fails` names no check of the scenario; its checks: {}",
                names.join(", ")
            ));
        }
        (Some(false), _) => untrue.push(format!(
            "`{check}` already fails in seed {seed} without the intervention"
        )),
        (Some(true), Some(true)) => untrue.push(format!(
            "`{check}` still passes in seed {seed} after the intervention"
        )),
        (Some(true), Some(false)) => {}
    }
    untrue
}
