//! Injecting a fault: resolving what it names to component indexes, the
//! checks (FIFO queues neither duplicate nor reorder; a bounded number of
//! store error windows), then the trace.

use std::borrow::Cow;

use super::World;
use crate::sim::error::SimError;
use crate::sim::fault::Fault;
use crate::sim::store::{StoreErrorWindow, MAX_STORE_ERROR_WINDOWS};
use crate::sim::trace::{ActorId, TraceDetails, TraceKind};

impl World {
    /// Injects a fault now.
    pub fn inject_fault(&mut self, fault: Fault) -> Result<(), SimError> {
        self.kernel.check_trace_room()?;
        fault.validate()?;
        self.apply_fault(&fault)?;
        let description = serde_json::to_string(&fault).unwrap_or_default();
        self.kernel.record(
            ActorId::External,
            TraceKind::FaultInjected,
            None,
            TraceDetails {
                reason: Some(Cow::Owned(description)),
                ..TraceDetails::default()
            },
        );
        self.faults.record(fault);
        Ok(())
    }

    /// Puts the fault in the fault book (or the store), resolved.
    fn apply_fault(&mut self, fault: &Fault) -> Result<(), SimError> {
        match fault {
            Fault::EndpointUnavailable {
                topic,
                subscription,
                from_ms,
                until_ms,
            } => {
                let t = self.broker.topic_index(topic)?;
                let s = self.broker.subscription_index(t, subscription)?;
                self.faults.add_endpoint_outage(t, s, *from_ms, *until_ms);
            }
            Fault::DuplicateDeliveries { queue, rate_ppm } => {
                let q = self.standard_queue(queue, "rate_ppm")?;
                self.faults.set_queue_duplicates(q, *rate_ppm);
            }
            Fault::ExtraDeliveryDelay { queue, delay } => {
                let q = self.standard_queue(queue, "delay")?;
                self.faults.set_queue_extra_delay(q, delay.clone());
            }
            Fault::ConsumerErrors { consumer, rate_ppm } => {
                let c = self.consumer_named(consumer)?;
                self.faults.set_consumer_errors(c, *rate_ppm);
            }
            Fault::ConsumerPaused {
                consumer,
                from_ms,
                until_ms,
            } => {
                let c = self.consumer_named(consumer)?;
                self.faults.add_consumer_pause(c, *from_ms, *until_ms);
            }
            Fault::StoreErrors {
                rate_ppm,
                from_ms,
                until_ms,
            } => self.add_store_errors(StoreErrorWindow {
                rate_ppm: *rate_ppm,
                from_ms: *from_ms,
                until_ms: *until_ms,
            })?,
        }
        Ok(())
    }

    /// The index of a standard queue (a FIFO queue neither duplicates nor
    /// reorders, so such faults on it are refused).
    fn standard_queue(&self, queue: &str, field: &'static str) -> Result<usize, SimError> {
        let index = self.broker.queue_index(queue)?;
        if self.broker.queue(index).is_fifo() {
            return Err(SimError::InvalidConfig {
                component: format!("fault on queue {queue}"),
                field,
                reason: "FIFO queues neither duplicate nor reorder".into(),
            });
        }
        Ok(index)
    }

    fn consumer_named(&self, name: &str) -> Result<usize, SimError> {
        self.consumer_index
            .get(name)
            .copied()
            .ok_or_else(|| SimError::UnknownConsumer {
                name: name.to_string(),
            })
    }

    fn add_store_errors(&mut self, window: StoreErrorWindow) -> Result<(), SimError> {
        if self.functions.store.add_error_window(self.seed, window) {
            return Ok(());
        }
        Err(SimError::InvalidConfig {
            component: "fault store_errors".into(),
            field: "kind",
            reason: format!("at most {MAX_STORE_ERROR_WINDOWS} store_errors windows per run"),
        })
    }
}
