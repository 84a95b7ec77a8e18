//! Every message is accounted for: what the trace says each queue holds is
//! exactly what the engine's snapshot shows, message by message and state by
//! state, and every topic delivery the trace left open is still pending in
//! the snapshot. Since the ledger only lets a message go on a `Deleted`,
//! `Expired`, `MovedToDlq` or `Redriven` event, a message can never vanish
//! silently.

use std::collections::BTreeSet;

use crate::invariants::ledger::{Ledger, QueueLedger, TrackedState};
use crate::invariants::{Invariant, Violation};
use crate::sim::snapshot::{MessageState, QueueSnapshot, WorldSnapshot};
use crate::sim::Name;

fn fail(snapshot: &WorldSnapshot, what: String) -> Result<(), Violation> {
    Err(Violation {
        invariant: Invariant::Accounting,
        time_ms: snapshot.time_ms,
        trace_seq: None,
        message: what,
    })
}

/// Compares the ledger with the snapshot: every queue, message by message,
/// then the topics' open deliveries.
pub fn check(ledger: &Ledger, snapshot: &WorldSnapshot) -> Result<(), Violation> {
    for queue in &snapshot.queues {
        let Some(expected) = ledger.queues.get(&queue.name) else {
            return fail(
                snapshot,
                format!("queue {} is not in the ledger", queue.name),
            );
        };
        check_queue(expected, queue, snapshot)?;
    }
    check_deliveries(ledger, snapshot)
}

/// One queue: the same number of messages, each in the same state with
/// the same receive count.
fn check_queue(
    expected: &QueueLedger,
    queue: &QueueSnapshot,
    snapshot: &WorldSnapshot,
) -> Result<(), Violation> {
    if expected.messages.len() != queue.messages.len() {
        return fail(
            snapshot,
            format!(
                "queue {}: the trace accounts for {} messages, the queue holds {}",
                queue.name,
                expected.messages.len(),
                queue.messages.len()
            ),
        );
    }
    for m in &queue.messages {
        let Some(t) = expected.messages.get(&(m.message_id, m.copy)) else {
            return fail(
                snapshot,
                format!(
                    "queue {}: {} copy {} is not in the trace",
                    queue.name, m.message_id, m.copy
                ),
            );
        };
        if !same_state(m.state, t.state, snapshot.time_ms) || m.receive_count != t.receive_count {
            return fail(
                snapshot,
                format!(
                    "queue {}: {} is {:?} with {} receives, the trace says {:?} with {}",
                    queue.name, m.message_id, m.state, m.receive_count, t.state, t.receive_count
                ),
            );
        }
    }
    Ok(())
}

/// The engine's state of a message matches the trace's at time `now_ms`.
fn same_state(engine: MessageState, trace: TrackedState, now_ms: u64) -> bool {
    match (engine, trace) {
        (MessageState::Delayed { until_ms }, TrackedState::Waiting { available_at_ms }) => {
            until_ms == available_at_ms && until_ms >= now_ms
        }
        (MessageState::Waiting, TrackedState::Waiting { available_at_ms }) => {
            available_at_ms <= now_ms
        }
        (
            MessageState::InFlight {
                receipt_handle,
                visible_at_ms,
            },
            TrackedState::InFlight {
                receipt, until_ms, ..
            },
        ) => receipt_handle == receipt && visible_at_ms == until_ms,
        _ => false,
    }
}

/// The topic deliveries the trace left open are exactly those pending in
/// the engine.
fn check_deliveries(ledger: &Ledger, snapshot: &WorldSnapshot) -> Result<(), Violation> {
    let open: BTreeSet<_> = snapshot
        .topics
        .iter()
        .flat_map(|t| {
            t.pending_deliveries
                .iter()
                .map(move |p| (p.message_id, t.name.clone(), p.subscription.clone()))
        })
        .collect::<BTreeSet<(_, Name, Name)>>();
    if open != ledger.pending {
        let missing: Vec<_> = ledger.pending.difference(&open).take(3).collect();
        let extra: Vec<_> = open.difference(&ledger.pending).take(3).collect();
        return fail(
            snapshot,
            format!("topic deliveries differ: open in the trace only {missing:?}, pending in the engine only {extra:?}"),
        );
    }
    Ok(())
}
