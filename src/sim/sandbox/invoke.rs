//! Running one invocation: cold-start init if needed, then the handler.
//!
//! Why the swaps: see `host.rs`. The store, version store and globals are
//! moved into the host cell for the call and always moved back, on success
//! and on error alike, before anything is returned.

use std::mem;

use rhai::{CallFnOptions, Dynamic, Scope};

use super::call::{CallArgs, Served, Serving};
use super::environment::Environment;
use super::error::{from_rhai, ErrorPhase, HandlerError, HandlerErrorKind};
use super::event::{event_value, Context, Event, Invocation};
use super::outcome::{parse_return, HandlerOutcome, Usage, WorkflowStart};
use super::program::HandlerProgram;
use crate::sim::store::Store;
use crate::sim::version_store::VersionStore;

/// A run of a handler ahead of its calls' times (see
/// [`HandlerProgram::speculate`]).
#[derive(Debug)]
pub struct Speculation {
    /// Every call the run made, in order: the journal it was given, then
    /// the calls it made past it with the answers it was given.
    pub calls: Vec<Served>,
    /// How the run ended, if every call is served with the answer it was
    /// given.
    pub result: Result<HandlerOutcome, HandlerError>,
}

impl HandlerProgram {
    /// Runs the handler once in `env` with `event`, serving each call at
    /// once (the handler alone in the world: nothing else can act between
    /// its calls). A cold `env` first runs the script's top-level code (the
    /// init); if that fails the invocation fails and the environment stays
    /// cold. Calls act on `store` and `drafts` and are stamped with
    /// `invocation.request_id` and the virtual time at which each is served:
    /// `invocation.now_ms` plus the latencies so far. Add
    /// `usage.store_cost_ms` (on success and on error) to the invocation's
    /// duration.
    pub fn invoke(
        &self,
        env: &mut Environment,
        event: &Event,
        invocation: &Invocation,
        store: &mut Store,
        drafts: &mut VersionStore,
    ) -> Result<HandlerOutcome, HandlerError> {
        let run = Run {
            journal: Vec::new(),
            serving: Serving::Real,
        };
        self.run(env, event, invocation, (store, drafts), run)
            .result
    }

    /// Runs the handler ahead of its calls' times: calls in `journal` (the
    /// ones already served, in order) are answered from it; the calls past
    /// it are served against `store` and `drafts` as they are now, and every
    /// write is rolled back before this returns. The caller serves each
    /// call again at its time and runs the handler again from the same
    /// `env` state with a longer journal when an answer differs (see
    /// `docs/architecture.md`, "Handlers in virtual time").
    pub fn speculate(
        &self,
        env: &mut Environment,
        event: &Event,
        invocation: &Invocation,
        stores: (&mut Store, &mut VersionStore),
        journal: Vec<Served>,
    ) -> Speculation {
        let (store, drafts) = stores;
        let mark = store.mark();
        drafts.start_speculation();
        let run = Run {
            journal,
            serving: Serving::Speculative,
        };
        let speculation = self.run(env, event, invocation, (&mut *store, &mut *drafts), run);
        store.rollback_to(mark);
        drafts.undo_speculation();
        speculation
    }

    fn run(
        &self,
        env: &mut Environment,
        event: &Event,
        invocation: &Invocation,
        stores: (&mut Store, &mut VersionStore),
        run: Run,
    ) -> Speculation {
        env.invocations += 1;
        let (store, drafts) = stores;
        let lease = Lease {
            writer: &invocation.request_id,
            now_ms: invocation.now_ms,
            remaining_time_ms: invocation.remaining_time_ms,
            latency_seed: invocation.latency_seed,
            run,
        };
        if let Err(run) = self.lend_to_host(env, (&mut *store, &mut *drafts), lease) {
            let error = HandlerError::new(
                HandlerErrorKind::Runtime,
                ErrorPhase::Invoke,
                "this handler is already running (re-entrant invocation)".to_string(),
                None,
            );
            return Speculation {
                calls: run.journal,
                result: Err(error),
            };
        }
        let cold_start = !env.initialized;
        let (result, ops_used) = self.run_scripts(event, invocation, cold_start);
        let (mut usage, calls) = self.take_back_from_host(env, (store, drafts));
        usage.ops_used = ops_used;
        usage.workflow_starts = workflow_starts(&calls);

        let failed_init = matches!(result, Err((_, ErrorPhase::Init)));
        if failed_init {
            env.globals.clear();
        } else {
            env.initialized = true;
        }
        let result = self.finish(result, usage, cold_start, event);
        Speculation { calls, result }
    }

