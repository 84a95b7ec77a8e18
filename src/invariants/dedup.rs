//! FIFO deduplication window: a deduplication id accepted at time t is not
//! accepted again before t + 5 minutes, and a send dropped as a duplicate
//! had an accepted original within those 5 minutes.

use std::collections::BTreeMap;

use crate::invariants::{Invariant, Violation};
use crate::sim::aws::DEDUP_WINDOW_MS;
use crate::sim::Name;
use crate::sim::{MessageId, TraceEvent, TraceKind};

/// Accepted deduplication ids per queue or topic.
#[derive(Debug, Default)]
pub struct DedupChecker {
    /// (queue or topic, dedup id) -> (accepted at, message).
    accepted: BTreeMap<(Name, Name), (u64, MessageId)>,
}

impl DedupChecker {
    /// Checks and records one event.
    pub fn observe(&mut self, event: &TraceEvent) -> Result<(), Violation> {
        let d = &event.details;
        let Some(dedup) = d.dedup_id() else {
            return Ok(());
        };
        let Some(owner) = d.queue().or(d.topic()) else {
            return Ok(());
        };
        let key = (owner.clone(), dedup.clone());
        let within = |accepted_at: u64| event.time_ms < accepted_at + DEDUP_WINDOW_MS;
        match event.kind {
            TraceKind::Sent | TraceKind::Published => {
                if let Some(&(at, original)) = self.accepted.get(&key) {
                    if within(at) {
                        return Err(Violation::at(
                            Invariant::DedupWindow,
                            event,
                            format!(
                                "{dedup} accepted again {} ms after {original}",
                                event.time_ms - at
                            ),
                        ));
                    }
                }
                if let Some(id) = event.message_id {
                    self.accepted.insert(key, (event.time_ms, id));
                }
            }
            TraceKind::Deduplicated => match self.accepted.get(&key) {
                Some(&(at, original)) if within(at) && d.related_message_id() == Some(original) => {
                }
                _ => {
                    return Err(Violation::at(
                        Invariant::DedupWindow,
                        event,
                        format!(
                            "{dedup} dropped as a duplicate with no original in the last 5 minutes"
                        ),
                    ))
                }
            },
            _ => {}
        }
        Ok(())
    }
}
