//! Running one invocation: cold-start init if needed, then the handler.
//!
//! Why the swaps: see `host.rs`. The store, version store and globals are
//! moved into the host cell for the call and always moved back, on success
//! and on error alike, before anything is returned.

use std::mem;

use rhai::{CallFnOptions, Dynamic, Scope};

use super::environment::Environment;
use super::error::{from_rhai, ErrorPhase, HandlerError, HandlerErrorKind};
use super::event::{event_value, Context, Event, Invocation};
use super::outcome::{parse_return, HandlerOutcome, Usage};
use super::program::HandlerProgram;
use crate::sim::store::Store;
use crate::sim::version_store::VersionStore;

impl HandlerProgram {
    /// Runs the handler once in `env` with `event`. A cold `env` first runs
    /// the script's top-level code (the init); if that fails the invocation
    /// fails and the environment stays cold. Store calls act on `store` and
    /// `drafts` and are stamped with `invocation.request_id` and virtual
    /// times from `invocation.now_ms`. Add `usage.store_cost_ms` (on success
    /// and on error) to the invocation's duration.
    pub fn invoke(
        &self,
        env: &mut Environment,
        event: &Event,
        invocation: &Invocation,
        store: &mut Store,
        drafts: &mut VersionStore,
    ) -> Result<HandlerOutcome, HandlerError> {
        env.invocations += 1;
        let Ok(mut host) = self.host.try_borrow_mut() else {
            return Err(HandlerError::new(
                HandlerErrorKind::Runtime,
                ErrorPhase::Invoke,
                "this handler is already running (re-entrant invocation)".to_string(),
                None,
            ));
        };
        mem::swap(&mut host.store, store);
        mem::swap(&mut host.drafts, drafts);
        mem::swap(&mut host.globals, &mut env.globals);
        host.writer.clone_from(&invocation.request_id);
        host.now_ms = invocation.now_ms;
        host.remaining_time_ms = invocation.remaining_time_ms;
        host.usage = Usage::default();
        host.log_bytes = 0;
        drop(host);

        let mut ops_used = 0;
        let cold_start = !env.initialized;
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

        let mut usage = Usage::default();
        if let Ok(mut host) = self.host.try_borrow_mut() {
            mem::swap(&mut host.store, store);
            mem::swap(&mut host.drafts, drafts);
            mem::swap(&mut host.globals, &mut env.globals);
            usage = mem::take(&mut host.usage);
        }
        usage.ops_used = ops_used;

        let failed_init = matches!(result, Err((_, ErrorPhase::Init)));
        if failed_init {
            env.globals.clear();
        } else {
            env.initialized = true;
        }
        let value = match result {
            Ok(value) => value,
            Err((err, phase)) => {
                let mut error = from_rhai(
                    &err,
                    phase,
                    self.meter.stop.get(),
                    &self.limits,
                    self.fn_line,
                );
                error.usage = usage;
                return Err(error);
            }
        };
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
                    Some(self.fn_line),
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
        let Ok(mut host) = self.host.try_borrow_mut() else {
            return Err(HandlerError::new(
                HandlerErrorKind::Runtime,
                ErrorPhase::Init,
                "this handler is already running (re-entrant initialization)".to_string(),
                None,
            ));
        };
        mem::swap(&mut host.store, store);
        mem::swap(&mut host.drafts, drafts);
        mem::swap(&mut host.globals, &mut env.globals);
        writer.clone_into(&mut host.writer);
        host.now_ms = now_ms;
        host.remaining_time_ms = u64::MAX / 4;
        host.usage = Usage::default();
        host.log_bytes = 0;
        drop(host);
        let result = self.run_init();
        let mut usage = Usage::default();
        if let Ok(mut host) = self.host.try_borrow_mut() {
            mem::swap(&mut host.store, store);
            mem::swap(&mut host.drafts, drafts);
            mem::swap(&mut host.globals, &mut env.globals);
            usage = mem::take(&mut host.usage);
        }
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
                    self.fn_line,
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
            .run_ast_with_scope(&mut scope, &self.init_ast)
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
        let kept = scope.len() == self.params.len();
        for (name, value) in self.params.iter().zip(args) {
            match scope.get_mut(name).filter(|_| kept) {
                Some(slot) => *slot = value,
                None => {
                    // First invocation (or a scope that was reset).
                    if scope.len() >= self.params.len() {
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
        scope.rewind(self.params.len());
        for name in &self.params {
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
        match &self.body_ast {
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
                    for (name, value) in self.params.iter().zip(args) {
                        scope.push_dynamic(name.as_str(), value);
                    }
                    self.engine.eval_ast_with_scope::<Dynamic>(&mut scope, body)
                }
            },
            None => {
                let mut scope = Scope::new();
                let args: Vec<Dynamic> = args.into_iter().take(self.params.len()).collect();
                self.engine.call_fn_with_options::<Dynamic>(
                    CallFnOptions::new().eval_ast(false),
                    &mut scope,
                    &self.init_ast,
                    "handler",
                    args,
                )
            }
        }
    }
}
