//! Functions as actors of the world: execution environments, concurrency,
//! invocations in virtual time, asynchronous retries and synchronous calls.
//!
//! # The model (what the lessons rely on)
//!
//! - **Environments.** An invocation runs in a free warm environment of its
//!   function (the lowest-numbered idle one) or, if none is free and the
//!   concurrency limits allow, in a new one: a cold start whose latency is
//!   drawn from [`FunctionConfig::cold_start`] with the function's seeded
//!   RNG. Provisioned environments are created and initialized at time 0
//!   and start warm. The script's `globals` live exactly as long as the
//!   environment. An environment idle for [`FunctionConfig::idle_retire_ms`]
//!   is retired (provisioned ones never are).
//! - **When the handler runs.** The handler runs, atomically, at the moment
//!   the invocation starts executing: at once in a warm environment, after
//!   the cold-start latency in a new one. Every store write it makes is
//!   applied at that virtual time (stamped with the store time spent before
//!   it). The environment then stays busy for the duration: a drawn base
//!   duration ([`FunctionConfig::duration`]) plus the cost of every store
//!   call. So concurrent invocations interleave by their start times, which
//!   is what makes out-of-order saves possible; a handler's own read and
//!   write never interleave with another's (the read-then-write race inside
//!   one handler is not modelled).
//! - **Timeout.** A duration beyond `timeout_ms` ends the invocation at the
//!   timeout with a `Timeout` error (its writes stay applied, as in Lambda).
//! - **Concurrency.** Concurrency is the number of invocations in progress
//!   (cold starts included). A function with reserved concurrency `r` runs
//!   at most `r` at once; functions without a reservation share the
//!   account's unreserved pool (`account_concurrency_limit` minus all
//!   reservations). An invocation over its limit is throttled: a
//!   synchronous caller gets a 429 at once; an asynchronous one is retried
//!   (see below); an event source mapping leaves the batch in flight, so it
//!   returns after its visibility timeout.
//! - **Asynchronous invocations** (topic subscriptions, [`crate::sim::World::invoke_async`]):
//!   on a function error Lambda retries twice, 1 minute and then 2 minutes
//!   later ([`FunctionConfig::async_max_retries`]); after that the event is
//!   dropped (`InvocationDropped`; destinations are not modelled). A
//!   throttled asynchronous event is retried with backoff (1 s doubling to
//!   5 minutes) for up to 6 hours (Lambda's maximum event age), and these
//!   retries do not count as error retries.
//! - **Synchronous invocations** ([`crate::sim::World::invoke_sync`]) return
//!   a request id at once; the caller polls [`crate::sim::World::invocation`]
//!   for the [`InvocationRecord`] (status, response, error). A later actor
//!   (an API endpoint) plugs in as one more `Caller` variant whose result
//!   the world routes back to it, like event source mappings today.

mod async_invoke;
mod build;
mod complete;
pub mod config;
mod error_kind;
pub(crate) mod intervene;
mod serving;
mod start;

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use config::FunctionConfig;
pub use error_kind::InvocationErrorKind;

use crate::sim::aws;
use crate::sim::error::SimError;
use crate::sim::kernel::{splitmix64, Kernel, SimRng};
use crate::sim::name::Name;
use crate::sim::sandbox::{
    Environment, Event as HandlerEvent, HandlerError, HandlerProgram, WorkflowStart,
};
use crate::sim::snapshot::{EnvironmentSnapshot, FunctionSnapshot, FunctionStats};
use crate::sim::store::Store;
use crate::sim::trace::{ActorId, MessageId, TraceDetails, TraceKind};
use crate::sim::version_store::VersionStore;

/// Wait before the first retry of a failed asynchronous invocation.
pub const ASYNC_FIRST_RETRY_DELAY_MS: u64 = aws::MINUTE_MS;
/// Wait before the second retry.
pub const ASYNC_SECOND_RETRY_DELAY_MS: u64 = 2 * aws::MINUTE_MS;
/// First backoff after an asynchronous throttle.
pub const ASYNC_THROTTLE_FIRST_BACKOFF_MS: u64 = aws::SECOND_MS;
/// Longest backoff after an asynchronous throttle.
pub const ASYNC_THROTTLE_MAX_BACKOFF_MS: u64 = 5 * aws::MINUTE_MS;
/// Lambda's maximum event age: a throttled event older than this is dropped.
pub const ASYNC_MAX_EVENT_AGE_MS: u64 = 6 * aws::HOUR_MS;

