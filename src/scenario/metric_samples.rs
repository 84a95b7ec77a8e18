//! What a metric is measured over, so that a check over no data fails
//! instead of passing vacuously.
//!
//! A percentile or maximum of no values is 0 (see
//! [`metrics::percentile`](super::metrics::percentile)), so "p99 at most
//! 2 s" would pass in a run where every save ended in a dead-letter queue.
//! Each sampled metric names its samples here; a check reads the count and
//! fails with an explanation when there are none, and says how many there
//! were when it passes (docs/scenarios.md, "Checks over no data").

use super::metric_registry::{metric, ClientMeasure, Latencies, Measure, RunMeasure};
use super::metrics::{
    end_to_end_latencies_ms, messages_processed, messages_sent, store_latencies_ms, ClientFacts,
};
use crate::sim::{TraceEvent, TraceKind};

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
/// metric that is a count, where 0 is a real answer (or no metric at all).
/// Which metrics are sampled, and over what, the registry's measures say.
pub fn samples_behind(name: &str, client: Option<&str>, trace: &[TraceEvent]) -> Option<Samples> {
    let sent = || Some(format!("{} messages sent", messages_sent(trace)));
    match metric(name)?.measure {
        Measure::Latency(Latencies::EndToEnd, _) => Some(Samples {
            count: end_to_end_latencies_ms(trace).len() as u64,
            what: "messages processed",
            out_of: sent(),
        }),
        Measure::Latency(Latencies::Store, _) => Some(Samples {
            count: store_latencies_ms(trace).len() as u64,
            what: "store writes traced to a save",
            out_of: None,
        }),
        Measure::Run(RunMeasure::Throughput) => Some(Samples {
            count: messages_processed(trace),
            what: "messages processed",
            out_of: sent(),
        }),
        Measure::Client {
            of: ClientMeasure::Latency(_),
            ..
        } => {
            let facts = ClientFacts::of(trace, client);
            let calls = facts.value(ClientMeasure::Calls);
            let failed = facts.value(ClientMeasure::Count(TraceKind::ClientFailed));
            Some(Samples {
                // The calls answered 200, whose latencies were measured.
                count: facts.value(ClientMeasure::Answered(200)),
                what: "successful calls",
                out_of: Some(format!("{calls} made, {failed} failed")),
            })
        }
        _ => None,
    }
}
