//! `workflows.start(name, input)`: a handler hands work to a workflow.
//!
//! Why the handler only asks: the sandbox cannot run a workflow (it lives in
//! the world, outside the invocation), so a start is a call like a store
//! call (see `call.rs`): checked at once (the workflow exists, the input is
//! JSON, the name is valid) so a mistake throws with its line, and carried
//! out by the world at the moment the call is served. Like
//! `StartExecution`, it takes a little time.

use std::rc::Rc;

use rhai::{Dynamic, Engine, EvalAltResult};

use super::call::{Call, CallArgs};
use super::convert::to_json;
use super::host::{script_error, with_host, HostCell, HostState, Meter, INVALID_ARGUMENT};
use super::outcome::{StoreOp, WorkflowStart};

/// Most starts one invocation may make.
pub const MAX_STARTS_PER_INVOCATION: usize = 100;
use crate::sim::workflow::names::execution_name_problem;
pub use crate::sim::workflow::names::MAX_EXECUTION_NAME_CHARS;

/// The value of the script constant `workflows`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WorkflowsHandle;

fn invalid(message: String) -> Box<EvalAltResult> {
    script_error(INVALID_ARGUMENT, format!("workflows.start: {message}"), &[])
}

fn start(
    h: &mut HostState,
    meter: &Meter,
    workflow: &Dynamic,
    input: &Dynamic,
    name: Option<&Dynamic>,
) -> Result<Dynamic, Box<EvalAltResult>> {
    let Ok(workflow) = workflow.as_immutable_string_ref().map(|s| s.to_string()) else {
        return Err(invalid(format!(
            "the workflow's name must be a string, got {}",
            workflow.type_name()
        )));
    };
    if !h.workflow_names.contains(&workflow) {
        let known = if h.workflow_names.is_empty() {
            "this scenario has no workflows".to_string()
        } else {
            format!("known: {}", h.workflow_names.join(", "))
        };
        return Err(invalid(format!(
            "no workflow is named \"{workflow}\" ({known})"
        )));
    }
    let name = match name {
        None => None,
        Some(n) => {
            let Ok(text) = n.as_immutable_string_ref().map(|s| s.to_string()) else {
                return Err(invalid(format!(
                    "the execution name must be a string, got {}",
                    n.type_name()
                )));
            };
            if let Some(problem) = execution_name_problem(&text) {
                return Err(invalid(problem));
            }
            Some(text)
        }
    };
    let made = h.calls[..h.cursor]
        .iter()
        .filter(|c| c.call.op == StoreOp::WorkflowStart)
        .count();
    if made >= MAX_STARTS_PER_INVOCATION {
        return Err(invalid(format!(
            "at most {MAX_STARTS_PER_INVOCATION} starts per invocation"
        )));
    }
    let input = to_json(input, "the workflow's input").map_err(invalid)?;
    let call = Call {
        op: StoreOp::WorkflowStart,
        key: workflow.clone(),
        args: CallArgs::Start(WorkflowStart {
            workflow,
            input,
            name: name.clone(),
        }),
    };
    h.call(meter, call)?;
    Ok(name.map(Dynamic::from).unwrap_or(Dynamic::UNIT))
}

pub(crate) fn register(engine: &mut Engine, host: &HostCell, meter: &Rc<Meter>) {
    engine.register_type_with_name::<WorkflowsHandle>("Workflows");
    let (h, m) = (host.clone(), meter.clone());
    engine.register_fn(
        "start",
        move |_: WorkflowsHandle, workflow: Dynamic, input: Dynamic| {
            with_host(&h, |state| start(state, &m, &workflow, &input, None))
        },
    );
    let (h, m) = (host.clone(), meter.clone());
    engine.register_fn(
        "start",
        move |_: WorkflowsHandle, workflow: Dynamic, input: Dynamic, name: Dynamic| {
            with_host(&h, |state| start(state, &m, &workflow, &input, Some(&name)))
        },
    );
}
