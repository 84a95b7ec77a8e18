//! Metrics read from a run's trace and final snapshot. One pure function per
//! metric, so each can be tested and explained on its own; [`compute`]
//! evaluates every metric of the table in [`super::metric_registry`]. Times are integer milliseconds and percentiles use the
//! nearest-rank method on integers, so numbers are identical on every
//! platform.
//!
//! Client metrics (latency, throttles, retries, failed calls) come from
//! the clients' own trace events, so the server-API flow and the
//! event-driven flow are measured the same way; [`Metrics::clients`] breaks
//! them down per client for the compare view.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::limits::QUEUE_DEPTH_SAMPLES;
use super::metric_registry::{
    metric, ClientMeasure, Latencies, Measure, MetricDef, RunMeasure, METRICS,
};
use super::outcome::RunOutcome;
use crate::sim::{ActorId, MessageId, TraceEvent, TraceKind};

/// One point of a queue-depth series: messages stored at `time_ms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct DepthSample {
    /// Virtual time.
    pub time_ms: u64,
    /// Messages stored (delayed, waiting or in flight).
    pub depth: u64,
}

/// The metrics of one run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Metrics {
    /// Scalars by name (every metric of [`METRICS`]).
    #[serde(flatten)]
    pub values: BTreeMap<String, u64>,
    /// Depth of each queue over time, [`QUEUE_DEPTH_SAMPLES`] + 1 points.
    pub queue_depth: BTreeMap<String, Vec<DepthSample>>,
    /// The client metrics of each client, by name (same names as the
    /// `client_*`, `throttled_requests`, `retries`, `failed_calls` scalars).
    pub clients: BTreeMap<String, BTreeMap<String, u64>>,
}

impl Metrics {
    /// A scalar by name.
    pub fn get(&self, name: &str) -> Option<u64> {
        self.values.get(name).copied()
    }

    /// A client metric of one client. A client that made no call has
    /// every count at 0.
    pub fn get_for_client(&self, client: &str, name: &str) -> Option<u64> {
        if !metric(name).is_some_and(MetricDef::per_client) {
            return None;
        }
        Some(
            self.clients
                .get(client)
                .and_then(|m| m.get(name).copied())
                .unwrap_or(0),
        )
    }
}

/// Computes every metric of a run: each one of the registry's table
/// ([`METRICS`]), from latency sets and depth series gathered once.
pub fn compute(outcome: &RunOutcome) -> Metrics {
    let facts = RunFacts::gather(outcome);
    let values = METRICS
        .iter()
        .map(|m| (m.name.to_string(), facts.value(m.measure)))
        .collect();
    let clients = client_names(&outcome.trace)
        .into_iter()
        .map(|name| {
            let metrics = client_metrics(&outcome.trace, Some(&name));
            (name, metrics)
        })
        .collect();
    Metrics {
        values,
        queue_depth: facts.queue_depth,
        clients,
    }
}

/// What the metrics of one run are read from: the run, and the sets that
/// several metrics share (computed once).
struct RunFacts<'a> {
    outcome: &'a RunOutcome,
    end_to_end_ms: Vec<u64>,
    store_ms: Vec<u64>,
    queue_depth: BTreeMap<String, Vec<DepthSample>>,
    clients: ClientFacts<'a>,
}

impl<'a> RunFacts<'a> {
    fn gather(outcome: &'a RunOutcome) -> Self {
        let trace = &outcome.trace;
        let queues: Vec<String> = outcome
            .snapshot
            .as_ref()
            .map(|s| s.queues.iter().map(|q| q.name.to_string()).collect())
            .unwrap_or_default();
        RunFacts {
            outcome,
            end_to_end_ms: end_to_end_latencies_ms(trace),
            store_ms: store_latencies_ms(trace),
            queue_depth: queue_depth(trace, &queues, outcome.end_ms),
            clients: ClientFacts::of(trace, None),
        }
    }

