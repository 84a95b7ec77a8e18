//! The playground's "Check over N seeds": a sweep advanced a slice per frame
//! (`slicing.rs`) into a tally, stopped by Stop, by a newer check, or when
//! the playground goes away.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::slicing::sweep_frame;
use super::sweep_tally::SweepTally;
use super::task_gate::TaskGate;
use super::yield_to_page::yield_to_page;
use crate::scenario::sweep::SweepRunner;

/// The state of the playground's checks, and what starts and stops them.
#[derive(Clone, Copy)]
pub struct SweepState {
    /// The running totals (none: no check yet, or reset).
    pub tally: RwSignal<Option<SweepTally>>,
    gate: StoredValue<TaskGate>,
}

/// The playground's checks; closes their gate when the playground goes
/// away (its signals are then disposed and must not be touched).
pub fn use_sweep() -> SweepState {
    let gate = TaskGate::default();
    on_cleanup({
        let gate = gate.clone();
        move || gate.close()
    });
    SweepState {
        tally: RwSignal::new(None),
        gate: StoredValue::new(gate),
    }
}

impl SweepState {
    /// Starts a check of `total` seeds, which replaces any earlier one;
    /// returns its id.
    pub fn begin(&self, total: u64) -> u64 {
        let id = self.gate.with_value(TaskGate::begin);
        self.tally.set(Some(SweepTally::new(total)));
        id
    }

    /// Stop: no further slice runs, and the tally says it was stopped.
    pub fn stop(&self) {
        self.gate.with_value(TaskGate::cancel);
        self.tally.update(|t| {
            if let Some(t) = t {
                t.stopped = true;
            }
        });
    }

    /// Advances check `id` a slice per frame into the tally; calls
    /// `on_done` once every seed was judged (not when it was stopped,
    /// replaced or the page left).
    pub fn go(self, id: u64, mut sweep: SweepRunner, on_done: impl FnOnce() + 'static) {
        let gate = self.gate.get_value();
        spawn_local(async move {
            loop {
                yield_to_page().await;
                if !gate.is_current(id) {
                    return;
                }
                let (finished, slice) = sweep_frame(&mut sweep, js_sys::Date::now);
                self.tally.update(|t| {
                    if let Some(t) = t {
                        t.add(&slice)
                    }
                });
                if finished {
                    on_done();
                    return;
                }
            }
        });
    }
}
