//! The world: one simulation run, driven by plain verbs.
//!
//! In the style of turmoil, the world's state is private. Callers advance it
//! (`step`, `run_until`, `run_to_end`), act on it as a client would
//! (`publish`, `send`, `receive`, `delete`, `change_visibility`, their batch
//! forms, `redrive`,
//! `inject_fault`), and read it through `snapshot` and `trace`. Everything is a
//! function of the config, the root seed and the verbs called: the same
//! inputs give a byte-identical trace on every platform.

mod batch;
mod build;
mod clients;
pub mod config;
pub mod event;
mod faults;
mod fork;
mod function_deliveries;
mod interventions;
mod pause;
mod workflows;

use std::collections::BTreeMap;

pub use config::WorldConfig;
pub use event::Event;

use crate::sim::api::client::Client;
use crate::sim::api::endpoint::Endpoint;
use crate::sim::broker::events::BrokerEvent;
use crate::sim::broker::message::{
    DeleteOutcome, PublishRequest, ReceiveRequest, ReceivedMessage, RedriveRequest, SendOutcome,
    SendRequest,
};
use crate::sim::broker::queue::Waiter;
use crate::sim::broker::{Broker, FunctionDelivery};
use crate::sim::consumer::{Consumer, ConsumerEvent};
use crate::sim::error::SimError;
use crate::sim::fault::FaultBook;
use crate::sim::function::{
    Caller, ExecResult, Finished, Functions, InvocationRecord, StartInfo, Waiting,
};
use crate::sim::kernel::Kernel;
use crate::sim::mapping::MappingEvent;
use crate::sim::mapping::{Mapping, ReadyBatch};
use crate::sim::name::Name;
use crate::sim::sandbox::Event as HandlerEvent;
use crate::sim::snapshot::{drafts_snapshot, store_snapshot, WorldSnapshot};
use crate::sim::trace::{ActorId, MessageId, Trace, TraceEvent};
use crate::sim::workflow::Workflows;

/// What one `step` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepOutcome {
    /// Processed one event at this time.
    Processed {
        /// The event's time.
        time_ms: u64,
    },
    /// Nothing was scheduled.
    Idle,
}

/// One simulation run.
#[derive(Clone)]
pub struct World {
    kernel: Kernel<Event>,
    broker: Broker,
    consumers: Vec<Consumer>,
    consumer_index: BTreeMap<Name, usize>,
    /// `polled[q]`: some consumer polls queue `q`.
    polled: Vec<bool>,
    faults: FaultBook,
    /// Functions, their environments and invocations, the store and the
    /// version store.
    functions: Functions,
    mappings: Vec<Mapping>,
    /// API endpoints (server-API flow).
    endpoints: Vec<Endpoint>,
    /// Clients of both flows.
    clients: Vec<Client>,
    /// Workflows and their executions.
    workflows: Workflows,
    seed: u64,
    /// Scheduled sends and publishes not yet carried out.
    scheduled_requests: u64,
    /// Interventions applied, paused pollers and their held polls
    /// (`interventions.rs`, `pause.rs`).
    interventions: pause::InterventionState,
}

impl World {
    // ------------------------------------------------------------ reading

    /// Current virtual time.
    pub fn now_ms(&self) -> u64 {
        self.kernel.now_ms()
    }

    /// Time of the next scheduled event, if any.
    pub fn next_event_time(&self) -> Option<u64> {
        self.kernel.next_event_time()
    }

    /// Events processed so far.
    pub fn events_processed(&self) -> u64 {
        self.kernel.events_processed()
    }

    /// The root seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The trace so far.
    pub fn trace(&self) -> &Trace {
        self.kernel.trace()
    }

    /// The trace events so far.
    pub fn trace_events(&self) -> &[TraceEvent] {
        self.kernel.trace().events()
    }

    /// Ends the world, keeping its trace events without a copy (a check
    /// ends a world per seed, and copying the trace cost 6% of a check).
    pub fn into_trace_events(self) -> Vec<TraceEvent> {
        self.kernel.into_trace().into_events()
    }

