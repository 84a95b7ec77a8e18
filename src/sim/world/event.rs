//! The world's event type: one variant per subsystem.
//!
//! Each subsystem has one variant and one dispatch arm in `World::step`; the
//! kernel is generic over this type and does not change.

use crate::sim::api::ClientEvent;
use crate::sim::broker::events::BrokerEvent;
use crate::sim::consumer::ConsumerEvent;
use crate::sim::function::FunctionEvent;
use crate::sim::mapping::MappingEvent;
use crate::sim::workflow::WorkflowEvent;

/// Everything that can be scheduled.
#[derive(Clone, Debug)]
pub enum Event {
    /// Queues and topics.
    Broker(BrokerEvent),
    /// Built-in consumers.
    Consumer(ConsumerEvent),
    /// Event source mappings.
    Mapping(MappingEvent),
    /// Functions: runs, completions, retirements, asynchronous retries.
    Function(FunctionEvent),
    /// Clients' calls and the endpoints' answers.
    Client(ClientEvent),
    /// Workflow executions going on.
    Workflow(WorkflowEvent),
}

impl From<WorkflowEvent> for Event {
    fn from(event: WorkflowEvent) -> Self {
        Event::Workflow(event)
    }
}

impl From<ClientEvent> for Event {
    fn from(event: ClientEvent) -> Self {
        Event::Client(event)
    }
}

impl From<MappingEvent> for Event {
    fn from(event: MappingEvent) -> Self {
        Event::Mapping(event)
    }
}

impl From<FunctionEvent> for Event {
    fn from(event: FunctionEvent) -> Self {
        Event::Function(event)
    }
}

impl From<BrokerEvent> for Event {
    fn from(event: BrokerEvent) -> Self {
        Event::Broker(event)
    }
}

impl From<ConsumerEvent> for Event {
    fn from(event: ConsumerEvent) -> Self {
        Event::Consumer(event)
    }
}
