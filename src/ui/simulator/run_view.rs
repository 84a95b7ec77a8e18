//! One run of one seed turned into what the page shows: checks, metrics,
//! the store, the comparison with the server-API baseline and the charts.

use crate::scenario::metric_registry::{metric, METRICS};
use crate::scenario::sweep::report;
use crate::scenario::{RunRefusal, Scenario};

/// Metrics shown after a run, in this order, with their labels from the
/// registry ([`crate::scenario::metric_registry`]).
pub const SHOWN_METRICS: &[&str] = &[
    "messages_sent",
    "messages_processed",
    "invocations",
    "cold_starts",
    "peak_concurrency",
    "stale_overwrites",
    "max_queue_depth",
    "messages_in_dlq",
    "client_latency_p95_ms",
    "throttled_requests",
    "retries",
    "end_to_end_latency_p95_ms",
];

/// A finished (or stopped) run, ready to show.
pub(super) fn view_of(scenario: &Scenario, outcome: crate::scenario::RunOutcome) -> RunView {
    let report = report(scenario, &outcome);
    let failure = first_handler_failure(&outcome.trace);
    // A run that stopped with an error shows that error, not a handler's.
    let error_line = match report.error {
        Some(_) => None,
        None => failure.as_ref().and_then(|(_, line)| *line),
    };
    RunView {
        compare: compare_view(&report.metrics, &scenario.config),
        charts: charts(&report.metrics, &outcome.trace),
        seed: outcome.seed,
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
        metrics: shown_metrics(&report.metrics),
        store: store_rows(outcome.snapshot.as_ref()),
        error: report.error,
        first_handler_error: failure.map(|(text, _)| text),
        error_line,
        end_ms: outcome.end_ms,
        trace: outcome.trace,
        final_snapshot: outcome.snapshot,
    }
}

/// Label and value of each of [`SHOWN_METRICS`] the run measured.
fn shown_metrics(metrics: &crate::scenario::Metrics) -> Vec<(String, u64)> {
    SHOWN_METRICS
        .iter()
        .filter_map(|name| {
            let label = metric(name)?.label;
            metrics.get(name).map(|value| (label.to_string(), value))
        })
        .collect()
}

/// The store at the end: each key with its version (or else its value).
fn store_rows(snapshot: Option<&crate::sim::WorldSnapshot>) -> Vec<(String, String)> {
    let Some(snapshot) = snapshot else {
        return Vec::new();
    };
    snapshot
        .store
        .items
        .iter()
        .map(|item| {
            let shown = item
                .effective_version
                .clone()
                .unwrap_or_else(|| match &item.value {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                });
            (item.key.clone(), shown)
        })
        .collect()
}

/// The first failed invocation's error in words (with its line) and the
/// line as a number, for the editor to mark.
fn first_handler_failure(trace: &[crate::sim::TraceEvent]) -> Option<(String, Option<u32>)> {
    trace
        .iter()
        .filter(|e| e.kind == crate::sim::TraceKind::InvocationFailed)
        .find_map(|e| {
            let line = e.details.line();
            let text = match line {
                Some(line) => format!("line {line}: {}", e.details.reason()?),
                None => e.details.reason()?.to_string(),
            };
            Some((text, line))
        })
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
    /// The line of the learner's code to mark: where the code the run
    /// refused is at fault, else where the first failed invocation failed.
    pub error_line: Option<u32>,
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
    // Every per-client metric of the registry, with its row label.
    let rows = METRICS
        .iter()
        .filter_map(|m| Some((m.name, m.client_row()?)))
        .map(|(key, label)| {
            let values = metrics
                .clients
                .values()
                .map(|m| m.get(key).copied().unwrap_or(0))
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
    /// A run that could not start or go on, with the reason (and the line
    /// of code at fault, when the reason has one).
    pub fn error(seed: u64, why: impl Into<RunRefusal>) -> RunView {
        let why = why.into();
        RunView {
            seed,
            ok: false,
            checks: Vec::new(),
            metrics: Vec::new(),
            store: Vec::new(),
            error: Some(why.message),
            first_handler_error: None,
            error_line: why.code_line,
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
        // The note replaces the handler errors it stopped short of.
        self.error_line = None;
        self.ok = false;
        self
    }
}
