//! FIFO: strict order per message group, and one batch in flight per group.
//!
//! When a FIFO queue returns a message, every message of its group that
//! arrived earlier and is still stored must be in flight from the same
//! receive call (returned just before it in the same batch). And no message
//! of the group may be in flight from another receive call.

use crate::invariants::ledger::{Ledger, TrackedState};
use crate::invariants::{Invariant, Violation};
use crate::sim::{TraceEvent, TraceKind};

/// Checks `event` against the ledger before it is applied.
pub fn check(ledger: &Ledger, event: &TraceEvent) -> Result<(), Violation> {
    if event.kind != TraceKind::Received {
        return Ok(());
    }
    let Some(queue) = ledger.queue_of(event) else {
        return Ok(());
    };
    if !queue.fifo {
        return Ok(());
    }
    let (Some(id), Some(group)) = (event.message_id, event.details.group_id()) else {
        return Err(Violation::at(
            Invariant::FifoGroupOrder,
            event,
            "FIFO receive without a message group".into(),
        ));
    };
    let Some(this) = queue.messages.get(&(id, event.details.copy())) else {
        return Ok(());
    };
    let request = event.details.receive_request().unwrap_or(0);
    for &(arrival, key) in queue.groups.get(group).into_iter().flatten() {
        if key == (id, event.details.copy()) {
            continue;
        }
        let Some(other) = queue.messages.get(&key) else {
            continue;
        };
        match other.state {
            TrackedState::InFlight { request: r, .. } if r != request => {
                return Err(Violation::at(
                    Invariant::FifoOneBatchPerGroup,
                    event,
                    format!(
                        "group {group}: {} is still in flight from another receive",
                        key.0
                    ),
                ));
            }
            TrackedState::Waiting { .. } if arrival < this.arrival => {
                return Err(Violation::at(
                    Invariant::FifoGroupOrder,
                    event,
                    format!("group {group}: {id} delivered before the earlier {}", key.0),
                ));
            }
            _ => {}
        }
    }
    Ok(())
}
