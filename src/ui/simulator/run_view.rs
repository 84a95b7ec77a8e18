//! One run of one seed turned into what the page shows: checks, metrics,
//! the store, the comparison with the server-API baseline and the charts.

use crate::scenario::sweep::report;
use crate::scenario::Scenario;

/// Metrics shown after a run, with their labels, in this order.
pub const SHOWN_METRICS: &[(&str, &str)] = &[
    ("messages_sent", "Saves sent"),
    ("messages_processed", "Messages processed"),
    ("invocations", "Invocations"),
    ("cold_starts", "Cold starts"),
    ("peak_concurrency", "Peak concurrency"),
    ("stale_overwrites", "Stale overwrites"),
    ("max_queue_depth", "Max queue depth"),
    ("messages_in_dlq", "Messages in DLQ"),
    ("client_latency_p95_ms", "Client latency p95 (ms)"),
    ("throttled_requests", "Throttled requests (429)"),
    ("retries", "Client retries"),
    ("end_to_end_latency_p95_ms", "End-to-end latency p95 (ms)"),
];

/// A finished (or stopped) run, ready to show.
pub(super) fn view_of(scenario: &Scenario, outcome: crate::scenario::RunOutcome) -> RunView {
    let seed = outcome.seed;
    let report = report(scenario, &outcome);
    let metrics = SHOWN_METRICS
        .iter()
        .filter_map(|(key, label)| {
            report
                .metrics
                .get(key)
                .map(|value| (label.to_string(), value))
        })
        .collect();
    let store = outcome
        .snapshot
        .as_ref()
        .map(|s| {
            s.store
                .items
                .iter()
                .map(|item| {
                    let shown =
                        item.effective_version
                            .clone()
                            .unwrap_or_else(|| match &item.value {
                                serde_json::Value::String(s) => s.clone(),
                                other => other.to_string(),
                            });
                    (item.key.clone(), shown)
                })
                .collect()
        })
        .unwrap_or_default();
    let failed_invocations = outcome
        .trace
        .iter()
        .filter(|e| e.kind == crate::sim::TraceKind::InvocationFailed)
        .filter_map(|e| {
            e.details.reason().as_ref().map(|r| match e.details.line() {
                Some(line) => format!("line {line}: {r}"),
                None => r.to_string(),
            })
        })
        .next();
    let compare = compare_view(&report.metrics, &scenario.config);
    let charts = charts(&report.metrics, &outcome.trace);
    RunView {
        compare,
        charts,
        seed,
        ok: report.ok,
        checks: report
            .checks
            .into_iter()
            .map(|c| CheckRow {
                name: c.name,
                ok: c.ok,
                detail: c.detail,
            })
            .collect(),
        metrics,
        store,
        error: report.error,
        first_handler_error: failed_invocations,
        end_ms: outcome.end_ms,
        trace: outcome.trace,
        final_snapshot: outcome.snapshot,
    }
}

/// One check's verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckRow {
    /// Name.
    pub name: String,
    /// Held.
    pub ok: bool,
    /// Explanation.
    pub detail: String,
}

/// A run of one seed, ready to show.
#[derive(Clone, Debug, PartialEq)]
pub struct RunView {
    /// The seed.
    pub seed: u64,
    /// Every check held.
    pub ok: bool,
    /// Each check.
    pub checks: Vec<CheckRow>,
    /// Label and value of the metrics shown.
    pub metrics: Vec<(String, u64)>,
    /// The store at the end: key and version (or value).
    pub store: Vec<(String, String)>,
    /// Why the run could not start or stopped early.
    pub error: Option<String>,
    /// The first handler error, with its line, if any invocation failed.
    pub first_handler_error: Option<String>,
    /// Virtual time at the end.
    pub end_ms: u64,
    /// The whole trace (for the diagrams).
    pub trace: Vec<crate::sim::TraceEvent>,
    /// The world at the end (for the system view).
    pub final_snapshot: Option<crate::sim::WorldSnapshot>,
    /// Side by side client metrics, when the scenario has several clients.
    pub compare: Option<CompareView>,
    /// Charts: queue depth and client latency over time.
    pub charts: Vec<Chart>,
}

/// Client metrics side by side (the compare view).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompareView {
    /// Column headings: each client, with its flow.
    pub clients: Vec<String>,
    /// Row label and one value per client.
    pub rows: Vec<(String, Vec<u64>)>,
}

