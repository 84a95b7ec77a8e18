//! The playground beside a lesson: the learner's code, a seed, Run, a check
//! over all the exercise's seeds (in slices, so the page stays responsive),
//! the checks with their explanations, the metrics and the store, hints one
//! at a time, and the reference solution on request.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::browser::set_location_hash;
use super::browser::{storage_get, storage_set};
use super::code_editor::CodeEditor;
use super::confirm_panel::ConfirmPanel;
use super::playground_model::{PlaygroundSetup, RunView, SlicedRun, SweepTally};
use super::route::lesson_href;
use super::run_panel::RunPanel;
use super::saved_work::{code_key, Progress, SavedCode, NOT_SAVED_NOTICE};
use super::scenario_tab::{panel_ids, EditorTab, EditorTabs, ScenarioPanel};
use super::share_box::ShareBox;
use super::share_link::{SharedTarget, SharedWork};
use super::sweep_panel::SweepPanel;
use super::system_view::SystemView;
use super::task_gate::TaskGate;
use super::yield_to_page::yield_to_page;
use crate::scenario::{SweepRunner, FIRST_SEED};

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
    // The lesson's own setup, and the one runs use: the same until the
    // learner edits the scenario in the Scenario tab.
    let lesson_setup = StoredValue::new(setup.clone());
    let setup = StoredValue::new(setup);
    let key = code_key(&lesson_id);
    let share_id = lesson_id.clone();
    let share_as = share_as.unwrap_or_else(|| SharedTarget::Lesson {
        id: lesson_id.clone(),
        block: None,
    });
    // Where "Keep this version" and "Back to my saved code" go.
    let home_lesson = match &share_as {
        SharedTarget::Lesson { id, .. } => Some(id.clone()),
        SharedTarget::Scenario { .. } => None,
    };
    let share_as = StoredValue::new(share_as);
    let (saved, code_notice) = SavedCode::read(storage_get(&key).as_deref());
    let viewing_shared = RwSignal::new(shared.is_some());
    let (saved, saved_seed) = match shared {
        Some(work) => (
            Some(SavedCode {
                version: 0,
                code: work.code,
                seed: Some(work.seed),
                scenario: work.scenario,
            }),
            Some(work.seed),
        ),
        None => {
            let seed = saved.as_ref().and_then(|s| s.seed);
            (saved, seed)
        }
    };
    let scenario_text = RwSignal::new(
        saved
            .as_ref()
            .and_then(|s| s.scenario.clone())
            .unwrap_or_else(|| setup.with_value(|s| s.source.clone())),
    );
    let code = RwSignal::new(
        saved
            .map(|s| s.code)
            .unwrap_or_else(|| setup.with_value(|s| s.starting_code())),
    );
    let seed = RwSignal::new(
        saved_seed.unwrap_or_else(|| setup.with_value(|s| s.scenario.config.scenario.seed)),
    );
    // Each edit of the scenario is read as `sim` reads it; a valid one
    // replaces the setup runs use, a broken one lists its problems.
    let scenario_errors = RwSignal::new(Vec::<String>::new());
    // The variant Run uses: set by opening a failing run of a check.
    let run_variant = RwSignal::new(None::<String>);
    // Seeds "Check over N seeds" runs: fewer once an edit drops the variants.
    let check_seeds = RwSignal::new(setup.with_value(|s| s.seeds()));
    let edited =
        Memo::new(move |_| scenario_text.with(|t| lesson_setup.with_value(|s| s.is_edited(t))));
    Effect::new(move |_| {
        let (read, is_edit) = scenario_text
            .with(|t| lesson_setup.with_value(|s| (s.with_scenario_text(t), s.is_edited(t))));
        match read {
            Ok(next) => {
                // An edited scenario has no variants (see `scenario_edit`).
                if is_edit {
                    run_variant.set(None);
                }
                check_seeds.set(next.seeds());
                setup.set_value(next);
                scenario_errors.set(Vec::new());
            }
            Err(problems) => scenario_errors.set(problems),
        }
    });
    let not_saved = RwSignal::new(false);
    let key = StoredValue::new(key);
    // The record of what is on screen (none: too long to keep).
    let record_now = move || {
        let scenario = edited
            .get_untracked()
            .then(|| scenario_text.get_untracked());
        SavedCode::write(
            &code.get_untracked(),
            Some(seed.get_untracked()),
            scenario.as_deref(),
        )
    };
    let save_now = move || {
        if let Some(record) = record_now() {
            not_saved.set(!key.with_value(|k| storage_set(k, &record)));
        }
    };
    // Every edit is kept, so switching lessons or reloading loses nothing.
    Effect::new(move |previous: Option<()>| {
        code.track();
        seed.track();
        if edited.get() {
            scenario_text.track();
        }
        if previous.is_some() && !viewing_shared.get_untracked() {
            save_now();
        }
    });
    // Run and Check save first, unless nothing changed since the page
    // opened: if they end in an internal error, the restarted page shows
    // the code that ran (docs/architecture.md, "When the simulator fails").
    let opened_with = StoredValue::new(record_now());
    let save_before_run = move || {
        if !viewing_shared.get_untracked() && opened_with.with_value(|r| *r != record_now()) {
            save_now();
        }
    };
    let progress = use_context::<RwSignal<Progress>>();
    let has_exercise = setup.with_value(|s| s.exercise.is_some());
    let code_notice = code_notice.map(|text| view! { <p class="notice" role="status">{text}</p> });
    let run_view = RwSignal::new(None::<RunView>);
    let tally = RwSignal::new(None::<SweepTally>);
    let hints_shown = RwSignal::new(0usize);
    let wide = RwSignal::new(false);
    let solution_shown = RwSignal::new(false);

    // The code, seed and variant (none: the exercise's own scenario) of the
    // run shown, and the run itself.
    let last_run = RwSignal::new(None::<ShownRun>);
    // While a run is going on: the virtual time it has reached.
    let running = RwSignal::new(None::<u64>);
    let stop_requested = StoredValue::new(false);
    // Runs and sweeps go on in slices after this call returns; the gates
    // stop them on Stop, on a newer one, and when the playground goes away
    // (its signals are then disposed and must not be touched).
    let runs = TaskGate::default();
    let sweeps = TaskGate::default();
    on_cleanup({
        let (runs, sweeps) = (runs.clone(), sweeps.clone());
        move || {
            runs.close();
            sweeps.close();
        }
    });
    let run = Callback::new({
        let runs = runs.clone();
        move |_| {
            save_before_run();
            let (learner_code, chosen_seed) = (code.get_untracked(), seed.get_untracked());
            if let Some(problem) = scenario_problem(scenario_errors) {
                run_view.set(Some(RunView::error(chosen_seed, problem)));
                return;
            }
            let id = runs.begin();
            stop_requested.set_value(false);
            last_run.set(None);
            let variant = run_variant.get_untracked();
            let sliced = match setup.with_value(|s| {
                s.for_variant(variant.as_deref())
                    .start_run(&learner_code, chosen_seed)
            }) {
                Ok(sliced) => sliced,
                Err(view) => {
                    run_view.set(Some(*view));
                    return;
                }
            };
            running.set(Some(0));
            let slices = RunSlices {
                runs: runs.clone(),
                id,
                stop_requested,
                running,
                last_run,
                run_view,
            };
            spawn_local(slices.go(sliced, learner_code, chosen_seed, variant));
        }
    });
    let sweep_done = move |lesson: String| {
        let passed = tally.with_untracked(|t| t.as_ref().is_some_and(|t| t.all_passed()));
        if passed && has_exercise {
            if let Some(progress) = progress {
                progress.update(|p| {
                    p.done.insert(lesson);
                });
            }
        }
    };
    let check_all = {
        let sweeps = sweeps.clone();
        move |_| {
            save_before_run();
            let total = setup.with_value(|s| s.seeds());
            if let Some(problem) = scenario_problem(scenario_errors) {
                run_view.set(Some(RunView::error(FIRST_SEED, problem)));
                return;
            }
            let id = sweeps.begin();
            tally.set(Some(SweepTally::new(total)));
            let learner_code = code.get_untracked();
            // An edited scenario may have lost the checks: no credit for it.
            let lesson = (!edited.get_untracked()).then(|| lesson_id.clone());
            // The exercise's seeds, then every variant's.
            let sweep = match setup.with_value(|s| s.start_check(&learner_code)) {
                Ok(sweep) => sweep,
                Err(e) => {
                    run_view.set(Some(RunView::error(FIRST_SEED, e)));
                    tally.set(None);
                    return;
                }
            };
            let sweeps = sweeps.clone();
            spawn_local(async move {
                if sweep_slices(sweep, &sweeps, id, tally).await {
                    if let Some(lesson) = lesson {
                        sweep_done(lesson);
                    }
                }
            });
        }
    };
    let stop_sweep = {
        let sweeps = sweeps.clone();
        move |_| {
            sweeps.cancel();
            tally.update(|t| {
                if let Some(t) = t {
                    t.stopped = true;
                }
            });
        }
    };
    // Opens the exact run a check reports: its variant and seed.
    let open_run = Callback::new(move |(variant, chosen): (Option<String>, u64)| {
        run_variant.set(variant);
        seed.set(chosen);
        run.run(());
    });
    let variant_note = move || {
        run_variant.get().map(|name| {
            view! {
                <p class="notice" role="status">
                    {format!("Run uses variant “{name}” of this exercise. ")}
                    <button type="button" on:click=move |_| run_variant.set(None)>
                        "Back to the exercise's scenario"
                    </button>
                </p>
            }
        })
    };
    // Resetting throws the learner's code away, so it asks first.
    let confirming_reset = RwSignal::new(false);
    let reset = Callback::new(move |_| {
        confirming_reset.set(false);
        code.set(setup.with_value(|s| s.starting_code()));
        run_view.set(None);
        tally.set(None);
    });
    let reset_question = move || {
        confirming_reset.get().then(|| {
            view! {
                <ConfirmPanel
                    message="Replace your code with the lesson's starting code? Your version is lost unless you copied or shared it.".to_string()
                    confirm_label="Reset my code".to_string()
                    on_confirm=reset
                    on_cancel=Callback::new(move |_| confirming_reset.set(false))
                />
            }
        })
    };
    let random_seed = move |_| {
        // Not the engine's RNG: any new seed will do, and the run stays
        // reproducible because the seed is shown.
        let next = (js_sys_random() * 1_000_000.0) as u64;
        seed.set(next);
    };
    let shared_banner = move || {
        let key = code_key(&share_id);
        let home = home_lesson.clone();
        viewing_shared.get().then(|| match home {
            Some(home) => view! {
                <div class="notice shared-banner" role="status">
                    <p>
                        <strong>"You are viewing a shared version of this lesson."</strong>
                        " Your own saved code is unchanged; edits here are not saved unless you keep this version."
                    </p>
                    <button
                        type="button"
                        on:click={
                            let home = home.clone();
                            move |_| {
                                let scenario = edited.get_untracked().then(|| scenario_text.get_untracked());
                                if let Some(record) = SavedCode::write(&code.get_untracked(), Some(seed.get_untracked()), scenario.as_deref()) {
                                    not_saved.set(!storage_set(&key, &record));
                                }
                                viewing_shared.set(false);
                                set_location_hash(&lesson_href(&home));
                            }
                        }
                    >
                        "Keep this version"
                    </button>
                    " "
                    <a href=lesson_href(&home)>"Back to my saved code"</a>
                </div>
            }
            .into_any(),
            None => view! {
                <div class="notice shared-banner" role="status">
                    <p>
                        <strong>"You are viewing a shared scenario."</strong>
                        " It is not one of the lessons, and nothing you do here is saved in this browser: copy a share link to keep your changes."
                    </p>
                </div>
            }
            .into_any(),
        })
    };
    let shared_scenario = Signal::derive(move || edited.get().then(|| scenario_text.get()));
    let share_box =
        view! { <ShareBox target=share_as.get_value() code seed scenario=shared_scenario/> };
    let tab = RwSignal::new(EditorTab::Code);
    let panel_ids = panel_ids();
    let reset_scenario = Callback::new(move |_| {
        scenario_text.set(lesson_setup.with_value(|s| s.source.clone()));
    });
    let function = setup.with_value(|s| s.editable_function());
    let exercise = setup.with_value(|s| s.exercise.clone().map(|e| e.exercise));
    let error_line =
        Signal::derive(move || run_view.with(|r| r.as_ref().and_then(|r| r.error_line)));

    let goal = exercise.as_ref().map(|e| {
        view! {
            <p class="goal"><strong>"Goal: "</strong>{e.goal.clone()}</p>
        }
    });
    let hints = exercise.as_ref().map(|e| {
        let all = e.hints.clone();
        let count = all.len();
        let shown = move || {
            all.iter()
                .take(hints_shown.get())
                .enumerate()
                .map(|(i, h)| view! { <li>{format!("Hint {}: {h}", i + 1)}</li> })
                .collect_view()
        };
        view! {
            <ol class="hints" aria-live="polite">{shown}</ol>
            <button
                type="button"
                disabled=move || { hints_shown.get() >= count }
                on:click=move |_| hints_shown.update(|n| *n += 1)
            >
                {move || if hints_shown.get() >= count { "No more hints".to_string() } else { format!("Show hint {} of {count}", hints_shown.get() + 1) }}
            </button>
        }
    });
    let solution = exercise.as_ref().map(|e| {
        let text = e.solution.clone();
        view! {
            <button
                type="button"
                aria-expanded=move || solution_shown.get().to_string()
                on:click=move |_| solution_shown.update(|s| *s = !*s)
            >
                {move || if solution_shown.get() { "Hide the solution" } else { "Show the solution" }}
            </button>
            <Show when=move || solution_shown.get()>
                <pre class="solution"><code>{text.clone()}</code></pre>
            </Show>
        }
    });
    let editor = function.clone().map(|name| {
        view! {
            <CodeEditor
                label=format!("Code of function {name}")
                code
                on_run=run
                error_line
            />
        }
    });

    view! {
        <section
            class=move || if wide.get() { "playground wide" } else { "playground" }
            aria-labelledby="playground-title"
        >
            <div class="playground-header">
                <h2 id="playground-title">"Playground"</h2>
                <button
                    type="button"
                    aria-pressed=move || wide.get().to_string()
                    on:click=move |_| wide.update(|w| *w = !*w)
                >
                    {move || if wide.get() { "Show the lesson" } else { "Full width" }}
                </button>
            </div>
            {goal}
            {code_notice}
            {shared_banner}
            {share_box}
            {move || {
                not_saved
                    .get()
                    .then(|| view! { <p class="notice" role="alert">{NOT_SAVED_NOTICE}</p> })
            }}
            <EditorTabs tab ids=panel_ids.clone()/>
            <div
                role="tabpanel"
                id=panel_ids.0.clone()
                aria-labelledby=format!("{}-tab", panel_ids.0)
                hidden=move || tab.get() != EditorTab::Code
            >
                {editor}
            </div>
            <div
                role="tabpanel"
                id=panel_ids.1.clone()
                aria-labelledby=format!("{}-tab", panel_ids.1)
                hidden=move || tab.get() != EditorTab::Scenario
            >
                <ScenarioPanel
                    text=scenario_text
                    errors=scenario_errors
                    edited
                    on_reset=reset_scenario
                    on_run=run
                />
            </div>
            <div class="controls">
                <label>
                    "Seed "
                    <input
                        type="number"
                        min="0"
                        prop:value=move || seed.get().to_string()
                        on:change=move |ev| {
                            if let Ok(v) = event_target_value(&ev).trim().parse::<u64>() {
                                seed.set(v);
                            }
                        }
                    />
                </label>
                <button type="button" on:click=random_seed>"Random seed"</button>
                <button type="button" class="primary" on:click=move |_| run.run(())>"Run"</button>
                <button type="button" on:click=check_all>{move || format!("Check over {} seeds", check_seeds.get())}</button>
                <button type="button" on:click=move |_| confirming_reset.set(true)>"Reset code"</button>
            </div>
            // Progress and Stop stay in view while the learner scrolls.
            <div class="busy-bar">
                <p class="run-progress" role="status">
                    {move || running.get().map(|t| format!("Running… {t} ms of simulated time so far"))}
                </p>
                <Show when=move || running.get().is_some()>
                    <button type="button" on:click=move |_| stop_requested.set_value(true)>"Stop the run"</button>
                </Show>
                <Show when=move || tally.with(|t| t.as_ref().is_some_and(SweepTally::is_running))>
                    <p class="sweep-progress">
                        {move || tally.with(|t| t.as_ref().map(SweepTally::verdict))}
                    </p>
                    <button type="button" on:click=stop_sweep.clone()>"Stop the check"</button>
                </Show>
            </div>
            {reset_question}
            {hints}
            {solution}
            <SweepPanel tally on_open=open_run/>
            {variant_note}
            <RunPanel run_view/>
            {move || {
                last_run
                    .get()
                    .map(|(code, seed, run, variant)| {
                        // The setup of this run (its variant's scenario): a
                        // later scenario edit must not change what its
                        // playback replays.
                        let setup = StoredValue::new(
                            setup.with_value(|s| s.for_variant(variant.as_deref())),
                        );
                        view! { <SystemView setup code seed run/> }
                    })
            }}
        </section>
    }
}

