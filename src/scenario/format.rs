//! The scenario file as TOML sees it: metadata, the world's sections (the
//! engine's own config types, so the format and the engine cannot drift
//! apart), the workload and the checks. Every struct denies unknown fields:
//! a typo is an error with a suggestion, never a silently ignored setting.

use serde::{Deserialize, Serialize};

use super::client_message::MessageConfig;
use crate::sim::StoreConfig;
use crate::sim::WorkflowConfig;
use crate::sim::ACCOUNT_CONCURRENCY_DEFAULT;
use crate::sim::{
    ConsumerConfig, EndpointConfig, Fault, Latency, Limits, MappingConfig, QueueConfig,
    RetryPolicy, TopicConfig, TraceKind,
};

/// A whole scenario file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// `[scenario]`: name, description, seed, sweep size.
    pub scenario: ScenarioMeta,
    /// `[limits]`: run bounds (engine defaults when absent).
    #[serde(default, skip_serializing_if = "is_default_limits")]
    pub limits: Limits,
    /// `[[queues]]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queues: Vec<QueueConfig>,
    /// `[[topics]]` with their `[[topics.subscriptions]]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<TopicConfig>,
    /// `[[consumers]]`: built-in queue workers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consumers: Vec<ConsumerConfig>,
    /// `[account]`: account-wide function settings.
    #[serde(default, skip_serializing_if = "is_default_account")]
    pub account: Account,
    /// `[[functions]]`: handlers with their code inline or in a file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub functions: Vec<FunctionSection>,
    /// `[[mappings]]`: event source mappings (queue -> function).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mappings: Vec<MappingConfig>,
    /// `[[endpoints]]`: API endpoints in front of functions (server-API flow).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub endpoints: Vec<EndpointConfig>,
    /// `[[workflows]]`: Step Functions-like state machines with their
    /// `[[workflows.steps]]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub workflows: Vec<WorkflowConfig>,
    /// `[store]`: how long store calls take (engine defaults when absent).
    #[serde(default, skip_serializing_if = "is_default_store")]
    pub store: StoreConfig,
    /// `[[faults]]` present from time 0.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub faults: Vec<Fault>,
    /// `[[clients]]`: the workload.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clients: Vec<ClientConfig>,
    /// `[[checks]]`: what must hold at the end.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<CheckConfig>,
}

fn is_default_limits(limits: &Limits) -> bool {
    *limits == Limits::default()
}

fn is_default_store(store: &StoreConfig) -> bool {
    *store == StoreConfig::default()
}

fn is_default_account(account: &Account) -> bool {
    *account == Account::default()
}

/// `[account]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Account {
    /// Concurrent executions across all functions (Lambda's account quota):
    /// default 1,000, 1 to 100,000.
    pub concurrency_limit: u32,
}

impl Default for Account {
    fn default() -> Self {
        Account {
            concurrency_limit: ACCOUNT_CONCURRENCY_DEFAULT,
        }
    }
}

/// `[[functions]]`. `name` and exactly one of `code` / `code_file`; every
/// other key is one of the engine's function settings (`timeout_ms`,
/// `reserved_concurrency`...), checked against the engine's own type when the
/// scenario is parsed, so the two cannot drift apart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FunctionSection {
    /// Unique function name.
    pub name: String,
    /// The handler's Rhai source, inline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// A file holding the handler, relative to the scenario file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_file: Option<String>,
    /// The engine settings.
    #[serde(flatten)]
    pub settings: toml::Table,
}

/// `[scenario]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioMeta {
    /// Shown in the UI and in `sim` output.
    pub name: String,
    /// One or two sentences for the learner.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The seed of a single run (`sim run` without `--seed`).
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// How many seeds a sweep runs by default (`sim check`, the UI).
    #[serde(default = "default_seeds")]
    pub seeds: u64,
    /// Stop the run at this virtual time; absent: run until nothing is left
    /// to do (every message consumed or parked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_until_ms: Option<u64>,
}

fn default_seed() -> u64 {
    1
}

fn default_seeds() -> u64 {
    100
}

/// What a client does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientKind {
    /// Editors each saving successive versions of their document in quick
    /// succession (v1.0, v1.1, v1.2, ...).
    Editor,
    /// A steady rate of saves for a duration.
    Steady,
    /// Many saves at (nearly) the same moment.
    Burst,
    /// The messages listed in `[[clients.messages]]`, each as written.
    Messages,
}

/// Where a client's saves go. Fire and forget: `topic` or `queue`. Server
/// API: `endpoint` (the client waits for each answer and retries 429s and
/// server errors).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Target {
    /// Publish to this topic.
    Topic(String),
    /// Send to this queue.
    Queue(String),
    /// Call this API endpoint (server-API flow).
    Endpoint(String),
}