/// Client metrics in the compare view, with their labels.
pub const COMPARED_METRICS: &[(&str, &str)] = &[
    ("client_calls", "Calls"),
    ("client_latency_p50_ms", "Client latency p50 (ms)"),
    ("client_latency_p95_ms", "Client latency p95 (ms)"),
    ("client_latency_p99_ms", "Client latency p99 (ms)"),
    ("client_latency_max_ms", "Client latency max (ms)"),
    ("throttled_requests", "Throttled requests (429)"),
    ("retries", "Retries"),
    ("failed_calls", "Failed calls"),
];

/// A chart: named series of (time, value) points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chart {
    /// Its title (also its accessible name).
    pub title: String,
    /// What the values are.
    pub unit: String,
    /// What the horizontal axis counts (`ms` for time series).
    pub x_unit: String,
    /// Series name and points, in time order.
    pub series: Vec<(String, Vec<(u64, u64)>)>,
    /// Draw points only (a scatter) instead of lines.
    pub scatter: bool,
}

fn compare_view(
    metrics: &crate::scenario::Metrics,
    file: &crate::scenario::ScenarioFile,
) -> Option<CompareView> {
    if metrics.clients.len() < 2 {
        return None;
    }
    let flow = |name: &str| {
        file.clients
            .iter()
            .find(|c| c.name == name)
            .map(|c| match &c.target {
                crate::scenario::Target::Endpoint(_) => "server API",
                _ => "event-driven",
            })
            .unwrap_or("client")
    };
    let clients = metrics
        .clients
        .keys()
        .map(|name| format!("{name} ({})", flow(name)))
        .collect();
    let rows = COMPARED_METRICS
        .iter()
        .map(|(key, label)| {
            let values = metrics
                .clients
                .values()
                .map(|m| m.get(*key).copied().unwrap_or(0))
                .collect();
            (label.to_string(), values)
        })
        .collect();
    Some(CompareView { clients, rows })
}

fn charts(metrics: &crate::scenario::Metrics, trace: &[crate::sim::TraceEvent]) -> Vec<Chart> {
    let mut out = Vec::new();
    let depth: Vec<(String, Vec<(u64, u64)>)> = metrics
        .queue_depth
        .iter()
        .filter(|(_, samples)| samples.iter().any(|s| s.depth > 0))
        .map(|(queue, samples)| {
            (
                queue.clone(),
                samples.iter().map(|s| (s.time_ms, s.depth)).collect(),
            )
        })
        .collect();
    if !depth.is_empty() {
        out.push(Chart {
            title: "Queue depth over time".into(),
            unit: "messages".into(),
            x_unit: "ms".into(),
            series: depth,
            scatter: false,
        });
    }
    let mut latency: std::collections::BTreeMap<String, Vec<(u64, u64)>> = Default::default();
    for e in trace {
        if e.kind == crate::sim::TraceKind::ClientResponded && e.details.status_code() == Some(200)
        {
            if let (crate::sim::ActorId::Client(name), Some(ms)) =
                (&e.actor, e.details.duration_ms())
            {
                latency
                    .entry(name.to_string())
                    .or_default()
                    .push((e.time_ms, ms));
            }
        }
    }
    if latency
        .values()
        .any(|points| points.iter().any(|p| p.1 > 0))
    {
        out.push(Chart {
            title: "Client latency of each successful call".into(),
            unit: "ms".into(),
            x_unit: "ms".into(),
            series: latency.into_iter().collect(),
            scatter: true,
        });
    }
    out
}

impl RunView {
    /// A run that could not start or go on, with the reason.
    pub fn error(seed: u64, message: String) -> RunView {
        RunView {
            seed,
            ok: false,
            checks: Vec::new(),
            metrics: Vec::new(),
            store: Vec::new(),
            error: Some(message),
            first_handler_error: None,
            end_ms: 0,
            trace: Vec::new(),
            final_snapshot: None,
            compare: None,
            charts: Vec::new(),
        }
    }

    /// A run the learner stopped: say so above its checks.
    pub fn stopped_by_learner(mut self) -> RunView {
        let note = format!(
            "You stopped the run at {} ms; the checks judge the state it had reached.",
            self.end_ms
        );
        self.error = Some(match self.error.take() {
            Some(e) => format!("{note} {e}"),
            None => note,
        });
        self.ok = false;
        self
    }
}
