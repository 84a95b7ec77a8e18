//! Handlers in virtual time: each store, version-store and workflow call of
//! an invocation is served at its own moment, in global time order with
//! every other invocation's calls.
//!
//! How (see `docs/architecture.md`, "Handlers in virtual time"):
//! 1. When an invocation starts executing, its handler runs ahead
//!    speculatively ([`HandlerProgram::speculate`]): each call is answered
//!    from the store as it is now, and rolled back. The run yields the
//!    plan: every call with the time it will be served (the invocation's
//!    compute time, then each call's drawn latency after the previous one)
//!    and the answer the handler was given.
//! 2. At each call's time the engine serves it for real. If the real answer
//!    equals the one the handler was given, nothing the handler did can
//!    change, and the next call waits for its time.
//! 3. If it differs (another invocation wrote in between), the environment
//!    is put back as it was before the invocation and the handler runs
//!    again from the top, with the calls served so far answered from the
//!    journal, and runs ahead again past them.
//!
//! So globals, logs, the operation count and the limits are those of one
//! whole run; logs and trace events are recorded when the calls before
//! them have been served, at that moment.

use std::borrow::Cow;

use super::{detail, ExecResult, FunctionEvent, Functions, InvocationError, InvocationErrorKind};
use crate::sim::kernel::Kernel;
use crate::sim::name::Name;
use crate::sim::sandbox::{
    serve, Answer, CallArgs, Environment, HandlerError, HandlerOutcome, Invocation, Served, Serving,
};
use crate::sim::store::Store;
use crate::sim::trace::{ActorId, TraceKind};

/// Where an invocation that has started executing stands.
#[derive(Clone)]
pub(super) struct Progress {
    /// When its handler started executing.
    pub started_ms: u64,
    /// Its compute time, spent before its first call.
    pub base_ms: u64,
    /// Seeds its calls' latencies.
    pub latency_seed: u64,
    /// Its environment as it was before the invocation, to run again from.
    pub before: Environment,
    /// The plan: every call the current run made, in order.
    pub calls: Vec<Served>,
    /// How many of them have been served for real.
    pub served: usize,
    /// How the current run ended.
    pub result: Result<HandlerOutcome, HandlerError>,
    /// How many of its log lines are in the trace.
    pub logs_recorded: usize,
    /// How many times the handler ran (1 without any replay).
    pub runs: u32,
    /// The code it runs: the function's code when it started executing,
    /// kept if an intervention changes the code meanwhile.
    pub program: std::rc::Rc<crate::sim::sandbox::HandlerProgram>,
}

impl Functions {
    /// The handler of `invocation` starts executing now (`base_ms` is its
    /// compute time, drawn already).
    pub(super) fn begin<E: From<FunctionEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        invocation: u64,
        base_ms: u64,
        latency_seed: u64,
    ) {
        let Some(exec) = self.execs.get_mut(&invocation) else {
            return;
        };
        let Some(f) = self.list.get_mut(exec.function) else {
            return;
        };
        let Some(env) = f.envs.get_mut(&exec.env) else {
            return;
        };
        let before = env.sandbox.clone();
        let call = Invocation {
            request_id: exec.request_id.to_string(),
            function_name: f.name.to_string(),
            now_ms: k.now_ms().saturating_add(base_ms),
            remaining_time_ms: f.config.timeout_ms.saturating_sub(base_ms),
            latency_seed,
        };
        let program = f.program.clone();
        let ops_before = program.run_ops_used();
        let run = program.speculate(
            &mut env.sandbox,
            &exec.event,
            &call,
            (&mut self.store, &mut self.drafts),
            Vec::new(),
        );
        self.ops_used += program.run_ops_used().saturating_sub(ops_before);
        exec.progress = Some(Box::new(Progress {
            started_ms: k.now_ms(),
            base_ms,
            latency_seed,
            before,
            calls: run.calls,
            served: 0,
            result: run.result,
            logs_recorded: 0,
            runs: 1,
            program,
        }));
        self.advance(k, invocation);
    }

    /// Serves the next call of `invocation` now.
    pub(super) fn serve_next<E: From<FunctionEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        invocation: u64,
    ) {
        let now = k.now_ms();
        let Some(exec) = self.execs.get_mut(&invocation) else {
            return;
        };
        let Some(p) = exec.progress.as_mut() else {
            return;
        };
        let Some(planned) = p.calls.get_mut(p.served) else {
            return;
        };
        let answer = serve(
            &planned.call,
            now,
            &exec.request_id,
            &mut self.store,
            &mut self.drafts,
            Serving::Real,
        );
        let f = &self.list[exec.function];
        record_call(
            k,
            &f.actor,
            &f.name,
            &exec.request_id,
            planned,
            &answer,
            &self.store,
        );
        if let (CallArgs::Start(start), Answer::Started) = (&planned.call.args, &answer) {
            let start = (start.clone(), f.name.clone(), exec.request_id.clone());
            self.workflow_outbox.push(start);
        }
        let differs = planned.answer != answer;
        planned.answer = answer;
        p.served += 1;
        if differs {
            self.replay(invocation);
        }
        self.advance(k, invocation);
    }

    /// Runs `invocation`'s handler again from the top: the calls served so
    /// far are answered as they were served, the rest run ahead again.
    fn replay(&mut self, invocation: u64) {
        let Some(exec) = self.execs.get_mut(&invocation) else {
            return;
        };
        let Some(p) = exec.progress.as_mut() else {
            return;
        };
        let f = &mut self.list[exec.function];
        let Some(env) = f.envs.get_mut(&exec.env) else {
            return;
        };
        env.sandbox = p.before.clone();
        let call = Invocation {
            request_id: exec.request_id.to_string(),
            function_name: f.name.to_string(),
            now_ms: p.started_ms.saturating_add(p.base_ms),
            remaining_time_ms: f.config.timeout_ms.saturating_sub(p.base_ms),
            latency_seed: p.latency_seed,
        };
        let mut journal = std::mem::take(&mut p.calls);
        journal.truncate(p.served);
        let ops_before = p.program.run_ops_used();
        let run = p.program.speculate(
            &mut env.sandbox,
            &exec.event,
            &call,
            (&mut self.store, &mut self.drafts),
            journal,
        );
        self.ops_used += p.program.run_ops_used().saturating_sub(ops_before);
        p.calls = run.calls;
        p.result = run.result;
        p.runs += 1;
        f.stats.reruns += 1;
    }

    /// Records the log lines whose calls have all been served, then waits
    /// for the next call, or ends the invocation after the last one.
    fn advance<E: From<FunctionEvent>>(&mut self, k: &mut Kernel<E>, invocation: u64) {
        let now = k.now_ms();
        let Some(exec) = self.execs.get_mut(&invocation) else {
            return;
        };
        let Some(p) = exec.progress.as_mut() else {
            return;
        };
        let f = &self.list[exec.function];
        record_logs(k, &f.actor, &f.name, &exec.request_id, p);
        if let Some(next) = p.calls.get(p.served) {
            k.schedule(next.time_ms, FunctionEvent::Serve { invocation }.into());
            return;
        }
        let timeout_ms = f.config.timeout_ms;
        let done_ms = now.max(p.started_ms.saturating_add(p.base_ms));
        let (result, duration_ms) = end_of(&p.result, p.started_ms, done_ms, timeout_ms);
        let complete_at_ms = p.started_ms + duration_ms;
        exec.result = Some((result, duration_ms));
        k.schedule(
            complete_at_ms,
            FunctionEvent::Complete { invocation }.into(),
        );
    }
}