/// The function engine's scheduled events.
#[derive(Clone, Debug)]
pub enum FunctionEvent {
    /// The handler of an invocation runs (after a cold start, or at once).
    Run {
        /// The invocation.
        invocation: u64,
    },
    /// The next store, version-store or workflow call of an invocation is
    /// served (see `serving.rs`).
    Serve {
        /// The invocation.
        invocation: u64,
    },
    /// An invocation ends; its environment is free again.
    Complete {
        /// The invocation.
        invocation: u64,
    },
    /// An environment may have been idle long enough to retire.
    Retire {
        /// The function.
        function: usize,
        /// The environment.
        environment: u64,
        /// When it became idle (stale timers are ignored).
        idle_since_ms: u64,
    },
    /// An asynchronous invocation is tried again.
    AsyncRetry {
        /// The function.
        function: usize,
        /// The request.
        request: Box<AsyncRequest>,
    },
}

/// An asynchronous invocation request, kept for its retries.
#[derive(Debug, Clone)]
pub struct AsyncRequest {
    pub(crate) event: HandlerEvent,
    /// 1 for the first attempt.
    pub(crate) attempt: u32,
    pub(crate) first_at_ms: u64,
    pub(crate) throttles: u32,
    pub(crate) source: Option<MessageId>,
    /// The request id of the first attempt, kept by every retry: Lambda
    /// retries an asynchronous event under the same request id
    /// (docs/scenarios.md, "Functions"), which idempotency relies on.
    pub(crate) request_id: Option<Name>,
}

/// Who is waiting for an invocation.
#[derive(Clone, Debug)]
pub(crate) enum Caller {
    /// An event source mapping's poller slot.
    Mapping { mapping: usize, slot: usize },
    /// An asynchronous invocation (retried by the function engine).
    Async(Box<AsyncRequest>),
    /// A synchronous invocation (the result goes to its record).
    Sync,
    /// A synchronous invocation through an API endpoint: the answer goes
    /// back to client `client`'s call `call`.
    Api { client: usize, call: usize },
    /// A workflow execution's task step.
    Workflow { execution: u64 },
}

/// How an invocation ended.
#[derive(Debug, Clone)]
pub(crate) enum ExecResult {
    Ok {
        failures: Option<Vec<String>>,
        response: Value,
    },
    Err(InvocationError),
}

/// An invocation's error, for the trace, records and the UI.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvocationError {
    /// The kind (`Thrown`, `Timeout`, `LimitExceeded(Operations)`, ...),
    /// serialized as that text.
    pub kind: InvocationErrorKind,
    /// The message in the lessons' words.
    pub message: String,
    /// Line in the learner's code.
    pub line: Option<u32>,
    /// Column in the learner's code.
    pub column: Option<u32>,
}

impl InvocationError {
    fn from_handler(error: &HandlerError) -> Self {
        InvocationError {
            kind: error.kind.into(),
            message: error.message.clone(),
            line: error.line,
            column: error.column,
        }
    }
}

/// Where a synchronous invocation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvocationStatus {
    /// Still running.
    Running,
    /// Finished without error.
    Succeeded,
    /// Finished with a function error.
    Failed,
    /// Refused: over the concurrency limit (HTTP 429).
    Throttled,
}

/// The result of a synchronous invocation, as the caller polls it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvocationRecord {
    /// The request id.
    pub request_id: String,
    /// The function.
    pub function: String,
    /// When it was requested.
    pub requested_at_ms: u64,
    /// When it ended (`None` while running).
    pub finished_at_ms: Option<u64>,
    /// Where it stands.
    pub status: InvocationStatus,
    /// The handler's return value (`Null` for nothing) on success.
    pub response: Option<Value>,
    /// The error on failure.
    pub error: Option<InvocationError>,
    /// The environment it ran in.
    pub environment: Option<u64>,
}

