//! Arrows of what functions, the store and workflows do: invocations and
//! their batches, store reads and writes (and which write was stale),
//! failures, workflow executions and steps.

use super::*;

/// The arrow into an invocation: who sent it, how, and its words.
struct Source {
    from: LifelineId,
    kind: ArrowKind,
    label: String,
    words: String,
}

impl Builder {
    pub(super) fn started(&mut self, e: &TraceEvent) {
        let d = &e.details;
        let (Some(function), Some(env)) = (&d.function(), d.environment()) else {
            return;
        };
        let to = environment(function, env);
        self.see(&to);
        let (mut keys, source) = self.invocation_source(e, &to);
        keys.sort();
        keys.dedup();
        if let Some(request) = d.request_id().as_ref().map(|r| r.to_string()) {
            self.invocations.insert(
                request,
                Invocation {
                    environment: to.clone(),
                    keys: keys.clone(),
                },
            );
        }
        if let Some(Source {
            from,
            kind,
            label,
            words,
        }) = source
        {
            self.draw(Draft {
                time_ms: e.time_ms,
                seq: e.seq,
                from,
                to,
                kind,
                label,
                emphasis: Emphasis::Normal,
                keys,
                words,
            });
        }
    }

    /// Where an invocation came from (a batch, a client call, a workflow
    /// step, a topic): the keys it highlights with, and the arrow into
    /// environment `to` when the sender is known.
    fn invocation_source(
        &self,
        e: &TraceEvent,
        to: &LifelineId,
    ) -> (Vec<HighlightKey>, Option<Source>) {
        let d = &e.details;
        if !d.receipt_handles().is_empty() {
            self.batch_source(e, to)
        } else if let (Some(c), Some(call)) = (&d.client(), d.call()) {
            let from = self
                .accepted_by
                .get(&(c.to_string(), call))
                .map(|name| endpoint(name));
            let source = from.map(|from| Source {
                words: format!("{} invokes {} for {c} call {call}", spoken(&from), to.label),
                from,
                kind: ArrowKind::Invoke,
                label: format!("call {call}"),
            });
            (call_key(c, Some(call)), source)
        } else if let (Some(w), Some(x)) = (d.workflow(), d.execution()) {
            let from = workflow(w);
            let source = Source {
                words: format!("{} invokes {} for execution {x}", spoken(&from), to.label),
                from,
                kind: ArrowKind::Invoke,
                label: x.to_string(),
            };
            (vec![execution_key(w, x)], Some(source))
        } else if let Some(id) = e.message_id {
            let source = self.delivered_by.get(&id.0).map(|name| {
                let from = topic(name);
                Source {
                    words: format!("{} delivers message {id} to {}", spoken(&from), to.label),
                    from,
                    kind: ArrowKind::Deliver,
                    label: id.to_string(),
                }
            });
            (vec![HighlightKey::Message(id.0)], source)
        } else {
            (Vec::new(), None)
        }
    }

    /// A batch from a queue: its messages are known by their receipt
    /// handles; the queue by the first handle or by the mapping.
    fn batch_source(&self, e: &TraceEvent, to: &LifelineId) -> (Vec<HighlightKey>, Option<Source>) {
        let d = &e.details;
        let mut queue = None;
        let mut ids = Vec::new();
        for handle in d.receipt_handles() {
            if let Some((q, id)) = self.handles.get(handle) {
                queue.get_or_insert_with(|| q.clone());
                ids.push(*id);
            }
        }
        let queue = queue.or_else(|| {
            d.mapping()
                .as_ref()
                .and_then(|m| self.mapping_queue.get(m.as_str()).cloned())
        });
        let keys = ids.iter().map(|id| HighlightKey::Message(*id)).collect();
        let source = queue.map(|queue| {
            let from = self.names.queue(&queue);
            let (label, listed) = batch_texts(&ids, d.receipt_handles().len());
            Source {
                words: format!("{} delivers {listed} to {}", spoken(&from), to.label),
                from,
                kind: ArrowKind::Deliver,
                label,
            }
        });
        (keys, source)
    }

