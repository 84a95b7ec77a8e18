//! No message is delivered while invisible, and invisibility ends exactly
//! when it should.
//!
//! A receive may only return a message that is stored, not in flight, and
//! past its delay. A message becomes visible again exactly at its visibility
//! deadline (the latest one set by a receive or a visibility change).

use crate::invariants::ledger::{Ledger, TrackedState};
use crate::invariants::{Invariant, Violation};
use crate::sim::{TraceEvent, TraceKind};

/// Checks `event` against the ledger before it is applied.
pub fn check(ledger: &Ledger, event: &TraceEvent) -> Result<(), Violation> {
    let fail = |what: String| {
        Err(Violation::at(
            Invariant::NoDeliveryWhileInvisible,
            event,
            what,
        ))
    };
    match event.kind {
        TraceKind::Received => match ledger.tracked(event).map(|t| t.state) {
            Some(TrackedState::Waiting { available_at_ms }) if available_at_ms <= event.time_ms => {
                Ok(())
            }
            Some(TrackedState::Waiting { available_at_ms }) => fail(format!(
                "received at {} ms but delayed until {available_at_ms} ms",
                event.time_ms
            )),
            Some(TrackedState::InFlight { until_ms, .. }) => fail(format!(
                "received at {} ms while in flight until {until_ms} ms",
                event.time_ms
            )),
            None => Ok(()), // the ledger reports the missing message
        },
        TraceKind::VisibleAgain => match ledger.tracked(event).map(|t| t.state) {
            Some(TrackedState::InFlight { until_ms, .. }) if until_ms == event.time_ms => Ok(()),
            Some(TrackedState::InFlight { until_ms, .. }) => fail(format!(
                "visible again at {} ms but the deadline is {until_ms} ms",
                event.time_ms
            )),
            Some(TrackedState::Waiting { .. }) => fail("visible again while not in flight".into()),
            None => Ok(()),
        },
        _ => Ok(()),
    }
}
