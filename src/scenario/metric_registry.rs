//! Every metric in one table: its name (what a `metric` check, a figure and
//! `sim run` call it), its label (what the result panel shows), whether it
//! is also measured per client (and its row in the compare view), and how
//! it is computed. [`super::metrics::compute`] evaluates the table,
//! [`super::validate`] and [`super::checks`] accept exactly its names,
//! [`super::metric_samples`] reads which values a metric is measured over,
//! and the UI takes labels and rows from it. docs/scenarios.md ("Metrics")
//! explains each one; a test keeps that page and this table in step.
//!
//! The table is data only, so that it imports nothing from the code that
//! evaluates it.

use crate::sim::TraceKind;

/// One metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MetricDef {
    /// The name checks and figures use (`end_to_end_latency_p99_ms`).
    pub name: &'static str,
    /// The label the result panel shows (`End-to-end latency p99 (ms)`).
    pub label: &'static str,
    /// How it is computed.
    pub measure: Measure,
}

impl MetricDef {
    /// True when a check may read it for one client (`client = "..."`).
    pub fn per_client(&self) -> bool {
        self.client_row().is_some()
    }

    /// Its row label in the compare view, for a per-client metric.
    pub fn client_row(&self) -> Option<&'static str> {
        match self.measure {
            Measure::Client { row, .. } => Some(row),
            _ => None,
        }
    }
}

/// How a metric is computed from a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// Events of one kind in the trace.
    Count(TraceKind),
    /// A value of the whole run with a computation of its own.
    Run(RunMeasure),
    /// The nearest-rank percentile `p` (100: the maximum) of a set of
    /// latencies of the whole run.
    Latency(Latencies, u64),
    /// Read from the clients' own events: for all clients together, and
    /// for each client (the compare view's row `row`).
    Client {
        /// The row label in the compare view.
        row: &'static str,
        /// What is read.
        of: ClientMeasure,
    },
}

/// Values of the whole run that are more than a count of one event kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunMeasure {
    /// Publishes and sends made by clients and outside callers.
    MessagesSent,
    /// Distinct messages a processor finished and deleted.
    MessagesProcessed,
    /// Processed messages per second of virtual time.
    Throughput,
    /// Processings of a message beyond its first.
    DuplicatesDelivered,
    /// Messages stored in dead-letter queues at the end.
    MessagesInDlq,
    /// The most messages any queue held at once.
    MaxQueueDepth,
    /// Invocations that started a new environment.
    ColdStarts,
    /// The most invocations running at once.
    PeakConcurrency,
    /// Store writes that replaced a newer version with an older one.
    StaleOverwrites,
}

/// Latency sets of the whole run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Latencies {
    /// From a client's save to its message's first deletion by a processor.
    EndToEnd,
    /// From a client's save to the store write made for it.
    Store,
}

/// What is read from clients' events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientMeasure {
    /// Calls made (first attempts).
    Calls,
    /// The nearest-rank percentile `p` (100: the maximum) of the latencies
    /// of successful calls.
    Latency(u64),
    /// Answers with this HTTP status.
    Answered(u16),
    /// Client events of one kind.
    Count(TraceKind),
}

const fn def(name: &'static str, label: &'static str, measure: Measure) -> MetricDef {
    MetricDef {
        name,
        label,
        measure,
    }
}

const fn client(
    name: &'static str,
    label: &'static str,
    row: &'static str,
    of: ClientMeasure,
) -> MetricDef {
    def(name, label, Measure::Client { row, of })
}

