//! The sequence diagram's view model, natively: lifelines of real
//! scenarios, a stale overwrite drawn and described as stale, 429s drawn as
//! throttles, a small drawn range for a huge trace, and no panic on odd
//! traces.

use event_playground::scenario::{load, run_seed, Scenario};
use event_playground::sim::{ActorId, MessageId, Name, TraceDetails, TraceEvent, TraceKind};
use event_playground::ui::simulator::sequence_model::{
    build, row_after_key, scroll_to_show, visible_range, ArrowKind, Emphasis, HighlightKey,
    LifelineKind, SequenceModel, HEADER_HEIGHT_PX, OVERSCAN_ROWS, ROW_HEIGHT_PX,
};

mod disk;
use disk::Disk;

fn scenario(path: &str) -> Scenario {
    load(path, &Disk).unwrap_or_else(|d| panic!("{}", d[0]))
}

fn trace_of(path: &str, seed: u64) -> Vec<TraceEvent> {
    let (_, outcome) = run_seed(&scenario(path), seed);
    assert!(outcome.error.is_none(), "{:?}", outcome.error);
    outcome.trace
}

fn labels(model: &SequenceModel, kind: LifelineKind) -> Vec<String> {
    model
        .lifelines
        .iter()
        .filter(|l| l.kind == kind)
        .map(|l| l.label.clone())
        .collect()
}

#[test]
fn the_compare_scenario_has_a_lifeline_per_participant() {
    let model = build(&trace_of("scenarios/compare.toml", 1));
    assert_eq!(
        labels(&model, LifelineKind::Client),
        ["api-editors", "queue-editors"]
    );
    assert_eq!(labels(&model, LifelineKind::Endpoint), ["api"]);
    assert_eq!(labels(&model, LifelineKind::Queue), ["saves"]);
    assert_eq!(labels(&model, LifelineKind::Store), ["store"]);
    assert!(labels(&model, LifelineKind::DeadLetterQueue).is_empty());
    let envs = labels(&model, LifelineKind::Environment);
    assert!(
        envs.iter().any(|l| l.starts_with("save-api env ")),
        "{envs:?}"
    );
    assert!(
        envs.iter().any(|l| l.starts_with("save-queue env ")),
        "{envs:?}"
    );
    // A function's environments stand side by side.
    let mut functions: Vec<&str> = envs
        .iter()
        .map(|l| l.split(" env ").next().unwrap())
        .collect();
    functions.dedup();
    assert_eq!(functions, ["save-api", "save-queue"], "{envs:?}");

    // Columns run left to right by kind, evenly spaced, clients first.
    let kinds: Vec<LifelineKind> = model.lifelines.iter().map(|l| l.kind).collect();
    let mut sorted = kinds.clone();
    sorted.sort();
    assert_eq!(kinds, sorted);
    assert!(model.lifelines.windows(2).all(|w| w[0].x_px < w[1].x_px));
    assert!(model.width_px() > model.lifelines.last().unwrap().x_px);

    // Every arrow joins two lifelines, in time order.
    assert!(!model.arrows.is_empty());
    for a in &model.arrows {
        assert!(a.from < model.lifelines.len() && a.to < model.lifelines.len());
        assert!(a.description.starts_with(&format!("at {} ms, ", a.time_ms)));
    }
    assert!(model
        .arrows
        .windows(2)
        .all(|w| w[0].time_ms <= w[1].time_ms));

    // Each kind of arrow the scenario makes is there.
    for kind in [
        ArrowKind::Request,
        ArrowKind::Send,
        ArrowKind::Deliver,
        ArrowKind::Invoke,
        ArrowKind::Write,
        ArrowKind::Respond,
        ArrowKind::Throttled,
    ] {
        assert!(
            model.arrows.iter().any(|a| a.kind == kind),
            "no {kind:?} arrow"
        );
    }
}

#[test]
fn a_queue_delivery_names_its_messages_and_links_to_the_send() {
    let model = build(&trace_of("scenarios/compare.toml", 1));
    let deliver = model
        .arrows
        .iter()
        .position(|a| a.kind == ArrowKind::Deliver)
        .expect("a delivery");
    let arrow = &model.arrows[deliver];
    assert_eq!(model.lifelines[arrow.from].label, "saves");
    assert!(model.lifelines[arrow.to]
        .label
        .starts_with("save-queue env "));
    let Some(HighlightKey::Message(id)) = arrow.keys.first().cloned() else {
        panic!("no message key: {arrow:?}");
    };
    assert_eq!(arrow.label, format!("m{id}"));
    assert!(arrow
        .description
        .contains(&format!("delivers message m{id} to save-queue env ")));
    // Hovering it highlights the client's send of the same message and the
    // write the invocation made.
    let related = model.related(deliver);
    let kinds: Vec<ArrowKind> = related.iter().map(|&i| model.arrows[i].kind).collect();
    assert!(kinds.contains(&ArrowKind::Send), "{kinds:?}");
    assert!(kinds.contains(&ArrowKind::Write), "{kinds:?}");
}