/// `[[clients]]`: one workload. Fields that do not apply to the `kind` are
/// errors (see docs/scenarios.md for which apply to which).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientConfig {
    /// Unique client name; appears in message bodies.
    pub name: String,
    /// `editor`, `steady`, `burst` or `messages`.
    pub kind: ClientKind,
    /// `{ topic = "..." }` or `{ queue = "..." }`.
    pub target: Target,
    /// When the client starts, virtual ms.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub start_ms: u64,
    /// Prefix of document ids: documents are `<document>-1`, `<document>-2`...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// editor: how many editors, each with its own document (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub editors: Option<u64>,
    /// editor: the versions each editor saves, in order (default v1.0, v1.1, v1.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub versions: Option<Vec<String>>,
    /// editor: time between two saves of one editor (default 100 ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_ms: Option<u64>,
    /// editor, steady: up to this much extra time, drawn per save (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jitter_ms: Option<u64>,
    /// steady: saves per second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_per_second: Option<u64>,
    /// steady: how long the client sends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    /// burst: how many saves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// burst: the saves are spread at random over this window (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spread_ms: Option<u64>,
    /// steady, burst: saves go round-robin over this many documents (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documents: Option<u64>,
    /// endpoint targets: how throttled or failed calls are retried
    /// (default: 3 retries, backoff ceiling 100 ms doubling up to 5,000 ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry: Option<RetryPolicy>,
    /// One-way network time between the client and its target (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_latency: Option<Latency>,
    /// messages: what the client sends (`[[clients.messages]]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messages: Option<Vec<MessageConfig>>,
}

fn is_zero(value: &u64) -> bool {
    *value == 0
}

/// What a check asserts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// The store's final value (or version) of `key` equals `equals`.
    FinalValue,
    /// No write replaced a newer version of a document with an older one.
    NoStaleOverwrite,
    /// Every message was processed or parked in a dead-letter queue.
    NoMessageLost,
    /// A metric (`metric`) is within `at_least`..`at_most`.
    Metric,
    /// The number of trace events of kind `event` is within bounds.
    TraceCount,
    /// Every save a client sent was applied or superseded: each document
    /// ends at least at the newest version sent for it.
    EverySaveApplied,
}

/// `[[checks]]`. Fields that do not apply to the `kind` are errors.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// Shown in results; a readable default is derived from the check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Which check.
    pub kind: CheckKind,
    /// final_value: the store key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// final_value: the expected version (or string value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<String>,
    /// metric: the metric's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<String>,
    /// metric: read a client metric (`client_calls`, latencies,
    /// `throttled_requests`, `retries`, `failed_calls`) of this client only.
    /// every_save_applied: judge this client's saves only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    /// every_save_applied: the store key of a document is this prefix and
    /// the document id (default: the document id alone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_prefix: Option<String>,
    /// every_save_applied: documents not judged (a poison save that can
    /// never be stored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub except: Option<Vec<String>>,
    /// trace_count: the event kind counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<TraceKind>,
    /// trace_count: count only events in this queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<String>,
    /// metric, trace_count: upper bound (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<u64>,
    /// metric, trace_count: lower bound (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<u64>,
}

impl CheckConfig {
    /// The name shown in results: the configured one or a sentence built
    /// from the check.
    pub fn display_name(&self) -> String {
        if let Some(name) = &self.name {
            return name.clone();
        }
        let bounds = bounds_text(self.at_least, self.at_most);
        match self.kind {
            CheckKind::FinalValue => format!(
                "final value of {} is {}",
                self.key.as_deref().unwrap_or("?"),
                self.equals.as_deref().unwrap_or("?")
            ),
            CheckKind::NoStaleOverwrite => "no stale overwrite".to_string(),
            CheckKind::NoMessageLost => "no message lost".to_string(),
            CheckKind::EverySaveApplied => match &self.client {
                Some(client) => format!("every save of {client} applied or superseded"),
                None => "every save applied or superseded".to_string(),
            },
            CheckKind::Metric => match &self.client {
                Some(client) => format!(
                    "{} of {client} {bounds}",
                    self.metric.as_deref().unwrap_or("?")
                ),
                None => format!("{} {bounds}", self.metric.as_deref().unwrap_or("?")),
            },
            CheckKind::TraceCount => {
                let event = self.event.map(kind_name).unwrap_or_else(|| "?".to_string());
                match &self.queue {
                    Some(q) => format!("{event} events in {q} {bounds}"),
                    None => format!("{event} events {bounds}"),
                }
            }
        }
    }
}

/// `>= a and <= b`, `<= b`, `>= a`.
pub fn bounds_text(at_least: Option<u64>, at_most: Option<u64>) -> String {
    match (at_least, at_most) {
        (Some(a), Some(b)) => format!(">= {a} and <= {b}"),
        (Some(a), None) => format!(">= {a}"),
        (None, Some(b)) => format!("<= {b}"),
        (None, None) => "(no bound)".to_string(),
    }
}

/// A trace kind's name as written in scenarios (`moved_to_dlq`).
pub fn kind_name(kind: TraceKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| format!("{kind:?}"))
}
