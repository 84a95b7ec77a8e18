//! One branch's run: the learner's code and seed with the branch's
//! interventions (issue 19, docs/interventions.md), turned into what the
//! run panel shows; pure (tests/ui_branch_tree.rs).

pub use super::branch_result::BranchRun;
use super::playground_model::PlaygroundSetup;
use super::run_view::view_of;
use crate::scenario::run_with_interventions;
use crate::sim::Intervention;

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