/// How an invocation that started executing at `started_ms` ends, and how
/// long it took, given its last run's result and when its work was done.
fn end_of(
    result: &Result<HandlerOutcome, HandlerError>,
    started_ms: u64,
    done_ms: u64,
    timeout_ms: u64,
) -> (ExecResult, u64) {
    let mut result = match result {
        Ok(o) => ExecResult::Ok {
            failures: o.batch_item_failures.clone(),
            response: o.response.clone(),
        },
        Err(e) => ExecResult::Err(InvocationError::from_handler(e)),
    };
    let mut duration_ms = done_ms.saturating_sub(started_ms);
    // A call stopped for lack of time ends the invocation at the timeout,
    // like a duration past it.
    let stopped = matches!(&result, ExecResult::Err(e) if e.kind.is_timeout());
    if duration_ms > timeout_ms || stopped {
        duration_ms = timeout_ms;
        if matches!(result, ExecResult::Ok { .. }) {
            result = ExecResult::Err(InvocationError {
                kind: InvocationErrorKind::TIMEOUT,
                message: format!("Task timed out after {timeout_ms} ms"),
                line: None,
                column: None,
            });
        }
    }
    (result, duration_ms)
}

/// The log lines of the current run printed before call `p.served` (all of
/// them after the last call), not yet in the trace.
fn record_logs<E>(
    k: &mut Kernel<E>,
    actor: &ActorId,
    function: &Name,
    request_id: &Name,
    p: &mut Progress,
) {
    let usage = match &p.result {
        Ok(o) => &o.usage,
        Err(e) => &e.usage,
    };
    let all_served = p.served >= p.calls.len();
    for log in usage.logs.iter().skip(p.logs_recorded) {
        if !all_served && log.calls_before as usize > p.served {
            break;
        }
        let mut d = detail(function);
        d.request_id = Some(request_id.clone());
        d.line = log.line;
        d.reason = Some(Cow::Owned(log.text.clone()));
        k.record(actor.clone(), TraceKind::HandlerLog, None, d);
        p.logs_recorded += 1;
    }
}

/// The trace event of a call served now.
fn record_call<E>(
    k: &mut Kernel<E>,
    actor: &ActorId,
    function: &Name,
    request_id: &Name,
    served: &Served,
    answer: &Answer,
    store: &Store,
) {
    let mut d = detail(function);
    d.request_id = Some(request_id.clone());
    d.key = Some(Name::from(served.call.key.as_str()));
    let kind = match answer {
        Answer::Item(item) => {
            d.version = item
                .as_ref()
                .and_then(|i| i.effective_version())
                .map(|v| Name::from(v.to_string()));
            if item.is_none() {
                d.reason = Some(Cow::Borrowed("not found"));
            }
            TraceKind::StoreRead
        }
        Answer::Draft(draft) => {
            d.version = draft.as_ref().map(|(v, _)| Name::from(v.to_string()));
            TraceKind::StoreRead
        }
        Answer::Versions(_) => TraceKind::StoreRead,
        Answer::Written | Answer::Counter(_) | Answer::Deleted(true) => {
            if let Some(write) = store.history().last() {
                d.version = write
                    .new
                    .as_ref()
                    .and_then(|i| i.effective_version())
                    .map(|v| Name::from(v.to_string()));
                if let Some(replaced) = write.replaced.as_ref().and_then(|i| i.effective_version())
                {
                    d.reason = Some(Cow::Owned(format!("replaced version {replaced}")));
                }
            }
            TraceKind::StoreWrite
        }
        Answer::ConditionFailed(_) => TraceKind::ConditionalCheckFailed,
        Answer::Unavailable(message) => {
            d.reason = Some(Cow::Owned(message.clone()));
            TraceKind::StoreCallFailed
        }
        Answer::Deleted(false) | Answer::DraftSaved(_) | Answer::Started | Answer::Refused(_) => {
            return;
        }
    };
    k.record(actor.clone(), kind, None, d);
}
