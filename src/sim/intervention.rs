//! Interventions: acting on a paused run ("what if?", issue 19).
//!
//! An intervention is a value, `{ at_ms, kind, target, parameters }`, so a
//! run is exactly scenario + seed + code + interventions and replays the
//! same everywhere. The world applies one with
//! [`crate::sim::World::intervene`] after every event at `at_ms` has been
//! processed; one it cannot apply is refused with a [`Refusal`] that says
//! why in words, and the world is left exactly as it was. The JSON shape and
//! each kind's effect are documented in `docs/interventions.md`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Most interventions one run takes (a file of them is bounded before it
/// is applied: no input may take the simulator down).
pub const MAX_INTERVENTIONS: usize = 1_000;

/// Largest file of interventions read (1 MiB).
pub const MAX_INTERVENTIONS_BYTES: usize = 1 << 20;

/// What an intervention does (see `docs/interventions.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InterventionKind {
    /// Remove a stored message (waiting, delayed or in flight) from queue
    /// `target`: it is never received (again).
    DropMessage,
    /// Store one more copy of a message in standard queue `target`,
    /// receivable now: it is received twice.
    DuplicateMessage,
    /// Make a waiting or delayed message of standard queue `target`
    /// receivable only `delay_ms` from now.
    DelayMessage,
    /// Crash the environment `environment` of function `target` in the
    /// middle of its invocation: calls served so far stay, the rest never
    /// happen, the invocation fails and the environment is gone.
    CrashEnvironment,
    /// The store (`target` "store") is down for `duration_ms` from now: a
    /// `store_errors` fault.
    StoreDown,
    /// Consumer `target` stops polling until resumed.
    PauseConsumer,
    /// Consumer `target` polls again.
    ResumeConsumer,
    /// Event source mapping `target` stops polling until resumed.
    PauseMapping,
    /// Mapping `target` polls again.
    ResumeMapping,
    /// Publish one more message to topic `target` by hand.
    Publish,
    /// Send one more message to queue `target` by hand.
    Send,
    /// Function `target` runs `code` for every invocation that starts from
    /// now on, in new environments.
    ChangeCode,
}

/// The parameters of an intervention; each kind reads the ones it needs and
/// refuses the others missing (see `docs/interventions.md`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Parameters {
    /// The message (drop, duplicate, delay).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<u64>,
    /// Which stored copy of the message (default: the lowest stored).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copy: Option<u8>,
    /// How much later the message becomes receivable (delay).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    /// The environment id (crash), as the function's inspector shows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment: Option<u64>,
    /// How long the store is down (store_down).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    /// Share of store calls failed while down (default: every call).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_ppm: Option<u32>,
    /// The message body (publish, send).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// FIFO message group (publish, send).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    /// FIFO deduplication id (publish, send).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dedup_id: Option<String>,
    /// The new handler code (change_code).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// One act on the run at a moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intervention {
    /// Virtual time it applies at, after every event of that millisecond.
    pub at_ms: u64,
    /// What it does.
    pub kind: InterventionKind,
    /// The queue, topic, function, consumer or mapping it acts on
    /// (`"store"` for `store_down`).
    pub target: String,
    /// What else the kind needs.
    #[serde(default)]
    pub parameters: Parameters,
}

/// Why an intervention was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalKind {
    /// No queue, topic, function, consumer or mapping of that name.
    UnknownTarget,
    /// A parameter the kind needs is missing or out of range.
    BadParameters,
    /// The message is not stored there (never was, or already left).
    MessageGone,
    /// The environment does not exist or runs no invocation.
    EnvironmentIdle,
    /// The kind does not apply to that target as it is now (a FIFO queue,
    /// a consumer already paused, code that does not compile).
    NotApplicable,
    /// `at_ms` is not the world's current time.
    WrongTime,
    /// The engine refused the verb (a send rejected, a budget reached).
    Engine,
}

/// An intervention the engine did not apply, in words; the world is as it
/// was before.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    /// The kind of reason.
    pub kind: RefusalKind,
    /// The reason, as a sentence for the learner.
    pub message: String,
}

impl Refusal {
    /// A refusal of `kind` saying `message`.
    pub fn new(kind: RefusalKind, message: impl Into<String>) -> Refusal {
        Refusal {
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Refusal {}

/// Reads a JSON list of interventions, in time order or not (they are
/// applied in `at_ms` order, ties in list order). Errors name the problem:
/// the position in the text, or the entry and its field.
pub fn parse_interventions(text: &str) -> Result<Vec<Intervention>, String> {
    if text.len() > MAX_INTERVENTIONS_BYTES {
        return Err(format!(
            "the interventions file has {} bytes; at most {MAX_INTERVENTIONS_BYTES} are read",
            text.len()
        ));
    }
    let list: Vec<Intervention> = serde_json::from_str(text).map_err(|e| {
        format!("not a JSON list of interventions ({{ at_ms, kind, target, parameters }}): {e}")
    })?;
    if list.len() > MAX_INTERVENTIONS {
        return Err(format!(
            "{} interventions; a run takes at most {MAX_INTERVENTIONS}",
            list.len()
        ));
    }
    Ok(list)
}

/// The list in the order it is applied: by `at_ms`, ties in list order.
pub fn in_time_order(list: &[Intervention]) -> Vec<Intervention> {
    let mut sorted = list.to_vec();
    sorted.sort_by_key(|i| i.at_ms);
    sorted
}
