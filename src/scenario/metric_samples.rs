//! What a metric is measured over, so that a check over no data fails
//! instead of passing vacuously.
//!
//! A percentile or maximum of no values is 0 (see
//! [`metrics::percentile`](super::metrics::percentile)), so "p99 at most
//! 2 s" would pass in a run where every save ended in a dead-letter queue.
//! Each sampled metric names its samples here; a check reads the count and
//! fails with an explanation when there are none, and says how many there
//! were when it passes (docs/scenarios.md, "Checks over no data").

use super::metrics::{
    client_metrics, end_to_end_latencies_ms, messages_processed, messages_sent, store_latencies_ms,
};
use crate::sim::TraceEvent;

/// The values a sampled metric was computed from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Samples {
    /// How many values there were.
    pub count: u64,
    /// What one value is, plural ("messages processed").
    pub what: &'static str,
    /// Out of how many it could have been, with what those are ("12
    /// messages sent"), when the metric has such a population.
    pub out_of: Option<String>,
}

impl Samples {
    /// "3 messages processed of 12 messages sent".
    pub fn describe(&self) -> String {
        match &self.out_of {
            Some(total) => format!("{} {} of {total}", self.count, self.what),
            None => format!("{} {}", self.count, self.what),
        }
    }
}

/// The samples behind `name` (for `client` when given), or `None` for a
/// metric that is a count, where 0 is a real answer.
pub fn samples_behind(name: &str, client: Option<&str>, trace: &[TraceEvent]) -> Option<Samples> {
    let sent = || Some(format!("{} messages sent", messages_sent(trace)));
    if name.starts_with("end_to_end_latency_") {
        return Some(Samples {
            count: end_to_end_latencies_ms(trace).len() as u64,
            what: "messages processed",
            out_of: sent(),
        });
    }
    if name.starts_with("store_latency_") {
        return Some(Samples {
            count: store_latencies_ms(trace).len() as u64,
            what: "store writes traced to a save",
            out_of: None,
        });
    }
    if name == "throughput_per_s" {
        return Some(Samples {
            count: messages_processed(trace),
            what: "messages processed",
            out_of: sent(),
        });
    }
    if name.starts_with("client_latency_") {
        let metrics = client_metrics(trace, client);
        let calls = metrics.get("client_calls").copied().unwrap_or(0);
        let failed = metrics.get("failed_calls").copied().unwrap_or(0);
        return Some(Samples {
            count: successful_calls(trace, client),
            what: "successful calls",
            out_of: Some(format!("{calls} made, {failed} failed")),
        });
    }
    None
}

/// Calls answered 200, whose latencies the client metrics measure.
fn successful_calls(trace: &[TraceEvent], client: Option<&str>) -> u64 {
    use crate::sim::{ActorId, TraceKind};
    trace
        .iter()
        .filter(|e| e.kind == TraceKind::ClientResponded && e.details.status_code() == Some(200))
        .filter(|e| match (&e.actor, client) {
            (ActorId::Client(name), Some(wanted)) => name.as_str() == wanted,
            (ActorId::Client(_), None) => true,
            _ => false,
        })
        .count() as u64
}
