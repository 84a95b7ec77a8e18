//! Reads a trace into a [`SequenceModel`]: who takes part, then one arrow
//! per event that is drawn (the table in `mod.rs`), in trace order.

use std::collections::{BTreeMap, BTreeSet};

use crate::sim::DestinationKind;
use crate::sim::Version;
use crate::sim::{ActorId, TraceEvent, TraceKind};

use super::*;

mod invocations;
mod messages;

/// Builds the diagram of a trace. Never panics.
pub fn build(trace: &[TraceEvent]) -> SequenceModel {
    let mut b = Builder::new(trace);
    for event in trace {
        b.event(event);
    }
    b.finish()
}

/// A lifeline before layout: kind and name identify it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct LifelineId {
    kind: LifelineKind,
    label: String,
    /// Lifelines of one group stand side by side: the environments of one
    /// function, in the order they started. Other lifelines are their own
    /// group (their label).
    group: String,
}

/// What the first pass learns about names, so that a bare name (a client's
/// destination) finds its kind.
#[derive(Default)]
struct Names {
    endpoints: BTreeSet<String>,
    topics: BTreeSet<String>,
    queues: BTreeSet<String>,
    dead_letter_queues: BTreeSet<String>,
}

impl Names {
    fn learn(trace: &[TraceEvent]) -> Names {
        let mut n = Names::default();
        for e in trace {
            match &e.actor {
                ActorId::Endpoint(name) => {
                    n.endpoints.insert(name.to_string());
                }
                ActorId::Topic(name) => {
                    n.topics.insert(name.to_string());
                }
                ActorId::Queue(name) => {
                    n.queues.insert(name.to_string());
                }
                _ => {}
            }
            if let Some(q) = &e.details.queue() {
                n.queues.insert(q.to_string());
            }
            if let Some(t) = &e.details.topic() {
                n.topics.insert(t.to_string());
            }
            if e.kind == TraceKind::MovedToDlq {
                if let Some(dlq) = &e.details.destination() {
                    n.dead_letter_queues.insert(dlq.to_string());
                }
            }
        }
        n
    }

    fn queue(&self, name: &str) -> LifelineId {
        let kind = if self.dead_letter_queues.contains(name) {
            LifelineKind::DeadLetterQueue
        } else {
            LifelineKind::Queue
        };
        plain(kind, name)
    }

    /// A client's destination: an endpoint, a topic or a queue. A name seen
    /// nowhere else is taken for an endpoint.
    fn destination(&self, name: &str) -> LifelineId {
        if self.queues.contains(name) && !self.endpoints.contains(name) {
            return self.queue(name);
        }
        let kind = if self.topics.contains(name) && !self.endpoints.contains(name) {
            LifelineKind::Topic
        } else {
            LifelineKind::Endpoint
        };
        plain(kind, name)
    }
}

/// The invocation an event belongs to, by request id.
#[derive(Clone)]
struct Invocation {
    environment: LifelineId,
    keys: Vec<HighlightKey>,
}

/// An arrow before layout (lifelines by id).
struct Draft {
    time_ms: u64,
    seq: u64,
    from: LifelineId,
    to: LifelineId,
    kind: ArrowKind,
    label: String,
    emphasis: Emphasis,
    keys: Vec<HighlightKey>,
    /// What happens, after "at N ms, ".
    words: String,
}

struct Builder {
    names: Names,
    /// Lifelines in order of first appearance.
    seen: Vec<LifelineId>,
    seen_set: BTreeSet<LifelineId>,
    drafts: Vec<Draft>,
    /// Receipt handle -> (queue, message id), from `Received`.
    handles: BTreeMap<u64, (String, u64)>,
    /// Mapping -> the queue it receives from.
    mapping_queue: BTreeMap<String, String>,
    /// (client, call) -> the endpoint that accepted it.
    accepted_by: BTreeMap<(String, u64), String>,
    /// Topic message id -> the topic that delivered it to a function.
    delivered_by: BTreeMap<u64, String>,
    /// Request id -> its invocation.
    invocations: BTreeMap<String, Invocation>,
    /// Store key -> the version the store holds now (as the trace tells
    /// it), so a write is stale exactly when the store counts it stale:
    /// older than the version it replaced (see `Store::stale_overwrites`).
    stored: BTreeMap<String, Version>,
}

