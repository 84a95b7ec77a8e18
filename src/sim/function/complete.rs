//! Ending an invocation: its concurrency and environment released, its
//! outcome traced, its result handed to whoever waits for it (the model is
//! described in `mod.rs`).

use std::borrow::Cow;

use super::{
    detail, intervene, Caller, Exec, ExecResult, Finished, FunctionEvent, Functions,
    InvocationError, InvocationStatus, Waiting,
};
use crate::sim::kernel::Kernel;
use crate::sim::sandbox::HandlerErrorKind;
use crate::sim::trace::TraceKind;

impl Functions {
    /// An invocation ends: its concurrency and environment are released,
    /// its outcome is traced, and its result goes to whoever waits for it.
    pub(super) fn complete<E: From<FunctionEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        invocation: u64,
    ) -> Option<Finished> {
        let mut exec = self.execs.remove(&invocation)?;
        let now = k.now_ms();
        let (result, duration) = exec.result.take().unwrap_or_else(|| {
            (
                ExecResult::Err(InvocationError {
                    kind: HandlerErrorKind::Runtime.into(),
                    message: "the invocation never ran".into(),
                    line: None,
                    column: None,
                }),
                0,
            )
        });
        self.release(k, &exec, now)?;
        self.record_outcome(k, &exec, &result, duration);
        self.hand_back(k, exec, result, now)
    }

    /// Gives back the invocation's concurrency and its environment, which
    /// idles from `now` (and may retire later) or, if its code was
    /// replaced, retires now. `None` if the function is gone.
    fn release<E: From<FunctionEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        exec: &Exec,
        now: u64,
    ) -> Option<()> {
        let f = self.list.get_mut(exec.function)?;
        f.busy = f.busy.saturating_sub(1);
        if f.config.reserved_concurrency.is_none() {
            self.unreserved_busy = self.unreserved_busy.saturating_sub(1);
        }
        if let Some(env) = f.envs.get_mut(&exec.env) {
            env.busy = false;
            env.idle_since_ms = now;
            if !env.provisioned {
                k.schedule(
                    now + f.config.idle_retire_ms,
                    FunctionEvent::Retire {
                        function: exec.function,
                        environment: exec.env,
                        idle_since_ms: now,
                    }
                    .into(),
                );
            }
        }
        if f.retiring.remove(&exec.env) {
            intervene::retire_replaced(k, f, exec.env);
        }
        Some(())
    }

    /// Counts and traces how the invocation ended.
    fn record_outcome<E>(
        &mut self,
        k: &mut Kernel<E>,
        exec: &Exec,
        result: &ExecResult,
        duration_ms: u64,
    ) {
        let f = &mut self.list[exec.function];
        let mut d = detail(&f.name);
        d.request_id = Some(exec.request_id.clone());
        d.environment = Some(exec.env);
        d.cold_start = Some(exec.cold);
        d.duration_ms = Some(duration_ms);
        d.mapping = exec.mapping.clone();
        let source = match &exec.caller {
            Caller::Async(r) => r.source,
            _ => None,
        };
        match result {
            ExecResult::Ok { .. } => {
                f.stats.succeeded += 1;
                k.record(f.actor.clone(), TraceKind::InvocationSucceeded, source, d);
            }
            ExecResult::Err(e) => {
                f.stats.failed += 1;
                d.error_kind = Some(Cow::Borrowed(e.kind.name()));
                d.reason = Some(Cow::Owned(e.message.clone()));
                d.line = e.line;
                d.column = e.column;
                k.record(f.actor.clone(), TraceKind::InvocationFailed, source, d);
            }
        }
    }

    /// Gives the result to its caller: a caller outside the engine gets it
    /// as `Finished`; a synchronous one through its record; an asynchronous
    /// one that failed is retried or dropped.
    fn hand_back<E: From<FunctionEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        exec: Exec,
        result: ExecResult,
        now: u64,
    ) -> Option<Finished> {
        let waiting = match exec.caller {
            Caller::Mapping { mapping, slot } => Waiting::Mapping { mapping, slot },
            Caller::Api { client, call } => Waiting::Api { client, call },
            Caller::Workflow { execution } => Waiting::Workflow { execution },
            Caller::Sync => {
                self.settle_sync_record(&exec.request_id, exec.env, result, now);
                return None;
            }
            Caller::Async(request) => {
                if let ExecResult::Err(_) = result {
                    self.after_async_failure(k, exec.function, request, exec.request_id);
                }
                return None;
            }
        };
        Some(Finished {
            waiting,
            request_id: exec.request_id,
            result,
        })
    }

    /// Writes a synchronous invocation's end into the record its caller
    /// polls.
    fn settle_sync_record(&mut self, request_id: &str, env: u64, result: ExecResult, now: u64) {
        let Some(record) = self.sync.get_mut(request_id) else {
            return;
        };
        record.finished_at_ms = Some(now);
        record.environment = Some(env);
        match result {
            ExecResult::Ok { response, .. } => {
                record.status = InvocationStatus::Succeeded;
                record.response = Some(response);
            }
            ExecResult::Err(e) => {
                record.status = InvocationStatus::Failed;
                record.error = Some(e);
            }
        }
    }
}
