//! The world's side of clients and endpoints: a call's attempts travel
//! client -> target -> client as scheduled events, and the endpoint's
//! function answers through the function engine.

use std::borrow::Cow;

use super::World;
use crate::sim::api::client::Client;
use crate::sim::api::status;
use crate::sim::api::{ClientEvent, ClientSpec, ClientTarget};
use crate::sim::broker::message::{PublishRequest, SendRequest};
use crate::sim::error::SimError;
use crate::sim::function::{Caller, ExecResult, StartInfo};
use crate::sim::sandbox::Event as HandlerEvent;
use crate::sim::trace::{TraceDetails, TraceKind};

/// Most calls one client may make.
pub const MAX_CLIENT_CALLS: usize = 100_000;

impl World {
    /// Adds a client that makes `spec.calls` from their times on. A client
    /// of an endpoint waits for each answer and retries throttles and server
    /// errors; a client of a topic or queue fires and forgets.
    pub fn add_client(&mut self, spec: ClientSpec) -> Result<(), SimError> {
        let component = format!("client {}", spec.name);
        if self.clients.iter().any(|c| c.name == spec.name.as_str()) {
            return Err(SimError::DuplicateName {
                kind: "client",
                name: spec.name,
            });
        }
        spec.retry.validate(&component)?;
        spec.network_latency.validate(&component)?;
        if spec.calls.len() > MAX_CLIENT_CALLS {
            return Err(SimError::OutOfRange {
                component,
                field: "calls",
                value: spec.calls.len() as u64,
                min: 0,
                max: MAX_CLIENT_CALLS as u64,
            });
        }
        if spec.calls.windows(2).any(|w| w[1].at_ms < w[0].at_ms) {
            return Err(SimError::InvalidConfig {
                component,
                field: "calls",
                reason: "calls must be in time order".into(),
            });
        }
        for call in &spec.calls {
            self.check_future(call.at_ms)?;
        }
        let target_index = match &spec.target {
            ClientTarget::Endpoint(name) => self
                .endpoints
                .iter()
                .position(|e| e.name == name.as_str())
                .ok_or_else(|| SimError::UnknownEndpoint { name: name.clone() })?,
            ClientTarget::Topic(name) => self.broker.topic_index(name)?,
            ClientTarget::Queue(name) => self.broker.queue_index(name)?,
        };
        let index = self.clients.len();
        let client = Client::new(spec, target_index, self.seed);
        for call in client.chain_starts() {
            let at_ms = client.spec.calls[call].at_ms;
            self.kernel.schedule(
                at_ms,
                ClientEvent::Issue {
                    client: index,
                    call,
                }
                .into(),
            );
        }
        self.clients.push(client);
        Ok(())
    }

    pub(super) fn handle_client_event(&mut self, event: ClientEvent) {
        match event {
            ClientEvent::Issue { client, call } => self.issue(client, call),
            ClientEvent::Arrive { client, call } => self.arrive(client, call),
            ClientEvent::Respond {
                client,
                call,
                status,
            } => self.responded(client, call, status),
        }
    }

    fn issue(&mut self, client: usize, call: usize) {
        let now = self.kernel.now_ms();
        let Some(c) = self.clients.get_mut(client) else {
            return;
        };
        let attempt = c.attempt(call, now);
        let d = TraceDetails {
            destination: Some(c.spec.target.name().into()),
            call: Some(call as u64),
            attempt: Some(attempt),
            ..TraceDetails::default()
        };
        self.kernel
            .record(c.actor.clone(), TraceKind::ClientRequested, None, d);
        let delay = c.network_delay_ms();
        self.kernel
            .schedule_in(delay, ClientEvent::Arrive { client, call }.into());
    }

    fn arrive(&mut self, client: usize, call: usize) {
        let Some(c) = self.clients.get(client) else {
            return;
        };
        let Some(request) = c.spec.calls.get(call).cloned() else {
            return;
        };
        let actor = c.actor.clone();
        let target = c.target_index;
        let status = match &c.spec.target {
            ClientTarget::Topic(_) => {
                let publish = PublishRequest {
                    body: request.body,
                    attributes: request.attributes,
                    group_id: request.group_id,
                    dedup_id: request.dedup_id,
                };
                match self
                    .broker
                    .publish(&mut self.kernel, &actor, target, publish)
                {
                    Ok(_) => status::OK,
                    Err(_) => status::BAD_REQUEST,
                }
            }
            ClientTarget::Queue(_) => {
                let send = SendRequest {
                    body: request.body,
                    attributes: request.attributes,
                    delay_ms: request.delay_ms,
                    group_id: request.group_id,
                    dedup_id: request.dedup_id,
                };
                match self
                    .broker
                    .send(&mut self.kernel, &actor, target, send, &self.faults)
                {
                    Ok(_) => status::OK,
                    Err(_) => status::BAD_REQUEST,
                }
            }
            ClientTarget::Endpoint(_) => match self.call_endpoint(client, call, &request.body) {
                Some(status) => status,
                // The function runs; its completion answers.
                None => return,
            },
        };
        self.answer(client, call, status);
    }

