//! Workflows: a small Step Functions-like engine for processes whose state
//! matters (lesson 11).
//!
//! # The model
//!
//! - **Executions.** `workflows.start(name, input)` in a handler (or
//!   [`crate::sim::World::start_execution`]) starts an execution of a
//!   workflow with `input` as its state. An execution runs one step at a
//!   time, in virtual time, and keeps its state between steps, however long
//!   they take: that state is what stateless functions cannot keep.
//! - **Names.** An execution name follows StartExecution's rules
//!   ([`names`]). A start with a name already used for that workflow is not
//!   started again: while the first runs with the same input it is the same
//!   execution (`ExecutionDeduplicated`, as StartExecution is idempotent);
//!   when the first has closed or had another input, StartExecution answers
//!   `ExecutionAlreadyExists`. A closed execution with the same input has
//!   done that work (deduplicated, with that error named); a different
//!   input is work refused (`ExecutionRejected`, which loses it).
//! - **Task steps** invoke a function synchronously through the function
//!   engine (cold starts, concurrency, timeouts and throttles included).
//!   The handler gets the state as `event`; a map it returns becomes the
//!   new state, anything else (`()`, or a last expression's `true`) keeps
//!   it. A failed attempt (`States.TaskFailed`,
//!   `States.Timeout`, or `Lambda.TooManyRequestsException` when throttled)
//!   is retried after `interval_ms`, then `backoff_rate` times longer each
//!   time, up to `max_attempts` retries; then the execution goes to the
//!   step's `catch`, or fails.
//! - **Wait steps** hold the execution for `wait_ms`; nothing runs.
//! - **Limits.** At most [`MAX_RUNNING_EXECUTIONS`] run at once (more are
//!   refused, and the trace says so), and one execution makes at most
//!   `max_transitions` transitions, so a loop ends with an error.
//!
//! Everything appears in the trace: `ExecutionStarted`, `StepStarted`,
//! `StepSucceeded`, `StepRetried`, `StepFailed`, `ExecutionSucceeded`,
//! `ExecutionFailed`, `ExecutionDeduplicated`, `ExecutionRejected`.

pub mod config;
pub mod names;
mod start;

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::Value;

pub use config::{RetryConfig, StepConfig, StepKind, WorkflowConfig};

use crate::sim::kernel::Kernel;
use crate::sim::name::Name;
use crate::sim::snapshot::{ExecutionSnapshot, ExecutionStatus, WorkflowSnapshot, WorkflowStats};
use crate::sim::trace::{ActorId, TraceDetails, TraceKind};

/// Most executions running at once, over all workflows. Step Functions'
/// quota is a million open executions; a lesson never needs more than a
/// few hundred, and each one holds its state in memory.
pub const MAX_RUNNING_EXECUTIONS: usize = 10_000;
/// Most executions a run keeps a summary of for the inspector.
pub const MAX_EXECUTION_SUMMARIES: usize = 1_000;
/// The error of a throttled task invocation.
pub const ERROR_THROTTLED: &str = "Lambda.TooManyRequestsException";
/// The error of a task that timed out.
pub const ERROR_TIMEOUT: &str = "States.Timeout";
/// The error of a task whose function failed.
pub const ERROR_TASK_FAILED: &str = "States.TaskFailed";
/// The error of an execution that made too many transitions.
pub const ERROR_RUNTIME: &str = "States.Runtime";

/// The workflow engine's scheduled events.
#[derive(Clone, Debug)]
pub enum WorkflowEvent {
    /// An execution goes on: runs its current step, ends a wait, or tries a
    /// task again after its retry delay.
    Resume {
        /// The execution.
        execution: u64,
    },
}

/// Something the engine needs the world to do.
#[derive(Debug)]
pub(crate) struct InvokeRequest {
    pub execution: u64,
    pub workflow: Name,
    pub execution_name: Name,
    pub function: String,
    pub payload: Value,
}

