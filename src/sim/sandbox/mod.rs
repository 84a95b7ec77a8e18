//! The function sandbox: runs learner-written handlers, safely and statelessly.
//!
//! Handlers are written in [Rhai](https://rhai.rs), a small scripting
//! language with JavaScript-like syntax. The integrator compiles the code
//! once ([`HandlerProgram::compile`]), creates one [`Environment`] per
//! execution environment, and calls [`HandlerProgram::invoke`] per
//! invocation. Nothing here reads a clock or draws a random number: the same
//! inputs give the same outcome.
//!
//! # Writing a handler (the lessons quote this section)
//!
//! ```text
//! // Top-level code runs once per execution environment, at its cold start.
//! globals.invocations = 0;
//!
//! fn handler(event, context) {
//!     globals.invocations += 1;          // survives warm invocations only
//!     let failures = [];
//!     for record in event.Records {
//!         let draft = record.body;           // a map: the body was JSON
//!         try {
//!             store.put_if_newer(draft.doc, draft, draft.version);
//!         } catch (err) {
//!             if err.name != "ConditionalCheckFailed" {
//!                 failures.push(#{ itemIdentifier: record.messageId });
//!             }
//!         }
//!     }
//!     #{ batchItemFailures: failures }
//! }
//! ```
//!
//! ## `event`
//! For a queue: `event.Records`, an array of records with `messageId`,
//! `receiptHandle`, `body` (a map or array when the body is JSON, else the
//! text), `attributes` (`ApproximateReceiveCount`, `SentTimestamp`,
//! `ApproximateFirstReceiveTimestamp`, `SenderId`, and on FIFO queues
//! `MessageGroupId`, `MessageDeduplicationId`, `SequenceNumber`; all strings,
//! as in AWS: use `parse_int(...)`), `messageAttributes` (each
//! `#{ dataType, stringValue, stringListValues: [], binaryListValues: [] }`
//! as Lambda shows them), `eventSource` (`"aws:sqs"`) and
//! `eventSourceARN`. Reading a property that does not exist is an error:
//! test first with `"MessageGroupId" in record.attributes`.
//!
//! ## `context`
//! `context.request_id` (also `context.awsRequestId`),
//! `context.function_name` (also `context.functionName`), and the method
//! `context.remaining_time_ms()` (also `context.getRemainingTimeInMillis()`):
//! the virtual milliseconds left before the timeout. The compute time is
//! spent first; after it, only store calls use up time inside a handler.
//!
//! ## `store` (a DynamoDB-like table)
//! - `store.get(key)`: `()` if missing, else `#{ value, version }`
//!   (`version` is `()` when none was given).
//! - `store.put(key, value)` / `store.put(key, value, version)`.
//! - `store.put_if_not_exists(key, value)` / `(key, value, version)`.
//! - `store.put_if_version(key, value, version, expected_version)`: only if
//!   the stored item's version is `expected_version` (optimistic locking).
//! - `store.put_if_newer(key, value, version)`: only if there is no item, or
//!   it has no version, or its version is older than `version`.
//! - `store.delete(key)`: `true` if an item was removed.
//! - `store.add(key, amount)`: adds a whole number to the number stored
//!   under `key` (a missing item counts as 0) in one atomic step and returns
//!   the new value, like DynamoDB's `UpdateItem` with `ADD`: two invocations
//!   adding at once never lose an update.
//!
//! Every call is served at its own moment: the time so far plus a latency
//! drawn per call (`[store]` in the scenario). A read sees the store as it
//! is at that moment, and another invocation may write between your read
//! and your write: "read, compare, then write" can lose a newer version.
//! Use a conditional write (`put_if_newer`, `put_if_version`,
//! `put_if_not_exists`) or `store.add` where the decision and the write must
//! be one step.
//!
//! A failed condition throws `#{ name: "ConditionalCheckFailed", message,
//! key }`; catch it with `try { ... } catch (err) { ... }`. While the
//! store is unavailable (a `store_errors` fault) every `store.*` and
//! `drafts.*` call throws `#{ name: "ServiceUnavailable", message }`. Wrong arguments
//! throw `#{ name: "InvalidArgument", message }`. Versions are strings such
//! as `"v1.2"` or `"1.10"` (or whole numbers) and compare part by part:
//! `"1.10"` is newer than `"1.9"`. Never pass `1.10` as a number: it is 1.1.
//! `compare_versions(a, b)` returns -1, 0 or 1.
//!
//! ## `drafts` (the version store)
//! - `drafts.save(doc, version, body)`: `true` if new, `false` if that
//!   version was already saved (the first one is kept).
//! - `drafts.latest(doc)`: `()` or `#{ version, body }` of the newest version.
//! - `drafts.get(doc, version)`: `()` or `#{ version, body }`.
//! - `drafts.versions(doc)`: all versions, oldest first.
//!
//! ## `globals`: state that lives as long as the execution environment
//! Functions cannot see top-level `let` variables. Use `globals.name` (or
//! `globals["name"]`) to keep a value across invocations: it is set by the
//! top-level code or by any invocation, kept while the environment stays
//! warm, and gone in a new environment. Reading a name that was never set
//! is an error: test with `"name" in globals`. `globals.remove("name")`
//! forgets one.
//!
//! ## `workflows` (Step Functions-like state machines of the scenario)
//! - `workflows.start(name, input)`: starts an execution of workflow `name`
//!   with `input` (any JSON-like value) as its state, once the handler has
//!   run. Takes 10 ms.
//! - `workflows.start(name, input, execution_name)`: the same, and a second
//!   start with an execution name already used is ignored (idempotent).
//!
//! ## Returning
//! Nothing (or `()`) means the whole batch succeeded. To report some
//! records as failed: `#{ batchItemFailures: [#{ itemIdentifier:
//! record.messageId }] }`. Anything else is an error.
//!
//! ## Logging
//! `print(x)`, `debug(x)` and `log(x)` (maps and arrays as JSON).
//!
//! ## Limits
//! See [`SandboxLimits`]: running past one ends the invocation with an error
//! naming the limit and the line; the next invocation runs normally.

mod api_env;
mod api_store;
mod api_store_typed;
mod api_workflows;
mod batch;
mod call;
mod checked_fns;
mod convert;
mod environment;
mod error;
mod event;
mod host;
mod invoke;
mod limits;
mod outcome;
mod parsed;
mod program;
mod size_guard;
mod source;

pub use api_workflows::{MAX_EXECUTION_NAME_CHARS, MAX_STARTS_PER_INVOCATION};
pub use batch::{resolve_batch_failures, BatchResult, WholeBatchFailure};
pub use call::{serve, Answer, Call, CallArgs, Served, Serving};
pub use convert::{from_json, to_json, MAX_VALUE_DEPTH};
pub use environment::Environment;
pub use error::{ErrorPhase, HandlerError, HandlerErrorKind};
pub use event::{Event, Invocation, MessageAttribute, SqsAttributes, SqsRecord};
pub use host::START_EXECUTION_COST_MS;
pub use invoke::Speculation;
pub use limits::{LimitKind, SandboxLimits};
pub use outcome::{
    HandlerOutcome, LogLine, StoreCall, StoreCallResult, StoreOp, Usage, WorkflowStart,
};
pub use program::HandlerProgram;
