//! The sequence diagram's view model: a run's trace turned into lifelines
//! (who takes part) and arrows (who talks to whom, in trace order), with
//! their geometry, labels, emphasis, highlight keys and accessible words.
//!
//! Pure: no web crates, so `tests/ui_sequence_model.rs` covers it natively.
//! [`build`] never panics: unknown actors, missing details and events out
//! of the usual order are drawn as well as they can be, or left out.
//!
//! Arrows drawn (one row each, in trace order):
//!
//! | trace event                              | arrow                           |
//! |------------------------------------------|---------------------------------|
//! | `ClientRequested`                        | client → endpoint/topic/queue   |
//! | `Sent` / `Published` by a client         | client → queue/topic            |
//! | `Sent` by a topic                        | topic → queue                   |
//! | `InvocationStarted` with receipt handles | queue → environment (its batch) |
//! | `InvocationStarted` for a client call    | endpoint → environment          |
//! | `InvocationStarted` for a topic delivery | topic → environment             |
//! | `StoreWrite`                             | environment → store             |
//! | `StoreRead`                              | store → environment             |
//! | `ClientResponded`                        | endpoint/queue/topic → client   |
//! | `MovedToDlq`                             | queue/topic → dead-letter queue |
//! | `EndpointThrottled`                      | endpoint, to itself (429)       |
//! | `InvocationFailed`                       | environment, to itself          |
//! | `ClientFailed`                           | client, to itself               |
//! | `Received` by a built-in consumer        | queue → consumer                |
//! | `ProcessingFailed`                       | consumer, to itself             |
//! | `ExecutionStarted` by a handler          | environment → workflow          |
//! | `InvocationStarted` for a task step      | workflow → environment          |
//! | `StepRetried`, `ExecutionFailed`         | workflow, to itself             |

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use crate::sim::trace::DestinationKind;
use crate::sim::version::Version;
use crate::sim::{ActorId, TraceEvent, TraceKind};

/// Height of one arrow row, in CSS pixels.
pub const ROW_HEIGHT_PX: u32 = 30;
/// Height of the lifeline headers (they stay at the top while scrolling).
pub const HEADER_HEIGHT_PX: u32 = 52;
/// Width of the time column at the left.
pub const TIME_COLUMN_PX: u32 = 84;
/// Distance between two lifelines.
pub const LIFELINE_SPACING_PX: u32 = 150;
/// Rows drawn above and below the visible ones, so that a quick scroll or
/// Tab to the next arrow finds it already drawn.
pub const OVERSCAN_ROWS: usize = 8;
/// Longest arrow label, in characters (the description has everything).
pub const MAX_LABEL_CHARS: usize = 24;
/// What a refused store call's label says after its key.
const STORE_ERROR: &str = " store error";
/// How many message ids a batch arrow's label lists before "+N".
const LABEL_IDS: usize = 3;
/// HTTP status of a throttled request.
const TOO_MANY_REQUESTS: u16 = 429;

/// What a lifeline stands for. The order of the variants is the order of
/// the columns, left to right: requests flow rightwards.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LifelineKind {
    /// A client of a workload.
    Client,
    /// An API endpoint.
    Endpoint,
    /// A topic.
    Topic,
    /// A queue that is not a dead-letter queue.
    Queue,
    /// A queue some redrive policy or subscription sends dead letters to.
    DeadLetterQueue,
    /// A built-in consumer polling a queue.
    Consumer,
    /// A workflow: its executions start here and invoke environments.
    Workflow,
    /// One execution environment of a function.
    Environment,
    /// The key-value store.
    Store,
}

impl LifelineKind {
    /// A short word for the header and for CSS (`seq-lifeline-queue`).
    pub fn word(self) -> &'static str {
        match self {
            LifelineKind::Client => "client",
            LifelineKind::Endpoint => "endpoint",
            LifelineKind::Topic => "topic",
            LifelineKind::Queue => "queue",
            LifelineKind::DeadLetterQueue => "dead-letter queue",
            LifelineKind::Consumer => "consumer",
            LifelineKind::Workflow => "workflow",
            LifelineKind::Environment => "function",
            LifelineKind::Store => "store",
        }
    }

    /// The CSS class suffix.
    pub fn class(self) -> &'static str {
        match self {
            LifelineKind::Client => "client",
            LifelineKind::Endpoint => "endpoint",
            LifelineKind::Topic => "topic",
            LifelineKind::Queue => "queue",
            LifelineKind::DeadLetterQueue => "dlq",
            LifelineKind::Consumer => "consumer",
            LifelineKind::Workflow => "workflow",
            LifelineKind::Environment => "environment",
            LifelineKind::Store => "store",
        }
    }
}