impl Builder {
    fn new(trace: &[TraceEvent]) -> Builder {
        Builder {
            names: Names::learn(trace),
            seen: Vec::new(),
            seen_set: BTreeSet::new(),
            drafts: Vec::new(),
            handles: BTreeMap::new(),
            mapping_queue: BTreeMap::new(),
            accepted_by: BTreeMap::new(),
            delivered_by: BTreeMap::new(),
            invocations: BTreeMap::new(),
            stored: BTreeMap::new(),
        }
    }

    fn see(&mut self, id: &LifelineId) {
        if self.seen_set.insert(id.clone()) {
            self.seen.push(id.clone());
        }
    }

    fn draw(&mut self, draft: Draft) {
        self.see(&draft.from);
        self.see(&draft.to);
        self.drafts.push(draft);
    }

    fn event(&mut self, e: &TraceEvent) {
        // Participants show up even when they draw no arrow.
        match &e.actor {
            ActorId::Client(name) => self.see(&client(name)),
            ActorId::Endpoint(name) => self.see(&endpoint(name)),
            ActorId::Topic(name) => self.see(&topic(name)),
            ActorId::Queue(name) => {
                let id = self.names.queue(name);
                self.see(&id)
            }
            ActorId::Consumer(name) => self.see(&consumer(name)),
            ActorId::Workflow(name) => self.see(&workflow(name)),
            _ => {}
        }
        match e.kind {
            TraceKind::ExecutionStarted => self.execution_started(e),
            TraceKind::StepRetried | TraceKind::ExecutionFailed => self.step_failed(e),
            TraceKind::Received => self.received(e),
            TraceKind::EndpointAccepted => self.accepted(e),
            TraceKind::Delivered => self.delivered(e),
            TraceKind::ClientRequested => self.requested(e),
            TraceKind::Sent | TraceKind::Published => self.sent(e),
            TraceKind::InvocationStarted => self.started(e),
            TraceKind::StoreWrite => self.store_write(e),
            TraceKind::StoreRead => self.store_read(e),
            TraceKind::StoreCallFailed => self.store_call_failed(e),
            TraceKind::ClientResponded => self.responded(e),
            TraceKind::MovedToDlq => self.moved_to_dlq(e),
            TraceKind::EndpointThrottled => self.throttled(e),
            TraceKind::InvocationFailed => self.failed(e),
            TraceKind::ClientFailed => self.gave_up(e),
            TraceKind::ProcessingFailed => self.processing_failed(e),
            TraceKind::EnvironmentStarted => {
                if let (Some(function), Some(env)) =
                    (&e.details.function(), e.details.environment())
                {
                    self.see(&environment(function, env));
                }
            }
            _ => {}
        }
    }

    fn finish(self) -> SequenceModel {
        // Columns by kind (clients left, store right), then by group (a
        // function's environments together), then by first appearance.
        let mut group_rank: BTreeMap<(LifelineKind, String), usize> = BTreeMap::new();
        for (i, id) in self.seen.iter().enumerate() {
            group_rank.entry((id.kind, id.group.clone())).or_insert(i);
        }
        let rank = |i: usize, id: &LifelineId| {
            let group = group_rank
                .get(&(id.kind, id.group.clone()))
                .copied()
                .unwrap_or(i);
            (id.kind, group, i)
        };
        let mut order: Vec<(usize, LifelineId)> = self.seen.into_iter().enumerate().collect();
        order.sort_by_key(|(i, id)| rank(*i, id));
        let index: BTreeMap<LifelineId, usize> = order
            .iter()
            .enumerate()
            .map(|(i, (_, id))| (id.clone(), i))
            .collect();
        let lifelines = order
            .into_iter()
            .enumerate()
            .map(|(i, (_, id))| Lifeline {
                kind: id.kind,
                label: id.label,
                x_px: TIME_COLUMN_PX + LIFELINE_SPACING_PX * i as u32 + LIFELINE_SPACING_PX / 2,
            })
            .collect();
        let arrows = self
            .drafts
            .into_iter()
            .filter_map(|d| {
                let from = *index.get(&d.from)?;
                let to = *index.get(&d.to)?;
                Some(Arrow {
                    time_ms: d.time_ms,
                    seq: d.seq,
                    from,
                    to,
                    kind: d.kind,
                    label: shorten(&d.label),
                    emphasis: d.emphasis,
                    keys: d.keys,
                    description: format!("at {} ms, {}", d.time_ms, d.words),
                })
            })
            .collect();
        SequenceModel { lifelines, arrows }
    }
}

