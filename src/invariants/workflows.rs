//! Workflow executions: one step at a time, retries within the step's
//! `max_attempts` and never before their delay, transitions within
//! `max_transitions`, execution names used once, and nothing after the end.

use std::collections::{BTreeMap, BTreeSet};

use super::{Invariant, Violation};
use crate::sim::name::Name;
use crate::sim::snapshot::WorldSnapshot;
use crate::sim::trace::{TraceEvent, TraceKind};
use crate::sim::workflow::WorkflowConfig;

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

    pub fn observe(&mut self, event: &TraceEvent) -> Result<(), Violation> {
        let (Some(workflow), Some(execution)) =
            (event.details.workflow(), event.details.execution())
        else {
            return Ok(());
        };
        // Task invocations carry the workflow too; only the workflow's own
        // events are checked here.
        if !matches!(
            event.kind,
            TraceKind::ExecutionStarted
                | TraceKind::StepStarted
                | TraceKind::StepSucceeded
                | TraceKind::StepRetried
                | TraceKind::StepFailed
                | TraceKind::ExecutionSucceeded
                | TraceKind::ExecutionFailed
        ) {
            return Ok(());
        }
        let fail = |message: String| Err(Violation::at(Invariant::WorkflowSteps, event, message));
        let key = (workflow.clone(), execution.clone());
        if event.kind == TraceKind::ExecutionStarted {
            if !self.used.insert(key.clone()) {
                return fail(format!(
                    "execution {execution} of {workflow} started twice under one name"
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
            return Ok(());
        }
        let config = self.configs.get(workflow);
        let Some(run) = self.running.get_mut(&key) else {
            return fail(format!(
                "execution {execution} of {workflow} acts but is not running"
            ));
        };
        let step = event.details.step();
        match event.kind {
            TraceKind::StepStarted => {
                if let Some(current) = &run.in_step {
                    return fail(format!(
                        "execution {execution} started a step while {current} was still running"
                    ));
                }
                let same_step = run.step.as_ref() == step;
                if same_step && run.retry_due_ms.is_some() {
                    if let Some(due) = run.retry_due_ms.take() {
                        if event.time_ms < due {
                            return fail(format!(
                                "execution {execution} retried before its delay: due at {due} ms"
                            ));
                        }
                    }
                } else {
                    if run.step.is_some() {
                        run.transitions += 1;
                    }
                    run.retries = 0;
                    run.retry_due_ms = None;
                }
                if let Some(max) = config.map(|c| c.max_transitions) {
                    if run.transitions > max {
                        return fail(format!(
                            "execution {execution} made more than {max} transitions"
                        ));
                    }
                }
                run.in_step = step.cloned();
                run.step = step.cloned();
            }
            TraceKind::StepSucceeded | TraceKind::StepFailed | TraceKind::StepRetried => {
                if run.in_step.as_ref() != step || step.is_none() {
                    return fail(format!(
                        "execution {execution} ended step {:?} that was not running ({:?} was)",
                        step.map(Name::as_str),
                        run.in_step.as_ref().map(Name::as_str)
                    ));
                }
                run.in_step = None;
                if event.kind == TraceKind::StepRetried {
                    run.retries += 1;
                    let max = config
                        .and_then(|c| {
                            c.steps
                                .iter()
                                .find(|s| Some(s.name.as_str()) == step.map(Name::as_str))
                        })
                        .and_then(|s| s.retry.as_ref())
                        .map(|r| r.max_attempts)
                        .unwrap_or(0);
                    if run.retries > max {
                        return fail(format!(
                            "execution {execution} retried step {} {} times; max_attempts is {max}",
                            step.map(Name::as_str).unwrap_or_default(),
                            run.retries
                        ));
                    }
                    run.retry_due_ms = Some(event.details.next_at_ms().unwrap_or(event.time_ms));
                }
            }
            TraceKind::ExecutionSucceeded | TraceKind::ExecutionFailed => {
                if let Some(current) = &run.in_step {
                    return fail(format!(
                        "execution {execution} ended while step {current} was still running"
                    ));
                }
                self.running.remove(&key);
            }
            _ => {}
        }
        Ok(())
    }
}