    fn value(&self, measure: Measure) -> u64 {
        match measure {
            Measure::Count(kind) => count_kind(&self.outcome.trace, kind),
            Measure::Run(run) => self.run_value(run),
            Measure::Latency(Latencies::EndToEnd, p) => percentile(&self.end_to_end_ms, p),
            Measure::Latency(Latencies::Store, p) => percentile(&self.store_ms, p),
            Measure::Client { of, .. } => self.clients.value(of),
        }
    }

    /// A flat table: one arm per computation.
    fn run_value(&self, run: RunMeasure) -> u64 {
        let trace = &self.outcome.trace;
        match run {
            RunMeasure::MessagesSent => messages_sent(trace),
            RunMeasure::MessagesProcessed => messages_processed(trace),
            RunMeasure::Throughput => throughput_per_s(trace),
            RunMeasure::DuplicatesDelivered => duplicates_delivered(trace),
            RunMeasure::MessagesInDlq => messages_in_dlq(self.outcome),
            RunMeasure::MaxQueueDepth => {
                let sampled = self.queue_depth.values().flatten().map(|s| s.depth);
                sampled.max().unwrap_or(0).max(peak_queue_depth(trace))
            }
            RunMeasure::ColdStarts => cold_starts(trace),
            RunMeasure::PeakConcurrency => peak_concurrency(trace),
            RunMeasure::StaleOverwrites => stale_overwrites(self.outcome),
        }
    }
}

/// Clients that made calls, in name order.
pub fn client_names(trace: &[TraceEvent]) -> BTreeSet<String> {
    trace
        .iter()
        .filter(|e| e.kind == TraceKind::ClientRequested)
        .filter_map(|e| match &e.actor {
            ActorId::Client(name) => Some(name.to_string()),
            _ => None,
        })
        .collect()
}

/// The client metrics of one client (`Some(name)`) or of all of them:
/// calls made, the latency clients saw for calls that succeeded (from the
/// first attempt to the successful answer, retries included), 429 answers,
/// retries and calls that ended without success.
pub fn client_metrics(trace: &[TraceEvent], client: Option<&str>) -> BTreeMap<String, u64> {
    let facts = ClientFacts::of(trace, client);
    METRICS
        .iter()
        .filter_map(|m| match m.measure {
            Measure::Client { of, .. } => Some((m.name.to_string(), facts.value(of))),
            _ => None,
        })
        .collect()
}

/// One client's events (or every client's), and the sorted latencies of
/// its successful calls.
pub struct ClientFacts<'a> {
    events: Vec<&'a TraceEvent>,
    latency_ms: Vec<u64>,
}

impl<'a> ClientFacts<'a> {
    /// The facts of client `client`, or of all clients for `None`.
    pub fn of(trace: &'a [TraceEvent], client: Option<&str>) -> Self {
        let of_client = |e: &&TraceEvent| match (&e.actor, client) {
            (ActorId::Client(name), Some(wanted)) => name.as_str() == wanted,
            (ActorId::Client(_), None) => true,
            _ => false,
        };
        let events: Vec<&TraceEvent> = trace.iter().filter(of_client).collect();
        let mut latency_ms: Vec<u64> = events
            .iter()
            .filter(|e| answered(e, 200))
            .filter_map(|e| e.details.duration_ms())
            .collect();
        latency_ms.sort_unstable();
        ClientFacts { events, latency_ms }
    }

    /// One client measure.
    pub fn value(&self, measure: ClientMeasure) -> u64 {
        let count = |keep: &dyn Fn(&TraceEvent) -> bool| {
            self.events.iter().filter(|e| keep(e)).count() as u64
        };
        match measure {
            ClientMeasure::Calls => {
                count(&|e| e.kind == TraceKind::ClientRequested && e.details.attempt() == Some(1))
            }
            ClientMeasure::Latency(p) => percentile(&self.latency_ms, p),
            ClientMeasure::Answered(code) => count(&|e| answered(e, code)),
            ClientMeasure::Count(kind) => count(&|e| e.kind == kind),
        }
    }
}

