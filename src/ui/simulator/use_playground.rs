//! A playground's state and its verbs (Run, Check, open a failing run,
//! reset), over the hooks that hold each part: saved work, scenario edits,
//! sliced runs and sweeps. The `Playground` component only draws it.

use leptos::prelude::*;

use super::playground_model::PlaygroundSetup;
use super::playground_text::scenario_problem;
use super::run_view::RunView;
use super::slicing::ShownRun;
use super::use_branches::{use_branches, BranchState};
use super::use_saved_work::{use_saved_work, SavedWork};
use super::use_scenario_edit::{use_scenario_edit, ScenarioEdit};
use super::use_sliced_run::{use_sliced_run, SlicedRunState};
use super::use_sweep::{use_sweep, SweepState};
use crate::scenario::FIRST_SEED;
use crate::ui::shell::saved_work::Progress;
use crate::ui::shell::share_link::SharedWork;

/// Everything a playground shows and does.
#[derive(Clone, Copy)]
pub struct PlaygroundState {
    /// The lesson's own setup.
    pub lesson_setup: StoredValue<PlaygroundSetup>,
    /// The setup runs use: the lesson's until the scenario is edited.
    pub setup: StoredValue<PlaygroundSetup>,
    /// The learner's work, saved as it changes.
    pub work: SavedWork,
    /// Edits of the scenario.
    pub edit: ScenarioEdit,
    /// Run.
    pub runs: SlicedRunState,
    /// "Check over N seeds".
    pub sweeps: SweepState,
    /// The "what if?" branches of the run shown.
    pub branches: BranchState,
    lesson_id: StoredValue<String>,
    progress: Option<RwSignal<Progress>>,
}

/// The state of the playground of `setup` in lesson `lesson_id`; also the
/// notice of saved work that could not be read.
pub fn use_playground(
    setup: PlaygroundSetup,
    lesson_id: String,
    shared: Option<SharedWork>,
) -> (PlaygroundState, Option<String>) {
    let lesson_setup = StoredValue::new(setup.clone());
    let setup = StoredValue::new(setup);
    let from_link = shared.is_some();
    let (work, notice, opened_acts) = use_saved_work(lesson_setup, &lesson_id, shared);
    let state = PlaygroundState {
        lesson_setup,
        setup,
        work,
        edit: use_scenario_edit(work.scenario_text, lesson_setup, setup),
        runs: use_sliced_run(),
        sweeps: use_sweep(),
        branches: use_branches(),
        lesson_id: StoredValue::new(lesson_id),
        progress: use_context::<RwSignal<Progress>>(),
    };
    if let Some(text) = opened_acts {
        let from = if from_link {
            "This link"
        } else {
            "Your saved work"
        };
        state.branches.open_link(from, &text);
    }
    // The branch shown is saved with the code once a run is shown (until
    // then, what was opened stays saved).
    Effect::new(move |_| {
        if state.runs.last_run.with(Option::is_some) {
            state.work.branch.set(state.branch_link());
        }
    });
    (state, notice)
}

impl PlaygroundState {
    /// Shows why nothing can run, if the scenario tab has problems.
    fn refused(&self, seed: u64) -> bool {
        let Some(problem) = self.edit.errors.with_untracked(|e| scenario_problem(e)) else {
            return false;
        };
        self.runs.run_view.set(Some(RunView::error(seed, problem)));
        true
    }

    /// Run: the code with the seed (and variant) chosen, a slice per frame.
    pub fn run(&self) {
        self.work.save_before_run();
        let (code, seed) = (
            self.work.code.get_untracked(),
            self.work.seed.get_untracked(),
        );
        if self.refused(seed) {
            return;
        }
        let variant = self.edit.run_variant.get_untracked();
        let link_acts = self.branches.take_pending();
        self.branches.clear();
        if !link_acts.is_empty() {
            let setup = self.setup.with_value(|s| s.for_variant(variant.as_deref()));
            let run = (code, seed, variant);
            return self.branches.open_branch(&setup, self.runs, run, link_acts);
        }
        let id = self.runs.begin();
        let started = self
            .setup
            .with_value(|s| s.for_variant(variant.as_deref()).start_run(&code, seed));
        match started {
            Ok(run) => self.runs.go(id, run, code, seed, variant),
            Err(view) => self.runs.run_view.set(Some(*view)),
        }
    }