/// Why Run and Check refuse while the scenario tab has problems.
fn scenario_problem(errors: RwSignal<Vec<String>>) -> Option<String> {
    errors.with_untracked(|e| {
        e.first().map(|first| {
            format!(
                "The scenario has {} problem(s); fix them in the Scenario tab first. {first}",
                e.len()
            )
        })
    })
}

/// The run shown: its code, seed, view and variant (none: the exercise's
/// own scenario).
type ShownRun = (String, u64, RunView, Option<String>);

/// What a run's slices need: its gate and the signals it reports to.
struct RunSlices {
    runs: TaskGate,
    id: u64,
    stop_requested: StoredValue<bool>,
    running: RwSignal<Option<u64>>,
    last_run: RwSignal<Option<ShownRun>>,
    run_view: RwSignal<Option<RunView>>,
}

impl RunSlices {
    /// Advances the run a slice per frame until it ends, is stopped, or is
    /// replaced; touches no signal once its gate says it is over.
    async fn go(
        self,
        mut sliced: SlicedRun,
        learner_code: String,
        chosen_seed: u64,
        variant: Option<String>,
    ) {
        loop {
            if !self.runs.is_current(self.id) {
                return;
            }
            let finished = advance_for_a_frame(|n| sliced.advance(n));
            let stopped = self.stop_requested.get_value();
            if finished || stopped {
                let mut view = sliced.into_view();
                if stopped && !finished {
                    view = view.stopped_by_learner();
                }
                self.running.set(None);
                if view.final_snapshot.is_some() {
                    self.last_run
                        .set(Some((learner_code, chosen_seed, view.clone(), variant)));
                }
                self.run_view.set(Some(view));
                return;
            }
            self.running.set(Some(sliced.now_ms()));
            yield_to_page().await;
        }
    }
}

