//! The live system of a run: playback controls (play, pause, step, speed,
//! run to end, back to the start, and a time scrubber to go back to any
//! moment), the topology with its counters and moving messages, and the
//! inspector of the component chosen. Playing forward continues one world
//! from frame to frame; going back replays from the start (the engine is
//! deterministic, so both are exact).

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::task_gate::TaskGate;

use super::inspector::Inspector;
use super::playground_model::{next_event_time, Moment, PlaygroundSetup};
use super::run_view::RunView;
use super::sequence_diagram::SequenceDiagram;
use super::topology::TopologyDiagram;
use super::topology_model::Topology;

/// Wall-clock time between two frames of playback.
const FRAME_MS: u32 = 50;

/// Playback speeds: virtual milliseconds per wall-clock millisecond.
pub const SPEEDS: &[(&str, u64)] = &[("0.25×", 0), ("1×", 1), ("4×", 4), ("16×", 16), ("64×", 64)];

/// The playback of one run.
///
/// - `setup`: the lesson's scenario.
/// - `code`: the code the run used.
/// - `seed`: the seed the run used.
/// - `run`: the finished run (its end is shown first, without a replay).
#[component]
pub fn SystemView(
    setup: StoredValue<PlaygroundSetup>,
    code: String,
    seed: u64,
    run: RunView,
) -> impl IntoView {
    let code = StoredValue::new(code);
    let end_ms = run.end_ms;
    let final_moment = run.final_snapshot.clone().map(|snapshot| Moment {
        time_ms: end_ms,
        snapshot,
        trace: run.trace.clone(),
    });
    let time_ms = RwSignal::new(end_ms);
    let playing = RwSignal::new(false);
    let speed = RwSignal::new(1u64);
    let selected = RwSignal::new(None::<usize>);
    // Playback frames stop when the view goes away (see `task_gate`).
    let frames = TaskGate::default();
    on_cleanup({
        let frames = frames.clone();
        move || frames.close()
    });
    let topology = setup.with_value(|s| Topology::of(&s.scenario));
    let nodes = StoredValue::new(topology.nodes.clone());
    let layout = StoredValue::new(topology.clone());
    // Local: the world holds the script engine, which is not Send.
    let replay =
        StoredValue::new_local(setup.with_value(|s| code.with_value(|c| s.replay(c, seed).ok())));
    let moment = Memo::new(move |_| {
        let t = time_ms.get();
        if t >= end_ms {
            return final_moment.clone();
        }
        replay
            .try_update_value(|r| r.as_mut().and_then(|r| r.moment(t)))
            .flatten()
    });
    let snapshot = Signal::derive(move || moment.with(|m| m.as_ref().map(|m| m.snapshot.clone())));
    let dots = Signal::derive(move || {
        moment.with(|m| {
            m.as_ref()
                .map(|m| {
                    setup.with_value(|s| {
                        layout.with_value(|t| t.dots(&m.trace, &s.scenario, m.time_ms))
                    })
                })
                .unwrap_or_default()
        })
    });
    let full_trace = StoredValue::new(run.trace);

    let play = move |_| {
        let frames = frames.clone();
        if playing.get_untracked() {
            playing.set(false);
            return;
        }
        if time_ms.get_untracked() >= end_ms {
            time_ms.set(0);
        }
        playing.set(true);
        let id = frames.begin();
        spawn_local(async move {
            loop {
                gloo_timers::future::TimeoutFuture::new(FRAME_MS).await;
                if !frames.is_current(id) || !playing.get_untracked() {
                    return;
                }
                let step = match speed.get_untracked() {
                    0 => u64::from(FRAME_MS) / 4,
                    n => u64::from(FRAME_MS) * n,
                };
                let next = (time_ms.get_untracked() + step).min(end_ms);
                time_ms.set(next);
                if next >= end_ms {
                    playing.set(false);
                    return;
                }
            }
        });
    };
    let step = move |_| {
        playing.set(false);
        let now = time_ms.get_untracked();
        let next = full_trace
            .with_value(|t| next_event_time(t, now))
            .unwrap_or(end_ms);
        time_ms.set(next.min(end_ms));
    };
    let inspector = move || {
        selected.get().and_then(|i| {
            nodes
                .with_value(|n| n.get(i).cloned())
                .map(|node| view! { <Inspector node snapshot/> })
        })
    };
    let speed_options = SPEEDS
        .iter()
        .map(|(label, value)| view! { <option value=value.to_string() selected=*value == 1>{*label}</option> })
        .collect_view();

    view! {
        <section class="system" aria-label="System">
            <div class="playback" role="toolbar" aria-label="Playback">
                <button type="button" on:click=play aria-pressed=move || playing.get().to_string()>
                    {move || if playing.get() { "Pause" } else { "Play" }}
                </button>
                <button type="button" on:click=step>"Step"</button>
                <button type="button" on:click=move |_| { playing.set(false); time_ms.set(0) }>"Back to start"</button>
                <button type="button" on:click=move |_| { playing.set(false); time_ms.set(end_ms) }>"Run to end"</button>
                <label>
                    "Speed "
                    <select on:change=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<u64>() {
                            speed.set(v);
                        }
                    }>{speed_options}</select>
                </label>
            </div>
            <label class="scrubber">
                <span>{move || format!("Time: {} ms of {end_ms} ms", time_ms.get())}</span>
                <input
                    type="range"
                    min="0"
                    max=end_ms.to_string()
                    step="1"
                    aria-label="Time in milliseconds"
                    prop:value=move || time_ms.get().to_string()
                    on:input=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<u64>() {
                            playing.set(false);
                            time_ms.set(v.min(end_ms));
                        }
                    }
                />
            </label>
            <TopologyDiagram topology snapshot dots selected/>
            {inspector}
            <SequenceDiagram
                trace=Signal::derive(move || full_trace.get_value())
                until_ms=Signal::derive(move || Some(time_ms.get()))
            />
        </section>
    }
}
