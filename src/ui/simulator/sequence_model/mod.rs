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

//!
//! The model and its geometry are here; [`build`] (in `build.rs`) reads a
//! trace into it: `build/messages.rs` draws what queues, topics, clients
//! and endpoints do, `build/invocations.rs` what functions, the store and
//! workflows do.

use std::ops::Range;

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

mod build;

pub use build::build;
