//! Building a world from its settings: the core (kernel, broker,
//! functions, workflows), then consumers, mappings, endpoints and the
//! faults listed at time 0, each checked against what it names.

use std::collections::BTreeMap;

use super::{pause, World, WorldConfig};
use crate::sim::api::endpoint::Endpoint;
use crate::sim::api::EndpointConfig;
use crate::sim::broker::Broker;
use crate::sim::consumer::{Consumer, ConsumerConfig};
use crate::sim::error::SimError;
use crate::sim::fault::FaultBook;
use crate::sim::function::Functions;
use crate::sim::kernel::Kernel;
use crate::sim::mapping::{Mapping, MappingConfig};
use crate::sim::workflow::Workflows;

impl World {
    /// Builds a world, checking every setting. Nothing happens until it is
    /// stepped; consumers schedule their first polls.
    pub fn new(config: WorldConfig) -> Result<World, SimError> {
        config.limits.validate()?;
        let broker = Broker::new(&config.queues, &config.topics, config.seed, &config.limits)?;
        let mut kernel = Kernel::new(config.limits.clone());
        let largest_batch = |function: &str| {
            config
                .mappings
                .iter()
                .filter(|m| m.function == function)
                .map(|m| m.batch_size)
                .max()
                .unwrap_or(0)
        };
        config.store.validate()?;
        let mut functions = Functions::new(
            &config.functions,
            config.account_concurrency_limit,
            (config.seed, &config.store),
            &largest_batch,
            &mut kernel,
        )?;
        let workflows = Workflows::new(&config.workflows, &|name| {
            functions.index_of(name).is_some()
        })?;
        functions.set_workflow_names(&workflows.names());
        let mut world = World {
            kernel,
            functions,
            mappings: Vec::new(),
            endpoints: Vec::new(),
            clients: Vec::new(),
            workflows,
            polled: vec![false; broker.queue_count()],
            broker,
            consumers: Vec::new(),
            consumer_index: BTreeMap::new(),
            faults: FaultBook::default(),
            seed: config.seed,
            scheduled_requests: 0,
            interventions: pause::InterventionState::default(),
        };
        for (index, consumer) in config.consumers.iter().enumerate() {
            world.add_consumer(index, consumer, config.seed)?;
        }
        for (index, mapping) in config.mappings.iter().enumerate() {
            world.add_mapping(index, mapping)?;
        }
        for endpoint in config.endpoints {
            world.add_endpoint(endpoint)?;
        }
        for fault in config.faults {
            world.inject_fault(fault)?;
        }
        Ok(world)
    }

    /// A consumer of a queue the world has; it schedules its first poll.
    fn add_consumer(
        &mut self,
        index: usize,
        consumer: &ConsumerConfig,
        seed: u64,
    ) -> Result<(), SimError> {
        consumer.validate()?;
        let queue = self.broker.queue_index(&consumer.queue)?;
        let fifo = self.broker.queue(queue).is_fifo();
        let built = Consumer::new(index, consumer.clone(), queue, fifo, seed);
        if self
            .consumer_index
            .insert(built.name.clone(), index)
            .is_some()
        {
            return Err(SimError::DuplicateName {
                kind: "consumer",
                name: consumer.name.clone(),
            });
        }
        built.start(&mut self.kernel);
        self.polled[queue] = true;
        self.consumers.push(built);
        Ok(())
    }

    /// An event source mapping from a queue to a function the world has,
    /// checked against both (AWS's visibility timeout advice, FIFO batch
    /// sizes); it schedules its first polls.
    fn add_mapping(&mut self, index: usize, mapping: &MappingConfig) -> Result<(), SimError> {
        let queue = self.broker.queue_index(&mapping.queue)?;
        let function = self.functions.function_index(&mapping.function)?;
        let q = self.broker.queue(queue);
        mapping.validate(
            q.is_fifo(),
            q.config.visibility_timeout_ms,
            self.functions.list[function].config.timeout_ms,
        )?;
        if self
            .mappings
            .iter()
            .any(|m| m.name == mapping.name.as_str())
        {
            return Err(SimError::DuplicateName {
                kind: "mapping",
                name: mapping.name.clone(),
            });
        }
        let built = Mapping::new(index, mapping.clone(), queue, function, q.is_fifo());
        built.start(&mut self.kernel);
        self.polled[queue] = true;
        self.mappings.push(built);
        Ok(())
    }

    /// An API endpoint in front of a function the world has.
    fn add_endpoint(&mut self, endpoint: EndpointConfig) -> Result<(), SimError> {
        endpoint.validate()?;
        let function = self.functions.function_index(&endpoint.function)?;
        if self
            .endpoints
            .iter()
            .any(|e| e.name == endpoint.name.as_str())
        {
            return Err(SimError::DuplicateName {
                kind: "endpoint",
                name: endpoint.name,
            });
        }
        self.endpoints.push(Endpoint::new(endpoint, function));
        Ok(())
    }
}