/// How a task's invocation ended, in Step Functions' terms.
#[derive(Debug, Clone)]
pub(crate) enum TaskResult {
    Ok(Value),
    Err { error: &'static str, cause: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// The current step runs at the next `Resume`.
    Ready,
    /// A task's function is running.
    Invoking,
    /// A wait step is waiting.
    Waiting,
    /// A failed task waits for its retry.
    RetryWait,
}

#[derive(Clone, Debug)]
struct Execution {
    workflow: usize,
    name: Name,
    state: Value,
    step: usize,
    /// Retries made by the current step.
    retries: u32,
    /// Retries made by all steps.
    total_retries: u32,
    transitions: u32,
    phase: Phase,
    started_at_ms: u64,
}

#[derive(Clone)]
struct Definition {
    config: WorkflowConfig,
    name: Name,
    actor: ActorId,
    step_names: Vec<Name>,
    stats: WorkflowStats,
    /// Ended executions, oldest first, at most [`MAX_EXECUTION_SUMMARIES`].
    ended: Vec<ExecutionSnapshot>,
}

/// All workflows of a world and their executions.
#[derive(Clone, Default)]
pub(crate) struct Workflows {
    defs: Vec<Definition>,
    index: BTreeMap<Name, usize>,
    running: BTreeMap<u64, Execution>,
    /// Names used per workflow (for idempotent starts): the execution and
    /// its input.
    used_names: BTreeMap<(usize, Name), (u64, Value)>,
    next_execution: u64,
    /// Bytes of every started execution's input (as JSON), bounded by
    /// [`MAX_STARTED_INPUT_BYTES`].
    started_input_bytes: u64,
}

/// Bytes the inputs of all executions a run starts may add up to: 10,000
/// running executions of 30 KB each would hold 300 MB, more than a
/// browser tab can (docs/scenarios.md, "Budgets"; issue 17).
pub const MAX_STARTED_INPUT_BYTES: u64 = 32 * 1024 * 1024;

impl Workflows {
    /// Checks and builds the workflows; `function_exists` answers for task
    /// steps' functions.
    pub fn new(
        configs: &[WorkflowConfig],
        function_exists: &dyn Fn(&str) -> bool,
    ) -> Result<Workflows, crate::sim::SimError> {
        let mut workflows = Workflows::default();
        for config in configs {
            config.validate()?;
            for step in &config.steps {
                if let Some(function) = &step.function {
                    if !function_exists(function) {
                        return Err(crate::sim::SimError::InvalidConfig {
                            component: format!("workflow {} step {}", config.name, step.name),
                            field: "function",
                            reason: format!("no function is named \"{function}\""),
                        });
                    }
                }
            }
            let name = Name::new(&config.name);
            if workflows
                .index
                .insert(name.clone(), workflows.defs.len())
                .is_some()
            {
                return Err(crate::sim::SimError::DuplicateName {
                    kind: "workflow",
                    name: config.name.clone(),
                });
            }
            workflows.defs.push(Definition {
                step_names: config.steps.iter().map(|s| Name::new(&s.name)).collect(),
                actor: ActorId::Workflow(name.clone()),
                name,
                config: config.clone(),
                stats: WorkflowStats::default(),
                ended: Vec::new(),
            });
        }
        Ok(workflows)
    }

    /// The workflows' names, in definition order.
    pub fn names(&self) -> Vec<String> {
        self.defs.iter().map(|d| d.config.name.clone()).collect()
    }

    /// True while an execution runs.
    pub fn is_busy(&self) -> bool {
        !self.running.is_empty()
    }

    fn details(&self, id: u64) -> Option<(TraceDetails, ActorId)> {
        let exec = self.running.get(&id)?;
        let def = &self.defs[exec.workflow];
        let d = TraceDetails {
            workflow: Some(def.name.clone()),
            execution: Some(exec.name.clone()),
            step: Some(def.step_names[exec.step].clone()),
            ..TraceDetails::default()
        };
        Some((d, def.actor.clone()))
    }

