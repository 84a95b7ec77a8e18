//! Functions and event source mappings: concurrency never above its limits,
//! and no message deleted by a mapping unless its invocation succeeded and
//! did not report it as failed.

use std::collections::{BTreeMap, BTreeSet};

use super::{Invariant, Violation};
use crate::sim::snapshot::WorldSnapshot;
use crate::sim::Name;
use crate::sim::INITIAL_CONCURRENCY;
use crate::sim::{ActorId, TraceEvent, TraceKind};

#[derive(Debug, Default)]
pub(crate) struct FunctionChecker {
    reserved: BTreeMap<Name, Option<u32>>,
    unreserved_pool: u32,
    account: u32,
    mapping_cap: BTreeMap<Name, u32>,
    mapping_scale: BTreeMap<Name, u32>,
    busy: BTreeMap<Name, u32>,
    unreserved_busy: u32,
    total_busy: u32,
    mapping_busy: BTreeMap<Name, u32>,
    /// Running invocations: request id -> (function, mapping).
    running: BTreeMap<Name, (Name, Option<Name>)>,
    /// Mapping invocations that succeeded and whose batch is not yet settled.
    succeeded: BTreeSet<Name>,
    /// Receipt handles a mapping may delete.
    deletable: BTreeSet<u64>,
}

impl FunctionChecker {
    pub fn new(snapshot: &WorldSnapshot) -> Self {
        let mut checker = FunctionChecker {
            account: snapshot.account_concurrency_limit,
            ..FunctionChecker::default()
        };
        let mut reserved_total = 0u32;
        for f in &snapshot.functions {
            checker
                .reserved
                .insert(f.name.clone(), f.config.reserved_concurrency);
            reserved_total =
                reserved_total.saturating_add(f.config.reserved_concurrency.unwrap_or(0));
        }
        checker.unreserved_pool = checker.account.saturating_sub(reserved_total);
        for m in &snapshot.mappings {
            let cap = m.config.concurrency_cap();
            checker.mapping_cap.insert(m.name.clone(), cap);
            checker
                .mapping_scale
                .insert(m.name.clone(), INITIAL_CONCURRENCY.min(cap));
        }
        checker
    }

    /// Follows one event: a flat table from its kind to what it changes.
    pub fn observe(&mut self, event: &TraceEvent) -> Result<(), Violation> {
        match event.kind {
            TraceKind::InvocationStarted => self.started(event),
            TraceKind::InvocationSucceeded | TraceKind::InvocationFailed => {
                self.ended(event);
                Ok(())
            }
            TraceKind::MappingScaled => self.scaled(event),
            TraceKind::BatchCompleted => self.batch_completed(event),
            TraceKind::Deleted | TraceKind::DeleteIgnored => self.deleted(event),
            _ => Ok(()),
        }
    }

    /// An invocation started: one more running for its function, the
    /// account and its mapping, each within its limit.
    fn started(&mut self, event: &TraceEvent) -> Result<(), Violation> {
        let ActorId::Function(function) = &event.actor else {
            return Ok(());
        };
        let request = event
            .details
            .request_id()
            .cloned()
            .unwrap_or_else(|| Name::from(""));
        let mapping = event.details.mapping().cloned();
        self.running
            .insert(request, (function.clone(), mapping.clone()));
        let over_limit =
            |message: String| Violation::at(Invariant::ConcurrencyLimit, event, message);
        self.count_function_start(function).map_err(over_limit)?;
        if let Some(m) = mapping {
            self.count_mapping_batch(&m).map_err(over_limit)?;
        }
        Ok(())
    }