    /// A read-only picture of every component.
    pub fn snapshot(&self) -> WorldSnapshot {
        WorldSnapshot {
            time_ms: self.kernel.now_ms(),
            seed: self.seed,
            events_processed: self.kernel.events_processed(),
            pending_events: self.kernel.pending_events(),
            trace_len: self.kernel.trace().len(),
            queues: self.broker.queue_snapshots(),
            topics: self.broker.topic_snapshots(),
            consumers: self.consumers.iter().map(Consumer::snapshot).collect(),
            faults: self.faults.injected().to_vec(),
            pending_function_deliveries: self.broker.function_deliveries_pending(),
            functions: self.functions.snapshots(),
            mappings: self.mappings.iter().map(Mapping::snapshot).collect(),
            account_concurrency_limit: self.functions.account_limit,
            store: store_snapshot(&self.functions.store),
            drafts: drafts_snapshot(&self.functions.drafts),
            endpoints: self
                .endpoints
                .iter()
                .map(|e| e.snapshot(self.kernel.now_ms()))
                .collect(),
            clients: self.clients.iter().map(|c| c.snapshot()).collect(),
            workflows: self.workflows.snapshots(),
        }
    }

    /// Hands over the topic deliveries to function subscriptions of functions
    /// this world does not define (deliveries to defined functions are
    /// invoked asynchronously by the world itself).
    pub fn take_function_deliveries(&mut self) -> Vec<FunctionDelivery> {
        self.broker.take_function_deliveries()
    }

    /// True when nothing would change by running on: no delivery, delay or
    /// visibility timer under way, no consumer busy, and no message waiting
    /// in a queue a consumer polls. Idle polls may still be scheduled.
    pub fn is_quiescent(&self) -> bool {
        self.scheduled_requests == 0
            && self.broker.is_quiet(&self.polled)
            && self.consumers.iter().all(|c| !c.is_busy())
            && !self.functions.is_busy()
            && self.mappings.iter().all(|m| !m.is_busy())
            && self.clients.iter().all(|c| !c.is_busy())
            && !self.workflows.is_busy()
    }

    // ------------------------------------------------------------ running

    /// Processes the next event.
    pub fn step(&mut self) -> Result<StepOutcome, SimError> {
        self.kernel.check_limits()?;
        let Some(event) = self.kernel.pop() else {
            return Ok(StepOutcome::Idle);
        };
        let time_ms = self.kernel.now_ms();
        let Some(event) = self.hold_if_paused(event) else {
            return Ok(StepOutcome::Processed { time_ms });
        };
        match event {
            Event::Broker(event) => {
                if matches!(
                    event,
                    BrokerEvent::ScheduledSend { .. } | BrokerEvent::ScheduledPublish { .. }
                ) {
                    self.scheduled_requests = self.scheduled_requests.saturating_sub(1);
                }
                self.broker.handle(&mut self.kernel, event, &self.faults);
            }
            Event::Consumer(event) => {
                let index = match &event {
                    ConsumerEvent::Poll { consumer, .. }
                    | ConsumerEvent::PollTimeout { consumer, .. }
                    | ConsumerEvent::Finished { consumer, .. } => *consumer,
                };
                if let Some(consumer) = self.consumers.get_mut(index) {
                    consumer.handle((&mut self.kernel, &mut self.broker, &self.faults), event);
                }
            }
            Event::Mapping(event) => {
                let index = match &event {
                    MappingEvent::Poll { mapping, .. }
                    | MappingEvent::PollTimeout { mapping, .. }
                    | MappingEvent::WindowEnd { mapping, .. }
                    | MappingEvent::ScaleTick { mapping } => *mapping,
                };
                let ready = match self.mappings.get_mut(index) {
                    Some(mapping) => mapping.handle((&mut self.kernel, &mut self.broker), event),
                    None => None,
                };
                if let Some(batch) = ready {
                    self.invoke_mapping(index, batch);
                }
            }
            Event::Function(event) => {
                let finished = self.functions.handle(&mut self.kernel, event);
                self.check_handler_budget()?;
                if let Some(finished) = finished {
                    self.route_finished(finished);
                }
            }
            Event::Client(event) => self.handle_client_event(event),
            Event::Workflow(event) => self.handle_workflow_event(event),
        }
        self.route_function_deliveries();
        self.route_workflow_starts();
        self.wake_pollers();
        Ok(StepOutcome::Processed { time_ms })
    }

    /// Tells the caller outside the function engine (a mapping's slot, an
    /// endpoint's client, a workflow execution) how its invocation ended.
    fn route_finished(&mut self, finished: Finished) {
        match finished.waiting {
            Waiting::Mapping { mapping, slot } => {
                let outcome = match finished.result {
                    ExecResult::Ok { failures, .. } => Ok(failures),
                    ExecResult::Err(_) => Err(()),
                };
                if let Some(mapping) = self.mappings.get_mut(mapping) {
                    mapping.finished(
                        (&mut self.kernel, &mut self.broker),
                        slot,
                        finished.request_id,
                        outcome,
                    );
                }
            }
            Waiting::Api { client, call } => self.endpoint_finished(client, call, &finished.result),
            Waiting::Workflow { execution } => {
                self.task_finished(execution, finished.request_id, finished.result)
            }
        }
    }