/// One participant, drawn as a vertical line under a header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lifeline {
    /// What it stands for.
    pub kind: LifelineKind,
    /// Its name as shown: `api`, `saves`, `save env 1`, `store`.
    pub label: String,
    /// Its x position (centre), in CSS pixels from the diagram's left edge.
    pub x_px: u32,
}

impl Lifeline {
    /// How the lifeline is named in words: "queue saves", "save env 1",
    /// "the store".
    pub fn spoken(&self) -> String {
        match self.kind {
            LifelineKind::Environment => self.label.clone(),
            LifelineKind::Store => "the store".to_string(),
            kind => format!("{} {}", kind.word(), self.label),
        }
    }
}

/// How an arrow is emphasised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Emphasis {
    /// Nothing special.
    Normal,
    /// A store write older than the version it replaced (what the store
    /// and the checks count as a stale overwrite).
    Stale,
    /// A 429: the endpoint (or the function's concurrency) refused it.
    Throttle,
    /// A failure: a failed invocation, a 5xx, a call given up.
    Error,
}

impl Emphasis {
    /// The CSS class suffix (`seq-stale`).
    pub fn class(self) -> &'static str {
        match self {
            Emphasis::Normal => "normal",
            Emphasis::Stale => "stale",
            Emphasis::Throttle => "throttle",
            Emphasis::Error => "error",
        }
    }
}

/// What an arrow shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ArrowKind {
    /// A client sent a call (`ClientRequested`).
    Request,
    /// A client's message was stored in a queue or published to a topic.
    Send,
    /// A topic delivered a copy of a message to a queue.
    Fanout,
    /// A queue's batch (or a topic's delivery) started an invocation, or
    /// a consumer received a message.
    Deliver,
    /// An endpoint passed a call to its function.
    Invoke,
    /// An invocation wrote to the store.
    Write,
    /// An invocation read from the store (drawn from the store to the
    /// environment, at the moment the read was served).
    Read,
    /// A client got its answer.
    Respond,
    /// A message moved to a dead-letter queue.
    DeadLetter,
    /// An endpoint refused a call with 429 (drawn on the endpoint itself).
    Throttled,
    /// An invocation failed (drawn on its environment).
    Failed,
    /// A client gave a call up (drawn on the client).
    GaveUp,
    /// A consumer failed to process a message (drawn on the consumer).
    ProcessingFailed,
    /// A handler started a workflow execution.
    Start,
    /// A workflow step failed and waits for its retry, or an execution
    /// failed (drawn on the workflow).
    StepFailed,
}

impl ArrowKind {
    /// The CSS class suffix (`seq-kind-write`).
    pub fn class(self) -> &'static str {
        match self {
            ArrowKind::Request => "request",
            ArrowKind::Send => "send",
            ArrowKind::Fanout => "fanout",
            ArrowKind::Deliver => "deliver",
            ArrowKind::Invoke => "invoke",
            ArrowKind::Write => "write",
            ArrowKind::Read => "read",
            ArrowKind::Respond => "respond",
            ArrowKind::DeadLetter => "dead-letter",
            ArrowKind::Throttled => "throttled",
            ArrowKind::Failed => "failed",
            ArrowKind::GaveUp => "gave-up",
            ArrowKind::ProcessingFailed => "processing-failed",
            ArrowKind::Start => "start",
            ArrowKind::StepFailed => "step-failed",
        }
    }
}

/// What ties arrows together for highlighting: one message, or one call of
/// a client (all its attempts and answers).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HighlightKey {
    /// A message id (a queue message or a topic message).
    Message(u64),
    /// A client's call, by client name and call number.
    Call {
        /// The client.
        client: String,
        /// The call's number in the client's workload.
        call: u64,
    },
    /// A workflow execution, by workflow and execution name.
    Execution {
        /// The workflow.
        workflow: String,
        /// The execution's name.
        execution: String,
    },
}