#[test]
fn a_429_is_drawn_as_a_throttle_and_linked_to_its_call() {
    let model = build(&trace_of("scenarios/compare.toml", 1));
    let throttled: Vec<_> = model
        .arrows
        .iter()
        .enumerate()
        .filter(|(_, a)| a.label.starts_with("429"))
        .collect();
    assert!(!throttled.is_empty());
    for (_, a) in &throttled {
        assert_eq!(a.emphasis, Emphasis::Throttle, "{a:?}");
        assert!(a.class().contains("seq-throttle"));
        assert!(a.description.contains("429"), "{}", a.description);
    }
    let (i, answer) = throttled
        .iter()
        .find(|(_, a)| a.kind == ArrowKind::Respond)
        .expect("a 429 answer");
    assert_eq!(model.lifelines[answer.from].label, "api");
    assert_eq!(model.lifelines[answer.to].label, "api-editors");
    assert!(answer.description.contains("Too Many Requests"));
    // Same client and call: the request, the endpoint's throttle, the answer.
    let related = model.related(*i);
    let kinds: Vec<ArrowKind> = related.iter().map(|&r| model.arrows[r].kind).collect();
    assert!(kinds.contains(&ArrowKind::Request), "{kinds:?}");
    assert!(kinds.contains(&ArrowKind::Throttled), "{kinds:?}");
    // No other call is highlighted with it.
    assert!(related.iter().all(|&r| model.arrows[r].keys == answer.keys));
    // Nothing but throttles is drawn as one.
    assert!(model
        .arrows
        .iter()
        .filter(|a| a.emphasis == Emphasis::Throttle)
        .all(|a| a.label.starts_with("429")));
}

#[test]
fn a_stale_overwrite_is_drawn_and_described_as_stale() {
    let (report, outcome) = run_seed(&scenario("lessons/06-version-store.md"), 1);
    let snapshot = outcome.snapshot.as_ref().expect("snapshot");
    let expected = &snapshot.store.stale_overwrites;
    assert!(
        !expected.is_empty(),
        "seed 1 of the naive handler should overwrite stale: {:?}",
        report.checks
    );
    let model = build(&outcome.trace);
    let stale: Vec<_> = model
        .arrows
        .iter()
        .filter(|a| a.emphasis == Emphasis::Stale)
        .collect();
    assert!(!stale.is_empty());
    for a in &stale {
        assert_eq!(a.kind, ArrowKind::Write);
        assert_eq!(model.lifelines[a.to].kind, LifelineKind::Store);
        assert!(model.lifelines[a.from].label.starts_with("save env "));
        assert!(a.label.ends_with("stale"), "{}", a.label);
        assert!(a.class().contains("seq-stale"));
        assert!(
            a.description.contains("stale overwrite of v1."),
            "{}",
            a.description
        );
        assert!(a.description.contains(" writes "), "{}", a.description);
    }
    // Every stale overwrite the store saw is among them.
    for s in expected {
        let words = format!("writes {} {}", s.key, s.written);
        assert!(
            stale.iter().any(|a| a.description.contains(&words)),
            "{words} not drawn stale"
        );
    }
    // Writes that move forward are not stale.
    assert!(model
        .arrows
        .iter()
        .any(|a| a.kind == ArrowKind::Write && a.emphasis == Emphasis::Normal));
}

#[test]
fn versions_compare_as_versions_not_text() {
    let write = |seq: u64, version: &str| TraceEvent {
        time_ms: seq * 10,
        seq,
        actor: ActorId::Function(Name::from("save")),
        kind: TraceKind::StoreWrite,
        message_id: None,
        details: TraceDetails {
            function: Some(Name::from("save")),
            key: Some(Name::from("report-1")),
            version: Some(Name::from(version)),
            ..TraceDetails::default()
        }
        .into(),
    };
    let model = build(&[write(0, "v1.9"), write(1, "v1.10"), write(2, "v1.9")]);
    let emphasis: Vec<Emphasis> = model.arrows.iter().map(|a| a.emphasis).collect();
    assert_eq!(
        emphasis,
        [Emphasis::Normal, Emphasis::Normal, Emphasis::Stale]
    );
    assert_eq!(
        model.arrows[2].description,
        "at 20 ms, save writes report-1 v1.9 to the store: stale overwrite of v1.10"
    );
}

