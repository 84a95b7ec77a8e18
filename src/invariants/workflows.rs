//! Workflow executions: one step at a time, retries within the step's
//! `max_attempts` and never before their delay, transitions within
//! `max_transitions`, execution names used once, and nothing after the end.

use std::collections::{BTreeMap, BTreeSet};

use super::{Invariant, Violation};
use crate::sim::snapshot::WorldSnapshot;
use crate::sim::Name;
use crate::sim::WorkflowConfig;
use crate::sim::{TraceEvent, TraceKind};

#[derive(Debug)]
struct Running {
    /// The step in progress (started, not yet ended).
    in_step: Option<Name>,
    /// The step last started, its retries so far, and when a retry is due.
    step: Option<Name>,
    retries: u32,
    retry_due_ms: Option<u64>,
    transitions: u32,
}

#[derive(Debug, Default)]
pub(crate) struct WorkflowChecker {
    configs: BTreeMap<Name, WorkflowConfig>,
    running: BTreeMap<(Name, Name), Running>,
    used: BTreeSet<(Name, Name)>,
}

impl WorkflowChecker {
    pub fn new(snapshot: &WorldSnapshot) -> Self {
        WorkflowChecker {
            configs: snapshot
                .workflows
                .iter()
                .map(|w| (Name::new(&w.name), w.config.clone()))
                .collect(),
            ..WorkflowChecker::default()
        }
    }

    /// Follows one of a workflow's own events.
    pub fn observe(&mut self, event: &TraceEvent) -> Result<(), Violation> {
        let (Some(workflow), Some(execution)) =
            (event.details.workflow(), event.details.execution())
        else {
            return Ok(());
        };
        // Task invocations carry the workflow too; only the workflow's own
        // events are checked here.
        if !is_workflow_event(event.kind) {
            return Ok(());
        }
        let key = (workflow.clone(), execution.clone());
        if event.kind == TraceKind::ExecutionStarted {
            return self.start_execution(event, key);
        }
        let config = self.configs.get(workflow);
        let Some(run) = self.running.get_mut(&key) else {
            return Err(broken(
                event,
                format!("execution {execution} of {workflow} acts but is not running"),
            ));
        };
        match event.kind {
            TraceKind::StepStarted => run.start_step(event, execution, config),
            TraceKind::StepSucceeded | TraceKind::StepFailed | TraceKind::StepRetried => {
                run.end_step(event, execution, config)
            }
            TraceKind::ExecutionSucceeded | TraceKind::ExecutionFailed => {
                if let Some(current) = &run.in_step {
                    return Err(broken(
                        event,
                        format!(
                            "execution {execution} ended while step {current} was still running"
                        ),
                    ));
                }
                self.running.remove(&key);
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// An execution started: under a name not used before in its workflow.
    fn start_execution(&mut self, event: &TraceEvent, key: (Name, Name)) -> Result<(), Violation> {
        if !self.used.insert(key.clone()) {
            let (workflow, execution) = &key;
            return Err(broken(
                event,
                format!("execution {execution} of {workflow} started twice under one name"),
            ));
        }
        self.running.insert(
            key,
            Running {
                in_step: None,
                step: None,
                retries: 0,
                retry_due_ms: None,
                transitions: 0,
            },
        );
        Ok(())
    }
}

impl Running {
    /// A step started: none other running, a retry not before its delay,
    /// and a new step within `max_transitions`.
    fn start_step(
        &mut self,
        event: &TraceEvent,
        execution: &Name,
        config: Option<&WorkflowConfig>,
    ) -> Result<(), Violation> {
        if let Some(current) = &self.in_step {
            return Err(broken(
                event,
                format!("execution {execution} started a step while {current} was still running"),
            ));
        }
        let step = event.details.step();
        let same_step = self.step.as_ref() == step;
        if same_step && self.retry_due_ms.is_some() {
            if let Some(due) = self.retry_due_ms.take() {
                if event.time_ms < due {
                    return Err(broken(
                        event,
                        format!("execution {execution} retried before its delay: due at {due} ms"),
                    ));
                }
            }
        } else {
            if self.step.is_some() {
                self.transitions += 1;
            }
            self.retries = 0;
            self.retry_due_ms = None;
        }
        if let Some(max) = config.map(|c| c.max_transitions) {
            if self.transitions > max {
                return Err(broken(
                    event,
                    format!("execution {execution} made more than {max} transitions"),
                ));
            }
        }
        self.in_step = step.cloned();
        self.step = step.cloned();
        Ok(())
    }

    /// The running step ended (succeeded, failed, or failed to be retried
    /// within the step's `max_attempts`).
    fn end_step(
        &mut self,
        event: &TraceEvent,
        execution: &Name,
        config: Option<&WorkflowConfig>,
    ) -> Result<(), Violation> {
        let step = event.details.step();
        if self.in_step.as_ref() != step || step.is_none() {
            return Err(broken(
                event,
                format!(
                    "execution {execution} ended step {:?} that was not running ({:?} was)",
                    step.map(Name::as_str),
                    self.in_step.as_ref().map(Name::as_str)
                ),
            ));
        }
        self.in_step = None;
        if event.kind != TraceKind::StepRetried {
            return Ok(());
        }
        self.retries += 1;
        let max = config
            .and_then(|c| {
                c.steps
                    .iter()
                    .find(|s| Some(s.name.as_str()) == step.map(Name::as_str))
            })
            .and_then(|s| s.retry.as_ref())
            .map(|r| r.max_attempts)
            .unwrap_or(0);
        if self.retries > max {
            return Err(broken(
                event,
                format!(
                    "execution {execution} retried step {} {} times; max_attempts is {max}",
                    step.map(Name::as_str).unwrap_or_default(),
                    self.retries
                ),
            ));
        }
        self.retry_due_ms = Some(event.details.next_at_ms().unwrap_or(event.time_ms));
        Ok(())
    }
}

/// The events a workflow records about its own executions.
fn is_workflow_event(kind: TraceKind) -> bool {
    matches!(
        kind,
        TraceKind::ExecutionStarted
            | TraceKind::StepStarted
            | TraceKind::StepSucceeded
            | TraceKind::StepRetried
            | TraceKind::StepFailed
            | TraceKind::ExecutionSucceeded
            | TraceKind::ExecutionFailed
    )
}

/// A break of the workflow rules at `event`.
fn broken(event: &TraceEvent, message: String) -> Violation {
    Violation::at(Invariant::WorkflowSteps, event, message)
}