impl InvocationRecord {
    /// The HTTP status an API in front of the function would answer: 200,
    /// 500 for a function error, 429 when throttled, 0 while running.
    pub fn status_code(&self) -> u16 {
        match self.status {
            InvocationStatus::Running => 0,
            InvocationStatus::Succeeded => 200,
            InvocationStatus::Failed => 500,
            InvocationStatus::Throttled => 429,
        }
    }
}

#[derive(Clone)]
struct Env {
    sandbox: Environment,
    busy: bool,
    provisioned: bool,
    idle_since_ms: u64,
}

#[derive(Clone)]
pub(crate) struct Function {
    pub name: Name,
    pub config: FunctionConfig,
    /// The code new invocations run (shared with the invocations that
    /// started with it, which keep it if the code changes: `intervene.rs`).
    program: std::rc::Rc<HandlerProgram>,
    /// Environments of replaced code: retired when their invocation ends.
    retiring: std::collections::BTreeSet<u64>,
    rng: SimRng,
    /// Seeds the latencies of its invocations' store calls.
    latency_root: u64,
    envs: BTreeMap<u64, Env>,
    busy: u32,
    stats: FunctionStats,
    actor: ActorId,
}

#[derive(Clone)]
struct Exec {
    function: usize,
    env: u64,
    request_id: Name,
    caller: Caller,
    event: HandlerEvent,
    cold: bool,
    mapping: Option<Name>,
    /// Its handler's calls and run, once it started executing.
    progress: Option<Box<serving::Progress>>,
    result: Option<(ExecResult, u64)>,
}

/// Who outside the function engine waits for a finished invocation.
pub(crate) enum Waiting {
    /// An event source mapping's poller slot.
    Mapping { mapping: usize, slot: usize },
    /// A client's call through an endpoint.
    Api { client: usize, call: usize },
    /// A workflow execution's task step.
    Workflow { execution: u64 },
}

/// A finished invocation whose caller lives outside the function engine.
pub(crate) struct Finished {
    pub waiting: Waiting,
    pub request_id: Name,
    pub result: ExecResult,
}

/// Extra trace details of a start (who asked).
#[derive(Default)]
pub(crate) struct StartInfo {
    pub mapping: Option<Name>,
    pub receipt_handles: Vec<u64>,
    pub message_id: Option<MessageId>,
    /// The client and call an endpoint invocation answers.
    pub client_call: Option<(Name, u64)>,
    /// The workflow and execution a task invocation works for.
    pub workflow_execution: Option<(Name, Name)>,
    /// An asynchronous retry's request id (a new one otherwise).
    pub request_id: Option<Name>,
}

/// All functions of a world, their invocations, the store and the version
/// store.
#[derive(Clone)]
pub(crate) struct Functions {
    pub list: Vec<Function>,
    index: BTreeMap<Name, usize>,
    execs: BTreeMap<u64, Exec>,
    next_invocation: u64,
    next_env: u64,
    next_request: u64,
    pub account_limit: u32,
    unreserved_pool: u32,
    unreserved_busy: u32,
    pub store: Store,
    pub drafts: VersionStore,
    sync: BTreeMap<Name, InvocationRecord>,
    pending_async: u64,
    /// Workflow starts handlers asked for, with the function and request id
    /// of the invocation that asked; the world carries them out after each
    /// step.
    workflow_outbox: Vec<(WorkflowStart, Name, Name)>,
    /// Script operations this world's handlers used (`handler_ops_used`).
    ops_used: u64,
}

fn detail(function: &Name) -> TraceDetails {
    TraceDetails {
        function: Some(function.clone()),
        ..TraceDetails::default()
    }
}

impl Functions {
    /// Hands over the workflow starts handlers asked for (with the
    /// function and request that asked), for the world to start.
    pub fn take_workflow_starts(&mut self) -> Vec<(WorkflowStart, Name, Name)> {
        std::mem::take(&mut self.workflow_outbox)
    }

    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    pub fn function_index(&self, name: &str) -> Result<usize, SimError> {
        self.index_of(name)
            .ok_or_else(|| SimError::UnknownFunction {
                name: name.to_string(),
            })
    }

