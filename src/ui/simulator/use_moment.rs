//! The world at the time playback shows: the run's end as it finished, any
//! earlier moment replayed from the start (the engine is deterministic, so
//! replaying is exact), and the messages in flight then.

use leptos::prelude::*;

use super::playground_model::{Moment, PlaygroundSetup};
use super::run_view::RunView;
use super::topology_model::{Dot, Topology};
use crate::sim::WorldSnapshot;

/// What the topology draws at `time_ms` of `run` (of `code` with `seed`
/// and a branch's `interventions` over `setup`): the world's snapshot and the moving messages.
pub fn use_moment(
    setup: StoredValue<PlaygroundSetup>,
    layout: StoredValue<Topology>,
    (code, seed, interventions): (&str, u64, &[crate::sim::Intervention]),
    run: &RunView,
    time_ms: RwSignal<u64>,
) -> (Signal<Option<WorldSnapshot>>, Signal<Vec<Dot>>) {
    let end_ms = run.end_ms;
    let final_moment = run.final_snapshot.clone().map(|snapshot| Moment {
        time_ms: end_ms,
        snapshot,
        trace: run.trace.clone(),
    });
    // Local: the world holds the script engine, which is not Send.
    let replay = StoredValue::new_local(
        setup.with_value(|s| s.replay_branch(code, seed, interventions).ok()),
    );
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
    (snapshot, dots)
}