    /// Passes a request through the endpoint's bucket to its function.
    /// Returns the status when the answer is immediate (a 429).
    fn call_endpoint(&mut self, client: usize, call: usize, body: &str) -> Option<u16> {
        let now = self.kernel.now_ms();
        let client_name = self.clients[client].name.clone();
        let endpoint = self.endpoints.get_mut(self.clients[client].target_index)?;
        let mut d = TraceDetails {
            client: Some(client_name.clone()),
            call: Some(call as u64),
            ..TraceDetails::default()
        };
        if !endpoint.admit(now) {
            d.status_code = Some(status::TOO_MANY_REQUESTS);
            d.reason = Some(Cow::Owned(format!(
                "Too Many Requests (429): the endpoint allows {} requests per second with a burst of {}",
                endpoint.config.rate_per_second,
                endpoint.config.burst()
            )));
            self.kernel.record(
                endpoint.actor.clone(),
                TraceKind::EndpointThrottled,
                None,
                d,
            );
            return Some(status::TOO_MANY_REQUESTS);
        }
        let function = endpoint.function;
        d.function = Some(self.functions.list[function].name.clone());
        self.kernel
            .record(endpoint.actor.clone(), TraceKind::EndpointAccepted, None, d);
        // The handler reads `event.body`: a map when the body is JSON.
        let body = serde_json::from_str(body)
            .unwrap_or_else(|_| serde_json::Value::String(body.to_string()));
        let event = HandlerEvent::Json(serde_json::json!({
            "httpMethod": "PUT",
            "body": body,
        }));
        match self.functions.start(
            &mut self.kernel,
            function,
            Caller::Api { client, call },
            event,
            StartInfo {
                client_call: Some((client_name, call as u64)),
                ..StartInfo::default()
            },
        ) {
            Ok(_) => None,
            // Lambda refused (concurrency): API Gateway passes the 429 on.
            Err(_) => Some(status::TOO_MANY_REQUESTS),
        }
    }

    /// The function behind an endpoint finished a client's call.
    pub(super) fn endpoint_finished(&mut self, client: usize, call: usize, result: &ExecResult) {
        let status = match result {
            ExecResult::Ok { .. } => status::OK,
            ExecResult::Err(e) if e.kind.is_timeout() => status::GATEWAY_TIMEOUT,
            ExecResult::Err(_) => status::BAD_GATEWAY,
        };
        self.answer(client, call, status);
    }

    /// Sends the answer back over the network.
    fn answer(&mut self, client: usize, call: usize, status: u16) {
        let Some(c) = self.clients.get_mut(client) else {
            return;
        };
        let delay = c.network_delay_ms();
        self.kernel.schedule_in(
            delay,
            ClientEvent::Respond {
                client,
                call,
                status,
            }
            .into(),
        );
    }

    fn responded(&mut self, client: usize, call: usize, status_code: u16) {
        let now = self.kernel.now_ms();
        let Some(c) = self.clients.get_mut(client) else {
            return;
        };
        if status_code == status::TOO_MANY_REQUESTS {
            c.count_throttled();
        }
        let attempt = c.attempts(call);
        let target = c.spec.target.clone();
        let details = || TraceDetails {
            destination: Some(target.name().into()),
            call: Some(call as u64),
            attempt: Some(attempt),
            status_code: Some(status_code),
            ..TraceDetails::default()
        };
        let mut d = details();
        d.duration_ms = Some(c.elapsed_ms(call, now));
        let actor = c.actor.clone();
        self.kernel
            .record(actor.clone(), TraceKind::ClientResponded, None, d);
        let ok = status_code == status::OK;
        let retryable = c.spec.target.waits_for_responses() && status::is_retryable(status_code);
        if !ok && retryable {
            let mut d = details();
            if let Some(wait) = c.retry_delay_ms(call) {
                d.attempt = Some(attempt + 1);
                d.next_at_ms = Some(now + wait);
                d.reason = Some(Cow::Borrowed(
                    "retried after exponential backoff with full jitter",
                ));
                self.kernel.record(actor, TraceKind::ClientRetried, None, d);
                self.kernel
                    .schedule(now + wait, ClientEvent::Issue { client, call }.into());
                return;
            }
        }
        if !ok {
            let mut d = details();
            d.reason = Some(Cow::Owned(if retryable {
                format!("gave up after {attempt} attempts")
            } else if target.waits_for_responses() {
                format!("the call failed with {status_code}")
            } else {
                format!("the {} refused the message", target_kind(&target))
            }));
            self.kernel.record(actor, TraceKind::ClientFailed, None, d);
        }
        if let Some((next, at_ms)) = c.end(call, ok, now) {
            self.kernel
                .schedule(at_ms, ClientEvent::Issue { client, call: next }.into());
        }
    }
}

fn target_kind(target: &ClientTarget) -> &'static str {
    match target {
        ClientTarget::Endpoint(_) => "endpoint",
        ClientTarget::Topic(_) => "topic",
        ClientTarget::Queue(_) => "queue",
    }
}
