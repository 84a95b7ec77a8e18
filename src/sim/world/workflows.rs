//! The world's side of workflows: starting executions, invoking their task
//! steps' functions, and routing the results back.

use serde_json::Value;

use super::World;
use crate::sim::error::SimError;
use crate::sim::function::{Caller, ExecResult, StartInfo};
use crate::sim::name::Name;
use crate::sim::sandbox::Event as HandlerEvent;
use crate::sim::workflow::names::execution_name_problem;
use crate::sim::workflow::{
    InvokeRequest, TaskResult, WorkflowEvent, ERROR_TASK_FAILED, ERROR_THROTTLED, ERROR_TIMEOUT,
};

impl World {
    /// `StartExecution` now: runs workflow `workflow` with `input` as its
    /// state. With a `name` already used for this workflow, nothing starts
    /// (the trace says so); an invalid name is an error.
    pub fn start_execution(
        &mut self,
        workflow: &str,
        input: Value,
        name: Option<&str>,
    ) -> Result<(), SimError> {
        self.kernel.check_trace_room()?;
        if !self.workflows.names().iter().any(|w| w == workflow) {
            return Err(SimError::InvalidConfig {
                component: "start_execution".into(),
                field: "workflow",
                reason: format!("no workflow is named \"{workflow}\""),
            });
        }
        if let Some(problem) = name.and_then(execution_name_problem) {
            return Err(SimError::InvalidConfig {
                component: "start_execution".into(),
                field: "name",
                reason: problem,
            });
        }
        self.workflows
            .start(&mut self.kernel, workflow, input, name, None);
        Ok(())
    }

    /// Handles a workflow timer.
    pub(super) fn handle_workflow_event(&mut self, event: WorkflowEvent) {
        if let Some(request) = self.workflows.handle(&mut self.kernel, event) {
            self.invoke_task(request);
        }
    }

    /// Invokes a task step's function synchronously; a throttle fails the
    /// attempt at once, as Step Functions sees Lambda's 429.
    fn invoke_task(&mut self, request: InvokeRequest) {
        let Some(function) = self.functions.index_of(&request.function) else {
            self.workflows.task_finished(
                &mut self.kernel,
                request.execution,
                None,
                TaskResult::Err {
                    error: ERROR_TASK_FAILED,
                    cause: format!("no function is named \"{}\"", request.function),
                },
            );
            return;
        };
        let started = self.functions.start(
            &mut self.kernel,
            function,
            Caller::Workflow {
                execution: request.execution,
            },
            HandlerEvent::Json(request.payload),
            StartInfo {
                workflow_execution: Some((request.workflow, request.execution_name)),
                ..StartInfo::default()
            },
        );
        if let Err((request_id, _)) = started {
            self.workflows.task_finished(
                &mut self.kernel,
                request.execution,
                Some(request_id),
                TaskResult::Err {
                    error: ERROR_THROTTLED,
                    cause: format!(
                        "Rate exceeded: function {} is at its concurrency limit",
                        request.function
                    ),
                },
            );
        }
    }

    /// A task step's invocation ended.
    pub(super) fn task_finished(&mut self, execution: u64, request_id: Name, result: ExecResult) {
        let result = match result {
            ExecResult::Ok { response, .. } => TaskResult::Ok(response),
            ExecResult::Err(e) => TaskResult::Err {
                error: if e.kind.is_timeout() {
                    ERROR_TIMEOUT
                } else {
                    ERROR_TASK_FAILED
                },
                cause: match e.line {
                    Some(line) => format!("{} (line {line})", e.message),
                    None => e.message,
                },
            },
        };
        self.workflows
            .task_finished(&mut self.kernel, execution, Some(request_id), result);
    }

    /// Starts the executions handlers asked for during this step.
    pub(super) fn route_workflow_starts(&mut self) {
        let starts = self.functions.take_workflow_starts();
        if starts.is_empty() {
            return;
        }
        for (start, function, request_id) in starts {
            self.workflows.start(
                &mut self.kernel,
                &start.workflow,
                start.input,
                start.name.as_deref(),
                Some((function, request_id)),
            );
        }
    }
}
