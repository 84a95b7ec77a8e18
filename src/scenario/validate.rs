//! Checks a deserialized scenario for what serde cannot see: references to
//! components that do not exist, duplicate names, numbers out of range, and
//! fields that do not apply to a client's or check's kind. Each problem is a
//! [`Problem`] naming its field path; `parse` turns it into a located
//! [`super::Diagnostic`].

use std::collections::BTreeSet;

use super::diagnostic::closest;
use super::format::{CheckConfig, CheckKind, ClientConfig, ClientKind, ScenarioFile, Target};
use super::limits::*;
use super::metric_registry::{client_metric_names, metric_names};
use super::validate_messages::check_messages;
use super::workload::scheduled_message_count;
use crate::sim::version::Version;
use crate::sim::{Endpoint, Fault, Limits, SimError};

/// A problem at a field path, before it is placed in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `clients[0].target.topic`.
    pub field: String,
    /// What is wrong and what was expected.
    pub message: String,
    /// A likely fix.
    pub suggestion: Option<String>,
}

impl Problem {
    pub(super) fn new(field: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            field: field.into(),
            message: message.into(),
            suggestion: None,
        }
    }
}

/// Every problem found, in file order of sections.
pub fn validate(file: &ScenarioFile) -> Vec<Problem> {
    let mut v = Validator::default();
    v.meta(file);
    let queues: Vec<&str> = file.queues.iter().map(|q| q.name.as_str()).collect();
    let topics: Vec<&str> = file.topics.iter().map(|t| t.name.as_str()).collect();
    let consumers: Vec<&str> = file.consumers.iter().map(|c| c.name.as_str()).collect();
    v.unique("queues", "queue", &queues);
    v.unique("topics", "topic", &topics);
    v.unique("consumers", "consumer", &consumers);
    let functions: Vec<&str> = file.functions.iter().map(|f| f.name.as_str()).collect();
    let mappings: Vec<&str> = file.mappings.iter().map(|m| m.name.as_str()).collect();
    v.unique("functions", "function", &functions);
    v.unique("mappings", "mapping", &mappings);
    for (i, m) in file.mappings.iter().enumerate() {
        v.reference(&format!("mappings[{i}].queue"), "queue", &m.queue, &queues);
        v.reference(
            &format!("mappings[{i}].function"),
            "function",
            &m.function,
            &functions,
        );
    }
    let endpoints: Vec<&str> = file.endpoints.iter().map(|e| e.name.as_str()).collect();
    v.unique("endpoints", "endpoint", &endpoints);
    for (i, e) in file.endpoints.iter().enumerate() {
        v.name(&format!("endpoints[{i}].name"), &e.name);
        v.reference(
            &format!("endpoints[{i}].function"),
            "function",
            &e.function,
            &functions,
        );
    }
    let workflows: Vec<&str> = file.workflows.iter().map(|w| w.name.as_str()).collect();
    v.unique("workflows", "workflow", &workflows);
    for (i, w) in file.workflows.iter().enumerate() {
        v.name(&format!("workflows[{i}].name"), &w.name);
        for (j, step) in w.steps.iter().enumerate() {
            if let Some(function) = &step.function {
                v.reference(
                    &format!("workflows[{i}].steps[{j}].function"),
                    "function",
                    function,
                    &functions,
                );
            }
        }
    }
    let clients: Vec<&str> = file.clients.iter().map(|c| c.name.as_str()).collect();
    v.unique("clients", "client", &clients);
    for (i, q) in file.queues.iter().enumerate() {
        if let Some(policy) = &q.redrive_policy {
            let field = format!("queues[{i}].redrive_policy.dead_letter_queue");
            v.reference(&field, "queue", &policy.dead_letter_queue, &queues);
        }
    }
    for (i, t) in file.topics.iter().enumerate() {
        for (j, s) in t.subscriptions.iter().enumerate() {
            let base = format!("topics[{i}].subscriptions[{j}]");
            match &s.endpoint {
                Endpoint::Queue(q) => {
                    v.reference(&format!("{base}.endpoint.queue"), "queue", q, &queues)
                }
                Endpoint::Function(f) => v.reference(
                    &format!("{base}.endpoint.function"),
                    "function",
                    f,
                    &functions,
                ),
            }
            if let Some(dlq) = &s.dead_letter_queue {
                v.reference(&format!("{base}.dead_letter_queue"), "queue", dlq, &queues);
            }
        }
    }
    for (i, c) in file.consumers.iter().enumerate() {
        v.reference(&format!("consumers[{i}].queue"), "queue", &c.queue, &queues);
    }
    for (i, fault) in file.faults.iter().enumerate() {
        v.fault(file, i, fault, &queues, &topics, &consumers);
    }
    if file.clients.len() > MAX_CLIENTS {
        v.push(Problem::new(
            "clients",
            format!("{} clients; at most {MAX_CLIENTS}", file.clients.len()),
        ));
    }
    for (i, client) in file.clients.iter().enumerate() {
        v.client(i, client, &queues, &topics, &endpoints);
    }
    v.client_messages(file);
    if v.problems.is_empty() {
        let total = scheduled_message_count(&file.clients);
        if total > MAX_SCHEDULED_MESSAGES {
            v.push(Problem::new(
                "clients",
                format!(
                    "the workloads schedule {total} messages; at most {MAX_SCHEDULED_MESSAGES}"
                ),
            ));
        }
    }
    if file.checks.len() > MAX_CHECKS {
        v.push(Problem::new(
            "checks",
            format!("{} checks; at most {MAX_CHECKS}", file.checks.len()),
        ));
    }
    for (i, check) in file.checks.iter().enumerate() {
        v.check(i, check, (&queues, &clients), !functions.is_empty());
    }
    v.problems.extend(super::validate_aws::problems(file));
    v.problems
}