    /// The init (in a cold environment) then, if it succeeded, the handler;
    /// with the script operations both used.
    fn run_scripts(
        &self,
        event: &Event,
        invocation: &Invocation,
        cold_start: bool,
    ) -> (ScriptResult, u64) {
        let mut ops_used = 0;
        let mut result = Ok(Dynamic::UNIT);
        if cold_start {
            result = self.run_init().map_err(|e| (e, ErrorPhase::Init));
            ops_used += self.meter.ops.get();
        }
        if result.is_ok() {
            result = self
                .run_handler(event, invocation)
                .map_err(|e| (e, ErrorPhase::Invoke));
            ops_used += self.meter.ops.get();
        }
        (result, ops_used)
    }

    /// Moves the stores and `env`'s globals into the host cell and sets it
    /// up for one run of the script (why the swaps: `host.rs`). Gives the
    /// run back when the host is already in use (a re-entrant call), with
    /// nothing moved.
    fn lend_to_host(
        &self,
        env: &mut Environment,
        (store, drafts): (&mut Store, &mut VersionStore),
        lease: Lease<'_>,
    ) -> Result<(), Run> {
        let Ok(mut host) = self.host.try_borrow_mut() else {
            return Err(lease.run);
        };
        mem::swap(&mut host.store, store);
        mem::swap(&mut host.drafts, drafts);
        mem::swap(&mut host.globals, &mut env.globals);
        lease.writer.clone_into(&mut host.writer);
        host.now_ms = lease.now_ms;
        host.remaining_time_ms = lease.remaining_time_ms;
        host.usage = Usage::default();
        host.log_bytes = 0;
        host.calls = lease.run.journal;
        host.cursor = 0;
        host.serving = lease.run.serving;
        host.latency_seed = lease.latency_seed;
        Ok(())
    }

    /// Moves the stores and globals back out of the host cell, with the
    /// usage and the calls the run was served (the ones it reached).
    fn take_back_from_host(
        &self,
        env: &mut Environment,
        (store, drafts): (&mut Store, &mut VersionStore),
    ) -> (Usage, Vec<Served>) {
        let Ok(mut host) = self.host.try_borrow_mut() else {
            return (Usage::default(), Vec::new());
        };
        mem::swap(&mut host.store, store);
        mem::swap(&mut host.drafts, drafts);
        mem::swap(&mut host.globals, &mut env.globals);
        let usage = mem::take(&mut host.usage);
        let mut calls = mem::take(&mut host.calls);
        calls.truncate(host.cursor);
        (usage, calls)
    }

    /// Turns the script's result into the handler's outcome.
    fn finish(
        &self,
        result: ScriptResult,
        usage: Usage,
        cold_start: bool,
        event: &Event,
    ) -> Result<HandlerOutcome, HandlerError> {
        let value = match result {
            Ok(value) => value,
            Err((err, phase)) => {
                let mut error = from_rhai(
                    &err,
                    phase,
                    self.meter.stop.get(),
                    &self.limits,
                    self.parsed.fn_line,
                );
                error.usage = usage;
                return Err(error);
            }
        };
        if let Event::SqsUnreported(_) = event {
            return Ok(HandlerOutcome {
                batch_item_failures: None,
                response: serde_json::Value::Null,
                cold_start,
                usage,
            });
        }
        match parse_return(&value, matches!(event, Event::Sqs(_))) {
            Ok((batch_item_failures, response)) => Ok(HandlerOutcome {
                batch_item_failures,
                response,
                cold_start,
                usage,
            }),
            Err(message) => {
                let mut error = HandlerError::new(
                    HandlerErrorKind::BadReturn,
                    ErrorPhase::Invoke,
                    message,
                    Some(self.parsed.fn_line),
                );
                error.usage = usage;
                Err(error)
            }
        }
    }

    /// Runs the script's top-level code in a cold `env` now (a provisioned
    /// environment is initialized before any invocation). Does nothing if
    /// `env` is warm. On error the environment stays cold and the next
    /// invocation runs the init again.
    pub fn initialize(
        &self,
        env: &mut Environment,
        writer: &str,
        now_ms: u64,
        store: &mut Store,
        drafts: &mut VersionStore,
    ) -> Result<Usage, HandlerError> {
        if env.initialized {
            return Ok(Usage::default());
        }
        let lease = Lease {
            writer,
            now_ms,
            remaining_time_ms: u64::MAX / 4,
            latency_seed: crate::sim::kernel::derive_seed(now_ms, writer),
            run: Run {
                journal: Vec::new(),
                serving: Serving::Real,
            },
        };
        if self
            .lend_to_host(env, (&mut *store, &mut *drafts), lease)
            .is_err()
        {
            return Err(HandlerError::new(
                HandlerErrorKind::Runtime,
                ErrorPhase::Init,
                "this handler is already running (re-entrant initialization)".to_string(),
                None,
            ));
        }
        let result = self.run_init();
        let (mut usage, _) = self.take_back_from_host(env, (store, drafts));
        usage.ops_used = self.meter.ops.get();
        match result {
            Ok(_) => {
                env.initialized = true;
                Ok(usage)
            }
            Err(err) => {
                env.globals.clear();
                let mut error = from_rhai(
                    &err,
                    ErrorPhase::Init,
                    self.meter.stop.get(),
                    &self.limits,
                    self.parsed.fn_line,
                );
                error.usage = usage;
                Err(error)
            }
        }
    }

