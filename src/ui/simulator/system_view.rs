//! The live system of a run: playback controls (play, pause, step, speed,
//! run to end, back to the start, and a time scrubber to go back to any
//! moment), the topology with its counters and moving messages, and the
//! inspector of the component chosen. Playing forward continues one world
//! from frame to frame; going back replays from the start (the engine is
//! deterministic, so both are exact).

use leptos::prelude::*;

use super::inspector::Inspector;
use super::playback_bar::PlaybackBar;
use super::playground_model::PlaygroundSetup;
use super::run_view::RunView;
use super::sequence_diagram::SequenceDiagram;
use super::topology::TopologyDiagram;
use super::topology_model::Topology;
use super::use_moment::{use_moment, MomentReplay};
use super::use_playback::use_playback;
use super::what_if::WhatIf;
use super::what_if_model::code_of;
use crate::sim::Intervention;

/// The playback of one run.
///
/// - `setup`: the lesson's scenario.
/// - `code`: the code the run used.
/// - `seed`: the seed the run used.
/// - `run`: the finished run (its end is shown first, without a replay).
/// - `interventions`: the "what if?" acts of the branch shown.
/// - `on_act`: called with an act chosen at a paused moment, and the
///   replay holding that moment's world (to fork it).
/// - `start_ms`: the moment shown first (none: the end).
#[component]
pub fn SystemView(
    setup: StoredValue<PlaygroundSetup>,
    code: String,
    seed: u64,
    run: RunView,
    #[prop(default = Vec::new())] interventions: Vec<Intervention>,
    #[prop(optional)] on_act: Option<Callback<(Intervention, Option<MomentReplay>)>>,
    #[prop(default = None)] start_ms: Option<u64>,
) -> impl IntoView {
    let end_ms = run.end_ms;
    let playback = use_playback(end_ms);
    if let Some(t) = start_ms {
        playback.go_to(t);
    }
    let selected = RwSignal::new(None::<usize>);
    let topology = setup.with_value(|s| Topology::of(&s.scenario));
    let nodes = StoredValue::new(topology.nodes.clone());
    let layout = StoredValue::new(topology.clone());
    let (snapshot, dots, replay) = use_moment(
        setup,
        layout,
        (&code, seed, &interventions),
        &run,
        playback.time_ms,
    );
    let full_trace = StoredValue::new(run.trace);

    let inspector = move || {
        selected.get().and_then(|i| {
            nodes
                .with_value(|n| n.get(i).cloned())
                .map(|node| view! { <Inspector node snapshot/> })
        })
    };
    let run_code = StoredValue::new(code);
    // Acts are offered only while paused: they apply at the moment shown.
    let what_if = move || {
        let on_act = on_act?;
        let on_act = Callback::new(move |iv| on_act.run((iv, Some(replay))));
        let node = selected
            .get()
            .and_then(|i| nodes.with_value(|n| n.get(i).cloned()))?;
        (!playback.playing.get()).then(|| {
            let code = setup.with_value(|s| code_of(s, node.name.as_str(), &run_code.get_value()));
            view! { <WhatIf node snapshot at_ms=playback.time_ms on_act code/> }
        })
    };

    view! {
        <section class="system" aria-label="System">
            <PlaybackBar playback trace=full_trace/>
            <TopologyDiagram topology snapshot dots selected/>
            {inspector}
            {what_if}
            <SequenceDiagram
                trace=Signal::derive(move || full_trace.get_value())
                until_ms=Signal::derive(move || Some(playback.time_ms.get()))
            />
        </section>
    }
}
