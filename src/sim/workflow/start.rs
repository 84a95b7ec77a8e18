//! Starting an execution: StartExecution's idempotency by name, the run's
//! input budget and the cap on running executions (the model is described
//! in `mod.rs`).

use std::borrow::Cow;

use serde_json::Value;

use super::{
    names, Execution, Phase, WorkflowEvent, Workflows, MAX_RUNNING_EXECUTIONS,
    MAX_STARTED_INPUT_BYTES,
};
use crate::sim::kernel::Kernel;
use crate::sim::name::Name;
use crate::sim::trace::{TraceDetails, TraceKind};

/// What a start with a used name does: StartExecution succeeds for the
/// same input while the first runs, and otherwise answers
/// `ExecutionAlreadyExists`. A closed first execution with the same input
/// did the work, so nothing is lost; a different input is work refused.
fn used_name(running: bool, same_input: bool) -> (TraceKind, &'static str) {
    match (running, same_input) {
        (true, true) => (
            TraceKind::ExecutionDeduplicated,
            "an execution with this name and input is running: it is that execution",
        ),
        (false, true) => (
            TraceKind::ExecutionDeduplicated,
            "ExecutionAlreadyExists: an execution with this name and input already ran; its work is done",
        ),
        (_, false) => (
            TraceKind::ExecutionRejected,
            "ExecutionAlreadyExists: an execution with this name was started with a different input, so this work was not started",
        ),
    }
}

/// Why a start was not carried out, for the trace.
struct Refusal {
    kind: TraceKind,
    reason: Cow<'static, str>,
    error_kind: Option<Cow<'static, str>>,
}

impl Workflows {
    /// Starts an execution of `workflow` now (unknown names are the
    /// caller's error to report); `started_by` is the function and request
    /// id of the invocation that asked.
    pub fn start<E: From<WorkflowEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        workflow: &str,
        input: Value,
        name: Option<&str>,
        started_by: Option<(Name, Name)>,
    ) {
        let Some(&index) = self.index.get(workflow) else {
            return;
        };
        // A refused start uses up an id too: default names (and so the
        // traces of every lesson) count it.
        self.next_execution += 1;
        let id = self.next_execution;
        let def = &self.defs[index];
        let name = match name {
            Some(n) => Name::new(n),
            None => Name::new(&format!("{}-{id}", def.config.name)),
        };
        let (function, request_id) = started_by.unzip();
        let mut d = TraceDetails {
            workflow: Some(def.name.clone()),
            execution: Some(name.clone()),
            function,
            request_id,
            ..TraceDetails::default()
        };
        match self.admit(index, &name, &input) {
            Ok(input_bytes) => self.begin(k, (index, id, name), input, input_bytes, d),
            Err(refusal) => {
                d.error_kind = refusal.error_kind;
                d.reason = Some(refusal.reason);
                k.record(self.defs[index].actor.clone(), refusal.kind, None, d);
            }
        }
    }

    /// Whether a start of workflow `index` named `name` may run: not with a
    /// used name (StartExecution is idempotent), not past the run's input
    /// budget, not past [`MAX_RUNNING_EXECUTIONS`]. Counts the refusal in
    /// the workflow's stats; on success, the input's size in bytes.
    fn admit(&mut self, index: usize, name: &Name, input: &Value) -> Result<u64, Refusal> {
        let stats = &mut self.defs[index].stats;
        if let Some((first, first_input)) = self.used_names.get(&(index, name.clone())) {
            let running = self.running.contains_key(first);
            let (kind, reason) = used_name(running, first_input == input);
            if kind == TraceKind::ExecutionDeduplicated {
                stats.deduplicated += 1;
            } else {
                stats.rejected += 1;
            }
            let error_kind = (!running || kind == TraceKind::ExecutionRejected)
                .then_some(Cow::Borrowed(names::EXECUTION_ALREADY_EXISTS));
            return Err(Refusal {
                kind,
                reason: Cow::Borrowed(reason),
                error_kind,
            });
        }
        let input_bytes = crate::sim::store::json_size_bytes(input) as u64;
        let reason = if self.started_input_bytes.saturating_add(input_bytes)
            > MAX_STARTED_INPUT_BYTES
        {
            format!(
                "the run's workflow inputs reached {MAX_STARTED_INPUT_BYTES} bytes: start executions with smaller inputs (a key to read from the store), or fewer"
            )
        } else if self.running.len() >= MAX_RUNNING_EXECUTIONS {
            format!("{MAX_RUNNING_EXECUTIONS} executions are already running")
        } else {
            return Ok(input_bytes);
        };
        stats.rejected += 1;
        Err(Refusal {
            kind: TraceKind::ExecutionRejected,
            reason: Cow::Owned(reason),
            error_kind: None,
        })
    }

    /// Records the start of an admitted execution and schedules its first
    /// step.
    fn begin<E: From<WorkflowEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        (index, id, name): (usize, u64, Name),
        input: Value,
        input_bytes: u64,
        d: TraceDetails,
    ) {
        self.started_input_bytes += input_bytes;
        let def = &mut self.defs[index];
        def.stats.started += 1;
        let step = def.config.step_index(&def.config.start_at).unwrap_or(0);
        k.record(def.actor.clone(), TraceKind::ExecutionStarted, None, d);
        self.used_names
            .insert((index, name.clone()), (id, input.clone()));
        self.running.insert(
            id,
            Execution {
                workflow: index,
                name,
                state: input,
                step,
                retries: 0,
                total_retries: 0,
                transitions: 0,
                phase: Phase::Ready,
                started_at_ms: k.now_ms(),
            },
        );
        k.schedule_in(0, WorkflowEvent::Resume { execution: id }.into());
    }
}