    /// Stops the run once its handlers used `max_handler_operations`
    /// operations together (each invocation is bounded by its own
    /// `max_operations`; this bounds the run's wall time: issue 17).
    fn check_handler_budget(&self) -> Result<(), SimError> {
        let max = self.kernel.limits().max_handler_operations;
        if self.functions.handler_ops_used() > max {
            return Err(SimError::HandlerOperationLimitReached {
                max_handler_operations: max,
            });
        }
        Ok(())
    }

    /// Processes every event up to and including `time_ms`, then sets the
    /// clock to `time_ms`.
    pub fn run_until(&mut self, time_ms: u64) -> Result<(), SimError> {
        while let Some(next) = self.kernel.next_event_time() {
            if next > time_ms {
                break;
            }
            self.step()?;
        }
        self.kernel.advance_to(time_ms)
    }

    /// Runs until the world is quiescent (see [`World::is_quiescent`]) or
    /// nothing is scheduled; returns the time it stopped at. A run that never
    /// settles (a poison message without a dead-letter queue, say) ends with
    /// a limit error.
    pub fn run_to_end(&mut self) -> Result<u64, SimError> {
        loop {
            if self.is_quiescent() {
                return Ok(self.now_ms());
            }
            if self.step()? == StepOutcome::Idle {
                return Ok(self.now_ms());
            }
        }
    }

    /// Answers long polls of queues where messages became receivable.
    fn wake_pollers(&mut self) {
        for queue in self.broker.queues_mut() {
            for waiter in queue.wake_waiters() {
                match waiter {
                    Waiter::Consumer {
                        consumer, worker, ..
                    } => {
                        if let Some(c) = self.consumers.get_mut(consumer) {
                            c.wake(&mut self.kernel, worker);
                        }
                    }
                    Waiter::Mapping { mapping, slot, .. } => {
                        if let Some(m) = self.mappings.get_mut(mapping) {
                            m.wake(&mut self.kernel, slot);
                        }
                    }
                }
            }
        }
    }

    /// Hands a mapping's ready batch to its function, then tells the
    /// mapping whether the function took it or throttled it.
    fn invoke_mapping(&mut self, index: usize, batch: ReadyBatch) {
        let info = StartInfo {
            mapping: Some(batch.mapping),
            receipt_handles: batch.receipt_handles,
            ..StartInfo::default()
        };
        let slot = batch.slot;
        let started = self.functions.start(
            &mut self.kernel,
            batch.function,
            Caller::Mapping {
                mapping: index,
                slot,
            },
            batch.event,
            info,
        );
        let mapping = &mut self.mappings[index];
        match started {
            Ok(_) => mapping.invoking(&mut self.kernel, slot),
            Err(_) => mapping.throttled(&mut self.kernel, slot),
        }
    }

    // -------------------------------------------------------------- verbs

    /// Invokes `function` synchronously (`RequestResponse`) with a JSON
    /// payload; returns the request id. Poll [`World::invocation`] for the
    /// result: a throttled call is answered at once with a 429.
    pub fn invoke_sync(
        &mut self,
        function: &str,
        payload: serde_json::Value,
    ) -> Result<String, SimError> {
        self.kernel.check_trace_room()?;
        let index = self.functions.function_index(function)?;
        Ok(self
            .functions
            .invoke_sync(&mut self.kernel, index, payload)
            .to_string())
    }

    /// Invokes `function` asynchronously (`Event`): errors are retried twice
    /// (after 1 and 2 minutes), throttles with backoff.
    pub fn invoke_async(
        &mut self,
        function: &str,
        payload: serde_json::Value,
    ) -> Result<(), SimError> {
        self.kernel.check_trace_room()?;
        let index = self.functions.function_index(function)?;
        self.functions
            .invoke_async(&mut self.kernel, index, HandlerEvent::Json(payload), None);
        Ok(())
    }

    /// The record of a synchronous invocation.
    pub fn invocation(&self, request_id: &str) -> Option<&InvocationRecord> {
        self.functions.record(request_id)
    }