/// A client's call answered with HTTP status `code`.
fn answered(e: &TraceEvent, code: u16) -> bool {
    e.kind == TraceKind::ClientResponded && e.details.status_code() == Some(code)
}

/// True for whoever puts work into the system: a workload's client or a
/// caller outside the simulation.
fn is_sender(actor: &ActorId) -> bool {
    matches!(actor, ActorId::External | ActorId::Client(_))
}

/// Invocations that had to start a new execution environment.
pub fn cold_starts(trace: &[TraceEvent]) -> u64 {
    trace
        .iter()
        .filter(|e| e.kind == TraceKind::InvocationStarted && e.details.cold_start() == Some(true))
        .count() as u64
}

/// Most invocations running at once.
pub fn peak_concurrency(trace: &[TraceEvent]) -> u64 {
    let mut running = 0i64;
    let mut peak = 0i64;
    for e in trace {
        match e.kind {
            TraceKind::InvocationStarted => running += 1,
            TraceKind::InvocationSucceeded | TraceKind::InvocationFailed => running -= 1,
            _ => {}
        }
        peak = peak.max(running);
    }
    peak.max(0) as u64
}

/// Store writes that replaced a newer document version with an older one
/// (from the store's write history in the final snapshot).
pub fn stale_overwrites(outcome: &RunOutcome) -> u64 {
    outcome
        .snapshot
        .as_ref()
        .map_or(0, |s| s.store.stale_overwrites.len() as u64)
}

/// Events of one kind.
pub fn count_kind(trace: &[TraceEvent], kind: TraceKind) -> u64 {
    trace.iter().filter(|e| e.kind == kind).count() as u64
}

/// True for the actors that process messages (built-in consumers now,
/// event source mappings and functions later).
fn is_processor(actor: &ActorId) -> bool {
    matches!(
        actor,
        ActorId::Consumer(_) | ActorId::Mapping(_) | ActorId::Function(_)
    )
}

/// Messages the workload put into the system: publishes and sends made by
/// a client or an outside caller (rejected sends are not counted; see
/// `rejected_sends`).
pub fn messages_sent(trace: &[TraceEvent]) -> u64 {
    trace
        .iter()
        .filter(|e| is_sender(&e.actor) && matches!(e.kind, TraceKind::Published | TraceKind::Sent))
        .count() as u64
}

/// Distinct messages a processor finished and deleted.
pub fn messages_processed(trace: &[TraceEvent]) -> u64 {
    trace
        .iter()
        .filter(|e| e.kind == TraceKind::Deleted && is_processor(&e.actor))
        .filter_map(|e| e.message_id)
        .collect::<BTreeSet<MessageId>>()
        .len() as u64
}

/// Processed messages per second of virtual time, from the first message
/// sent to the last one processed (rounded down).
pub fn throughput_per_s(trace: &[TraceEvent]) -> u64 {
    let first = trace
        .iter()
        .find(|e| is_sender(&e.actor) && matches!(e.kind, TraceKind::Published | TraceKind::Sent))
        .map(|e| e.time_ms);
    let last = trace
        .iter()
        .rev()
        .find(|e| e.kind == TraceKind::Deleted && is_processor(&e.actor))
        .map(|e| e.time_ms);
    match (first, last) {
        (Some(first), Some(last)) => {
            messages_processed(trace) * 1000 / last.saturating_sub(first).max(1)
        }
        _ => 0,
    }
}

/// Times a message was processed to the end (its delete attempted) beyond
/// the first: at-least-once duplicates and redeliveries after a visibility
/// timeout that ran out while the first processing was still under way.
pub fn duplicates_delivered(trace: &[TraceEvent]) -> u64 {
    let mut done: BTreeMap<MessageId, u64> = BTreeMap::new();
    for e in trace {
        if matches!(e.kind, TraceKind::Deleted | TraceKind::DeleteIgnored) && is_processor(&e.actor)
        {
            if let Some(id) = e.message_id {
                *done.entry(id).or_default() += 1;
            }
        }
    }
    done.values().map(|n| n - 1).sum()
}