/// Advances a sweep a slice per frame into `tally`; true when every seed
/// was judged, false when it was stopped, replaced or the page left.
async fn sweep_slices(
    mut sweep: SweepRunner,
    sweeps: &TaskGate,
    id: u64,
    tally: RwSignal<Option<SweepTally>>,
) -> bool {
    loop {
        yield_to_page().await;
        if !sweeps.is_current(id) {
            return false;
        }
        let finished = advance_for_a_frame(|n| sweep.advance(n));
        let slice = sweep.take_judged();
        tally.update(|t| {
            if let Some(t) = t {
                t.add(&slice)
            }
        });
        if finished {
            return true;
        }
    }
}

/// Wall-clock time a slice may take before the page gets a frame back.
const SLICE_BUDGET_MS: f64 = 12.0;
/// Events per step inside a slice: small, so a slice stops soon after its
/// budget even when each event is a handler that loops until its limit.
const EVENTS_PER_STEP: u64 = 50;

/// Most events in one slice, whatever the clock says: a browser that
/// coarsens `Date.now` (to 100 ms against fingerprinting) still gets its
/// frames. Only a bound; the time budget ends slices first (about 12 ms are
/// a few thousand events), so a cheap scenario's check is not cut into
/// slices shorter than a frame's worth of work.
const MAX_EVENTS_PER_SLICE: u64 = 50_000;

/// Advances (`advance(n)` processes up to `n` events, true when done) for
/// about [`SLICE_BUDGET_MS`] and at most [`MAX_EVENTS_PER_SLICE`] events, so
/// clicks are answered within a frame or one slow invocation, not after a
/// whole slice of slow invocations (issue 18: 1.2-1.7 s with a looping
/// handler). True when done.
fn advance_for_a_frame(mut advance: impl FnMut(u64) -> bool) -> bool {
    let started = js_sys::Date::now();
    let mut events = 0;
    while events < MAX_EVENTS_PER_SLICE {
        if advance(EVENTS_PER_STEP) {
            return true;
        }
        events += EVENTS_PER_STEP;
        if js_sys::Date::now() - started > SLICE_BUDGET_MS {
            break;
        }
    }
    false
}

/// The first `line N` in an error text.
pub fn line_of(text: &str) -> Option<u32> {
    let at = text.find("line ")?;
    let digits: String = text[at + 5..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

fn js_sys_random() -> f64 {
    // `Math.random` through wasm-bindgen without pulling js-sys in.
    #[wasm_bindgen::prelude::wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = Math)]
        fn random() -> f64;
    }
    random()
}