    /// `Publish` to a topic now.
    pub fn publish(&mut self, topic: &str, request: PublishRequest) -> Result<MessageId, SimError> {
        self.kernel.check_trace_room()?;
        let topic = self.broker.topic_index(topic)?;
        let result = self
            .broker
            .publish(&mut self.kernel, &ActorId::External, topic, request);
        self.route_function_deliveries();
        self.wake_pollers();
        result
    }

    /// `SendMessage` to a queue now.
    pub fn send(&mut self, queue: &str, request: SendRequest) -> Result<SendOutcome, SimError> {
        self.kernel.check_trace_room()?;
        let queue = self.broker.queue_index(queue)?;
        let result = self.broker.send(
            &mut self.kernel,
            &ActorId::External,
            queue,
            request,
            &self.faults,
        );
        self.wake_pollers();
        result
    }

    /// `ReceiveMessage` now (a short poll: returns what is receivable now).
    pub fn receive(
        &mut self,
        queue: &str,
        request: ReceiveRequest,
    ) -> Result<Vec<ReceivedMessage>, SimError> {
        self.kernel.check_trace_room()?;
        let queue = self.broker.queue_index(queue)?;
        let result = self
            .broker
            .receive(&mut self.kernel, &ActorId::External, queue, &request);
        self.wake_pollers();
        result
    }

    /// `DeleteMessage` with a receipt handle.
    pub fn delete(&mut self, queue: &str, receipt_handle: u64) -> Result<DeleteOutcome, SimError> {
        self.kernel.check_trace_room()?;
        let queue = self.broker.queue_index(queue)?;
        let result =
            self.broker
                .delete(&mut self.kernel, &ActorId::External, queue, receipt_handle);
        self.wake_pollers();
        result
    }

    /// `ChangeMessageVisibility`: hide the message for `visibility_timeout_ms`
    /// from now.
    pub fn change_visibility(
        &mut self,
        queue: &str,
        receipt_handle: u64,
        visibility_timeout_ms: u64,
    ) -> Result<(), SimError> {
        self.kernel.check_trace_room()?;
        let queue = self.broker.queue_index(queue)?;
        self.broker.change_visibility(
            &mut self.kernel,
            &ActorId::External,
            queue,
            receipt_handle,
            visibility_timeout_ms,
        )
    }

    /// Moves waiting messages out of a dead-letter queue; returns how many.
    pub fn redrive(
        &mut self,
        dead_letter_queue: &str,
        request: RedriveRequest,
    ) -> Result<usize, SimError> {
        self.kernel.check_trace_room()?;
        let queue = self.broker.queue_index(dead_letter_queue)?;
        let moved = self
            .broker
            .redrive(&mut self.kernel, &ActorId::External, queue, &request)?;
        self.wake_pollers();
        Ok(moved)
    }

    /// Sends at a later virtual time (for workloads). Failures at that time
    /// appear in the trace as `SendRejected`.
    pub fn schedule_send(
        &mut self,
        at_ms: u64,
        queue: &str,
        request: SendRequest,
    ) -> Result<(), SimError> {
        self.check_future(at_ms)?;
        let queue = self.broker.queue_index(queue)?;
        self.scheduled_requests += 1;
        self.kernel.schedule(
            at_ms,
            BrokerEvent::ScheduledSend {
                queue,
                actor: ActorId::External,
                request: Box::new(request),
            }
            .into(),
        );
        Ok(())
    }

    /// Publishes at a later virtual time (for workloads).
    pub fn schedule_publish(
        &mut self,
        at_ms: u64,
        topic: &str,
        request: PublishRequest,
    ) -> Result<(), SimError> {
        self.check_future(at_ms)?;
        let topic = self.broker.topic_index(topic)?;
        self.scheduled_requests += 1;
        self.kernel.schedule(
            at_ms,
            BrokerEvent::ScheduledPublish {
                topic,
                actor: ActorId::External,
                request: Box::new(request),
            }
            .into(),
        );
        Ok(())
    }

    fn check_future(&self, at_ms: u64) -> Result<(), SimError> {
        let now_ms = self.now_ms();
        if at_ms < now_ms {
            return Err(SimError::TimeInPast { at_ms, now_ms });
        }
        if at_ms > self.kernel.limits().max_time_ms {
            return Err(SimError::TimeLimitReached {
                max_time_ms: self.kernel.limits().max_time_ms,
            });
        }
        if self.kernel.pending_events() >= self.kernel.limits().max_pending_events {
            return Err(SimError::PendingEventLimitReached {
                max_pending_events: self.kernel.limits().max_pending_events,
            });
        }
        Ok(())
    }
}
