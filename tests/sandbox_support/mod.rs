//! Shared helpers of the sandbox tests: a handler, one environment, a store.
#![allow(dead_code)]

use event_playground::sim::sandbox::{
    Environment, Event, HandlerError, HandlerOutcome, HandlerProgram, Invocation, SandboxLimits,
    SqsAttributes, SqsRecord,
};
use event_playground::sim::testing::store::{Store, StoreConfig, StoreLimits};
use event_playground::sim::Latency;

/// Read latency of the rig's store, in milliseconds (fixed, so tests can
/// count time).
pub const READ_MS: u64 = 2;
/// Write latency of the rig's store, in milliseconds.
pub const WRITE_MS: u64 = 4;

/// A store whose calls take fixed times: [`READ_MS`] and [`WRITE_MS`].
pub fn fixed_store() -> Store {
    let config = StoreConfig {
        read_latency: Latency::Fixed { ms: READ_MS },
        write_latency: Latency::Fixed { ms: WRITE_MS },
    };
    Store::with_config(config, StoreLimits::default())
}
use event_playground::sim::testing::VersionStore;

/// A queue record with a message id and a body.
pub fn record(id: &str, body: &str) -> SqsRecord {
    SqsRecord {
        message_id: id.to_string(),
        receipt_handle: format!("rh-{id}"),
        body: body.to_string(),
        attributes: SqsAttributes {
            approximate_receive_count: 1,
            sent_timestamp_ms: 1_000,
            approximate_first_receive_timestamp_ms: 1_010,
            sender_id: "client-1".to_string(),
            ..SqsAttributes::default()
        },
        event_source_arn: "arn:aws:sqs:local:000000000000:saves".to_string(),
        ..SqsRecord::default()
    }
}

/// A one-record queue event.
pub fn one(body: &str) -> Event {
    Event::Sqs(vec![record("m-1", body)])
}

/// A compiled handler with one environment and its own stores.
pub struct Rig {
    pub program: HandlerProgram,
    pub env: Environment,
    pub store: Store,
    pub drafts: VersionStore,
    pub count: u64,
}

impl Rig {
    pub fn new(source: &str) -> Self {
        Self::with_limits(source, SandboxLimits::default())
    }

    pub fn with_limits(source: &str, limits: SandboxLimits) -> Self {
        let program = match HandlerProgram::compile(source, limits) {
            Ok(p) => p,
            Err(e) => panic!("compile error: {e}"),
        };
        Self {
            program,
            env: Environment::new(),
            store: fixed_store(),
            drafts: VersionStore::new(),
            count: 0,
        }
    }

    pub fn invocation(&mut self) -> Invocation {
        self.count += 1;
        Invocation {
            request_id: format!("req-{}", self.count),
            function_name: "save-draft".to_string(),
            now_ms: 1_000 * self.count,
            remaining_time_ms: 3_000,
            latency_seed: self.count,
        }
    }

    pub fn run(&mut self, event: &Event) -> Result<HandlerOutcome, HandlerError> {
        let invocation = self.invocation();
        self.program.invoke(
            &mut self.env,
            event,
            &invocation,
            &mut self.store,
            &mut self.drafts,
        )
    }

    pub fn run_body(&mut self, body: &str) -> Result<HandlerOutcome, HandlerError> {
        self.run(&one(body))
    }

    /// Runs and expects success.
    pub fn ok(&mut self, body: &str) -> HandlerOutcome {
        match self.run_body(body) {
            Ok(o) => o,
            Err(e) => panic!("expected success, got {e:?}"),
        }
    }

    /// Runs and expects an error.
    pub fn err(&mut self, body: &str) -> HandlerError {
        match self.run_body(body) {
            Ok(o) => panic!("expected an error, got {o:?}"),
            Err(e) => e,
        }
    }

    /// The stored value under `key` as JSON, if any.
    pub fn value(&self, key: &str) -> Option<serde_json::Value> {
        self.store.get(key).map(|i| i.value.clone())
    }
}
