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
use super::playground_model::{PlaygroundSetup, RunView, SweepTally, EVENTS_PER_SLICE};
use super::route::lesson_href;
use super::run_panel::RunPanel;
use super::saved_work::{code_key, Progress, SavedCode, NOT_SAVED_NOTICE};
use super::share_box::ShareBox;
use super::share_link::{SharedTarget, SharedWork};
use super::sweep_panel::SweepPanel;
use super::system_view::SystemView;

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
            }),
            Some(work.seed),
        ),
        None => {
            let seed = saved.as_ref().and_then(|s| s.seed);
            (saved, seed)
        }
    };
    let code = RwSignal::new(
        saved
            .map(|s| s.code)
            .unwrap_or_else(|| setup.with_value(|s| s.starting_code())),
    );
    let seed = RwSignal::new(
        saved_seed.unwrap_or_else(|| setup.with_value(|s| s.scenario.config.scenario.seed)),
    );
    let not_saved = RwSignal::new(false);
    // Every edit is kept, so switching lessons or reloading loses nothing.
    Effect::new(move |previous: Option<()>| {
        let (text, chosen_seed) = (code.get(), seed.get());
        if previous.is_some() && !viewing_shared.get_untracked() {
            if let Some(record) = SavedCode::write(&text, Some(chosen_seed)) {
                not_saved.set(!storage_set(&key, &record));
            }
        }
    });
    let progress = use_context::<RwSignal<Progress>>();
    let has_exercise = setup.with_value(|s| s.exercise.is_some());
    let code_notice = code_notice.map(|text| view! { <p class="notice" role="status">{text}</p> });
    let run_view = RwSignal::new(None::<RunView>);
    let tally = RwSignal::new(None::<SweepTally>);
    let hints_shown = RwSignal::new(0usize);
    let wide = RwSignal::new(false);
    let solution_shown = RwSignal::new(false);
    // Each sweep gets a number; a slice of an older sweep stops itself.
    let sweep_id = StoredValue::new(0u64);

    // The code, seed and variant (none: the exercise's own scenario) of the
    // run shown, and the run itself.
    let last_run = RwSignal::new(None::<(String, u64, RunView, Option<String>)>);
    // The variant Run uses: set by opening a failing run of a check.
    let run_variant = RwSignal::new(None::<String>);
    // While a run is going on: the virtual time it has reached.
    let running = RwSignal::new(None::<u64>);
    let stop_requested = StoredValue::new(false);
    let run_id = StoredValue::new(0u64);
    let run = Callback::new(move |_| {
        let (learner_code, chosen_seed) = (code.get_untracked(), seed.get_untracked());
        let id = run_id.get_value() + 1;
        run_id.set_value(id);
        stop_requested.set_value(false);
        last_run.set(None);
        let variant = run_variant.get_untracked();
        let mut sliced = match setup.with_value(|s| {
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
        spawn_local(async move {
            loop {
                let finished = sliced.advance(EVENTS_PER_SLICE);
                let stopped = stop_requested.get_value();
                if finished || stopped {
                    let mut view = sliced.into_view();
                    if stopped && !finished {
                        view = view.stopped_by_learner();
                    }
                    running.set(None);
                    if view.final_snapshot.is_some() {
                        last_run.set(Some((learner_code, chosen_seed, view.clone(), variant)));
                    }
                    run_view.set(Some(view));
                    return;
                }
                running.set(Some(sliced.now_ms()));
                // Give the page a frame between slices.
                gloo_timers::future::TimeoutFuture::new(0).await;
                if run_id.get_value() != id {
                    return;
                }
            }
        });
    });
    let check_all = move |_| {
        let total = setup.with_value(|s| s.seeds());
        let id = sweep_id.get_value() + 1;
        sweep_id.set_value(id);
        tally.set(Some(SweepTally::new(total)));
        let learner_code = code.get_untracked();
        let lesson = lesson_id.clone();
        // Seeds 1, 2, ...: seed 0 is nobody's default, and lesson texts
        // count seeds from 1.
        let mut sweep = match setup.with_value(|s| s.start_check(&learner_code)) {
            Ok(sweep) => sweep,
            Err(e) => {
                run_view.set(Some(RunView::error(1, e)));
                tally.set(None);
                return;
            }
        };
        spawn_local(async move {
            loop {
                // Give the page a frame between slices.
                gloo_timers::future::TimeoutFuture::new(0).await;
                if sweep_id.get_value() != id {
                    return;
                }
                let finished = sweep.advance(EVENTS_PER_SLICE);
                let slice = sweep.take_judged();
                tally.update(|t| {
                    if let Some(t) = t {
                        t.add(&slice)
                    }
                });
                if finished {
                    let passed =
                        tally.with_untracked(|t| t.as_ref().is_some_and(|t| t.all_passed()));
                    if passed && has_exercise {
                        if let Some(progress) = progress {
                            progress.update(|p| {
                                p.done.insert(lesson.clone());
                            });
                        }
                    }
                    return;
                }
            }
        });
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
                                if let Some(record) = SavedCode::write(&code.get_untracked(), Some(seed.get_untracked())) {
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
    let share_box = view! { <ShareBox target=share_as.get_value() code seed/> };
    let function = setup.with_value(|s| s.editable_function());
    let exercise = setup.with_value(|s| s.exercise.clone().map(|e| e.exercise));
    let seeds = setup.with_value(|s| s.seeds());
    let error_line = Signal::derive(move || {
        run_view.with(|r| {
            r.as_ref().and_then(|r| {
                let text = r.error.as_deref().or(r.first_handler_error.as_deref())?;
                line_of(text)
            })
        })
    });

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
            {editor}
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
                <Show when=move || running.get().is_some()>
                    <button type="button" on:click=move |_| stop_requested.set_value(true)>"Stop"</button>
                </Show>
                <button type="button" on:click=check_all>{format!("Check over {seeds} seeds")}</button>
                <button type="button" on:click=move |_| confirming_reset.set(true)>"Reset code"</button>
            </div>
            {reset_question}
            {hints}
            {solution}
            <p class="run-progress" role="status">
                {move || running.get().map(|t| format!("Running… {t} ms of simulated time so far"))}
            </p>
            <SweepPanel tally on_open=open_run/>
            {variant_note}
            <RunPanel run_view/>
            {move || {
                last_run
                    .get()
                    .map(|(code, seed, run, variant)| {
                        let setup = StoredValue::new(
                            setup.with_value(|s| s.for_variant(variant.as_deref())),
                        );
                        view! { <SystemView setup code seed run/> }
                    })
            }}
        </section>
    }
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
