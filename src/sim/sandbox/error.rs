//! Handler errors a learner can act on: what went wrong, where, and a hint.
//!
//! Why a translation layer: the script engine's messages are written for
//! Rust developers ("Function not found: put (Store, i64)") and its limit
//! errors lose their position inside functions. Here every error gets a kind
//! the kernel and the tests can match on, the line and column when known
//! (else the line of `fn handler`), and a message in the lessons' words.

use std::fmt;

use rhai::{EvalAltResult, ParseErrorType, Position};

use super::host::{StopReason, CONDITIONAL_CHECK_FAILED, INVALID_ARGUMENT};
use super::limits::{LimitKind, SandboxLimits};
use super::outcome::Usage;

/// What kind of error ended the handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandlerErrorKind {
    /// The code does not parse.
    Syntax,
    /// There is no `fn handler(event, context)`, or it has too many parameters.
    MissingHandler,
    /// A sandbox limit was reached.
    LimitExceeded(LimitKind),
    /// Store calls used up the function's remaining time (virtual).
    Timeout,
    /// The handler threw a value (`throw ...`) and did not catch it.
    Thrown,
    /// A conditional store write failed and the handler did not catch it.
    ConditionalCheckFailed,
    /// A store, version-store or helper call got wrong arguments.
    InvalidArgument,
    /// A variable that does not exist (often: a top-level `let` read in a function).
    VariableNotFound,
    /// A property or field that does not exist.
    PropertyNotFound,
    /// A function that does not exist, or not for these argument types.
    FunctionNotFound,
    /// A value of the wrong type for an operation.
    TypeMismatch,
    /// An index past the end of an array or string.
    IndexOutOfBounds,
    /// Division by zero, overflow.
    Arithmetic,
    /// The handler returned something Lambda cannot read.
    BadReturn,
    /// Any other runtime error.
    Runtime,
}

/// When the error happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorPhase {
    /// While compiling the code.
    Compile,
    /// While running the top-level code at a cold start.
    Init,
    /// While running the handler.
    Invoke,
}

/// An error of the learner's code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandlerError {
    /// What went wrong.
    pub kind: HandlerErrorKind,
    /// When.
    pub phase: ErrorPhase,
    /// A learner-readable message (without the position).
    pub message: String,
    /// 1-based line in the learner's code.
    pub line: Option<u32>,
    /// 1-based column in the learner's code.
    pub column: Option<u32>,
    /// What the invocation used before it failed (empty at compile time).
    pub usage: Usage,
}

impl fmt::Display for HandlerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "line {l}, column {c}: {}", self.message),
            (Some(l), None) => write!(f, "line {l}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for HandlerError {}

impl HandlerError {
    pub(crate) fn new(
        kind: HandlerErrorKind,
        phase: ErrorPhase,
        message: String,
        line: Option<u32>,
    ) -> Self {
        Self {
            kind,
            phase,
            message,
            line,
            column: None,
            usage: Usage::default(),
        }
    }
}

fn limit_message(limit: LimitKind, limits: &SandboxLimits) -> String {
    format!(
        "stopped: the sandbox limit {} ({}) was reached. Usual cause: {}.",
        limit.name(),
        limit.value(limits),
        limit.hint()
    )
}

/// Hints for a call that matched no function signature.
fn function_hint(signature: &str) -> Option<&'static str> {
    let table: [(&str, &str); 12] = [
        ("get (Store", "store.get(key)"),
        (
            "put (Store",
            "store.put(key, value) or store.put(key, value, version)",
        ),
        (
            "put_if_not_exists (Store",
            "store.put_if_not_exists(key, value) or (key, value, version)",
        ),
        (
            "put_if_version (Store",
            "store.put_if_version(key, value, version, expected_version)",
        ),
        (
            "put_if_newer (Store",
            "store.put_if_newer(key, value, version)",
        ),
        ("delete (Store", "store.delete(key)"),
        ("save (Drafts", "drafts.save(doc, version, body)"),
        ("latest (Drafts", "drafts.latest(doc)"),
        ("get (Drafts", "drafts.get(doc, version)"),
        ("versions (Drafts", "drafts.versions(doc)"),
        ("remaining_time_ms (Context", "context.remaining_time_ms()"),
        (
            "(Globals",
            "globals.name to read, globals.name = value to write",
        ),
    ];
    table
        .iter()
        .find(|(prefix, _)| signature.contains(prefix))
        .map(|(_, usage)| *usage)
}

/// Peels `ErrorInFunctionCall` wrappers: the innermost error, the position
/// of the innermost known point, and the functions it went through.
fn innermost(err: &EvalAltResult) -> (&EvalAltResult, Position, Vec<&str>) {
    let mut current = err;
    let mut pos = err.position();
    let mut functions = Vec::new();
    while let EvalAltResult::ErrorInFunctionCall(name, _, inner, call_pos) = current {
        if !call_pos.is_none() {
            pos = *call_pos;
        }
        functions.push(name.as_str());
        current = inner;
    }
    if !current.position().is_none() {
        pos = current.position();
    }
    (current, pos, functions)
}

