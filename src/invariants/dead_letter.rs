//! Dead-lettering happens exactly at `maxReceiveCount`: no receive pushes a
//! message's count past it, and a message moves to the dead-letter queue
//! (the configured one) only once it has been received exactly that often
//! and is visible.

use crate::invariants::ledger::{Ledger, TrackedState};
use crate::invariants::{Invariant, Violation};
use crate::sim::{TraceEvent, TraceKind};

/// Checks `event` against the ledger before it is applied.
pub fn check(ledger: &Ledger, event: &TraceEvent) -> Result<(), Violation> {
    let Some(queue) = ledger.queue_of(event) else {
        return Ok(());
    };
    let Some((dlq, max)) = &queue.redrive else {
        if event.kind == TraceKind::MovedToDlq && event.details.topic().is_none() {
            return Err(Violation::at(
                Invariant::DeadLetterTiming,
                event,
                "moved to a dead-letter queue from a queue without a redrive policy".into(),
            ));
        }
        return Ok(());
    };
    let fail = |what: String| Err(Violation::at(Invariant::DeadLetterTiming, event, what));
    match event.kind {
        TraceKind::Received => {
            let count = event.details.receive_count().unwrap_or(0);
            if count > *max {
                return fail(format!(
                    "received {count} times; max_receive_count is {max}"
                ));
            }
            Ok(())
        }
        TraceKind::MovedToDlq if event.details.topic().is_none() => {
            if event.details.destination() != Some(dlq) {
                return fail(format!(
                    "moved to {:?}, not to {dlq}",
                    event.details.destination()
                ));
            }
            match ledger.tracked(event) {
                Some(t)
                    // `>`: a message that arrived from another queue's
                    // dead-letter move keeps its count, which may already
                    // pass this queue's maximum (a dead-letter chain).
                    if t.receive_count >= *max
                        && matches!(t.state, TrackedState::Waiting { .. }) =>
                {
                    Ok(())
                }
                Some(t) => fail(format!(
                    "moved after {} receives (max_receive_count {max}) while {:?}",
                    t.receive_count, t.state
                )),
                None => Ok(()),
            }
        }
        _ => Ok(()),
    }
}
