//! The system view's playback: the time shown, and Play, Step, Back to
//! start, Run to end and the scrubber over it. Playing forward moves the
//! time a frame at a time on a timer (`playback.rs` says how far).

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::playback::{next_frame, play_from, FRAME_MS};
use super::playground_model::next_event_time;
use super::task_gate::TaskGate;
use crate::sim::TraceEvent;

/// The time shown and whether it moves by itself.
#[derive(Clone, Copy)]
pub struct Playback {
    /// The virtual time shown.
    pub time_ms: RwSignal<u64>,
    /// Playing.
    pub playing: RwSignal<bool>,
    /// Virtual milliseconds per wall-clock millisecond (0: a quarter).
    pub speed: RwSignal<u64>,
    /// The run's end.
    pub end_ms: u64,
    frames: StoredValue<TaskGate>,
}

/// Playback of a run ending at `end_ms`, showing its end first; frames stop
/// when the view goes away (see `task_gate`).
pub fn use_playback(end_ms: u64) -> Playback {
    let frames = TaskGate::default();
    on_cleanup({
        let frames = frames.clone();
        move || frames.close()
    });
    Playback {
        time_ms: RwSignal::new(end_ms),
        playing: RwSignal::new(false),
        speed: RwSignal::new(1),
        end_ms,
        frames: StoredValue::new(frames),
    }
}

impl Playback {
    /// Play, or Pause while playing.
    pub fn toggle(self) {
        if self.playing.get_untracked() {
            self.playing.set(false);
            return;
        }
        let now = self.time_ms.get_untracked();
        if play_from(now, self.end_ms) != now {
            self.time_ms.set(play_from(now, self.end_ms));
        }
        self.playing.set(true);
        let frames = self.frames.get_value();
        let id = frames.begin();
        spawn_local(async move {
            loop {
                gloo_timers::future::TimeoutFuture::new(FRAME_MS).await;
                if !frames.is_current(id) || !self.playing.get_untracked() {
                    return;
                }
                let now = self.time_ms.get_untracked();
                let (next, ended) = next_frame(now, self.speed.get_untracked(), self.end_ms);
                self.time_ms.set(next);
                if ended {
                    self.playing.set(false);
                    return;
                }
            }
        });
    }

    /// Step: pauses, and goes to the next moment something happens in
    /// `trace` (or the end).
    pub fn step(self, trace: &[TraceEvent]) {
        self.playing.set(false);
        let next = next_event_time(trace, self.time_ms.get_untracked()).unwrap_or(self.end_ms);
        self.time_ms.set(next.min(self.end_ms));
    }

    /// Pauses and shows `time_ms` (at most the end).
    pub fn go_to(self, time_ms: u64) {
        self.playing.set(false);
        self.time_ms.set(time_ms.min(self.end_ms));
    }
}