    /// The environment and keys of the invocation an event belongs to; a
    /// lifeline named after the function when the invocation is unknown.
    pub(super) fn invocation_of(&self, e: &TraceEvent) -> Option<Invocation> {
        let d = &e.details;
        if let Some(inv) = d
            .request_id()
            .as_ref()
            .and_then(|r| self.invocations.get(r.as_str()))
        {
            return Some(inv.clone());
        }
        let function = d
            .function()
            .as_ref()
            .map(|f| f.to_string())
            .or(match &e.actor {
                ActorId::Function(f) => Some(f.to_string()),
                _ => None,
            })?;
        let environment = match d.environment() {
            Some(env) => environment(&function, env),
            None => plain(LifelineKind::Environment, &function),
        };
        Some(Invocation {
            environment,
            keys: Vec::new(),
        })
    }

    pub(super) fn store_write(&mut self, e: &TraceEvent) {
        let Some(inv) = self.invocation_of(e) else {
            return;
        };
        let key = e.details.key().as_ref().map_or("?", |k| k.as_str());
        let version_text = e.details.version().as_ref().map(|v| v.to_string());
        let version = version_text.as_deref().and_then(|v| Version::parse(v).ok());
        let (emphasis, stale_words) = self.replace_stored(key, version);
        let written = match &version_text {
            Some(v) => format!("{key} {v}"),
            None => key.to_string(),
        };
        let label = if emphasis == Emphasis::Stale {
            // "stale" must survive the cut.
            format!("{} stale", shorten_to(&written, MAX_LABEL_CHARS - 6))
        } else {
            written.clone()
        };
        let words = format!(
            "{} writes {written} to the store{stale_words}",
            inv.environment.label
        );
        self.draw(Draft {
            time_ms: e.time_ms,
            seq: e.seq,
            from: inv.environment,
            to: store(),
            kind: ArrowKind::Write,
            label,
            emphasis,
            keys: inv.keys,
            words,
        });
    }

    /// A read, drawn where it was served: two invocations that read the
    /// same old version before either wrote are the read-then-write race.
    pub(super) fn store_read(&mut self, e: &TraceEvent) {
        let Some(inv) = self.invocation_of(e) else {
            return;
        };
        let key = e.details.key().as_ref().map_or("?", |k| k.as_str());
        let found = match e.details.version() {
            Some(v) => format!("{key} {v}"),
            None if e.details.reason().is_some() => format!("{key}: none"),
            None => key.to_string(),
        };
        let words = format!("{} reads {found} from the store", inv.environment.label);
        self.draw(Draft {
            time_ms: e.time_ms,
            seq: e.seq,
            from: store(),
            to: inv.environment,
            kind: ArrowKind::Read,
            label: format!("read {}", shorten_to(&found, MAX_LABEL_CHARS - 5)),
            emphasis: Emphasis::Normal,
            keys: inv.keys,
            words,
        });
    }

    /// A store call refused during a `store_errors` fault: drawn as a
    /// failed call to the store, so a handler that swallows the error and
    /// loses the save shows where the save went.
    pub(super) fn store_call_failed(&mut self, e: &TraceEvent) {
        let Some(inv) = self.invocation_of(e) else {
            return;
        };
        let key = e.details.key().as_ref().map_or("?", |k| k.as_str());
        let reason = e
            .details
            .reason()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        let words = format!(
            "{} calls the store for {key}, which fails{reason}",
            inv.environment.label
        );
        self.draw(Draft {
            time_ms: e.time_ms,
            seq: e.seq,
            from: inv.environment,
            to: store(),
            kind: ArrowKind::Write,
            label: format!(
                "{}{STORE_ERROR}",
                shorten_to(key, MAX_LABEL_CHARS - STORE_ERROR.len())
            ),
            emphasis: Emphasis::Error,
            keys: inv.keys,
            words,
        });
    }

