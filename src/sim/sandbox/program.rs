//! Compiling a learner's handler once, into a reusable program.
//!
//! Why compile once: parsing is the expensive part; an invocation then costs
//! a few microseconds. The program owns its engine (limits are engine
//! settings) and the host cell its native functions reach.

use std::cell::RefCell;
use std::rc::Rc;

use rhai::{Engine, Module, Scope, Shared};

use super::error::{from_rhai, ErrorPhase, HandlerError, HandlerErrorKind};
use super::host::{HostCell, HostState, Meter};
use super::limits::SandboxLimits;
use super::parsed::{parsed_or, Parsed};
use super::source::find_handler_body;
use super::{api_env, api_store, api_store_typed, api_workflows, checked_fns, size_guard};

/// A compiled handler. Create [`super::Environment`]s and call
/// [`HandlerProgram::invoke`].
pub struct HandlerProgram {
    pub(crate) engine: Engine,
    /// The parsed code, shared with other worlds running the same code
    /// (see `parsed.rs`).
    pub(crate) parsed: Rc<Parsed>,
    pub(crate) host: HostCell,
    pub(crate) meter: Rc<Meter>,
    pub(crate) limits: SandboxLimits,
    /// The scope `body_ast` runs in, kept between invocations so that its
    /// parameter entries (names and storage) are allocated once. Between
    /// invocations it holds exactly the parameters, bound to `()`: see
    /// `bind_params` and `unbind_params` in `invoke.rs`.
    pub(crate) handler_scope: RefCell<Scope<'static>>,
}

impl std::fmt::Debug for HandlerProgram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HandlerProgram")
            .field("params", &self.parsed.params)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

rhai::def_package! {
    /// Rhai's standard library less blobs (byte buffers, `blob()` and its
    /// functions): handlers read and write JSON-like events, and the blob
    /// functions cost 7 KB of gzipped download. Everything else is
    /// `Engine::new()`'s `StandardPackage`.
    HandlerPackage(lib):
        rhai::packages::CorePackage,
        rhai::packages::BitFieldPackage,
        rhai::packages::LogicPackage,
        rhai::packages::BasicMathPackage,
        rhai::packages::BasicArrayPackage,
        rhai::packages::BasicMapPackage,
        rhai::packages::MoreStringPackage
    {
        // Its `standard_lib` flag (private to rhai) matters only to the
        // optimizer, which is off (`no_optimize`), and to signature
        // listings, which the sandbox does not make.
        let _ = lib;
    }
}

thread_local! {
    /// The standard library, built once per thread and shared by every
    /// engine: building it registers hundreds of functions, which cost as
    /// much as a whole seed of a small scenario (see `parsed.rs`).
    static STANDARD_LIBRARY: Shared<Module> =
        rhai::packages::Package::as_shared_module(&HandlerPackage::new());
}

fn build_engine(limits: &SandboxLimits, host: &HostCell, meter: &Rc<Meter>) -> Engine {
    // As `Engine::new()` does (its print/debug and module resolver are
    // replaced or off here), with the package above.
    let mut engine = Engine::new_raw();
    engine.set_max_strings_interned(256);
    engine.register_global_module(STANDARD_LIBRARY.with(Shared::clone));
    // Rhai reads 0 as "no limit": never pass 0.
    engine
        .set_max_operations(limits.max_operations.saturating_add(1))
        .set_max_call_levels(limits.max_call_levels)
        .set_max_string_size(limits.max_string_size_bytes.max(1))
        .set_max_array_size(limits.max_array_size.max(1))
        .set_max_map_size(limits.max_map_size.max(1))
        .set_max_expr_depths(limits.max_expr_depth.max(1), limits.max_expr_depth.max(1))
        .set_max_variables(limits.max_variables)
        .set_max_functions(limits.max_functions)
        .set_fail_on_invalid_map_property(true);
    // `eval` would run code the limits' positions cannot point at.
    engine.disable_symbol("eval");
    checked_fns::register(&mut engine, limits);
    // The typed overloads first, so that the usual calls are found at once
    // (see `api_store_typed.rs`).
    api_store_typed::register_store(&mut engine, host, meter);
    api_store_typed::register_drafts(&mut engine, host, meter);
    api_store::register(&mut engine, host, meter);
    api_workflows::register(&mut engine, host, meter);
    api_env::register(&mut engine, host, meter);
    size_guard::register(&mut engine, limits, meter);
    engine
}

impl HandlerProgram {
    /// Tells `workflows.start` which workflows exist (once, when the world
    /// is built).
    pub fn set_workflow_names(&self, names: Rc<[String]>) {
        if let Ok(mut host) = self.host.try_borrow_mut() {
            host.workflow_names = names;
        }
    }

    /// Compiles `source`, which must define `fn handler(event, context)`.
    pub fn compile(source: &str, limits: SandboxLimits) -> Result<Self, HandlerError> {
        let host: HostCell = Rc::new(RefCell::new(HostState {
            limits,
            ..HostState::default()
        }));
        let meter = Rc::new(Meter::default());
        meter.max_ops.set(limits.max_operations);
        let engine = build_engine(&limits, &host, &meter);
        let parsed = parsed_or(source, limits, || parse(&engine, source, &limits))?;
        Ok(Self {
            engine,
            parsed,
            host,
            meter,
            limits,
            handler_scope: RefCell::new(Scope::new()),
        })
    }

    /// Script operations all invocations of this program used so far
    /// (cold-start code included): the run's handler budget adds these up.
    pub fn run_ops_used(&self) -> u64 {
        self.meter.run_ops.get()
    }

    /// The limits this program runs under.
    pub fn limits(&self) -> &SandboxLimits {
        &self.limits
    }
}

/// Parses `source` with `engine`: the script, its one `fn handler` and, when
/// it can be cut out, the handler's body as top-level code.
fn parse(engine: &Engine, source: &str, limits: &SandboxLimits) -> Result<Parsed, HandlerError> {
    let compile_error = |e: rhai::ParseError| {
        let err = rhai::EvalAltResult::ErrorParsing(*e.0, e.1);
        from_rhai(&err, ErrorPhase::Compile, None, limits, 1)
    };
    let init_ast = engine
        .compile(source)
        .map_err(compile_error)
        .map_err(|e| checked_fns::explain_removed(source, e))?;

    let handlers: Vec<_> = init_ast
        .iter_functions()
        .filter(|f| f.name == "handler")
        .collect();
    let params: Vec<String> = match handlers.as_slice() {
        [one] if one.params.len() <= 2 => one.params.iter().map(|p| p.to_string()).collect(),
        [] => {
            return Err(HandlerError::new(
                HandlerErrorKind::MissingHandler,
                ErrorPhase::Compile,
                "the code must define `fn handler(event, context) { ... }`".to_string(),
                None,
            ))
        }
        _ => {
            return Err(HandlerError::new(
                HandlerErrorKind::MissingHandler,
                ErrorPhase::Compile,
                "define exactly one `fn handler(event, context)` (at most two parameters)"
                    .to_string(),
                None,
            ))
        }
    };

    let body = find_handler_body(source);
    let fn_line = body.as_ref().map_or(1, |b| b.fn_line);
    let body_ast = body
        .and_then(|b| engine.compile(&b.padded_body).ok())
        .map(|statements| statements.merge(&init_ast.clone_functions_only()));

    Ok(Parsed {
        init_ast,
        body_ast,
        params,
        fn_line,
    })
}