    /// Handles a scheduled event; returns a task invocation for the world
    /// to make.
    pub fn handle<E: From<WorkflowEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        event: WorkflowEvent,
    ) -> Option<InvokeRequest> {
        let WorkflowEvent::Resume { execution } = event;
        let exec = self.running.get_mut(&execution)?;
        match exec.phase {
            Phase::Ready | Phase::RetryWait => self.run_step(k, execution),
            Phase::Waiting => {
                let (d, actor) = self.details(execution)?;
                k.record(actor, TraceKind::StepSucceeded, None, d);
                self.go_on(k, execution, false);
                None
            }
            // A task finishes through `task_finished`, not a timer.
            Phase::Invoking => None,
        }
    }

    fn run_step<E: From<WorkflowEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        execution: u64,
    ) -> Option<InvokeRequest> {
        let (mut d, actor) = self.details(execution)?;
        let exec = self.running.get_mut(&execution)?;
        let def = &self.defs[exec.workflow];
        let step = &def.config.steps[exec.step];
        match step.kind {
            StepKind::Task => {
                d.function = step.function.as_deref().map(Name::new);
                d.attempt = Some(exec.retries + 1);
                k.record(actor, TraceKind::StepStarted, None, d);
                exec.phase = Phase::Invoking;
                Some(InvokeRequest {
                    execution,
                    workflow: def.name.clone(),
                    execution_name: exec.name.clone(),
                    function: step.function.clone().unwrap_or_default(),
                    payload: exec.state.clone(),
                })
            }
            StepKind::Wait => {
                let wait_ms = step.wait_ms.unwrap_or(0);
                d.next_at_ms = Some(k.now_ms().saturating_add(wait_ms));
                k.record(actor, TraceKind::StepStarted, None, d);
                exec.phase = Phase::Waiting;
                k.schedule_in(wait_ms, WorkflowEvent::Resume { execution }.into());
                None
            }
            StepKind::Succeed => {
                self.end(k, execution, Ok(()));
                None
            }
            StepKind::Fail => {
                let error = step.error.clone().unwrap_or_else(|| "States.Fail".into());
                let cause = step
                    .cause
                    .clone()
                    .unwrap_or_else(|| format!("the workflow reached its fail step {}", step.name));
                self.end(k, execution, Err((error, cause)));
                None
            }
        }
    }

    /// The invocation a task step asked for ended (or was refused).
    pub fn task_finished<E: From<WorkflowEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        execution: u64,
        request_id: Option<Name>,
        result: TaskResult,
    ) {
        let Some((mut d, actor)) = self.details(execution) else {
            return;
        };
        d.request_id = request_id;
        let Some(exec) = self.running.get_mut(&execution) else {
            return;
        };
        if exec.phase != Phase::Invoking {
            return;
        }
        let def = &mut self.defs[exec.workflow];
        let step = &def.config.steps[exec.step];
        d.attempt = Some(exec.retries + 1);
        match result {
            TaskResult::Ok(response) => {
                // Only a map replaces the state: Rhai returns a function's
                // last expression, so a handler ending in `drafts.save(...)`
                // returns `true` without meaning to.
                if response.is_object() {
                    exec.state = response;
                }
                k.record(actor, TraceKind::StepSucceeded, None, d);
                self.go_on(k, execution, false);
            }
            TaskResult::Err { error, cause } => {
                d.error_kind = Some(Cow::Borrowed(error));
                d.reason = Some(Cow::Owned(cause.clone()));
                let retry = step.retry.as_ref();
                if let Some(retry) = retry.filter(|r| exec.retries < r.max_attempts) {
                    exec.retries += 1;
                    exec.total_retries += 1;
                    let delay = retry.delay_ms(exec.retries);
                    d.next_at_ms = Some(k.now_ms().saturating_add(delay));
                    def.stats.retries += 1;
                    exec.phase = Phase::RetryWait;
                    k.record(actor, TraceKind::StepRetried, None, d);
                    k.schedule_in(delay, WorkflowEvent::Resume { execution }.into());
                    return;
                }
                k.record(actor, TraceKind::StepFailed, None, d);
                if step.catch.is_some() {
                    if let Value::Object(state) = &mut exec.state {
                        state.insert(
                            "error".into(),
                            serde_json::json!({ "Error": error, "Cause": cause }),
                        );
                    } else {
                        exec.state = serde_json::json!({
                            "input": exec.state.take(),
                            "error": { "Error": error, "Cause": cause },
                        });
                    }
                    self.go_on(k, execution, true);
                } else {
                    self.end(k, execution, Err((error.to_string(), cause)));
                }
            }
        }
    }

    /// Moves to the step's `next` (or `catch`), or ends the execution.
    fn go_on<E: From<WorkflowEvent>>(&mut self, k: &mut Kernel<E>, execution: u64, caught: bool) {
        let Some(exec) = self.running.get_mut(&execution) else {
            return;
        };
        let def = &self.defs[exec.workflow];
        let step = &def.config.steps[exec.step];
        let target = if caught { &step.catch } else { &step.next };
        let Some(next) = target.as_deref().and_then(|n| def.config.step_index(n)) else {
            self.end(k, execution, Ok(()));
            return;
        };
        exec.transitions += 1;
        if exec.transitions > def.config.max_transitions {
            let cause = format!(
                "more than {} transitions (max_transitions): does the workflow loop?",
                def.config.max_transitions
            );
            self.end(k, execution, Err((ERROR_RUNTIME.to_string(), cause)));
            return;
        }
        exec.step = next;
        exec.retries = 0;
        exec.phase = Phase::Ready;
        k.schedule_in(0, WorkflowEvent::Resume { execution }.into());
    }

    fn end<E: From<WorkflowEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        execution: u64,
        result: Result<(), (String, String)>,
    ) {
        let Some((mut d, actor)) = self.details(execution) else {
            return;
        };
        let Some(exec) = self.running.remove(&execution) else {
            return;
        };
        let def = &mut self.defs[exec.workflow];
        let status = match result {
            Ok(()) => {
                def.stats.succeeded += 1;
                k.record(actor, TraceKind::ExecutionSucceeded, None, d);
                ExecutionStatus::Succeeded
            }
            Err((error, cause)) => {
                def.stats.failed += 1;
                d.error_kind = Some(Cow::Owned(error));
                d.reason = Some(Cow::Owned(cause));
                k.record(actor, TraceKind::ExecutionFailed, None, d);
                ExecutionStatus::Failed
            }
        };
        if def.ended.len() >= MAX_EXECUTION_SUMMARIES {
            def.ended.remove(0);
        }
        def.ended.push(summary(def, &exec, status));
    }

    /// The workflows, for the snapshot.
    pub fn snapshots(&self) -> Vec<WorkflowSnapshot> {
        self.defs
            .iter()
            .enumerate()
            .map(|(index, def)| WorkflowSnapshot {
                name: def.config.name.clone(),
                config: def.config.clone(),
                stats: def.stats.clone(),
                executions: self
                    .running
                    .values()
                    .filter(|e| e.workflow == index)
                    .map(|e| summary(def, e, ExecutionStatus::Running))
                    .chain(def.ended.iter().rev().cloned())
                    .take(MAX_EXECUTION_SUMMARIES)
                    .collect(),
            })
            .collect()
    }
}

fn summary(def: &Definition, exec: &Execution, status: ExecutionStatus) -> ExecutionSnapshot {
    ExecutionSnapshot {
        name: exec.name.to_string(),
        status,
        step: def.config.steps[exec.step].name.clone(),
        retries: exec.total_retries,
        started_at_ms: exec.started_at_ms,
        state: exec.state.clone(),
    }
}