/// One row of the diagram.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arrow {
    /// Virtual time of the event, in milliseconds.
    pub time_ms: u64,
    /// The trace event it was drawn from (`TraceEvent::seq`).
    pub seq: u64,
    /// Index of the lifeline it starts from.
    pub from: usize,
    /// Index of the lifeline it points at (equal to `from` for an arrow to
    /// itself).
    pub to: usize,
    /// What it shows.
    pub kind: ArrowKind,
    /// The short text drawn on it.
    pub label: String,
    /// How it is emphasised.
    pub emphasis: Emphasis,
    /// Messages and calls it belongs to (sorted, no repeats).
    pub keys: Vec<HighlightKey>,
    /// The arrow in words, for screen readers and the tooltip.
    pub description: String,
}

impl Arrow {
    /// True if the arrow points back at its own lifeline.
    pub fn is_self(&self) -> bool {
        self.from == self.to
    }

    /// The CSS classes of the arrow: `seq-arrow seq-kind-write seq-stale`.
    pub fn class(&self) -> String {
        format!(
            "seq-arrow seq-kind-{} seq-{}",
            self.kind.class(),
            self.emphasis.class()
        )
    }

    /// True if the two arrows share a message or a call.
    pub fn is_related(&self, other: &Arrow) -> bool {
        self.keys.iter().any(|k| other.keys.contains(k))
    }
}

/// The whole diagram.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SequenceModel {
    /// The columns, left to right.
    pub lifelines: Vec<Lifeline>,
    /// The rows, top to bottom (trace order, so time never goes back).
    pub arrows: Vec<Arrow>,
}

impl SequenceModel {
    /// True if there is nothing to draw.
    pub fn is_empty(&self) -> bool {
        self.arrows.is_empty()
    }

    /// Width of the drawing, time column included.
    pub fn width_px(&self) -> u32 {
        TIME_COLUMN_PX + LIFELINE_SPACING_PX * self.lifelines.len() as u32
    }

    /// Height of `rows` rows (headers not included).
    pub fn rows_height_px(rows: usize) -> u32 {
        (rows as u32).saturating_mul(ROW_HEIGHT_PX)
    }

    /// The y of row `row`'s arrow, from the top of the rows area.
    pub fn row_y_px(row: usize) -> u32 {
        Self::rows_height_px(row).saturating_add(ROW_HEIGHT_PX / 2)
    }

    /// The x of lifeline `index` (0 when there is no such lifeline).
    pub fn lifeline_x_px(&self, index: usize) -> u32 {
        self.lifelines.get(index).map_or(0, |l| l.x_px)
    }

    /// The x of the centre of a straight arrow's label, from its tail at
    /// `from_x_px` to its head at `to_x_px`: the middle of a short arrow;
    /// on a long one, one lifeline spacing back from the head, so the words
    /// stay beside where the arrow lands (the store, far right) and both fit
    /// in a narrow box.
    pub fn label_centre_x_px(from_x_px: i64, to_x_px: i64) -> i64 {
        let spacing = i64::from(LIFELINE_SPACING_PX);
        if (to_x_px - from_x_px).abs() <= 2 * spacing {
            (from_x_px + to_x_px) / 2
        } else {
            to_x_px - spacing * (to_x_px - from_x_px).signum()
        }
    }

    /// How many rows are at or before `until_ms` (all rows when `None`).
    /// Rows are in time order, so these are the first rows.
    pub fn rows_until(&self, until_ms: Option<u64>) -> usize {
        match until_ms {
            None => self.arrows.len(),
            Some(until) => self.arrows.partition_point(|a| a.time_ms <= until),
        }
    }

    /// The rows to draw for a scroll container scrolled to `scroll_top_px`
    /// showing `viewport_px` of height, with [`OVERSCAN_ROWS`] more each
    /// side. Both are measured from the top of the scrolled content, which
    /// starts with the lifeline headers.
    pub fn visible_rows(&self, scroll_top_px: f64, viewport_px: f64) -> Range<usize> {
        visible_range(self.arrows.len(), scroll_top_px, viewport_px)
    }

    /// Indices of the arrows related to arrow `index` (itself included).
    pub fn related(&self, index: usize) -> Vec<usize> {
        let Some(arrow) = self.arrows.get(index) else {
            return Vec::new();
        };
        self.arrows
            .iter()
            .enumerate()
            .filter(|(i, a)| *i == index || a.is_related(arrow))
            .map(|(i, _)| i)
            .collect()
    }
}

