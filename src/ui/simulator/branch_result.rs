//! What one "what if?" branch's run gives (issue 19): its view and the
//! acts the engine refused. A leaf both the replay that forks a branch
//! (`playground_model.rs`) and the full run (`branch_run.rs`) build, so
//! neither file imports the other.

use super::run_view::RunView;
use crate::scenario::RefusedIntervention;

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