/// Translates an engine error.
pub(crate) fn from_rhai(
    err: &EvalAltResult,
    phase: ErrorPhase,
    stop: Option<StopReason>,
    limits: &SandboxLimits,
    fallback_line: u32,
) -> HandlerError {
    use EvalAltResult as E;
    use HandlerErrorKind as K;
    let (inner, pos, functions) = innermost(err);
    let limit = |l: LimitKind| (K::LimitExceeded(l), limit_message(l, limits));
    let (kind, mut message) = match inner {
        E::ErrorTerminated(..) => match stop {
            Some(StopReason::Timeout) => (
                K::Timeout,
                "the function timed out: its store calls used up the remaining time".to_string(),
            ),
            Some(StopReason::Limit(l)) => limit(l),
            None => limit(LimitKind::Operations),
        },
        E::ErrorTooManyOperations(..) => limit(LimitKind::Operations),
        E::ErrorStackOverflow(..) => limit(LimitKind::CallLevels),
        E::ErrorTooManyVariables(..) => limit(LimitKind::Variables),
        E::ErrorDataTooLarge(what, ..) if what.contains("string") => limit(LimitKind::StringSize),
        E::ErrorDataTooLarge(what, ..) if what.contains("map") => limit(LimitKind::MapSize),
        E::ErrorDataTooLarge(..) => limit(LimitKind::ArraySize),
        E::ErrorParsing(ParseErrorType::ExprTooDeep, _) => limit(LimitKind::ExprDepth),
        E::ErrorParsing(ParseErrorType::TooManyFunctions, _) => limit(LimitKind::Functions),
        E::ErrorParsing(p, _) => (K::Syntax, format!("syntax error: {p}")),
        E::ErrorRuntime(value, _) => {
            let field = |name: &str| {
                value
                    .read_lock::<rhai::Map>()
                    .and_then(|m| m.get(name).map(|v| v.to_string()))
            };
            match field("name").as_deref() {
                Some(CONDITIONAL_CHECK_FAILED) => (
                    K::ConditionalCheckFailed,
                    format!(
                        "{} (not caught: wrap the call in try {{ ... }} catch (err) {{ ... }} to handle it)",
                        field("message").unwrap_or_default()
                    ),
                ),
                Some(INVALID_ARGUMENT) => (K::InvalidArgument, field("message").unwrap_or_default()),
                _ => (K::Thrown, format!("uncaught error: {value}")),
            }
        }
        E::ErrorVariableNotFound(name, _) => (
            K::VariableNotFound,
            format!(
                "there is no variable '{name}' here. Functions cannot see top-level `let` variables: keep values that must outlive one invocation in `globals` (for example `globals.{name}`)"
            ),
        ),
        E::ErrorPropertyNotFound(name, _) if name.starts_with("globals.") => (
            K::PropertyNotFound,
            format!(
                "{name} has not been set in this execution environment (a new environment starts with empty globals). Set it first, or test with `\"{}\" in globals`",
                &name["globals.".len()..]
            ),
        ),
        E::ErrorPropertyNotFound(name, _) => (
            K::PropertyNotFound,
            format!(
                "the map has no property '{name}'. Check the spelling (names are case-sensitive), or test with `\"{name}\" in the_map` first"
            ),
        ),
        E::ErrorIndexNotFound(index, _) => (
            K::PropertyNotFound,
            format!("the map has no property {index}"),
        ),
        E::ErrorDotExpr(text, _) => (K::PropertyNotFound, text.clone()),
        E::ErrorFunctionNotFound(signature, _) => match function_hint(signature) {
            Some(usage) => (
                K::InvalidArgument,
                format!("wrong arguments: {signature}. Use {usage}"),
            ),
            None => (
                K::FunctionNotFound,
                format!("no function matches {signature} (check its name and its arguments' types)"),
            ),
        },
        E::ErrorMismatchDataType(..)
        | E::ErrorMismatchOutputType(..)
        | E::ErrorIndexingType(..)
        | E::ErrorFor(..) => (K::TypeMismatch, strip(inner)),
        E::ErrorArrayBounds(..) | E::ErrorStringBounds(..) | E::ErrorBitFieldBounds(..) => {
            (K::IndexOutOfBounds, strip(inner))
        }
        E::ErrorArithmetic(..) => (K::Arithmetic, strip(inner)),
        E::ErrorAssignmentToConstant(name, _) | E::ErrorNonPureMethodCallOnConstant(name, _) => (
            K::Runtime,
            format!("'{name}' cannot be changed (store, drafts, globals and context are provided by the sandbox)"),
        ),
        _ => (K::Runtime, strip(inner)),
    };
    if !functions.is_empty() && !matches!(kind, K::Syntax) {
        message.push_str(&format!(" (in function {})", functions.join(" <- ")));
    }
    let (line, column) = match (pos.line(), pos.position()) {
        (Some(l), c) => (Some(l as u32), c.map(|c| c as u32)),
        (None, _) if phase == ErrorPhase::Invoke => (Some(fallback_line), None),
        _ => (None, None),
    };
    HandlerError {
        kind,
        phase,
        message,
        line,
        column,
        usage: Usage::default(),
    }
}

/// The engine's message without its trailing position.
fn strip(err: &EvalAltResult) -> String {
    let mut text = err.to_string();
    if let Some(at) = text.rfind(" (line ") {
        text.truncate(at);
    }
    text
}