/// A lifeline that is its own group.
fn plain(kind: LifelineKind, name: &str) -> LifelineId {
    LifelineId {
        kind,
        label: name.to_string(),
        group: name.to_string(),
    }
}

fn client(name: &str) -> LifelineId {
    plain(LifelineKind::Client, name)
}

fn consumer(name: &str) -> LifelineId {
    plain(LifelineKind::Consumer, name)
}

fn endpoint(name: &str) -> LifelineId {
    plain(LifelineKind::Endpoint, name)
}

fn topic(name: &str) -> LifelineId {
    plain(LifelineKind::Topic, name)
}

fn environment(function: &str, env: u64) -> LifelineId {
    LifelineId {
        kind: LifelineKind::Environment,
        label: format!("{function} env {env}"),
        group: function.to_string(),
    }
}

fn workflow(name: &str) -> LifelineId {
    plain(LifelineKind::Workflow, name)
}

fn execution_key(workflow: &str, execution: &str) -> HighlightKey {
    HighlightKey::Execution {
        workflow: workflow.to_string(),
        execution: execution.to_string(),
    }
}

fn store() -> LifelineId {
    plain(LifelineKind::Store, "store")
}

/// How a lifeline is named in words (see [`Lifeline::spoken`]).
fn spoken(id: &LifelineId) -> String {
    Lifeline {
        kind: id.kind,
        label: id.label.clone(),
        x_px: 0,
    }
    .spoken()
}

fn call_key(client: &str, call: Option<u64>) -> Vec<HighlightKey> {
    call.map(|call| {
        vec![HighlightKey::Call {
            client: client.to_string(),
            call,
        }]
    })
    .unwrap_or_default()
}

/// A batch's label ("m3, m4 +2") and its words ("messages m3, m4, m5, m6").
fn batch_texts(ids: &[u64], handles: usize) -> (String, String) {
    let unknown = handles.saturating_sub(ids.len());
    let names: Vec<String> = ids.iter().map(|id| format!("m{id}")).collect();
    let mut label = names
        .iter()
        .take(LABEL_IDS)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let more = names.len().saturating_sub(LABEL_IDS) + unknown;
    if more > 0 {
        if label.is_empty() {
            label = format!("{more} messages");
        } else {
            label.push_str(&format!(" +{more}"));
        }
    }
    let mut words = match names.len() {
        0 => String::new(),
        1 => format!("message {}", names[0]),
        _ => format!("messages {}", names.join(", ")),
    };
    if unknown > 0 {
        let unknown_words = if unknown == 1 {
            "1 message".to_string()
        } else {
            format!("{unknown} messages")
        };
        words = if words.is_empty() {
            unknown_words
        } else {
            format!("{words} and {unknown_words} more")
        };
    }
    (label, words)
}

fn status_words(code: u16) -> &'static str {
    match code {
        200 => "OK",
        400 => "Bad Request",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        504 => "Gateway Timeout",
        c if c < 300 => "success",
        c if c < 500 => "client error",
        _ => "server error",
    }
}

/// At most [`MAX_LABEL_CHARS`] characters, with an ellipsis when cut.
fn shorten(text: &str) -> String {
    shorten_to(text, MAX_LABEL_CHARS)
}

/// At most `max` characters (at least 1), with an ellipsis when cut.
fn shorten_to(text: &str, max: usize) -> String {
    let max = max.max(1);
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}