/// Every metric, in the order errors list them (and the compare view its
/// per-client rows).
// One row per metric, as a table reads.
#[rustfmt::skip]
pub const METRICS: &[MetricDef] = {
    use ClientMeasure as C;
    use Latencies::{EndToEnd, Store};
    use Measure::{Count, Latency, Run};
    use RunMeasure as R;
    use TraceKind as K;
    &[
        def("messages_sent", "Saves sent", Run(R::MessagesSent)),
        def("messages_processed", "Messages processed", Run(R::MessagesProcessed)),
        def("throughput_per_s", "Throughput (messages/s)", Run(R::Throughput)),
        def("duplicates_delivered", "Duplicates delivered", Run(R::DuplicatesDelivered)),
        def("messages_in_dlq", "Messages in DLQ", Run(R::MessagesInDlq)),
        def("expired", "Messages expired", Count(K::Expired)),
        def("dropped", "Deliveries dropped", Count(K::Dropped)),
        def("rejected_sends", "Sends rejected", Count(K::SendRejected)),
        def("processing_failures", "Processing failures", Count(K::ProcessingFailed)),
        def("max_queue_depth", "Max queue depth", Run(R::MaxQueueDepth)),
        def("end_to_end_latency_p50_ms", "End-to-end latency p50 (ms)", Latency(EndToEnd, 50)),
        def("end_to_end_latency_p95_ms", "End-to-end latency p95 (ms)", Latency(EndToEnd, 95)),
        def("end_to_end_latency_p99_ms", "End-to-end latency p99 (ms)", Latency(EndToEnd, 99)),
        def("end_to_end_latency_max_ms", "End-to-end latency max (ms)", Latency(EndToEnd, 100)),
        def("store_latency_p50_ms", "Store latency p50 (ms)", Latency(Store, 50)),
        def("store_latency_p95_ms", "Store latency p95 (ms)", Latency(Store, 95)),
        def("store_latency_p99_ms", "Store latency p99 (ms)", Latency(Store, 99)),
        def("store_latency_max_ms", "Store latency max (ms)", Latency(Store, 100)),
        def("invocations", "Invocations", Count(K::InvocationStarted)),
        def("invocation_errors", "Invocation errors", Count(K::InvocationFailed)),
        def("cold_starts", "Cold starts", Run(R::ColdStarts)),
        def("peak_concurrency", "Peak concurrency", Run(R::PeakConcurrency)),
        def("throttles", "Invocations throttled", Count(K::InvocationThrottled)),
        def("store_writes", "Store writes", Count(K::StoreWrite)),
        def("conditional_check_failures", "Conditional check failures", Count(K::ConditionalCheckFailed)),
        def("stale_overwrites", "Stale overwrites", Run(R::StaleOverwrites)),
        client("client_calls", "Client calls", "Calls", C::Calls),
        client("client_latency_p50_ms", "Client latency p50 (ms)", "Client latency p50 (ms)", C::Latency(50)),
        client("client_latency_p95_ms", "Client latency p95 (ms)", "Client latency p95 (ms)", C::Latency(95)),
        client("client_latency_p99_ms", "Client latency p99 (ms)", "Client latency p99 (ms)", C::Latency(99)),
        client("client_latency_max_ms", "Client latency max (ms)", "Client latency max (ms)", C::Latency(100)),
        client("throttled_requests", "Throttled requests (429)", "Throttled requests (429)", C::Answered(429)),
        client("retries", "Client retries", "Retries", C::Count(K::ClientRetried)),
        client("failed_calls", "Failed calls", "Failed calls", C::Count(K::ClientFailed)),
        def("workflow_executions", "Workflow executions", Count(K::ExecutionStarted)),
        def("workflow_failures", "Workflow failures", Count(K::ExecutionFailed)),
        def("workflow_retries", "Workflow retries", Count(K::StepRetried)),
    ]
};

/// The metric called `name`.
pub fn metric(name: &str) -> Option<&'static MetricDef> {
    METRICS.iter().find(|m| m.name == name)
}

/// Every metric's name, in table order.
pub fn metric_names() -> impl Iterator<Item = &'static str> {
    METRICS.iter().map(|m| m.name)
}

/// The names of the metrics also measured per client, in table order.
pub fn client_metric_names() -> impl Iterator<Item = &'static str> {
    METRICS.iter().filter(|m| m.per_client()).map(|m| m.name)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn names_and_labels_are_unique() {
        let names: BTreeSet<&str> = metric_names().collect();
        assert_eq!(names.len(), METRICS.len());
        let labels: BTreeSet<&str> = METRICS.iter().map(|m| m.label).collect();
        assert_eq!(labels.len(), METRICS.len());
    }

    #[test]
    fn a_name_says_its_unit_and_its_percentile() {
        // `_ms` names hold milliseconds, `_pNN_`/`_max_` the statistic.
        for m in METRICS {
            let p = match m.measure {
                Measure::Latency(_, p) => p,
                Measure::Client {
                    of: ClientMeasure::Latency(p),
                    ..
                } => p,
                _ => {
                    assert!(!m.name.ends_with("_ms"), "{}", m.name);
                    continue;
                }
            };
            let statistic = if p == 100 {
                "max".to_string()
            } else {
                format!("p{p}")
            };
            assert!(m.name.ends_with(&format!("_{statistic}_ms")), "{}", m.name);
            assert!(
                m.label.contains(&format!("{statistic} (ms)")),
                "{}",
                m.label
            );
        }
    }

    #[test]
    fn lookups_find_exactly_the_table() {
        assert_eq!(metric("retries").map(|m| m.label), Some("Client retries"));
        assert_eq!(
            metric("retries").and_then(MetricDef::client_row),
            Some("Retries")
        );
        assert_eq!(metric("invocations").and_then(MetricDef::client_row), None);
        assert_eq!(metric("retry"), None);
        let per_client: Vec<&str> = client_metric_names().collect();
        assert_eq!(per_client.first(), Some(&"client_calls"));
        assert_eq!(per_client.len(), 8);
    }
}
