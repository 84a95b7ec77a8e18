//! The playground beside a lesson: the learner's code, a seed, Run, a check
//! over all the exercise's seeds (in slices, so the page stays responsive),
//! the checks with their explanations, the metrics and the store, hints one
//! at a time, and the reference solution on request. A thin view: the state
//! and verbs are `use_playground`'s.

use leptos::prelude::*;

use super::branch_history::BranchHistory;
use super::busy_bar::BusyBar;
use super::editor_panels::EditorPanels;
use super::exercise_help::ExerciseHelp;
use super::playground_header::PlaygroundHeader;
use super::playground_model::PlaygroundSetup;
use super::prepared_moment::PreparedMoments;
use super::reset_question::ResetQuestion;
use super::run_controls::RunControls;
use super::run_panel::RunPanel;
use super::share_box::ShareBox;
use super::shared_banner::SharedBanner;
use super::shown_run::ShownRunView;
use super::sweep_panel::SweepPanel;
use super::use_playground::use_playground;
use super::variant_note::VariantNote;
use crate::ui::shell::saved_work::NOT_SAVED_NOTICE;
use crate::ui::shell::share_link::{SharedTarget, SharedWork};

/// The playground of one lesson.
///
/// - `setup`: the lesson's scenario and exercise.
/// - `lesson_id`: the lesson's id (its saved code and its progress).
/// - `share_as`: what a share link made here points at (the lesson and
///   block, or the scenario itself); defaults to the lesson `lesson_id`.
/// - `shared`: code and seed from a share link; while it is shown, nothing
///   is saved until the learner chooses "Keep this version" (a shared
///   scenario has no lesson to keep it in: it is never saved).
#[component]
pub fn Playground(
    setup: PlaygroundSetup,
    lesson_id: String,
    #[prop(default = None)] share_as: Option<SharedTarget>,
    #[prop(default = None)] shared: Option<SharedWork>,
) -> impl IntoView {
    let share_as = share_as.unwrap_or_else(|| SharedTarget::Lesson {
        id: lesson_id.clone(),
        block: None,
    });
    // Where "Keep this version" and "Back to my saved code" go.
    let home = match &share_as {
        SharedTarget::Lesson { id, .. } => Some(id.clone()),
        SharedTarget::Scenario { .. } => None,
    };
    let (state, notice) = use_playground(setup, lesson_id, shared);
    let work = state.work;
    let scenario = Signal::derive(move || work.edited.get().then(|| work.scenario_text.get()));
    let wide = RwSignal::new(false);
    let asking_reset = RwSignal::new(false);
    let goal = state
        .lesson_setup
        .with_value(|s| s.exercise.as_ref().map(|e| e.exercise.goal.clone()))
        .map(|goal| view! { <p class="goal"><strong>"Goal: "</strong>{goal}</p> });
    view! {
        <section
            class=move || if wide.get() { "playground wide" } else { "playground" }
            aria-labelledby="playground-title"
        >
            <PlaygroundHeader wide/>
            {goal}
            {notice.map(|text| view! { <p class="notice" role="status">{text}</p> })}
            <SharedBanner work home/>
            <ShareBox target=share_as code=work.code seed=work.seed scenario interventions=Signal::derive(move || state.branch_link())/>
            {move || work.not_saved.get().then(|| view! { <p class="notice" role="alert">{NOT_SAVED_NOTICE}</p> })}
            <EditorPanels state function=state.setup.with_value(|s| s.editable_function())/>
            <RunControls state asking_reset/>
            <BusyBar runs=state.runs sweeps=state.sweeps/>
            <ResetQuestion asking=asking_reset on_confirm=Callback::new(move |_| state.reset_code())/>
            <ExerciseHelp state/>
            <SweepPanel tally=state.sweeps.tally on_open=Callback::new(move |(variant, seed)| state.open_run(variant, seed))/>
            <VariantNote run_variant=state.edit.run_variant/>
            <PreparedMoments state/>
            <RunPanel run_view=state.runs.run_view/>
            <BranchHistory state/>
            <ShownRunView state/>
        </section>
    }
}