/// Where the keyboard moves within the arrows (the diagram is one Tab stop;
/// keys move between its rows): the row `key` leads to from `current`, in
/// a diagram of `rows` rows of which `page` fit on screen. `None` for keys
/// the diagram leaves to the browser.
pub fn row_after_key(key: &str, current: usize, rows: usize, page: usize) -> Option<usize> {
    let last = rows.checked_sub(1)?;
    let page = page.max(1);
    let next = match key {
        "ArrowDown" => current.saturating_add(1),
        "ArrowUp" => current.saturating_sub(1),
        "PageDown" => current.saturating_add(page),
        "PageUp" => current.saturating_sub(page),
        "Home" => 0,
        "End" => last,
        _ => return None,
    };
    Some(next.min(last))
}

/// The scroll position that shows row `row` whole below the sticky headers,
/// moving as little as possible from `scroll_top_px`.
pub fn scroll_to_show(row: usize, scroll_top_px: f64, viewport_px: f64) -> f64 {
    let top = f64::from(HEADER_HEIGHT_PX) + f64::from(SequenceModel::rows_height_px(row));
    let bottom = top + f64::from(ROW_HEIGHT_PX);
    if top - f64::from(HEADER_HEIGHT_PX) < scroll_top_px {
        top - f64::from(HEADER_HEIGHT_PX)
    } else if bottom > scroll_top_px + viewport_px {
        bottom - viewport_px
    } else {
        scroll_top_px
    }
}