/// Messages stored in dead-letter queues at the end (from the snapshot).
pub fn messages_in_dlq(outcome: &RunOutcome) -> u64 {
    outcome
        .snapshot
        .as_ref()
        .map(|s| {
            s.queues
                .iter()
                .filter(|q| outcome.dead_letter_queues.contains(q.name.as_str()))
                .map(|q| q.counts.stored() as u64)
                .sum()
        })
        .unwrap_or(0)
}

/// The change each event makes to queue depths: (queue, +1/-1).
fn depth_changes(e: &TraceEvent) -> Vec<(String, i64)> {
    let queue = e.details.queue().map(|q| q.to_string());
    let destination = e.details.destination().map(|q| q.to_string());
    match (e.kind, queue) {
        (TraceKind::Sent | TraceKind::Duplicated, Some(q)) => vec![(q, 1)],
        (TraceKind::Deleted | TraceKind::Expired, Some(q)) => vec![(q, -1)],
        // A queue's own redrive policy moves the entry; a subscription's
        // dead-letter queue records its arrival as `Sent` instead.
        (TraceKind::MovedToDlq, Some(q)) if matches!(e.actor, ActorId::Queue(_)) => {
            let mut out = vec![(q, -1)];
            out.extend(destination.map(|d| (d, 1)));
            out
        }
        (TraceKind::Redriven, Some(q)) => {
            let mut out = vec![(q, -1)];
            out.extend(destination.map(|d| (d, 1)));
            out
        }
        _ => Vec::new(),
    }
}

/// The highest depth any queue reached at any event.
pub fn peak_queue_depth(trace: &[TraceEvent]) -> u64 {
    let mut depth: BTreeMap<String, i64> = BTreeMap::new();
    let mut peak = 0i64;
    for e in trace {
        for (q, change) in depth_changes(e) {
            let d = depth.entry(q).or_default();
            *d += change;
            peak = peak.max(*d);
        }
    }
    peak.max(0) as u64
}

/// Each queue's depth at evenly spaced times from 0 to `end_ms`.
pub fn queue_depth(
    trace: &[TraceEvent],
    queues: &[String],
    end_ms: u64,
) -> BTreeMap<String, Vec<DepthSample>> {
    let mut depth: BTreeMap<String, i64> = queues.iter().map(|q| (q.clone(), 0)).collect();
    let mut series: BTreeMap<String, Vec<DepthSample>> = BTreeMap::new();
    let mut events = trace.iter().peekable();
    for i in 0..=QUEUE_DEPTH_SAMPLES {
        let at = end_ms / QUEUE_DEPTH_SAMPLES * i
            + end_ms % QUEUE_DEPTH_SAMPLES * i / QUEUE_DEPTH_SAMPLES;
        while let Some(e) = events.next_if(|e| e.time_ms <= at) {
            for (q, change) in depth_changes(e) {
                *depth.entry(q).or_default() += change;
            }
        }
        for (q, d) in &depth {
            series.entry(q.clone()).or_default().push(DepthSample {
                time_ms: at,
                depth: (*d).max(0) as u64,
            });
        }
    }
    series
}

/// For each message processed for the first time, the time from the
/// client's send (or the publish its queue copy came from) to the
/// processor's delete, sorted ascending.
pub fn end_to_end_latencies_ms(trace: &[TraceEvent]) -> Vec<u64> {
    let mut published: BTreeMap<MessageId, u64> = BTreeMap::new();
    let mut origin: BTreeMap<MessageId, u64> = BTreeMap::new();
    let mut done: BTreeSet<MessageId> = BTreeSet::new();
    let mut out = Vec::new();
    for e in trace {
        let Some(id) = e.message_id else { continue };
        match e.kind {
            TraceKind::Published => {
                published.entry(id).or_insert(e.time_ms);
            }
            TraceKind::Sent => {
                let start = e
                    .details
                    .related_message_id()
                    .and_then(|topic_message| published.get(&topic_message).copied())
                    .unwrap_or(e.time_ms);
                origin.entry(id).or_insert(start);
            }
            TraceKind::Deleted if is_processor(&e.actor) && done.insert(id) => {
                if let Some(start) = origin.get(&id) {
                    out.push(e.time_ms.saturating_sub(*start));
                }
            }
            _ => {}
        }
    }
    out.sort_unstable();
    out
}

