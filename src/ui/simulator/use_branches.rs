//! The playground's "what if?" history (issue 19): acting on the run shown
//! at a paused moment starts a branch, run at once; any branch can be shown
//! again. The decisions are `branch_tree.rs`'s; this hook keeps each
//! branch's run to show it without running it again.

use leptos::prelude::*;

use super::branch_run::BranchRun;
use super::branch_tree::{BranchSummary, BranchTree};
use super::playground_model::PlaygroundSetup;
use super::slicing::ShownRun;
use super::use_moment::MomentReplay;
use super::use_sliced_run::SlicedRunState;
use crate::sim::Intervention;

/// The history of the run shown, and why the last act did nothing.
#[derive(Clone, Copy)]
pub struct BranchState {
    /// The tree, once the learner has acted (none: only the run).
    pub tree: RwSignal<Option<BranchTree>>,
    /// Why the last act made no branch (a refusal, the limit), in words.
    pub notice: RwSignal<Option<String>>,
    /// Each branch's run, by branch index.
    shown_runs: StoredValue<Vec<ShownRun>>,
    /// A share link's acts, for the first Run to apply.
    pending: StoredValue<Vec<Intervention>>,
}

/// An empty history.
pub fn use_branches() -> BranchState {
    BranchState {
        tree: RwSignal::new(None),
        notice: RwSignal::new(None),
        shown_runs: StoredValue::new(Vec::new()),
        pending: StoredValue::new(Vec::new()),
    }
}

impl BranchState {
    /// A new Run starts a new history.
    pub fn clear(&self) {
        self.tree.set(None);
        self.notice.set(None);
        self.shown_runs.set_value(Vec::new());
    }

    /// Starts a history whose first branch is `shown` (a run, or a shared
    /// link's branch).
    pub fn start(&self, shown: &ShownRun) {
        let summary = BranchSummary::of(&shown.view);
        self.tree
            .set(Some(BranchTree::new(shown.interventions.clone(), summary)));
        self.shown_runs.set_value(vec![shown.clone()]);
        self.notice.set(None);
    }

    /// Acts with `iv` on the branch shown: a new branch, run and shown; or
    /// the reason in words, with nothing changed.
    pub fn act(
        &self,
        setup: StoredValue<PlaygroundSetup>,
        runs: SlicedRunState,
        iv: Intervention,
        replay: Option<MomentReplay>,
    ) {
        if self.tree.with_untracked(Option::is_none) {
            match runs.last_run.get_untracked() {
                Some(shown) => self.start(&shown),
                None => {
                    return self
                        .notice
                        .set(Some("Run first, then act on the run.".into()))
                }
            }
        }
        let Some(mut tree) = self.tree.get_untracked() else {
            return;
        };
        let list = match tree.plan(iv) {
            Ok(list) => list,
            Err(why) => return self.notice.set(Some(why)),
        };
        let Some(root) = self.shown_runs.with_value(|r| r.first().cloned()) else {
            return;
        };
        // The world at the moment shown, forked when the replay holds it;
        // else the branch replays from time 0 (the same run, slower).
        let forked = replay
            .and_then(|r| r.try_with_value(|r| r.as_ref().and_then(|r| r.fork_branch(&list))))
            .flatten();
        let ran = forked.map(Ok).unwrap_or_else(|| {
            setup.with_value(|s| {
                s.for_variant(root.variant.as_deref())
                    .run_branch(&root.code, root.seed, &list)
            })
        });
        let run: BranchRun = match ran {
            Ok(run) => run,
            Err(why) => return self.notice.set(Some(why)),
        };
        if let Some(why) = run.refusal_of_last(list.len()) {
            return self.notice.set(Some(format!("Not applied: {why}")));
        }
        if let Err(why) = tree.add(list.clone(), BranchSummary::of(&run.view)) {
            return self.notice.set(Some(why));
        }
        let shown = ShownRun {
            view: run.view,
            interventions: list,
            ..root
        };
        self.shown_runs.update_value(|r| r.push(shown.clone()));
        self.tree.set(Some(tree));
        self.notice.set(None);
        runs.run_view.set(Some(shown.view.clone()));
        runs.last_run.set(Some(shown));
    }

    /// A share link's or saved work's acts (`from` says which; its JSON
    /// text): the first Run shows that branch. A list that cannot be read
    /// is said in words and dropped; the code and seed still open.
    pub fn open_link(&self, from: &str, text: &str) {
        match crate::sim::parse_interventions(text) {
            Ok(list) => {
                let acts: Vec<String> = list.iter().map(super::branch_tree::describe).collect();
                self.notice.set(Some(format!(
                    "{from} shows a \"what if?\" branch: {}. Run shows it.",
                    acts.join("; ")
                )));
                self.pending.set_value(list);
            }
            Err(why) => self.notice.set(Some(format!(
                "The \"what if?\" acts of {} could not be read, so Run shows the run as written: {why}",
                from.to_lowercase()
            ))),
        }
    }

    /// The link's acts, once: the first Run after opening it takes them.
    pub fn take_pending(&self) -> Vec<Intervention> {
        std::mem::take(&mut *self.pending.write_value())
    }

    /// Runs and shows the branch of a share link: `list` over the run of
    /// `code` and `seed`; acts the engine refuses are said in words.
    pub fn open_branch(
        &self,
        setup: &PlaygroundSetup,
        runs: SlicedRunState,
        (code, seed, variant): (String, u64, Option<String>),
        list: Vec<Intervention>,
    ) {
        runs.begin();
        let run = match setup.run_branch(&code, seed, &list) {
            Ok(run) => run,
            Err(why) => {
                return runs
                    .run_view
                    .set(Some(super::run_view::RunView::error(seed, why)))
            }
        };
        let shown = ShownRun::of_ended(code, seed, &run.view, variant).map(|s| ShownRun {
            interventions: list,
            ..s
        });
        runs.run_view.set(Some(run.view));
        if let Some(shown) = shown {
            self.start(&shown);
            runs.last_run.set(Some(shown));
        }
        if !run.refused.is_empty() {
            let why: Vec<String> = run.refused.into_iter().map(|r| r.message).collect();
            self.notice
                .set(Some(format!("Not applied: {}", why.join("; "))));
        }
    }

    /// Shows branch `index` as it ran.
    pub fn select(&self, runs: SlicedRunState, index: usize) {
        let Some(shown) = self.shown_runs.with_value(|r| r.get(index).cloned()) else {
            return;
        };
        self.tree.update(|t| {
            if let Some(t) = t {
                t.select(index);
            }
        });
        self.notice.set(None);
        runs.run_view.set(Some(shown.view.clone()));
        runs.last_run.set(Some(shown));
    }
}
