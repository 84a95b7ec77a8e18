//! The function engine's side of interventions (issue 19,
//! `docs/interventions.md`): crashing an environment in the middle of an
//! invocation, and changing a function's code from now on.
//!
//! A crash lands between two served calls: the calls served so far were
//! applied to the store for real and stay; the ones the handler ran ahead
//! with are not served (see `serving.rs`). The invocation fails with
//! `EnvironmentCrashed`, so its caller acts as on any function error: an
//! event source mapping leaves the batch to return after its visibility
//! timeout, an asynchronous invocation is retried. The environment and its
//! globals are gone; its pending timers find nothing and do nothing.

use std::borrow::Cow;
use std::rc::Rc;

use super::{
    detail, ExecResult, Finished, Function, FunctionEvent, Functions, InvocationError,
    InvocationErrorKind,
};
use crate::sim::kernel::Kernel;
use crate::sim::sandbox::HandlerProgram;
use crate::sim::trace::TraceKind;

/// Why an environment could not be crashed.
pub(crate) enum CrashRefused {
    /// The function has no environment of that id.
    NoSuchEnvironment,
    /// It exists but runs no invocation.
    Idle,
}

impl Functions {
    /// The invocation running in environment `env` of `function`.
    pub(crate) fn running_in(&self, function: usize, env: u64) -> Result<u64, CrashRefused> {
        let f = self
            .list
            .get(function)
            .ok_or(CrashRefused::NoSuchEnvironment)?;
        let e = f.envs.get(&env).ok_or(CrashRefused::NoSuchEnvironment)?;
        if !e.busy {
            return Err(CrashRefused::Idle);
        }
        self.execs
            .iter()
            .find(|(_, x)| x.function == function && x.env == env)
            .map(|(id, _)| *id)
            .ok_or(CrashRefused::Idle)
    }

    /// Crashes the environment running `invocation` now; returns what its
    /// caller outside the engine must be told (as on completion).
    pub(crate) fn crash<E: From<FunctionEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        invocation: u64,
    ) -> Option<Finished> {
        let now = k.now_ms();
        let exec = self.execs.get_mut(&invocation)?;
        let (function, env) = (exec.function, exec.env);
        let served = exec.progress.as_ref().map_or(0, |p| p.served);
        let started = exec.progress.as_ref().map_or(now, |p| p.started_ms);
        let error = InvocationError {
            kind: InvocationErrorKind::EnvironmentCrashed,
            message: format!(
                "the environment crashed after {served} served store call(s): they stay, the rest never happened"
            ),
            line: None,
            column: None,
        };
        exec.result = Some((ExecResult::Err(error), now.saturating_sub(started)));
        let finished = self.complete(k, invocation);
        let f = &mut self.list[function];
        f.retiring.remove(&env);
        if f.envs.remove(&env).is_some() {
            let mut d = detail(&f.name);
            d.environment = Some(env);
            d.reason = Some(Cow::Borrowed(
                "crashed by an intervention: the environment and its globals are gone",
            ));
            k.record(f.actor.clone(), TraceKind::EnvironmentRetired, None, d);
        }
        finished
    }

    /// Compiles `code` for `function`; nothing changes if it does not
    /// compile (the error says where).
    pub(crate) fn compile_for(
        &self,
        function: usize,
        code: &str,
        workflow_names: &[String],
    ) -> Result<HandlerProgram, String> {
        let f = &self.list[function];
        let program = HandlerProgram::compile(code, *f.program.limits()).map_err(|e| {
            match (e.line, e.column) {
                (Some(line), Some(column)) => {
                    format!("line {line}, column {column}: {}", e.message)
                }
                _ => e.message.clone(),
            }
        })?;
        program.set_workflow_names(workflow_names.into());
        Ok(program)
    }

    /// From now on `function` runs `program` (compiled from `code`, which
    /// its settings now show): idle environments (of the
    /// old code) are retired now, busy ones when their invocation ends, so
    /// every invocation starting later runs the new code in a new
    /// environment, as after a Lambda code update.
    pub(crate) fn change_code<E>(
        &mut self,
        k: &mut Kernel<E>,
        function: usize,
        code: String,
        program: HandlerProgram,
    ) {
        let f = &mut self.list[function];
        f.config.code = code;
        // Invocations executing the old code hold it (`serving.rs`).
        f.program = Rc::new(program);
        let ids: Vec<(u64, bool)> = f.envs.iter().map(|(id, e)| (*id, e.busy)).collect();
        for (id, busy) in ids {
            if busy {
                f.retiring.insert(id);
            } else {
                retire_replaced(k, f, id);
            }
        }
    }
}

/// Retires an environment of replaced code.
pub(super) fn retire_replaced<E>(k: &mut Kernel<E>, f: &mut Function, env: u64) {
    if f.envs.remove(&env).is_none() {
        return;
    }
    f.stats.retired += 1;
    let mut d = detail(&f.name);
    d.environment = Some(env);
    d.reason = Some(Cow::Borrowed(
        "the function's code changed: environments of the old code are retired",
    ));
    k.record(f.actor.clone(), TraceKind::EnvironmentRetired, None, d);
}