#[test]
fn a_huge_trace_draws_only_a_few_rows() {
    let events: Vec<TraceEvent> = (0..10_000u64)
        .map(|i| TraceEvent {
            time_ms: i,
            seq: i,
            actor: ActorId::Client(Name::from("editor")),
            kind: TraceKind::Sent,
            message_id: Some(MessageId(i)),
            details: TraceDetails {
                queue: Some(Name::from("saves")),
                ..TraceDetails::default()
            }
            .into(),
        })
        .collect();
    let model = build(&events);
    assert_eq!(model.arrows.len(), 10_000);
    assert_eq!(model.lifelines.len(), 2);

    let top = model.visible_rows(0.0, 600.0);
    assert_eq!(top.start, 0);
    assert!(top.len() < 50, "{top:?}");

    let middle_px = f64::from(SequenceModel::row_y_px(5_000));
    let middle = model.visible_rows(middle_px, 600.0);
    assert!(middle.contains(&5_000), "{middle:?}");
    assert!(
        middle.len() < 50 && middle.len() > 2 * OVERSCAN_ROWS,
        "{middle:?}"
    );

    let bottom = model.visible_rows(1e12, 600.0);
    assert_eq!(bottom, 10_000..10_000);
    assert_eq!(
        model.visible_rows(f64::NAN, f64::INFINITY),
        0..OVERSCAN_ROWS
    );
    assert_eq!(visible_range(0, 100.0, 600.0), 0..0);
    assert_eq!(model.rows_until(Some(99)), 100);
    assert_eq!(model.rows_until(None), 10_000);
}

#[test]
fn an_empty_trace_gives_an_empty_model() {
    let model = build(&[]);
    assert!(model.is_empty());
    assert!(model.lifelines.is_empty());
    assert!(model.arrows.is_empty());
    assert_eq!(model.visible_rows(0.0, 800.0), 0..0);
    assert_eq!(model.rows_until(Some(10)), 0);
    assert!(model.related(3).is_empty());
}

#[test]
fn odd_events_do_not_panic() {
    // Every kind, every actor, no details at all.
    let actors = [
        ActorId::External,
        ActorId::Client(Name::from("c")),
        ActorId::Topic(Name::from("t")),
        ActorId::Queue(Name::from("q")),
        ActorId::Consumer(Name::from("k")),
        ActorId::Mapping(Name::from("m")),
        ActorId::Function(Name::from("f")),
        ActorId::Endpoint(Name::from("e")),
    ];
    let kinds = [
        TraceKind::ClientRequested,
        TraceKind::EndpointThrottled,
        TraceKind::EndpointAccepted,
        TraceKind::ClientResponded,
        TraceKind::ClientRetried,
        TraceKind::ClientFailed,
        TraceKind::Sent,
        TraceKind::Published,
        TraceKind::Received,
        TraceKind::InvocationStarted,
        TraceKind::InvocationFailed,
        TraceKind::StoreWrite,
        TraceKind::MovedToDlq,
        TraceKind::Delivered,
    ];
    let mut events = Vec::new();
    for actor in &actors {
        for kind in kinds {
            let seq = events.len() as u64;
            events.push(TraceEvent {
                time_ms: 1_000 - seq, // time even runs backwards
                seq,
                actor: actor.clone(),
                kind,
                message_id: None,
                details: TraceDetails::default().into(),
            });
            let seq = events.len() as u64;
            events.push(TraceEvent {
                time_ms: seq,
                seq,
                actor: actor.clone(),
                kind,
                message_id: Some(MessageId(seq)),
                details: TraceDetails {
                    environment: Some(7),
                    function: Some(Name::from("f")),
                    receipt_handles: vec![1, 2, 3],
                    destination: Some(Name::from("nowhere")),
                    version: Some(Name::from("not a version")),
                    status_code: Some(429),
                    ..TraceDetails::default()
                }
                .into(),
            });
        }
    }
    let model = build(&events);
    for a in &model.arrows {
        assert!(a.from < model.lifelines.len() && a.to < model.lifelines.len());
        assert!(!a.description.is_empty());
    }
    let _ = model.rows_until(Some(500));
    let _ = model.visible_rows(-5.0, -1.0);
}

