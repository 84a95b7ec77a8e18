//! The system view's playback toolbar (Play, Step, Back to start, Run to
//! end, speed) and its time scrubber.

use leptos::prelude::*;

use super::playback::SPEEDS;
use super::use_playback::Playback;
use crate::sim::TraceEvent;

/// The controls of `playback`; Step moves to the next moment in `trace`.
#[component]
pub fn PlaybackBar(playback: Playback, trace: StoredValue<Vec<TraceEvent>>) -> impl IntoView {
    let Playback {
        time_ms,
        playing,
        speed,
        end_ms,
        ..
    } = playback;
    let speed_options = SPEEDS
        .iter()
        .map(|(label, value)| view! { <option value=value.to_string() selected=*value == 1>{*label}</option> })
        .collect_view();
    view! {
        <div class="playback" role="toolbar" aria-label="Playback">
            <button type="button" on:click=move |_| playback.toggle() aria-pressed=move || playing.get().to_string()>
                {move || if playing.get() { "Pause" } else { "Play" }}
            </button>
            <button type="button" on:click=move |_| trace.with_value(|t| playback.step(t))>"Step"</button>
            <button type="button" on:click=move |_| playback.go_to(0)>"Back to start"</button>
            <button type="button" on:click=move |_| playback.go_to(end_ms)>"Run to end"</button>
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
                        playback.go_to(v);
                    }
                }
            />
        </label>
    }
}