#[derive(Default)]
struct Validator {
    problems: Vec<Problem>,
}

impl Validator {
    fn push(&mut self, problem: Problem) {
        self.problems.push(problem);
    }

    fn range(&mut self, field: &str, value: u64, min: u64, max: u64) {
        if value < min || value > max {
            self.push(Problem::new(
                field,
                format!("{value} is out of range: allowed {min} to {max}"),
            ));
        }
    }

    fn name(&mut self, field: &str, name: &str) {
        let chars = name.chars().count();
        if chars == 0 || chars > MAX_NAME_CHARS {
            self.push(Problem::new(
                field,
                format!("a name has 1 to {MAX_NAME_CHARS} characters; this one has {chars}"),
            ));
        }
    }

    fn meta(&mut self, file: &ScenarioFile) {
        self.name("scenario.name", &file.scenario.name);
        self.range("scenario.seeds", file.scenario.seeds, 1, MAX_SWEEP_SEEDS);
        if let Some(until) = file.scenario.run_until_ms {
            self.range(
                "scenario.run_until_ms",
                until,
                1,
                Limits::MAX_TIME_CEILING_MS,
            );
        }
    }

    fn unique(&mut self, section: &str, kind: &str, names: &[&str]) {
        let mut seen = BTreeSet::new();
        for (i, name) in names.iter().enumerate() {
            if !seen.insert(*name) {
                self.push(Problem::new(
                    format!("{section}[{i}].name"),
                    format!("another {kind} is already called `{name}`; names must be unique"),
                ));
            }
        }
    }

    /// `name` must be one of `known` (components of `kind`).
    fn reference(&mut self, field: &str, kind: &str, name: &str, known: &[&str]) {
        if known.contains(&name) {
            return;
        }
        let candidates: Vec<String> = known.iter().map(|s| s.to_string()).collect();
        let mut problem = Problem::new(field, format!("no {kind} is called `{name}`"));
        problem.suggestion = Some(match closest(name, &candidates) {
            Some(best) => format!("did you mean `{best}`?"),
            None if known.is_empty() => {
                format!("this scenario defines no {kind}; add a [[{kind}s]] section")
            }
            None => format!("defined {kind}s: {}", known.join(", ")),
        });
        self.push(problem);
    }