#[test]
fn dead_letters_move_from_their_queue_to_its_dead_letter_queue() {
    let model = build(&trace_of("scenarios/dead-letter.toml", 7));
    assert_eq!(labels(&model, LifelineKind::Queue), ["orders"]);
    assert_eq!(
        labels(&model, LifelineKind::DeadLetterQueue),
        ["orders-dlq"]
    );
    assert_eq!(labels(&model, LifelineKind::Consumer), ["worker"]);
    let moves: Vec<_> = model
        .arrows
        .iter()
        .filter(|a| a.kind == ArrowKind::DeadLetter)
        .collect();
    assert!(!moves.is_empty());
    for a in &moves {
        assert_eq!(model.lifelines[a.from].label, "orders");
        assert_eq!(model.lifelines[a.to].label, "orders-dlq");
        assert!(
            a.description.contains("queue orders moves message m")
                && a.description.ends_with("to dead-letter queue orders-dlq"),
            "{}",
            a.description
        );
    }
    // Failures to process are errors, tied to their message.
    let failed = model
        .arrows
        .iter()
        .find(|a| a.kind == ArrowKind::ProcessingFailed)
        .expect("a processing failure");
    assert_eq!(failed.emphasis, Emphasis::Error);
    assert!(failed.is_self());
    assert!(matches!(failed.keys.as_slice(), [HighlightKey::Message(_)]));
}

#[test]
fn a_topic_fans_out_and_its_copies_light_up_with_the_publish() {
    let model = build(&trace_of("scenarios/editor-fanout.toml", 1));
    assert_eq!(labels(&model, LifelineKind::Topic), ["doc-saved"]);
    assert_eq!(labels(&model, LifelineKind::Queue).len(), 2);
    let publish = model
        .arrows
        .iter()
        .position(|a| {
            a.kind == ArrowKind::Send && model.lifelines[a.to].kind == LifelineKind::Topic
        })
        .expect("a publish");
    assert!(model.arrows[publish]
        .description
        .contains("editor publishes message m"));
    let copies: Vec<_> = model
        .related(publish)
        .into_iter()
        .filter(|&i| model.arrows[i].kind == ArrowKind::Fanout)
        .collect();
    assert_eq!(copies.len(), 2, "one copy per subscribed queue");
    for i in copies {
        let a = &model.arrows[i];
        assert_eq!(model.lifelines[a.from].label, "doc-saved");
        assert!(a.description.contains("(a copy of m"), "{}", a.description);
    }
}

#[test]
fn a_workflow_has_a_lifeline_its_executions_start_from_and_invoke_from() {
    let model = build(&trace_of("scenarios/workflow.toml", 1));
    assert_eq!(labels(&model, LifelineKind::Workflow), ["publish"]);
    let workflow = model
        .lifelines
        .iter()
        .position(|l| l.kind == LifelineKind::Workflow)
        .unwrap();
    let starts: Vec<_> = model
        .arrows
        .iter()
        .filter(|a| a.kind == ArrowKind::Start)
        .collect();
    assert_eq!(starts.len(), 3, "one execution per save");
    assert!(starts.iter().all(|a| a.to == workflow));
    assert!(
        starts[0].description.contains("starts execution doc-1-v1."),
        "{}",
        starts[0].description
    );
    let invokes: Vec<_> = model
        .arrows
        .iter()
        .filter(|a| a.kind == ArrowKind::Invoke && a.from == workflow)
        .collect();
    assert_eq!(invokes.len(), 6, "two task steps per execution");
    // Hovering a start highlights that execution's task invocations.
    let related = invokes.iter().filter(|a| a.is_related(starts[0])).count();
    assert_eq!(related, 2);
}

#[test]
fn a_step_retry_and_a_failed_execution_are_drawn_on_the_workflow() {
    let at = |seq: u64, kind: TraceKind, details: TraceDetails| TraceEvent {
        time_ms: seq * 10,
        seq,
        actor: ActorId::Workflow(Name::from("publish")),
        kind,
        message_id: None,
        details: details.into(),
    };
    let base = TraceDetails {
        workflow: Some(Name::from("publish")),
        execution: Some(Name::from("x1")),
        step: Some(Name::from("render")),
        error_kind: Some("States.TaskFailed".into()),
        ..TraceDetails::default()
    };
    let trace = vec![
        at(
            0,
            TraceKind::StepRetried,
            TraceDetails {
                next_at_ms: Some(500),
                ..base.clone()
            },
        ),
        at(1, TraceKind::ExecutionFailed, base),
    ];
    let model = build(&trace);
    assert_eq!(model.arrows.len(), 2);
    assert!(model
        .arrows
        .iter()
        .all(|a| a.is_self() && a.emphasis == Emphasis::Error));
    assert_eq!(model.arrows[0].label, "retry at 500 ms");
    assert!(model.arrows[1]
        .description
        .contains("execution x1 failed at step render with States.TaskFailed"));
}

