//! The playground's Run: a run advanced a slice per frame (`slicing.rs`),
//! stopped by Stop, by a newer run, or when the playground goes away.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::playground_model::SlicedRun;
use super::run_view::RunView;
use super::slicing::{run_frame, RunFrame, ShownRun};
use super::task_gate::TaskGate;
use super::yield_to_page::yield_to_page;

/// The state of the playground's runs, and what starts and stops them.
#[derive(Clone, Copy)]
pub struct SlicedRunState {
    /// The result shown in the run panel (a run's, or why it could not run).
    pub run_view: RwSignal<Option<RunView>>,
    /// The run drawn in the system view.
    pub last_run: RwSignal<Option<ShownRun>>,
    /// While a run is going on: the virtual time it has reached.
    pub running: RwSignal<Option<u64>>,
    stop_requested: StoredValue<bool>,
    gate: StoredValue<TaskGate>,
}

/// The playground's runs; closes their gate when the playground goes away
/// (its signals are then disposed and must not be touched).
pub fn use_sliced_run() -> SlicedRunState {
    let gate = TaskGate::default();
    on_cleanup({
        let gate = gate.clone();
        move || gate.close()
    });
    SlicedRunState {
        run_view: RwSignal::new(None),
        last_run: RwSignal::new(None),
        running: RwSignal::new(None),
        stop_requested: StoredValue::new(false),
        gate: StoredValue::new(gate),
    }
}

impl SlicedRunState {
    /// Starts a new run, which replaces any earlier one; returns its id.
    pub fn begin(&self) -> u64 {
        let id = self.gate.with_value(TaskGate::begin);
        self.stop_requested.set_value(false);
        self.last_run.set(None);
        id
    }

    /// Stop: the run ends after its current slice, showing what it reached.
    pub fn request_stop(&self) {
        self.stop_requested.set_value(true);
    }

    /// Advances run `id` a slice per frame until it ends, is stopped, or is
    /// replaced; touches no signal once its gate says it is over.
    pub fn go(self, id: u64, run: SlicedRun, code: String, seed: u64, variant: Option<String>) {
        self.running.set(Some(0));
        let gate = self.gate.get_value();
        spawn_local(async move {
            let mut run = Box::new(run);
            loop {
                if !gate.is_current(id) {
                    return;
                }
                let stopped = self.stop_requested.get_value();
                run = match run_frame(run, js_sys::Date::now, stopped) {
                    RunFrame::Going(run) => run,
                    RunFrame::Ended(view) => {
                        self.running.set(None);
                        if let Some(shown) = ShownRun::of_ended(code, seed, &view, variant) {
                            self.last_run.set(Some(shown));
                        }
                        self.run_view.set(Some(*view));
                        return;
                    }
                };
                self.running.set(Some(run.now_ms()));
                yield_to_page().await;
            }
        });
    }
}