    /// Counts a start of `function` against its reserved concurrency (or
    /// the unreserved pool) and the account limit.
    fn count_function_start(&mut self, function: &Name) -> Result<(), String> {
        let busy = self.busy.entry(function.clone()).or_default();
        *busy += 1;
        let busy = *busy;
        self.total_busy += 1;
        match self.reserved.get(function).copied().flatten() {
            Some(r) if busy > r => {
                return Err(format!(
                    "function {function} runs {busy} > reserved concurrency {r}"
                ))
            }
            Some(_) => {}
            None => {
                self.unreserved_busy += 1;
                if self.unreserved_busy > self.unreserved_pool {
                    return Err(format!(
                        "{} unreserved executions > the unreserved pool of {}",
                        self.unreserved_busy, self.unreserved_pool
                    ));
                }
            }
        }
        if self.total_busy > self.account {
            return Err(format!(
                "{} executions > account limit {}",
                self.total_busy, self.account
            ));
        }
        Ok(())
    }

    /// Counts one more batch in flight for mapping `m`, within its scale
    /// and its maximum.
    fn count_mapping_batch(&mut self, m: &Name) -> Result<(), String> {
        let n = self.mapping_busy.entry(m.clone()).or_default();
        *n += 1;
        let n = *n;
        let cap = self.mapping_cap.get(m).copied().unwrap_or(u32::MAX);
        let scale = self.mapping_scale.get(m).copied().unwrap_or(u32::MAX);
        if n > cap || n > scale {
            return Err(format!(
                "mapping {m} has {n} batches in flight (scaled to {scale}, maximum {cap})"
            ));
        }
        Ok(())
    }

    /// An invocation ended: one fewer running; a mapping's successful one
    /// may now settle its batch.
    fn ended(&mut self, event: &TraceEvent) {
        let Some(request) = event.details.request_id() else {
            return;
        };
        let Some((function, mapping)) = self.running.remove(request) else {
            return;
        };
        if let Some(b) = self.busy.get_mut(&function) {
            *b = b.saturating_sub(1);
        }
        self.total_busy = self.total_busy.saturating_sub(1);
        if self.reserved.get(&function).copied().flatten().is_none() {
            self.unreserved_busy = self.unreserved_busy.saturating_sub(1);
        }
        if let Some(m) = mapping {
            if let Some(n) = self.mapping_busy.get_mut(&m) {
                *n = n.saturating_sub(1);
            }
            if event.kind == TraceKind::InvocationSucceeded {
                self.succeeded.insert(request.clone());
            }
        }
    }

    /// A mapping scaled: never past its maximum.
    fn scaled(&mut self, event: &TraceEvent) -> Result<(), Violation> {
        if let (ActorId::Mapping(m), Some(c)) = (&event.actor, event.details.concurrency()) {
            let cap = self.mapping_cap.get(m).copied().unwrap_or(u32::MAX);
            if c > cap {
                return Err(Violation::at(
                    Invariant::ConcurrencyLimit,
                    event,
                    format!("mapping {m} scaled to {c} > maximum {cap}"),
                ));
            }
            self.mapping_scale.insert(m.clone(), c);
        }
        Ok(())
    }

    /// A batch settled: the records it did not report as failed may be
    /// deleted, and only after its invocation succeeded.
    fn batch_completed(&mut self, event: &TraceEvent) -> Result<(), Violation> {
        let ok = event
            .details
            .request_id()
            .is_some_and(|r| self.succeeded.remove(r));
        let failed: BTreeSet<u64> = event
            .details
            .failed_receipt_handles()
            .iter()
            .copied()
            .collect();
        for handle in event.details.receipt_handles() {
            if failed.contains(handle) {
                continue;
            }
            if !ok {
                return Err(Violation::at(
                    Invariant::DeleteOnlyAfterSuccess,
                    event,
                    "a batch whose invocation did not succeed marks records as done".into(),
                ));
            }
            self.deletable.insert(*handle);
        }
        Ok(())
    }

    /// A mapping deleted a record: only one its batch marked as done.
    fn deleted(&mut self, event: &TraceEvent) -> Result<(), Violation> {
        if let ActorId::Mapping(m) = &event.actor {
            let handle = event.details.receipt_handle().unwrap_or(0);
            if !self.deletable.remove(&handle) {
                return Err(Violation::at(
                    Invariant::DeleteOnlyAfterSuccess,
                    event,
                    format!("mapping {m} deleted receipt {handle} without a successful invocation reporting it done"),
                ));
            }
        }
        Ok(())
    }
}