    fn run_init(&self) -> Result<Dynamic, Box<rhai::EvalAltResult>> {
        self.meter.reset();
        let mut scope = Scope::new();
        self.engine
            .run_ast_with_scope(&mut scope, &self.parsed.init_ast)
            .map(|()| Dynamic::UNIT)
    }

    /// Binds the arguments to the parameters of the kept handler scope.
    ///
    /// Why the scope is kept: pushing an entry allocates its name and,
    /// for the first entry, the scope's storage, and walks the whole event
    /// to mark it writable; a kept scope only swaps the values. The scope
    /// holds nothing else between invocations (`unbind_params`), so no
    /// state passes from one invocation to the next.
    fn bind_params(&self, scope: &mut Scope<'static>, args: [Dynamic; 2]) {
        let kept = scope.len() == self.parsed.params.len();
        for (name, value) in self.parsed.params.iter().zip(args) {
            match scope.get_mut(name).filter(|_| kept) {
                Some(slot) => *slot = value,
                None => {
                    // First invocation (or a scope that was reset).
                    if scope.len() >= self.parsed.params.len() {
                        scope.clear();
                    }
                    scope.push_dynamic(name.as_str(), value);
                }
            }
        }
    }

    /// Leaves the kept scope with only the parameters, bound to `()`: the
    /// variables the body declared are dropped (`rewind`), and so are the
    /// event and context. A parameter that cannot be reset empties the
    /// scope, and the next invocation starts from a fresh one.
    fn unbind_params(&self, scope: &mut Scope<'static>) {
        scope.rewind(self.parsed.params.len());
        for name in &self.parsed.params {
            match scope.get_mut(name) {
                Some(slot) => *slot = Dynamic::UNIT,
                None => {
                    scope.clear();
                    return;
                }
            }
        }
    }

    fn run_handler(
        &self,
        event: &Event,
        invocation: &Invocation,
    ) -> Result<Dynamic, Box<rhai::EvalAltResult>> {
        self.meter.reset();
        let args = [event_value(event), Dynamic::from(Context::new(invocation))];
        match &self.parsed.body_ast {
            Some(body) => match self.handler_scope.try_borrow_mut() {
                Ok(mut scope) => {
                    self.bind_params(&mut scope, args);
                    let result = self.engine.eval_ast_with_scope::<Dynamic>(&mut scope, body);
                    self.unbind_params(&mut scope);
                    result
                }
                // Only a re-entrant call could find the scope in use; it gets
                // a scope of its own.
                Err(_) => {
                    let mut scope = Scope::new();
                    for (name, value) in self.parsed.params.iter().zip(args) {
                        scope.push_dynamic(name.as_str(), value);
                    }
                    self.engine.eval_ast_with_scope::<Dynamic>(&mut scope, body)
                }
            },
            None => {
                let mut scope = Scope::new();
                let args: Vec<Dynamic> = args.into_iter().take(self.parsed.params.len()).collect();
                self.engine.call_fn_with_options::<Dynamic>(
                    CallFnOptions::new().eval_ast(false),
                    &mut scope,
                    &self.parsed.init_ast,
                    "handler",
                    args,
                )
            }
        }
    }
}

/// How a script run ended, with the phase an error happened in.
type ScriptResult = Result<Dynamic, (Box<rhai::EvalAltResult>, ErrorPhase)>;

/// What the host cell is set up with for one run of the script.
struct Lease<'a> {
    /// Stamps every store write (the request id, or the init's writer).
    writer: &'a str,
    now_ms: u64,
    remaining_time_ms: u64,
    latency_seed: u64,
    run: Run,
}

/// What a run is given besides the invocation.
struct Run {
    /// Calls already served, answered from here.
    journal: Vec<Served>,
    /// How calls past the journal are served.
    serving: Serving,
}

/// The workflow starts among `calls`, for the usage (boxed as
/// `Usage::workflow_starts` is: most handlers start none).
#[allow(clippy::box_collection)]
fn workflow_starts(calls: &[Served]) -> Option<Box<Vec<WorkflowStart>>> {
    let starts: Vec<WorkflowStart> = calls
        .iter()
        .filter_map(|c| match &c.call.args {
            CallArgs::Start(start) => Some(start.clone()),
            _ => None,
        })
        .collect();
    (!starts.is_empty()).then(|| Box::new(starts))
}