/// [`SequenceModel::visible_rows`] for `rows` rows: never past `rows`, and
/// empty when there are none. Negative or non-finite measures count as 0.
pub fn visible_range(rows: usize, scroll_top_px: f64, viewport_px: f64) -> Range<usize> {
    let clean = |v: f64| if v.is_finite() && v > 0.0 { v } else { 0.0 };
    let top = clean(scroll_top_px);
    let height = clean(viewport_px);
    let row = f64::from(ROW_HEIGHT_PX);
    // The headers take the first HEADER_HEIGHT_PX of the content.
    let first = ((top - f64::from(HEADER_HEIGHT_PX)).max(0.0) / row).floor();
    let last = ((top + height) / row).ceil();
    // `as` saturates for huge floats, so this cannot overflow.
    let first = (first as usize).saturating_sub(OVERSCAN_ROWS).min(rows);
    let last = (last as usize).saturating_add(OVERSCAN_ROWS).min(rows);
    first..last.max(first)
}

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

    fn received(&mut self, e: &TraceEvent) {
        let (Some(queue), Some(id)) = (&e.details.queue(), e.message_id) else {
            return;
        };
        if let Some(handle) = e.details.receipt_handle() {
            self.handles.insert(handle, (queue.to_string(), id.0));
        }
        match &e.actor {
            ActorId::Mapping(mapping) => {
                self.mapping_queue
                    .insert(mapping.to_string(), queue.to_string());
            }
            ActorId::Consumer(name) => {
                let from = self.names.queue(queue);
                let to = consumer(name);
                let count = e
                    .details
                    .receive_count()
                    .filter(|c| *c > 1)
                    .map(|c| format!(" (receive {c})"))
                    .unwrap_or_default();
                let words = format!(
                    "{} delivers message {id}{count} to consumer {name}",
                    spoken(&from)
                );
                self.draw(Draft {
                    time_ms: e.time_ms,
                    seq: e.seq,
                    from,
                    to,
                    kind: ArrowKind::Deliver,
                    label: id.to_string(),
                    emphasis: Emphasis::Normal,
                    keys: vec![HighlightKey::Message(id.0)],
                    words,
                });
            }
            _ => {}
        }
    }

    fn processing_failed(&mut self, e: &TraceEvent) {
        let ActorId::Consumer(name) = &e.actor else {
            return;
        };
        let at = consumer(name);
        let id_text = e
            .message_id
            .map_or_else(|| "a message".to_string(), |id| format!("message {id}"));
        let reason = e
            .details
            .reason()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        self.draw(Draft {
            time_ms: e.time_ms,
            seq: e.seq,
            from: at.clone(),
            to: at,
            kind: ArrowKind::ProcessingFailed,
            label: "failed".to_string(),
            emphasis: Emphasis::Error,
            keys: e
                .message_id
                .map(|id| vec![HighlightKey::Message(id.0)])
                .unwrap_or_default(),
            words: format!("consumer {name} fails to process {id_text}{reason}"),
        });
    }

    fn accepted(&mut self, e: &TraceEvent) {
        if let (ActorId::Endpoint(name), Some(c), Some(call)) =
            (&e.actor, &e.details.client(), e.details.call())
        {
            self.accepted_by
                .insert((c.to_string(), call), name.to_string());
        }
    }

    fn delivered(&mut self, e: &TraceEvent) {
        if let (ActorId::Topic(name), Some(id), Some(DestinationKind::Function)) =
            (&e.actor, e.message_id, e.details.destination_kind())
        {
            self.delivered_by.insert(id.0, name.to_string());
        }
    }

    fn requested(&mut self, e: &TraceEvent) {
        let ActorId::Client(name) = &e.actor else {
            return;
        };
        let Some(destination) = &e.details.destination() else {
            return;
        };
        let to = self.names.destination(destination);
        let call = e.details.call();
        let attempt = e.details.attempt().unwrap_or(1);
        let call_text = call.map_or_else(|| "a call".to_string(), |c| format!("call {c}"));
        let label = if attempt > 1 {
            format!("{call_text}, try {attempt}")
        } else {
            call_text.clone()
        };
        let try_words = if attempt > 1 {
            format!(" (attempt {attempt})")
        } else {
            String::new()
        };
        let from = client(name);
        let words = format!("{name} sends {call_text}{try_words} to {}", spoken(&to));
        self.draw(Draft {
            time_ms: e.time_ms,
            seq: e.seq,
            from,
            to,
            kind: ArrowKind::Request,
            label,
            emphasis: Emphasis::Normal,
            keys: call_key(name, call),
            words,
        });
    }

    fn sent(&mut self, e: &TraceEvent) {
        let Some(id) = e.message_id else {
            return;
        };
        match &e.actor {
            ActorId::Client(name) => {
                let to = match (e.kind, &e.details.queue(), &e.details.topic()) {
                    (TraceKind::Sent, Some(q), _) => self.names.queue(q),
                    (TraceKind::Published, _, Some(t)) => topic(t),
                    _ => return,
                };
                let verb = if e.kind == TraceKind::Published {
                    "publishes"
                } else {
                    "sends"
                };
                let words = format!("{name} {verb} message {id} to {}", spoken(&to));
                self.draw(Draft {
                    time_ms: e.time_ms,
                    seq: e.seq,
                    from: client(name),
                    to,
                    kind: ArrowKind::Send,
                    label: id.to_string(),
                    emphasis: Emphasis::Normal,
                    keys: vec![HighlightKey::Message(id.0)],
                    words,
                });
            }
            ActorId::Topic(name) if e.kind == TraceKind::Sent => {
                let Some(q) = &e.details.queue() else {
                    return;
                };
                let to = self.names.queue(q);
                let mut keys = vec![HighlightKey::Message(id.0)];
                let from_words = match e.details.related_message_id() {
                    Some(related) if related != id => {
                        keys.push(HighlightKey::Message(related.0));
                        format!(" (a copy of {related})")
                    }
                    _ => String::new(),
                };
                keys.sort();
                let words = format!(
                    "topic {name} delivers message {id}{from_words} to {}",
                    spoken(&to)
                );
                self.draw(Draft {
                    time_ms: e.time_ms,
                    seq: e.seq,
                    from: topic(name),
                    to,
                    kind: ArrowKind::Fanout,
                    label: id.to_string(),
                    emphasis: Emphasis::Normal,
                    keys,
                    words,
                });
            }
            _ => {}
        }
    }

    fn started(&mut self, e: &TraceEvent) {
        let d = &e.details;
        let (Some(function), Some(env)) = (&d.function(), d.environment()) else {
            return;
        };
        let to = environment(function, env);
        self.see(&to);
        let request = d.request_id().as_ref().map(|r| r.to_string());
        // Where the invocation came from: a batch, a client call, a topic.
        let mut keys = Vec::new();
        let mut arrow = None;
        if !d.receipt_handles().is_empty() {
            let mut queue = None;
            let mut ids = Vec::new();
            for handle in d.receipt_handles() {
                if let Some((q, id)) = self.handles.get(handle) {
                    queue.get_or_insert_with(|| q.clone());
                    ids.push(*id);
                }
            }
            let queue = queue.or_else(|| {
                d.mapping()
                    .as_ref()
                    .and_then(|m| self.mapping_queue.get(m.as_str()).cloned())
            });
            keys.extend(ids.iter().map(|id| HighlightKey::Message(*id)));
            if let Some(queue) = queue {
                let from = self.names.queue(&queue);
                let (label, listed) = batch_texts(&ids, d.receipt_handles().len());
                let words = format!("{} delivers {listed} to {}", spoken(&from), to.label);
                arrow = Some((from, ArrowKind::Deliver, label, words));
            }
        } else if let (Some(c), Some(call)) = (&d.client(), d.call()) {
            keys = call_key(c, Some(call));
            let from = self
                .accepted_by
                .get(&(c.to_string(), call))
                .map(|name| endpoint(name));
            if let Some(from) = from {
                let words = format!("{} invokes {} for {c} call {call}", spoken(&from), to.label);
                arrow = Some((from, ArrowKind::Invoke, format!("call {call}"), words));
            }
        } else if let (Some(w), Some(x)) = (d.workflow(), d.execution()) {
            keys.push(execution_key(w, x));
            let from = workflow(w);
            let words = format!("{} invokes {} for execution {x}", spoken(&from), to.label);
            arrow = Some((from, ArrowKind::Invoke, x.to_string(), words));
        } else if let Some(id) = e.message_id {
            keys.push(HighlightKey::Message(id.0));
            if let Some(name) = self.delivered_by.get(&id.0) {
                let from = topic(name);
                let words = format!("{} delivers message {id} to {}", spoken(&from), to.label);
                arrow = Some((from, ArrowKind::Deliver, id.to_string(), words));
            }
        }
        keys.sort();
        keys.dedup();
        if let Some(request) = request {
            self.invocations.insert(
                request,
                Invocation {
                    environment: to.clone(),
                    keys: keys.clone(),
                },
            );
        }
        if let Some((from, kind, label, words)) = arrow {
            self.draw(Draft {
                time_ms: e.time_ms,
                seq: e.seq,
                from,
                to,
                kind,
                label,
                emphasis: Emphasis::Normal,
                keys,
                words,
            });
        }
    }

    /// The environment and keys of the invocation an event belongs to; a
    /// lifeline named after the function when the invocation is unknown.
    fn invocation_of(&self, e: &TraceEvent) -> Option<Invocation> {
        let d = &e.details;
        if let Some(inv) = d
            .request_id()
            .as_ref()
            .and_then(|r| self.invocations.get(r.as_str()))
        {
            return Some(inv.clone());
        }
        let function = d
            .function()
            .as_ref()
            .map(|f| f.to_string())
            .or(match &e.actor {
                ActorId::Function(f) => Some(f.to_string()),
                _ => None,
            })?;
        let environment = match d.environment() {
            Some(env) => environment(&function, env),
            None => plain(LifelineKind::Environment, &function),
        };
        Some(Invocation {
            environment,
            keys: Vec::new(),
        })
    }

    fn store_write(&mut self, e: &TraceEvent) {
        let Some(inv) = self.invocation_of(e) else {
            return;
        };
        let key = e.details.key().as_ref().map_or("?", |k| k.as_str());
        let version_text = e.details.version().as_ref().map(|v| v.to_string());
        let version = version_text.as_deref().and_then(|v| Version::parse(v).ok());
        let (emphasis, stale_words) = self.replace_stored(key, version);
        let written = match &version_text {
            Some(v) => format!("{key} {v}"),
            None => key.to_string(),
        };
        let label = if emphasis == Emphasis::Stale {
            // "stale" must survive the cut.
            format!("{} stale", shorten_to(&written, MAX_LABEL_CHARS - 6))
        } else {
            written.clone()
        };
        let words = format!(
            "{} writes {written} to the store{stale_words}",
            inv.environment.label
        );
        self.draw(Draft {
            time_ms: e.time_ms,
            seq: e.seq,
            from: inv.environment,
            to: store(),
            kind: ArrowKind::Write,
            label,
            emphasis,
            keys: inv.keys,
            words,
        });
    }

    /// A read, drawn where it was served: two invocations that read the
    /// same old version before either wrote are the read-then-write race.
    fn store_read(&mut self, e: &TraceEvent) {
        let Some(inv) = self.invocation_of(e) else {
            return;
        };
        let key = e.details.key().as_ref().map_or("?", |k| k.as_str());
        let found = match e.details.version() {
            Some(v) => format!("{key} {v}"),
            None if e.details.reason().is_some() => format!("{key}: none"),
            None => key.to_string(),
        };
        let words = format!("{} reads {found} from the store", inv.environment.label);
        self.draw(Draft {
            time_ms: e.time_ms,
            seq: e.seq,
            from: store(),
            to: inv.environment,
            kind: ArrowKind::Read,
            label: format!("read {}", shorten_to(&found, MAX_LABEL_CHARS - 5)),
            emphasis: Emphasis::Normal,
            keys: inv.keys,
            words,
        });
    }

    /// A store call refused during a `store_errors` fault: drawn as a
    /// failed call to the store, so a handler that swallows the error and
    /// loses the save shows where the save went.
    fn store_call_failed(&mut self, e: &TraceEvent) {
        let Some(inv) = self.invocation_of(e) else {
            return;
        };
        let key = e.details.key().as_ref().map_or("?", |k| k.as_str());
        let reason = e
            .details
            .reason()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        let words = format!(
            "{} calls the store for {key}, which fails{reason}",
            inv.environment.label
        );
        self.draw(Draft {
            time_ms: e.time_ms,
            seq: e.seq,
            from: inv.environment,
            to: store(),
            kind: ArrowKind::Write,
            label: format!(
                "{}{STORE_ERROR}",
                shorten_to(key, MAX_LABEL_CHARS - STORE_ERROR.len())
            ),
            emphasis: Emphasis::Error,
            keys: inv.keys,
            words,
        });
    }

    /// Records `version` as the one stored under `key` and says whether
    /// the write went backwards. A write older than one written earlier but
    /// newer than the one it replaced is not stale: in v1.2, v1.0, v1.1 the
    /// store went backwards once (v1.0 over v1.2), as the checks and the
    /// metrics count it; v1.1 over v1.0 moved it forward again.
    fn replace_stored(&mut self, key: &str, version: Option<Version>) -> (Emphasis, String) {
        let replaced = match version.clone() {
            Some(v) => self.stored.insert(key.to_string(), v),
            // A delete, or an item without a version: nothing to compare.
            None => self.stored.remove(key),
        };
        match (version, replaced) {
            (Some(written), Some(replaced)) if written < replaced => {
                (Emphasis::Stale, format!(": stale overwrite of {replaced}"))
            }
            (Some(_), Some(replaced)) => (Emphasis::Normal, format!(", replacing {replaced}")),
            _ => (Emphasis::Normal, String::new()),
        }
    }

    fn responded(&mut self, e: &TraceEvent) {
        let ActorId::Client(name) = &e.actor else {
            return;
        };
        let Some(destination) = &e.details.destination() else {
            return;
        };
        let from = self.names.destination(destination);
        let call = e.details.call();
        let (label, emphasis, meaning) = match e.details.status_code() {
            Some(TOO_MANY_REQUESTS) => (
                "429".to_string(),
                Emphasis::Throttle,
                "429 Too Many Requests: throttled".to_string(),
            ),
            Some(code) if code >= 500 => (
                code.to_string(),
                Emphasis::Error,
                format!("{code}: {}", status_words(code)),
            ),
            Some(code) => (code.to_string(), Emphasis::Normal, {
                format!("{code} {}", status_words(code))
            }),
            None => ("answer".to_string(), Emphasis::Normal, "an answer".into()),
        };
        let call_text = call.map_or_else(|| "a call".to_string(), |c| format!("call {c}"));
        let words = format!(
            "{} answers {name} {call_text} with {meaning}",
            spoken(&from)
        );
        self.draw(Draft {
            time_ms: e.time_ms,
            seq: e.seq,
            from,
            to: client(name),
            kind: ArrowKind::Respond,
            label,
            emphasis,
            keys: call_key(name, call),
            words,
        });
    }

    fn moved_to_dlq(&mut self, e: &TraceEvent) {
        let Some(dlq) = &e.details.destination() else {
            return;
        };
        let from = match &e.actor {
            ActorId::Queue(name) => self.names.queue(name),
            ActorId::Topic(name) => topic(name),
            _ => match (&e.details.queue(), &e.details.topic()) {
                (Some(q), _) => self.names.queue(q),
                (None, Some(t)) => topic(t),
                _ => return,
            },
        };
        let to = self.names.queue(dlq);
        let id_text = e
            .message_id
            .map_or_else(|| "a message".to_string(), |id| format!("message {id}"));
        let words = format!("{} moves {id_text} to {}", spoken(&from), spoken(&to));
        self.draw(Draft {
            time_ms: e.time_ms,
            seq: e.seq,
            from,
            to,
            kind: ArrowKind::DeadLetter,
            label: e
                .message_id
                .map_or_else(|| "dead letter".to_string(), |id| id.to_string()),
            emphasis: Emphasis::Normal,
            keys: e
                .message_id
                .map(|id| vec![HighlightKey::Message(id.0)])
                .unwrap_or_default(),
            words,
        });
    }

    fn throttled(&mut self, e: &TraceEvent) {
        let ActorId::Endpoint(name) = &e.actor else {
            return;
        };
        let at = endpoint(name);
        let who = match (&e.details.client(), e.details.call()) {
            (Some(c), Some(call)) => format!("{c} call {call}"),
            (Some(c), None) => format!("a call of {c}"),
            _ => "a call".to_string(),
        };
        let words = format!("endpoint {name} throttles {who}: 429 Too Many Requests");
        let keys = match &e.details.client() {
            Some(c) => call_key(c, e.details.call()),
            None => Vec::new(),
        };
        self.draw(Draft {
            time_ms: e.time_ms,
            seq: e.seq,
            from: at.clone(),
            to: at,
            kind: ArrowKind::Throttled,
            label: "429 throttled".to_string(),
            emphasis: Emphasis::Throttle,
            keys,
            words,
        });
    }

    fn failed(&mut self, e: &TraceEvent) {
        let Some(inv) = self.invocation_of(e) else {
            return;
        };
        let kind = e.details.error_kind().unwrap_or("error");
        let reason = e
            .details
            .reason()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        let words = format!("{} fails with {kind}{reason}", inv.environment.label);
        self.draw(Draft {
            time_ms: e.time_ms,
            seq: e.seq,
            from: inv.environment.clone(),
            to: inv.environment,
            kind: ArrowKind::Failed,
            label: format!("failed: {kind}"),
            emphasis: Emphasis::Error,
            keys: inv.keys,
            words,
        });
    }

    fn execution_started(&mut self, e: &TraceEvent) {
        let d = &e.details;
        let (ActorId::Workflow(name), Some(x)) = (&e.actor, d.execution()) else {
            return;
        };
        let to = workflow(name);
        let Some(inv) = d
            .request_id()
            .and_then(|r| self.invocations.get(r.as_str()))
            .cloned()
        else {
            return;
        };
        let mut keys = inv.keys;
        keys.push(execution_key(name, x));
        keys.sort();
        keys.dedup();
        let words = format!(
            "{} starts execution {x} of {}",
            inv.environment.label,
            spoken(&to)
        );
        self.draw(Draft {
            time_ms: e.time_ms,
            seq: e.seq,
            from: inv.environment,
            to,
            kind: ArrowKind::Start,
            label: x.to_string(),
            emphasis: Emphasis::Normal,
            keys,
            words,
        });
    }

    fn step_failed(&mut self, e: &TraceEvent) {
        let d = &e.details;
        let (ActorId::Workflow(name), Some(x)) = (&e.actor, d.execution()) else {
            return;
        };
        let at = workflow(name);
        let error = d.error_kind().unwrap_or("error");
        let step = d.step().map(|s| s.to_string()).unwrap_or_default();
        let (label, words) = match (e.kind, d.next_at_ms()) {
            (TraceKind::StepRetried, Some(next)) => (
                format!("retry at {next} ms"),
                format!("execution {x} step {step} failed with {error}; retried at {next} ms"),
            ),
            _ => (
                format!("failed: {error}"),
                format!("execution {x} failed at step {step} with {error}"),
            ),
        };
        self.draw(Draft {
            time_ms: e.time_ms,
            seq: e.seq,
            from: at.clone(),
            to: at,
            kind: ArrowKind::StepFailed,
            label,
            emphasis: Emphasis::Error,
            keys: vec![execution_key(name, x)],
            words,
        });
    }

    fn gave_up(&mut self, e: &TraceEvent) {
        let ActorId::Client(name) = &e.actor else {
            return;
        };
        let call = e.details.call();
        let call_text = call.map_or_else(|| "a call".to_string(), |c| format!("call {c}"));
        let reason = e
            .details
            .reason()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        let at = client(name);
        self.draw(Draft {
            time_ms: e.time_ms,
            seq: e.seq,
            from: at.clone(),
            to: at,
            kind: ArrowKind::GaveUp,
            label: "gave up".to_string(),
            emphasis: Emphasis::Error,
            keys: call_key(name, call),
            words: format!("{name} gives {call_text} up{reason}"),
        });
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
