//! What the inspector shows of one component at a moment, as plain values
//! (tests/ui_inspector_model.rs): a summary and a table, or the box's
//! counters. The `Inspector` component draws them.

use super::topology_model::{counters, Node, NodeKind};
use crate::sim::snapshot::MessageState;
use crate::sim::{ExecutionStatus, WorldSnapshot};

/// What the inspector shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inspected {
    /// A summary and a table (queues, functions, workflows, the store).
    Table(InspectTable),
    /// The box's counters (other components).
    Counters(String),
}

/// Summary lines above a table of rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InspectTable {
    /// One paragraph each.
    pub summary: Vec<String>,
    /// The column headers.
    pub headers: Vec<&'static str>,
    /// The rows.
    pub rows: Vec<InspectRow>,
}

/// One row of an inspector table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InspectRow {
    /// The row's class ("stale" marks a bad row), if the table marks rows.
    pub class: Option<&'static str>,
    /// The cells' text.
    pub cells: Vec<String>,
    /// The last cell is a body (JSON or a message), drawn in monospace.
    pub body_last: bool,
}

/// What to show of `node` in `s` (none: it is not in the snapshot).
pub fn inspect(node: &Node, s: &WorldSnapshot) -> Option<Inspected> {
    let name = node.name.as_str();
    let table = match node.kind {
        NodeKind::Queue | NodeKind::DeadLetterQueue => queue_table(s, name)?,
        NodeKind::Function => function_table(s, name)?,
        NodeKind::Workflow => workflow_table(s, name)?,
        NodeKind::Store => store_table(s),
        _ => return Some(Inspected::Counters(counters(node, s))),
    };
    Some(Inspected::Table(table))
}

fn queue_table(s: &WorldSnapshot, name: &str) -> Option<InspectTable> {
    let q = s.queues.iter().find(|q| q.name.as_str() == name)?;
    let c = &q.counts;
    let rows = q.messages.iter().map(|m| {
        let state = match &m.state {
            MessageState::Delayed { until_ms } => format!("delayed until {until_ms} ms"),
            MessageState::Waiting => "waiting".to_string(),
            MessageState::InFlight { visible_at_ms, .. } => {
                format!("in flight, visible again at {visible_at_ms} ms")
            }
        };
        InspectRow {
            class: None,
            cells: vec![
                m.message_id.to_string(),
                state,
                m.receive_count.to_string(),
                m.body.clone(),
            ],
            body_last: true,
        }
    });
    Some(InspectTable {
        summary: vec![format!(
            "{} stored: {} waiting, {} in flight, {} delayed",
            c.stored(),
            c.waiting,
            c.in_flight,
            c.delayed
        )],
        headers: vec!["Message", "State", "Receives", "Body"],
        rows: rows.collect(),
    })
}

fn function_table(s: &WorldSnapshot, name: &str) -> Option<InspectTable> {
    let f = s.functions.iter().find(|f| f.name.as_str() == name)?;
    let rows = f.environments.iter().map(|e| {
        let state = match (e.busy, e.warm) {
            (true, false) => "cold start",
            (true, true) => "busy",
            (false, _) => "idle, warm",
        };
        InspectRow {
            class: None,
            cells: vec![
                format!("env {}", e.id),
                state.to_string(),
                e.invocations.to_string(),
                e.globals.to_string(),
            ],
            body_last: true,
        }
    });
    let st = &f.stats;
    Some(InspectTable {
        summary: vec![format!(
            "{} running; {} invocations, {} cold starts, {} failed, {} throttled",
            f.concurrency, st.invocations, st.cold_starts, st.failed, st.throttled
        )],
        headers: vec!["Environment", "State", "Invocations", "globals"],
        rows: rows.collect(),
    })
}

fn workflow_table(s: &WorldSnapshot, name: &str) -> Option<InspectTable> {
    let w = s.workflows.iter().find(|w| w.name == name)?;
    let rows = w.executions.iter().map(|e| {
        let status = match e.status {
            ExecutionStatus::Running => "running",
            ExecutionStatus::Succeeded => "succeeded",
            ExecutionStatus::Failed => "failed",
        };
        let failed = e.status == ExecutionStatus::Failed;
        InspectRow {
            class: Some(if failed { "stale" } else { "" }),
            cells: vec![
                e.name.clone(),
                status.to_string(),
                e.step.clone(),
                e.retries.to_string(),
                e.state.to_string(),
            ],
            body_last: true,
        }
    });
    let steps: Vec<String> = w
        .config
        .steps
        .iter()
        .map(|step| step.name.clone())
        .collect();
    let st = &w.stats;
    Some(InspectTable {
        summary: vec![
            format!("Steps: {}", steps.join(" → ")),
            format!(
                "{} started: {} succeeded, {} failed, {} retries, {} duplicate starts ignored",
                st.started, st.succeeded, st.failed, st.retries, st.deduplicated
            ),
        ],
        headers: vec!["Execution", "Status", "Step", "Retries", "State"],
        rows: rows.collect(),
    })
}

fn store_table(s: &WorldSnapshot) -> InspectTable {
    let stale: Vec<u64> = s.store.stale_overwrites.iter().map(|w| w.seq).collect();
    let rows = s.store.history.iter().map(|w| {
        let is_stale = stale.contains(&w.seq);
        InspectRow {
            class: Some(if is_stale { "stale" } else { "" }),
            cells: vec![
                format!("{} ms", w.time_ms),
                w.key.clone(),
                w.version.clone().unwrap_or_default(),
                w.replaced_version.clone().unwrap_or_default(),
                w.writer.clone(),
                if is_stale { "stale overwrite" } else { "" }.to_string(),
            ],
            body_last: false,
        }
    });
    InspectTable {
        summary: vec![format!(
            "{} items, {} writes, {} stale overwrites",
            s.store.items.len(),
            s.store.history.len(),
            stale.len()
        )],
        headers: vec!["Time", "Key", "Version", "Replaced", "Writer", "Note"],
        rows: rows.collect(),
    }
}