    fn fault(
        &mut self,
        file: &ScenarioFile,
        i: usize,
        fault: &Fault,
        queues: &[&str],
        topics: &[&str],
        consumers: &[&str],
    ) {
        let base = format!("faults[{i}]");
        match fault {
            Fault::EndpointUnavailable {
                topic,
                subscription,
                ..
            } => {
                self.reference(&format!("{base}.topic"), "topic", topic, topics);
                if let Some(t) = file.topics.iter().find(|t| &t.name == topic) {
                    let subs: Vec<&str> = t.subscriptions.iter().map(|s| s.name.as_str()).collect();
                    self.reference(
                        &format!("{base}.subscription"),
                        "subscription",
                        subscription,
                        &subs,
                    );
                }
            }
            Fault::DuplicateDeliveries { queue, .. } | Fault::ExtraDeliveryDelay { queue, .. } => {
                self.reference(&format!("{base}.queue"), "queue", queue, queues);
            }
            Fault::ConsumerErrors { consumer, .. } | Fault::ConsumerPaused { consumer, .. } => {
                self.reference(&format!("{base}.consumer"), "consumer", consumer, consumers);
            }
            // Names nothing; its window and rate are checked by the engine.
            Fault::StoreErrors { .. } => {}
        }
    }

    fn client(
        &mut self,
        i: usize,
        c: &ClientConfig,
        queues: &[&str],
        topics: &[&str],
        endpoints: &[&str],
    ) {
        let base = format!("clients[{i}]");
        self.name(&format!("{base}.name"), &c.name);
        match &c.target {
            Target::Topic(t) => self.reference(&format!("{base}.target.topic"), "topic", t, topics),
            Target::Queue(q) => self.reference(&format!("{base}.target.queue"), "queue", q, queues),
            Target::Endpoint(e) => {
                self.reference(&format!("{base}.target.endpoint"), "endpoint", e, endpoints)
            }
        }
        let component = format!("client {}", c.name);
        if let Some(Err(err)) = c.retry.as_ref().map(|r| r.validate(&component)) {
            let field = match &err {
                SimError::OutOfRange { field, .. } => field,
                _ => "retry",
            };
            self.push(Problem::new(format!("{base}.{field}"), err.to_string()));
        }
        if let Some(Err(err)) = c.network_latency.as_ref().map(|l| l.validate(&component)) {
            self.push(Problem::new(
                format!("{base}.network_latency"),
                err.to_string(),
            ));
        }
        if c.retry.is_some() && !matches!(c.target, Target::Endpoint(_)) {
            let mut p = Problem::new(
                format!("{base}.retry"),
                "`retry` applies only to clients of an endpoint: fire and forget does not wait for answers",
            );
            p.suggestion = Some("remove `retry`, or target `{ endpoint = \"...\" }`".into());
            self.push(p);
        }
        self.range(&format!("{base}.start_ms"), c.start_ms, 0, MAX_WORKLOAD_MS);
        if let Some(doc) = &c.document {
            self.name(&format!("{base}.document"), doc);
        }
        let kind_text = match c.kind {
            ClientKind::Editor => "an editor",
            ClientKind::Steady => "a steady",
            ClientKind::Burst => "a burst",
            ClientKind::Messages => "a messages",
        };
        let applies: &[&str] = match c.kind {
            ClientKind::Editor => &["editors", "versions", "interval_ms", "jitter_ms"],
            ClientKind::Steady => &["rate_per_second", "duration_ms", "jitter_ms", "documents"],
            ClientKind::Burst => &["count", "spread_ms", "documents"],
            ClientKind::Messages => &["messages"],
        };
        let set: [(&str, Option<u64>, u64, u64); 8] = [
            ("editors", c.editors, 1, MAX_EDITORS),
            ("interval_ms", c.interval_ms, 0, MAX_WORKLOAD_MS),
            ("jitter_ms", c.jitter_ms, 0, MAX_WORKLOAD_MS),
            ("rate_per_second", c.rate_per_second, 1, MAX_RATE_PER_SECOND),
            ("duration_ms", c.duration_ms, 1, MAX_WORKLOAD_MS),
            ("count", c.count, 1, MAX_SCHEDULED_MESSAGES),
            ("spread_ms", c.spread_ms, 0, MAX_WORKLOAD_MS),
            ("documents", c.documents, 1, MAX_EDITORS),
        ];
        for (field, value, min, max) in set {
            let Some(value) = value else { continue };
            if applies.contains(&field) {
                self.range(&format!("{base}.{field}"), value, min, max);
            } else {
                self.not_applicable(&format!("{base}.{field}"), kind_text, "client", applies);
            }
        }
        match &c.versions {
            Some(_) if c.kind != ClientKind::Editor => {
                self.not_applicable(&format!("{base}.versions"), kind_text, "client", applies)
            }
            Some(versions) => {
                self.range(
                    &format!("{base}.versions"),
                    versions.len() as u64,
                    1,
                    MAX_VERSIONS,
                );
                for (j, text) in versions.iter().enumerate() {
                    if let Err(err) = Version::parse(text) {
                        self.push(Problem::new(
                            format!("{base}.versions[{j}]"),
                            format!("`{text}`: {err}"),
                        ));
                    }
                }
            }
            None => {}
        }
        self.messages_count(&base, c, kind_text, applies);
        let required: &[(&str, bool)] = match c.kind {
            ClientKind::Steady => &[
                ("rate_per_second", c.rate_per_second.is_some()),
                ("duration_ms", c.duration_ms.is_some()),
            ],
            ClientKind::Burst => &[("count", c.count.is_some())],
            ClientKind::Messages => &[("messages", c.messages.is_some())],
            ClientKind::Editor => &[],
        };
        for (field, present) in required {
            if !present {
                let mut p = Problem::new(
                    format!("{base}.{field}"),
                    format!("{kind_text} client needs `{field}`"),
                );
                p.suggestion = Some(format!("add `{field} = ...` to this client"));
                self.push(p);
            }
        }
    }