/// For each store write made by an invocation of an event source mapping
/// or an API endpoint, the time from the client's save to the write, sorted
/// ascending. The write is tied to its save through the trace: the
/// invocation's request id names its batch's receipt handles, each receipt
/// names a message, each message its send (or the publish it came from);
/// an endpoint's invocation names the client's call, timed from its first
/// attempt. For a batch of several saves the write is timed from the newest
/// save in the batch (a lower bound). Writes of topic-invoked functions have
/// no receipt and are not counted.
pub fn store_latencies_ms(trace: &[TraceEvent]) -> Vec<u64> {
    let mut published: BTreeMap<MessageId, u64> = BTreeMap::new();
    let mut origin: BTreeMap<MessageId, u64> = BTreeMap::new();
    let mut receipt_message: BTreeMap<u64, MessageId> = BTreeMap::new();
    let mut request_origin: BTreeMap<String, u64> = BTreeMap::new();
    let mut call_origin: BTreeMap<(String, u64), u64> = BTreeMap::new();
    let mut out = Vec::new();
    for e in trace {
        match (e.kind, e.message_id) {
            (TraceKind::ClientRequested, _) => {
                if let (ActorId::Client(client), Some(call)) = (&e.actor, e.details.call()) {
                    call_origin
                        .entry((client.to_string(), call))
                        .or_insert(e.time_ms);
                }
            }
            (TraceKind::InvocationStarted, _) if e.details.call().is_some() => {
                let origin = e
                    .details
                    .client()
                    .as_ref()
                    .zip(e.details.call())
                    .and_then(|(client, call)| call_origin.get(&(client.to_string(), call)));
                if let (Some(request), Some(origin)) = (&e.details.request_id(), origin) {
                    request_origin.insert(request.to_string(), *origin);
                }
            }
            (TraceKind::Published, Some(id)) => {
                published.entry(id).or_insert(e.time_ms);
            }
            (TraceKind::Sent, Some(id)) => {
                let start = e
                    .details
                    .related_message_id()
                    .and_then(|m| published.get(&m).copied())
                    .unwrap_or(e.time_ms);
                origin.entry(id).or_insert(start);
            }
            (TraceKind::Received, Some(id)) => {
                if let Some(handle) = e.details.receipt_handle() {
                    receipt_message.insert(handle, id);
                }
            }
            (TraceKind::InvocationStarted, _) => {
                let newest = e
                    .details
                    .receipt_handles()
                    .iter()
                    .filter_map(|h| receipt_message.get(h))
                    .filter_map(|id| origin.get(id))
                    .max();
                if let (Some(request), Some(newest)) = (e.details.request_id(), newest) {
                    request_origin.insert(request.to_string(), *newest);
                }
            }
            (TraceKind::StoreWrite, _) => {
                let start = e
                    .details
                    .request_id()
                    .and_then(|r| request_origin.get(r.as_str()));
                if let Some(start) = start {
                    out.push(e.time_ms.saturating_sub(*start));
                }
            }
            _ => {}
        }
    }
    out.sort_unstable();
    out
}

/// Nearest-rank percentile of sorted values: the smallest value such that
/// at least `p` percent of values are at or below it. 0 for no values.
pub fn percentile(sorted: &[u64], p: u64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let n = sorted.len() as u64;
    let rank = (p.min(100) * n).div_ceil(100).max(1);
    sorted[(rank - 1) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<u64> = (1..=100).collect();
        assert_eq!(percentile(&v, 50), 50);
        assert_eq!(percentile(&v, 99), 99);
        assert_eq!(percentile(&v, 100), 100);
        assert_eq!(percentile(&[7], 95), 7);
        assert_eq!(percentile(&[], 50), 0);
        assert_eq!(percentile(&[1, 2, 3], 50), 2);
    }
}