    /// The acts of the branch shown, as a share link carries them: only
    /// while the editor's code and seed are the ones it ran with.
    pub fn branch_link(&self) -> Option<String> {
        let (code, seed) = (self.work.code.get(), self.work.seed.get());
        self.runs.last_run.with(|r| {
            r.as_ref()
                .filter(|r| !r.interventions.is_empty() && r.code == code && r.seed == seed)
                .and_then(|r| serde_json::to_string(&r.interventions).ok())
        })
    }

    /// Opens a lesson's prepared moment: the run of `seed` as written,
    /// shown paused at `at_ms`, a new history (see `prepared_moment.rs`).
    pub fn open_moment(&self, seed: u64, at_ms: u64) {
        self.work.seed.set(seed);
        self.edit.run_variant.set(None);
        self.work.save_before_run();
        if self.refused(seed) {
            return;
        }
        self.branches.clear();
        self.runs.begin();
        let code = self.work.code.get_untracked();
        let view = self.setup.with_value(|s| s.run(&code, seed));
        let shown = ShownRun::of_ended(code, seed, &view, None).map(|s| ShownRun {
            start_ms: Some(at_ms),
            ..s
        });
        self.runs.run_view.set(Some(view));
        self.runs.last_run.set(shown);
    }

    /// Acts on the run shown at a paused moment: a new "what if?" branch.
    pub fn act(&self, iv: crate::sim::Intervention) {
        self.branches.act(self.setup, self.runs, iv);
    }

    /// "Check over N seeds": the exercise's seeds, then every variant's; a
    /// pass marks the lesson done (not with an edited scenario, which may
    /// have lost the checks).
    pub fn check(&self) {
        self.work.save_before_run();
        let total = self.setup.with_value(|s| s.seeds());
        if self.refused(FIRST_SEED) {
            return;
        }
        let id = self.sweeps.begin(total);
        let code = self.work.code.get_untracked();
        let credit = (!self.work.edited.get_untracked()).then(|| self.lesson_id.get_value());
        match self.setup.with_value(|s| s.start_check(&code)) {
            Ok(sweep) => {
                let this = *self;
                self.sweeps.go(id, sweep, move || this.credit(credit));
            }
            Err(e) => {
                self.runs.run_view.set(Some(RunView::error(FIRST_SEED, e)));
                self.sweeps.tally.set(None);
            }
        }
    }

    /// After a whole check: marks `lesson` done if every check held.
    fn credit(&self, lesson: Option<String>) {
        let passed = self
            .sweeps
            .tally
            .with_untracked(|t| t.as_ref().is_some_and(|t| t.all_passed()));
        let has_exercise = self.lesson_setup.with_value(|s| s.exercise.is_some());
        if let (true, true, Some(lesson), Some(progress)) =
            (passed, has_exercise, lesson, self.progress)
        {
            progress.update(|p| {
                p.done.insert(lesson);
            });
        }
    }

    /// Opens the exact run a check reports: its variant and seed.
    pub fn open_run(&self, variant: Option<String>, seed: u64) {
        self.edit.run_variant.set(variant);
        self.work.seed.set(seed);
        self.run();
    }

    /// Throws the learner's code away for the lesson's starting code.
    pub fn reset_code(&self) {
        self.work
            .code
            .set(self.setup.with_value(|s| s.starting_code()));
        self.runs.run_view.set(None);
        self.sweeps.tally.set(None);
    }
}