    /// `messages` belongs to `kind = "messages"`, with 1 to the scheduled
    /// maximum entries.
    fn messages_count(&mut self, base: &str, c: &ClientConfig, kind_text: &str, applies: &[&str]) {
        // Documents name saves; a messages client sends no saves.
        if c.kind == ClientKind::Messages && c.document.is_some() {
            self.not_applicable(&format!("{base}.document"), kind_text, "client", applies);
        }
        match &c.messages {
            Some(_) if c.kind != ClientKind::Messages => {
                self.not_applicable(&format!("{base}.messages"), kind_text, "client", applies)
            }
            Some(messages) => self.range(
                &format!("{base}.messages"),
                messages.len() as u64,
                1,
                MAX_SCHEDULED_MESSAGES,
            ),
            None => {}
        }
    }

    /// Every `[[clients.messages]]` entry, and their bytes together against
    /// the scenario's budget.
    fn client_messages(&mut self, file: &ScenarioFile) {
        let mut bytes = 0u64;
        for (i, client) in file.clients.iter().enumerate() {
            let base = format!("clients[{i}]");
            bytes = bytes.saturating_add(check_messages(&base, client, file, &mut self.problems));
        }
        if bytes > MAX_MESSAGE_BYTES_TOTAL {
            self.push(Problem::new(
                "clients",
                format!(
                    "the clients' messages add up to {bytes} bytes; at most {MAX_MESSAGE_BYTES_TOTAL} bytes (16 MiB) per scenario"
                ),
            ));
        }
    }

    fn not_applicable(&mut self, field: &str, kind_text: &str, what: &str, applies: &[&str]) {
        let short = field.rsplit('.').next().unwrap_or(field);
        let mut p = Problem::new(
            field,
            format!("`{short}` does not apply to {kind_text} {what}"),
        );
        p.suggestion = Some(format!(
            "remove it; this kind takes: {}",
            applies.join(", ")
        ));
        self.push(p);
    }