    /// Records `version` as the one stored under `key` and says whether
    /// the write went backwards. A write older than one written earlier but
    /// newer than the one it replaced is not stale: in v1.2, v1.0, v1.1 the
    /// store went backwards once (v1.0 over v1.2), as the checks and the
    /// metrics count it; v1.1 over v1.0 moved it forward again.
    pub(super) fn replace_stored(
        &mut self,
        key: &str,
        version: Option<Version>,
    ) -> (Emphasis, String) {
        let replaced = match version.clone() {
            Some(v) => self.stored.insert(key.to_string(), v),
            // A delete, or an item without a version: nothing to compare.
            None => self.stored.remove(key),
        };
        match (version, replaced) {
            (Some(written), Some(replaced)) if written < replaced => {
                (Emphasis::Stale, format!(": stale overwrite of {replaced}"))
            }
            (Some(_), Some(replaced)) => (Emphasis::Normal, format!(", replacing {replaced}")),
            _ => (Emphasis::Normal, String::new()),
        }
    }

    pub(super) fn failed(&mut self, e: &TraceEvent) {
        let Some(inv) = self.invocation_of(e) else {
            return;
        };
        let kind = e.details.error_kind().unwrap_or("error");
        let reason = e
            .details
            .reason()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        let words = format!("{} fails with {kind}{reason}", inv.environment.label);
        self.draw(Draft {
            time_ms: e.time_ms,
            seq: e.seq,
            from: inv.environment.clone(),
            to: inv.environment,
            kind: ArrowKind::Failed,
            label: format!("failed: {kind}"),
            emphasis: Emphasis::Error,
            keys: inv.keys,
            words,
        });
    }

    pub(super) fn execution_started(&mut self, e: &TraceEvent) {
        let d = &e.details;
        let (ActorId::Workflow(name), Some(x)) = (&e.actor, d.execution()) else {
            return;
        };
        let to = workflow(name);
        let Some(inv) = d
            .request_id()
            .and_then(|r| self.invocations.get(r.as_str()))
            .cloned()
        else {
            return;
        };
        let mut keys = inv.keys;
        keys.push(execution_key(name, x));
        keys.sort();
        keys.dedup();
        let words = format!(
            "{} starts execution {x} of {}",
            inv.environment.label,
            spoken(&to)
        );
        self.draw(Draft {
            time_ms: e.time_ms,
            seq: e.seq,
            from: inv.environment,
            to,
            kind: ArrowKind::Start,
            label: x.to_string(),
            emphasis: Emphasis::Normal,
            keys,
            words,
        });
    }

    pub(super) fn step_failed(&mut self, e: &TraceEvent) {
        let d = &e.details;
        let (ActorId::Workflow(name), Some(x)) = (&e.actor, d.execution()) else {
            return;
        };
        let at = workflow(name);
        let error = d.error_kind().unwrap_or("error");
        let step = d.step().map(|s| s.to_string()).unwrap_or_default();
        let (label, words) = match (e.kind, d.next_at_ms()) {
            (TraceKind::StepRetried, Some(next)) => (
                format!("retry at {next} ms"),
                format!("execution {x} step {step} failed with {error}; retried at {next} ms"),
            ),
            _ => (
                format!("failed: {error}"),
                format!("execution {x} failed at step {step} with {error}"),
            ),
        };
        self.draw(Draft {
            time_ms: e.time_ms,
            seq: e.seq,
            from: at.clone(),
            to: at,
            kind: ArrowKind::StepFailed,
            label,
            emphasis: Emphasis::Error,
            keys: vec![execution_key(name, x)],
            words,
        });
    }

    pub(super) fn gave_up(&mut self, e: &TraceEvent) {
        let ActorId::Client(name) = &e.actor else {
            return;
        };
        let call = e.details.call();
        let call_text = call.map_or_else(|| "a call".to_string(), |c| format!("call {c}"));
        let reason = e
            .details
            .reason()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        let at = client(name);
        self.draw(Draft {
            time_ms: e.time_ms,
            seq: e.seq,
            from: at.clone(),
            to: at,
            kind: ArrowKind::GaveUp,
            label: "gave up".to_string(),
            emphasis: Emphasis::Error,
            keys: call_key(name, call),
            words: format!("{name} gives {call_text} up{reason}"),
        });
    }
}
