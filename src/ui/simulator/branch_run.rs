//! One branch's run: the learner's code and seed with the branch's
//! interventions (issue 19, docs/interventions.md), turned into what the
//! run panel shows; pure (tests/ui_branch_tree.rs).

use super::playground_model::PlaygroundSetup;
use super::run_view::{view_of, RunView};
use crate::scenario::{run_with_interventions, RefusedIntervention};
use crate::sim::Intervention;

/// A branch's result: its view and the interventions the engine refused.
#[derive(Clone, Debug)]
pub struct BranchRun {
    /// What the run panel and the system view show.
    pub view: RunView,
    /// Refused interventions (they changed nothing), with their reasons.
    pub refused: Vec<RefusedIntervention>,
}

impl BranchRun {
    /// Why the last intervention of the list (the act that would start a
    /// new branch) was refused, if it was.
    pub fn refusal_of_last(&self, list_len: usize) -> Option<String> {
        let last = list_len.checked_sub(1)?;
        self.refused
            .iter()
            .find(|r| r.index == last)
            .map(|r| r.message.clone())
    }
}

impl PlaygroundSetup {
    /// The run of `seed` with `code` and `interventions`, to the end. The
    /// run replays from time 0 (the engine is deterministic, so the branch
    /// is exactly the fork's; docs/interventions.md, "Branches"). An error
    /// when the code cannot run at all.
    pub fn run_branch(
        &self,
        code: &str,
        seed: u64,
        interventions: &[Intervention],
    ) -> Result<BranchRun, String> {
        let scenario = self.with_code(code).map_err(|e| e.to_string())?;
        let run = run_with_interventions(&scenario, seed, interventions);
        Ok(BranchRun {
            view: view_of(&scenario, run.outcome),
            refused: run.refused,
        })
    }
}