    /// True while an invocation runs or an asynchronous retry is pending.
    /// Tells every function's `workflows.start` which workflows exist.
    pub fn set_workflow_names(&mut self, names: &[String]) {
        let names: std::rc::Rc<[String]> = names.into();
        for f in &self.list {
            f.program.set_workflow_names(names.clone());
        }
    }

    /// Script operations the handlers of every function used so far (the
    /// run's `max_handler_operations` budget). Counted per world, not
    /// read from the programs, because a forked world shares them.
    pub fn handler_ops_used(&self) -> u64 {
        self.ops_used
    }

    pub fn is_busy(&self) -> bool {
        !self.execs.is_empty() || self.pending_async > 0
    }

    pub fn record(&self, request_id: &str) -> Option<&InvocationRecord> {
        self.sync.get(request_id)
    }

    pub fn handle<E: From<FunctionEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        event: FunctionEvent,
    ) -> Option<Finished> {
        match event {
            FunctionEvent::Run { invocation } => {
                self.run(k, invocation);
                None
            }
            FunctionEvent::Serve { invocation } => {
                self.serve_next(k, invocation);
                None
            }
            FunctionEvent::Complete { invocation } => self.complete(k, invocation),
            FunctionEvent::Retire {
                function,
                environment,
                idle_since_ms,
            } => {
                let f = self.list.get_mut(function)?;
                let retire = f
                    .envs
                    .get(&environment)
                    .is_some_and(|e| !e.busy && !e.provisioned && e.idle_since_ms == idle_since_ms);
                if retire {
                    f.envs.remove(&environment);
                    f.stats.retired += 1;
                    let mut d = detail(&f.name);
                    d.environment = Some(environment);
                    d.reason = Some(Cow::Owned(format!(
                        "idle for {} ms: the environment and its globals are gone",
                        f.config.idle_retire_ms
                    )));
                    k.record(f.actor.clone(), TraceKind::EnvironmentRetired, None, d);
                }
                None
            }
            FunctionEvent::AsyncRetry { function, request } => {
                self.pending_async = self.pending_async.saturating_sub(1);
                if function < self.list.len() {
                    self.attempt_async(k, function, request);
                }
                None
            }
        }
    }

    fn run<E: From<FunctionEvent>>(&mut self, k: &mut Kernel<E>, invocation: u64) {
        let Some(exec) = self.execs.get(&invocation) else {
            return;
        };
        let Some(f) = self.list.get_mut(exec.function) else {
            return;
        };
        // Why the base duration is drawn first and counted as spent: the
        // handler's `context.remaining_time_ms()` must be the timeout minus
        // the time used so far (base + store calls), so that it reaches zero
        // exactly where the invocation would time out. The compute time is
        // therefore spent before the first call, and a call that would be
        // served past the timeout stops the handler.
        let base_ms = f.config.duration.sample(&mut f.rng);
        // The latencies are seeded apart from the function's generator, so
        // its cold starts and durations are drawn as they were before store
        // calls took time of their own.
        let latency_seed = splitmix64(f.latency_root ^ splitmix64(invocation));
        self.begin(k, invocation, base_ms, latency_seed);
    }

    pub fn snapshots(&self) -> Vec<FunctionSnapshot> {
        self.list
            .iter()
            .map(|f| FunctionSnapshot {
                name: f.name.clone(),
                config: f.config.clone(),
                concurrency: f.busy,
                environments: f
                    .envs
                    .iter()
                    .map(|(id, e)| EnvironmentSnapshot {
                        id: *id,
                        busy: e.busy,
                        warm: e.sandbox.is_warm(),
                        provisioned: e.provisioned,
                        invocations: e.sandbox.invocations(),
                        idle_since_ms: e.idle_since_ms,
                        globals: e.sandbox.globals_json(),
                    })
                    .collect(),
                stats: f.stats,
            })
            .collect()
    }
}