    fn check(
        &mut self,
        i: usize,
        c: &CheckConfig,
        (queues, clients): (&[&str], &[&str]),
        has_functions: bool,
    ) {
        let base = format!("checks[{i}]");
        if let Some(name) = &c.name {
            self.name(&format!("{base}.name"), name);
        }
        let (kind_text, applies, required): (&str, &[&str], &[&str]) = match c.kind {
            CheckKind::FinalValue => ("a final_value", &["key", "equals"], &["key", "equals"]),
            CheckKind::NoStaleOverwrite => ("a no_stale_overwrite", &[], &[]),
            CheckKind::NoMessageLost => ("a no_message_lost", &[], &[]),
            CheckKind::EverySaveApplied => (
                "an every_save_applied",
                &["client", "key_prefix", "except"],
                &[],
            ),
            CheckKind::Metric => (
                "a metric",
                &["metric", "client", "at_most", "at_least"],
                &["metric"],
            ),
            CheckKind::TraceCount => (
                "a trace_count",
                &["event", "queue", "at_most", "at_least"],
                &["event"],
            ),
        };
        let present = [
            ("key", c.key.is_some()),
            ("equals", c.equals.is_some()),
            ("metric", c.metric.is_some()),
            ("client", c.client.is_some()),
            ("key_prefix", c.key_prefix.is_some()),
            ("except", c.except.is_some()),
            ("event", c.event.is_some()),
            ("queue", c.queue.is_some()),
            ("at_most", c.at_most.is_some()),
            ("at_least", c.at_least.is_some()),
        ];
        for (field, is_set) in present {
            if is_set && !applies.contains(&field) {
                self.not_applicable(&format!("{base}.{field}"), kind_text, "check", applies);
            }
            if !is_set && required.contains(&field) {
                let mut p = Problem::new(
                    format!("{base}.{field}"),
                    format!("{kind_text} check needs `{field}`"),
                );
                p.suggestion = Some(format!("add `{field} = ...` to this check"));
                self.push(p);
            }
        }
        if matches!(c.kind, CheckKind::Metric | CheckKind::TraceCount) {
            match (c.at_least, c.at_most) {
                (None, None) => {
                    let mut p = Problem::new(
                        format!("{base}.at_most"),
                        format!("{kind_text} check needs a bound"),
                    );
                    p.suggestion = Some("add `at_most = ...` and/or `at_least = ...`".into());
                    self.push(p);
                }
                (Some(low), Some(high)) if low > high => self.push(Problem::new(
                    format!("{base}.at_least"),
                    format!("at_least = {low} is above at_most = {high}; no value can pass"),
                )),
                _ => {}
            }
        }
        if let Some(metric) = &c.metric {
            if c.kind == CheckKind::Metric && c.client.is_some() {
                let known: Vec<&str> = client_metric_names().collect();
                self.reference(&format!("{base}.metric"), "client metric", metric, &known);
            } else if c.kind == CheckKind::Metric {
                let known: Vec<&str> = metric_names().collect();
                self.reference(&format!("{base}.metric"), "metric", metric, &known);
            }
        }
        if let (Some(client), CheckKind::Metric | CheckKind::EverySaveApplied) = (&c.client, c.kind)
        {
            self.reference(&format!("{base}.client"), "client", client, clients);
        }
        if let (Some(queue), CheckKind::TraceCount) = (&c.queue, c.kind) {
            self.reference(&format!("{base}.queue"), "queue", queue, queues);
        }
        if matches!(
            c.kind,
            CheckKind::FinalValue | CheckKind::NoStaleOverwrite | CheckKind::EverySaveApplied
        ) && !has_functions
        {
            let mut p = Problem::new(
                format!("{base}.kind"),
                format!("{kind_text} check reads the store, which only functions write; this scenario has no [[functions]]"),
            );
            p.suggestion =
                Some("add a [[functions]] section whose handler writes to the store".into());
            self.push(p);
        }
    }
}