#[test]
fn keys_move_between_rows_and_stop_at_the_ends() {
    assert_eq!(row_after_key("ArrowDown", 0, 10, 4), Some(1));
    assert_eq!(row_after_key("ArrowDown", 9, 10, 4), Some(9));
    assert_eq!(row_after_key("ArrowUp", 0, 10, 4), Some(0));
    assert_eq!(row_after_key("PageDown", 3, 10, 4), Some(7));
    assert_eq!(row_after_key("PageDown", 8, 10, 4), Some(9));
    assert_eq!(row_after_key("PageUp", 3, 10, 4), Some(0));
    assert_eq!(row_after_key("Home", 5, 10, 4), Some(0));
    assert_eq!(row_after_key("End", 5, 10, 4), Some(9));
    // A zero page still moves; Tab and letters are the browser's.
    assert_eq!(row_after_key("PageDown", 0, 10, 0), Some(1));
    assert_eq!(row_after_key("Tab", 5, 10, 4), None);
    assert_eq!(row_after_key("a", 5, 10, 4), None);
    assert_eq!(row_after_key("ArrowDown", 0, 0, 4), None);
}

#[test]
fn scrolling_to_a_row_moves_only_as_far_as_needed() {
    let row = f64::from(ROW_HEIGHT_PX);
    let head = f64::from(HEADER_HEIGHT_PX);
    let viewport = head + 10.0 * row;
    // Already whole below the headers: no move.
    assert_eq!(scroll_to_show(3, 0.0, viewport), 0.0);
    // Below the bottom: scrolled until its bottom edge shows.
    assert_eq!(
        scroll_to_show(20, 0.0, viewport),
        head + 21.0 * row - viewport
    );
    // Above, under the sticky headers: scrolled up to it.
    assert_eq!(scroll_to_show(2, 10.0 * row, viewport), 2.0 * row);
    // The row the scroll lands on is among those drawn.
    for target in [0, 7, 20, 99] {
        let top = scroll_to_show(target, 40.0 * row, viewport);
        assert!(
            visible_range(100, top, viewport).contains(&target),
            "{target}"
        );
    }
}

/// A store call refused during a `store_errors` fault is drawn: a failed
/// arrow from the environment to the store, so a handler that swallows the
/// error (and loses the save) shows on the diagram where the save went.
#[test]
fn a_store_error_is_drawn_as_a_failed_call_to_the_store() {
    let text = r#"
[scenario]
name = "Store outage"

[[queues]]
name = "saves"

[[functions]]
name = "save"
code = '''
fn handler(event, context) {
    for record in event.Records {
        try { store.put(record.body.doc, record.body); } catch (err) { }
    }
}
'''

[[mappings]]
name = "saves-to-save"
queue = "saves"
function = "save"

[[clients]]
name = "editor"
kind = "editor"
target = { queue = "saves" }

[[faults]]
kind = "store_errors"
rate_ppm = 1000000
until_ms = 60000
"#;
    let scenario = event_playground::scenario::parse("outage.toml", text)
        .unwrap_or_else(|d| panic!("{}", d[0]));
    let (_, outcome) = run_seed(&scenario, 1);
    let model = build(&outcome.trace);
    let store = model
        .lifelines
        .iter()
        .position(|l| l.kind == LifelineKind::Store)
        .expect("a store lifeline");
    let failed: Vec<_> = model
        .arrows
        .iter()
        .filter(|a| a.to == store && a.emphasis == Emphasis::Error)
        .collect();
    let failed_calls = outcome
        .trace
        .iter()
        .filter(|e| e.kind == TraceKind::StoreCallFailed)
        .count();
    assert!(failed_calls > 0, "the fault failed no call");
    assert_eq!(failed.len(), failed_calls);
    assert!(
        failed[0].label.ends_with("store error"),
        "{}",
        failed[0].label
    );
    assert!(
        failed[0].description.contains("the store is unavailable"),
        "{}",
        failed[0].description
    );
}
