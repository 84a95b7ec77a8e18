//! Pausing and resuming a consumer or an event source mapping by hand
//! (issue 19, `docs/interventions.md`).
//!
//! A paused poller's polls are held, not run: whatever it holds already
//! (messages being processed, a batch being invoked) goes on and ends as
//! usual, but it receives nothing new. Resuming gives the held polls back
//! at the moment of resuming, in the order they were held, so the run
//! stays a function of its interventions. While paused, a queue nobody
//! else polls does not keep the run from being quiescent.

use std::collections::BTreeSet;

use super::{Event, World};
use crate::sim::consumer::ConsumerEvent;
use crate::sim::intervention::{Intervention, InterventionKind as Kind, Refusal, RefusalKind};
use crate::sim::mapping::MappingEvent;

/// What a world keeps of its interventions.
#[derive(Clone, Default)]
pub(crate) struct InterventionState {
    /// Applied, in order.
    applied: Vec<Intervention>,
    /// Paused consumers, by index.
    paused_consumers: BTreeSet<usize>,
    /// Paused mappings, by index.
    paused_mappings: BTreeSet<usize>,
    /// Polls of paused pollers, held until resumed.
    held: Vec<Event>,
}

impl InterventionState {
    /// Keeps an intervention that took effect.
    pub fn note(&mut self, intervention: &Intervention) {
        self.applied.push(intervention.clone());
    }

    /// The interventions applied so far, in order.
    pub fn applied(&self) -> &[Intervention] {
        &self.applied
    }
}

/// Which poller a held event belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Poller {
    Consumer(usize),
    Mapping(usize),
}

fn poller_of(event: &Event) -> Option<Poller> {
    match event {
        Event::Consumer(
            ConsumerEvent::Poll { consumer, .. } | ConsumerEvent::PollTimeout { consumer, .. },
        ) => Some(Poller::Consumer(*consumer)),
        Event::Mapping(
            MappingEvent::Poll { mapping, .. } | MappingEvent::PollTimeout { mapping, .. },
        ) => Some(Poller::Mapping(*mapping)),
        _ => None,
    }
}

impl World {
    /// The event to process, or `None` when it is a poll of a paused
    /// poller (then it is held until the poller is resumed).
    pub(super) fn hold_if_paused(&mut self, event: Event) -> Option<Event> {
        let state = &mut self.interventions;
        if state.paused_consumers.is_empty() && state.paused_mappings.is_empty() {
            return Some(event);
        }
        let paused = match poller_of(&event) {
            Some(Poller::Consumer(c)) => state.paused_consumers.contains(&c),
            Some(Poller::Mapping(m)) => state.paused_mappings.contains(&m),
            None => false,
        };
        if paused {
            state.held.push(event);
            return None;
        }
        Some(event)
    }

    pub(super) fn pause_consumer(&mut self, iv: &Intervention) -> Result<(), Refusal> {
        let Some(&index) = self.consumer_index.get(iv.target.as_str()) else {
            return Err(Refusal::new(
                RefusalKind::UnknownTarget,
                format!("there is no consumer `{}`", iv.target),
            ));
        };
        let pause = iv.kind == Kind::PauseConsumer;
        let paused = self.interventions.paused_consumers.contains(&index);
        check_toggle(pause, paused, "consumer", &iv.target)?;
        self.note_intervention(iv);
        if pause {
            self.interventions.paused_consumers.insert(index);
        } else {
            self.interventions.paused_consumers.remove(&index);
            self.release(Poller::Consumer(index));
        }
        self.recount_polled();
        Ok(())
    }

    pub(super) fn pause_mapping(&mut self, iv: &Intervention) -> Result<(), Refusal> {
        let Some(index) = self
            .mappings
            .iter()
            .position(|m| m.name == iv.target.as_str())
        else {
            return Err(Refusal::new(
                RefusalKind::UnknownTarget,
                format!("there is no event source mapping `{}`", iv.target),
            ));
        };
        let pause = iv.kind == Kind::PauseMapping;
        let paused = self.interventions.paused_mappings.contains(&index);
        check_toggle(pause, paused, "mapping", &iv.target)?;
        self.note_intervention(iv);
        if pause {
            self.interventions.paused_mappings.insert(index);
        } else {
            self.interventions.paused_mappings.remove(&index);
            self.release(Poller::Mapping(index));
        }
        self.recount_polled();
        Ok(())
    }

    /// Gives the held polls of `poller` back, now, in the order held.
    fn release(&mut self, poller: Poller) {
        let held = std::mem::take(&mut self.interventions.held);
        let now = self.now_ms();
        for event in held {
            if poller_of(&event) == Some(poller) {
                self.kernel.schedule(now, event);
            } else {
                self.interventions.held.push(event);
            }
        }
    }

    /// `polled[q]`: some poller that is not paused polls queue `q`.
    fn recount_polled(&mut self) {
        let state = &self.interventions;
        self.polled.iter_mut().for_each(|p| *p = false);
        for (index, consumer) in self.consumers.iter().enumerate() {
            if !state.paused_consumers.contains(&index) {
                self.polled[consumer.queue] = true;
            }
        }
        for (index, mapping) in self.mappings.iter().enumerate() {
            if !state.paused_mappings.contains(&index) {
                self.polled[mapping.queue] = true;
            }
        }
    }
}

/// Refuses pausing what is paused and resuming what is not.
fn check_toggle(pause: bool, paused: bool, what: &str, name: &str) -> Result<(), Refusal> {
    match (pause, paused) {
        (true, true) => Err(Refusal::new(
            RefusalKind::NotApplicable,
            format!("{what} `{name}` is paused already"),
        )),
        (false, false) => Err(Refusal::new(
            RefusalKind::NotApplicable,
            format!("{what} `{name}` is not paused"),
        )),
        _ => Ok(()),
    }
}
