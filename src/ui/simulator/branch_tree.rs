//! The history of "what if?" acts on one run, kept as a tree (issue 19,
//! docs/interventions.md, "Branches"). Pure: `use_branches` holds it and
//! runs each branch; tests/ui_branch_tree.rs drives it natively.
//!
//! Branch 1 is the run as written. Acting at `t` on the branch shown starts
//! a child branch: its interventions are the parent's up to `t` (those
//! later than `t` did not happen yet at `t`) and the new one, applied after
//! them. The parent stays as it was; switching branches loses none.

use crate::sim::MAX_INTERVENTIONS;
use crate::sim::{Intervention, InterventionKind};

use super::run_view::RunView;

/// Most branches one history keeps: each holds a whole run, so the page's
/// memory is bounded whatever a learner clicks.
pub const MAX_BRANCHES: usize = 64;

/// What the history shows of a branch's run at its end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BranchSummary {
    /// Each check's name and whether it held.
    pub checks: Vec<(String, bool)>,
    /// Each metric's label and value.
    pub metrics: Vec<(String, u64)>,
    /// Why the run stopped early, if it did.
    pub error: Option<String>,
    /// Virtual time at its end.
    pub end_ms: u64,
}

impl BranchSummary {
    /// The summary of a finished run.
    pub fn of(view: &RunView) -> BranchSummary {
        BranchSummary {
            checks: view.checks.iter().map(|c| (c.name.clone(), c.ok)).collect(),
            metrics: view.metrics.clone(),
            error: view.error.clone(),
            end_ms: view.end_ms,
        }
    }

    /// "2 of 3 checks passed", or why the run stopped.
    pub fn verdict(&self) -> String {
        if let Some(error) = &self.error {
            return format!("the run could not finish: {error}");
        }
        let passed = self.checks.iter().filter(|(_, ok)| *ok).count();
        format!("{passed} of {} checks passed", self.checks.len())
    }
}

/// One branch of the history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Branch {
    /// The branch it forks from (none: the run as written).
    pub parent: Option<usize>,
    /// The moment it forks at (0 for the run as written).
    pub at_ms: u64,
    /// Every intervention of the branch, the parent's first: what its
    /// share link and saved work carry.
    pub interventions: Vec<Intervention>,
    /// Its run's checks and metrics.
    pub summary: BranchSummary,
}

impl Branch {
    /// What was done to start it, in words.
    pub fn done(&self) -> String {
        match (self.parent, self.interventions.last()) {
            (Some(_), Some(iv)) => describe(iv),
            (None, Some(_)) => {
                let acts: Vec<String> = self.interventions.iter().map(describe).collect();
                format!("opened with {}", acts.join(", "))
            }
            (_, None) => "the run as written".to_string(),
        }
    }
}

/// The tree of branches and the one shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BranchTree {
    branches: Vec<Branch>,
    shown: usize,
}

impl BranchTree {
    /// A history whose first branch is a run with `interventions` (none
    /// for the run as written; a shared link's list otherwise).
    pub fn new(interventions: Vec<Intervention>, summary: BranchSummary) -> BranchTree {
        BranchTree {
            branches: vec![Branch {
                parent: None,
                at_ms: 0,
                interventions,
                summary,
            }],
            shown: 0,
        }
    }

    /// Every branch, by number minus one.
    pub fn branches(&self) -> &[Branch] {
        &self.branches
    }

    /// The index of the branch shown.
    pub fn shown(&self) -> usize {
        self.shown
    }

    /// The branch shown.
    pub fn shown_branch(&self) -> &Branch {
        &self.branches[self.shown]
    }

    /// The interventions of a new branch acting with `iv` on the branch
    /// shown, or why there can be none: checked before anything is run or
    /// kept.
    pub fn plan(&self, iv: Intervention) -> Result<Vec<Intervention>, String> {
        if self.branches.len() >= MAX_BRANCHES {
            return Err(format!(
                "This history has {MAX_BRANCHES} branches, the most it keeps. Run again to start a new history."
            ));
        }
        let parent = &self.branches[self.shown].interventions;
        let mut list: Vec<Intervention> = parent
            .iter()
            .filter(|p| p.at_ms <= iv.at_ms)
            .cloned()
            .collect();
        if list.len() >= MAX_INTERVENTIONS {
            return Err(format!(
                "This branch has {MAX_INTERVENTIONS} interventions, the most a run takes."
            ));
        }
        list.push(iv);
        Ok(list)
    }

    /// Keeps the branch `plan` gave, run to `summary`, as a child of the
    /// branch shown, and shows it; its index.
    pub fn add(
        &mut self,
        interventions: Vec<Intervention>,
        summary: BranchSummary,
    ) -> Result<usize, String> {
        if self.branches.len() >= MAX_BRANCHES {
            return Err(format!("This history has {MAX_BRANCHES} branches already."));
        }
        let at_ms = interventions.last().map_or(0, |iv| iv.at_ms);
        self.branches.push(Branch {
            parent: Some(self.shown),
            at_ms,
            interventions,
            summary,
        });
        self.shown = self.branches.len() - 1;
        Ok(self.shown)
    }

    /// Shows branch `index`; false (nothing changed) when there is none.
    pub fn select(&mut self, index: usize) -> bool {
        if index >= self.branches.len() {
            return false;
        }
        self.shown = index;
        true
    }

    /// How many forks lead to branch `index` (0: the first run), for the
    /// history's indentation.
    pub fn depth(&self, index: usize) -> usize {
        let mut depth = 0;
        let mut at = self.branches.get(index).and_then(|b| b.parent);
        // Parents always come before their children, so this ends.
        while let Some(parent) = at.filter(|_| depth < MAX_BRANCHES) {
            depth += 1;
            at = self.branches[parent].parent;
        }
        depth
    }

    /// Where branch `index` comes from, in words.
    pub fn origin(&self, index: usize) -> String {
        match self
            .branches
            .get(index)
            .and_then(|b| b.parent.map(|p| (p, b)))
        {
            Some((parent, b)) => format!("forks from branch {} at {} ms", parent + 1, b.at_ms),
            None => "the first run".to_string(),
        }
    }
}

/// An intervention in words, as the history lists it.
pub fn describe(iv: &Intervention) -> String {
    use InterventionKind as K;
    let p = &iv.parameters;
    let message = p
        .message_id
        .map_or("a message".into(), |m| format!("message m{m}"));
    let target = &iv.target;
    let what = match iv.kind {
        K::DropMessage => format!("dropped {message} from `{target}`"),
        K::DuplicateMessage => format!("duplicated {message} in `{target}`"),
        K::DelayMessage => format!(
            "delayed {message} in `{target}` by {} ms",
            p.delay_ms.unwrap_or(0)
        ),
        K::CrashEnvironment => format!(
            "crashed environment {} of `{target}`",
            p.environment.unwrap_or(0)
        ),
        K::StoreDown => format!("took the store down for {} ms", p.duration_ms.unwrap_or(0)),
        K::PauseConsumer | K::PauseMapping => format!("paused `{target}`"),
        K::ResumeConsumer | K::ResumeMapping => format!("resumed `{target}`"),
        K::Publish => format!("published a message to `{target}` by hand"),
        K::Send => format!("sent a message to `{target}` by hand"),
        K::ChangeCode => format!("changed the code of `{target}`"),
    };
    format!("{what} at {} ms", iv.at_ms)
}
