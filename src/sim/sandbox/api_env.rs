//! `globals`, `context`, logging and operation counting.
//!
//! Why `globals` is a handle and not a map: script functions cannot see
//! top-level `let` variables, so state that must outlive one invocation
//! needs a name every function can reach. `globals` is a constant whose
//! property reads and writes go to the current environment's map, so
//! `globals.count += 1` works anywhere and lasts exactly as long as the
//! execution environment.

use std::rc::Rc;

use rhai::{Dynamic, Engine, EvalAltResult, Module, NativeCallContext, Position, INT};

use super::api_store::{DraftsHandle, StoreHandle};
use super::convert::to_json;
use super::event::Context;
use super::host::{stop_error, with_host, HostCell, Meter, StopReason};
use super::limits::LimitKind;

/// The value of the script constant `globals`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct GlobalsHandle;

fn globals_get(host: &HostCell, name: &str) -> Result<Dynamic, Box<EvalAltResult>> {
    with_host(host, |h| {
        h.globals.get(name).cloned().ok_or_else(|| {
            EvalAltResult::ErrorPropertyNotFound(format!("globals.{name}"), Position::NONE).into()
        })
    })
}

fn globals_set(
    host: &HostCell,
    meter: &Meter,
    name: &str,
    value: Dynamic,
) -> Result<(), Box<EvalAltResult>> {
    with_host(host, |h| {
        if !h.globals.contains_key(name) && h.globals.len() >= h.limits.max_map_size {
            return Err(stop_error(meter, StopReason::Limit(LimitKind::MapSize)));
        }
        h.globals.insert(name.into(), value.flatten());
        Ok(())
    })
}

fn log_text(value: &Dynamic) -> String {
    if value.is_string() {
        return value.to_string();
    }
    match to_json(value, "the value") {
        Ok(json) => json.to_string(),
        Err(_) => value.to_string(),
    }
}

fn push_log(
    host: &HostCell,
    meter: &Meter,
    line: Option<u32>,
    text: &str,
) -> Result<(), Box<EvalAltResult>> {
    let full = with_host(host, |h| Ok(h.log(line, text)))?;
    full.map_err(|limit| stop_error(meter, StopReason::Limit(limit)))
}

/// Registers `globals`, `context`, `log`, `print`/`debug` capture, the
/// operation meter and the `store`/`drafts`/`globals` constants.
pub(crate) fn register(engine: &mut Engine, host: &HostCell, meter: &Rc<Meter>) {
    register_globals(engine, host, meter);
    register_context(engine, host);
    register_logging(engine, host, meter);
    register_meter(engine, meter);
    register_helpers(engine);
    register_constants(engine);
}

/// `globals[name]` reads and writes, `contains` and `remove`: the
/// environment's map lives in the host, bounded by `max_map_size`.
fn register_globals(engine: &mut Engine, host: &HostCell, meter: &Rc<Meter>) {
    engine.register_type_with_name::<GlobalsHandle>("Globals");
    let h = host.clone();
    engine.register_indexer_get(move |_: &mut GlobalsHandle, name: &str| globals_get(&h, name));
    let (h, m) = (host.clone(), meter.clone());
    engine.register_indexer_set(move |_: &mut GlobalsHandle, name: &str, value: Dynamic| {
        globals_set(&h, &m, name, value)
    });
    let h = host.clone();
    engine.register_fn("contains", move |_: &mut GlobalsHandle, name: &str| {
        with_host(&h, |s| Ok(s.globals.contains_key(name)))
    });
    let h = host.clone();
    engine.register_fn("remove", move |_: &mut GlobalsHandle, name: &str| {
        with_host(&h, |s| Ok(s.globals.remove(name).unwrap_or(Dynamic::UNIT)))
    });
}

/// `context`: the request id, the function name and the time left, under
/// both the Rhai-style and the Node-style names learners know.
fn register_context(engine: &mut Engine, host: &HostCell) {
    engine.register_type_with_name::<Context>("Context");
    engine.register_get("request_id", |c: &mut Context| c.request_id.clone());
    engine.register_get("awsRequestId", |c: &mut Context| c.request_id.clone());
    engine.register_get("function_name", |c: &mut Context| c.function_name.clone());
    engine.register_get("functionName", |c: &mut Context| c.function_name.clone());
    for name in ["remaining_time_ms", "getRemainingTimeInMillis"] {
        let h = host.clone();
        engine.register_fn(name, move |_: &mut Context| {
            with_host(&h, |s| {
                Ok(INT::try_from(s.remaining_ms()).unwrap_or(INT::MAX))
            })
        });
    }
}

/// `log`, `print` and `debug` all go to the invocation's bounded log.
fn register_logging(engine: &mut Engine, host: &HostCell, meter: &Rc<Meter>) {
    let (h, m) = (host.clone(), meter.clone());
    engine.register_fn("log", move |ctx: NativeCallContext, value: Dynamic| {
        let line = ctx.call_position().line().map(|l| l as u32);
        push_log(&h, &m, line, &log_text(&value))
    });
    let (h, m) = (host.clone(), meter.clone());
    engine.on_print(move |text| {
        // A full log sets the meter's stop flag; the next operation ends the run.
        let _ = push_log(&h, &m, None, text);
    });
    let (h, m) = (host.clone(), meter.clone());
    engine.on_debug(move |text, _, pos| {
        let _ = push_log(&h, &m, pos.line().map(|l| l as u32), text);
    });
}

/// Counts every script operation against the invocation's and the run's
/// budgets, and stops the script once the meter says so.
fn register_meter(engine: &mut Engine, meter: &Rc<Meter>) {
    let m = meter.clone();
    engine.on_progress(move |_| {
        let ops = m.ops.get() + 1;
        m.ops.set(ops);
        m.run_ops.set(m.run_ops.get().saturating_add(1));
        if ops > m.max_ops.get() && m.stop.get().is_none() {
            m.stop.set(Some(StopReason::Limit(LimitKind::Operations)));
        }
        m.stop.get().map(|_| Dynamic::UNIT)
    });
}

/// `parse_json` and the fast `== ()` / `!= ()` comparisons.
fn register_helpers(engine: &mut Engine) {
    // `parse_json(text)`: reads the `Message` of an SNS envelope (or any
    // JSON string) into a value, as a JSON body already arrives parsed. The
    // text is a script string, so the engine's string size limit bounds it.
    engine.register_fn("parse_json", |text: &str| {
        super::convert::dynamic_from_json_text(text).ok_or_else(|| {
            Box::<EvalAltResult>::from(format!(
                "parse_json: the text is not one JSON value ({} bytes)",
                text.len()
            ))
        })
    });

    // `x == ()` is how learners test "not found"; without these the engine
    // looks for a matching `==` in every module before answering false.
    engine.register_fn("==", |a: Dynamic, _: ()| a.is_unit());
    engine.register_fn("==", |_: (), b: Dynamic| b.is_unit());
    engine.register_fn("!=", |a: Dynamic, _: ()| !a.is_unit());
    engine.register_fn("!=", |_: (), b: Dynamic| !b.is_unit());
}

/// The `store`, `drafts`, `globals` and `workflows` handles every script
/// function can reach.
fn register_constants(engine: &mut Engine) {
    let mut constants = Module::new();
    constants.set_var("store", StoreHandle);
    constants.set_var("drafts", DraftsHandle);
    constants.set_var("globals", GlobalsHandle);
    constants.set_var("workflows", super::api_workflows::WorkflowsHandle);
    engine.register_global_module(constants.into());
}
