//! Checks a deserialized scenario for what serde cannot see: references to
//! components that do not exist, duplicate names, numbers out of range, and
//! fields that do not apply to a client's or check's kind. Each problem is a
//! [`Problem`] naming its field path; `parse` turns it into a located
//! [`super::Diagnostic`].

use std::collections::BTreeSet;

use super::diagnostic::closest;
use super::format::{CheckConfig, CheckKind, ScenarioFile};
use super::limits::*;
use super::metric_registry::{client_metric_names, metric_names};
pub use super::problem::Problem;
use crate::sim::{Endpoint, Fault, Limits};

/// Every problem found, in file order of sections.
pub fn validate(file: &ScenarioFile) -> Vec<Problem> {
    let names = Names::of(file);
    let mut v = Validator::default();
    v.meta(file);
    v.unique("queues", "queue", &names.queues);
    v.unique("topics", "topic", &names.topics);
    v.unique("consumers", "consumer", &names.consumers);
    v.unique("functions", "function", &names.functions);
    v.unique("mappings", "mapping", &names.mappings);
    v.mappings(file, &names);
    v.endpoints(file, &names);
    v.workflows(file, &names);
    v.unique("clients", "client", &names.clients);
    v.redrive_policies(file, &names);
    v.subscriptions(file, &names);
    for (i, c) in file.consumers.iter().enumerate() {
        v.reference(
            &format!("consumers[{i}].queue"),
            "queue",
            &c.queue,
            &names.queues,
        );
    }
    for (i, fault) in file.faults.iter().enumerate() {
        v.fault(file, i, fault, &names);
    }
    v.clients(file, &names);
    v.checks(file, &names);
    v.problems.extend(super::validate_aws::problems(file));
    v.problems
}

/// The names each section defines, in file order.
pub(super) struct Names<'a> {
    pub(super) queues: Vec<&'a str>,
    pub(super) topics: Vec<&'a str>,
    pub(super) consumers: Vec<&'a str>,
    pub(super) functions: Vec<&'a str>,
    pub(super) mappings: Vec<&'a str>,
    pub(super) endpoints: Vec<&'a str>,
    pub(super) workflows: Vec<&'a str>,
    pub(super) clients: Vec<&'a str>,
}

impl<'a> Names<'a> {
    fn of(file: &'a ScenarioFile) -> Self {
        Names {
            queues: file.queues.iter().map(|q| q.name.as_str()).collect(),
            topics: file.topics.iter().map(|t| t.name.as_str()).collect(),
            consumers: file.consumers.iter().map(|c| c.name.as_str()).collect(),
            functions: file.functions.iter().map(|f| f.name.as_str()).collect(),
            mappings: file.mappings.iter().map(|m| m.name.as_str()).collect(),
            endpoints: file.endpoints.iter().map(|e| e.name.as_str()).collect(),
            workflows: file.workflows.iter().map(|w| w.name.as_str()).collect(),
            clients: file.clients.iter().map(|c| c.name.as_str()).collect(),
        }
    }
}

#[derive(Default)]
pub(super) struct Validator {
    pub(super) problems: Vec<Problem>,
}

impl Validator {
    pub(super) fn push(&mut self, problem: Problem) {
        self.problems.push(problem);
    }

    /// Each mapping's queue and function exist.
    fn mappings(&mut self, file: &ScenarioFile, names: &Names) {
        for (i, m) in file.mappings.iter().enumerate() {
            self.reference(
                &format!("mappings[{i}].queue"),
                "queue",
                &m.queue,
                &names.queues,
            );
            self.reference(
                &format!("mappings[{i}].function"),
                "function",
                &m.function,
                &names.functions,
            );
        }
    }

    /// Endpoints: unique, well named, in front of a function that exists.
    fn endpoints(&mut self, file: &ScenarioFile, names: &Names) {
        self.unique("endpoints", "endpoint", &names.endpoints);
        for (i, e) in file.endpoints.iter().enumerate() {
            self.name(&format!("endpoints[{i}].name"), &e.name);
            self.reference(
                &format!("endpoints[{i}].function"),
                "function",
                &e.function,
                &names.functions,
            );
        }
    }

    /// Workflows: unique, well named, their task steps calling functions
    /// that exist.
    fn workflows(&mut self, file: &ScenarioFile, names: &Names) {
        self.unique("workflows", "workflow", &names.workflows);
        for (i, w) in file.workflows.iter().enumerate() {
            self.name(&format!("workflows[{i}].name"), &w.name);
            for (j, step) in w.steps.iter().enumerate() {
                if let Some(function) = &step.function {
                    self.reference(
                        &format!("workflows[{i}].steps[{j}].function"),
                        "function",
                        function,
                        &names.functions,
                    );
                }
            }
        }
    }

    /// Each redrive policy's dead-letter queue exists.
    fn redrive_policies(&mut self, file: &ScenarioFile, names: &Names) {
        for (i, q) in file.queues.iter().enumerate() {
            if let Some(policy) = &q.redrive_policy {
                let field = format!("queues[{i}].redrive_policy.dead_letter_queue");
                self.reference(&field, "queue", &policy.dead_letter_queue, &names.queues);
            }
        }
    }

    /// Each subscription's endpoint and dead-letter queue exist.
    fn subscriptions(&mut self, file: &ScenarioFile, names: &Names) {
        for (i, t) in file.topics.iter().enumerate() {
            for (j, s) in t.subscriptions.iter().enumerate() {
                let base = format!("topics[{i}].subscriptions[{j}]");
                match &s.endpoint {
                    Endpoint::Queue(q) => {
                        self.reference(&format!("{base}.endpoint.queue"), "queue", q, &names.queues)
                    }
                    Endpoint::Function(f) => self.reference(
                        &format!("{base}.endpoint.function"),
                        "function",
                        f,
                        &names.functions,
                    ),
                }
                if let Some(dlq) = &s.dead_letter_queue {
                    self.reference(
                        &format!("{base}.dead_letter_queue"),
                        "queue",
                        dlq,
                        &names.queues,
                    );
                }
            }
        }
    }

    /// The checks: how many, and each one.
    fn checks(&mut self, file: &ScenarioFile, names: &Names) {
        if file.checks.len() > MAX_CHECKS {
            self.push(Problem::new(
                "checks",
                format!("{} checks; at most {MAX_CHECKS}", file.checks.len()),
            ));
        }
        for (i, check) in file.checks.iter().enumerate() {
            self.check(i, check, names, !names.functions.is_empty());
        }
    }

    pub(super) fn range(&mut self, field: &str, value: u64, min: u64, max: u64) {
        if value < min || value > max {
            self.push(Problem::new(
                field,
                format!("{value} is out of range: allowed {min} to {max}"),
            ));
        }
    }

    pub(super) fn name(&mut self, field: &str, name: &str) {
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
    pub(super) fn reference(&mut self, field: &str, kind: &str, name: &str, known: &[&str]) {
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

    fn fault(&mut self, file: &ScenarioFile, i: usize, fault: &Fault, names: &Names) {
        let (queues, topics, consumers) = (&names.queues, &names.topics, &names.consumers);
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

    pub(super) fn not_applicable(
        &mut self,
        field: &str,
        kind_text: &str,
        what: &str,
        applies: &[&str],
    ) {
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

    fn check(&mut self, i: usize, c: &CheckConfig, names: &Names, has_functions: bool) {
        let base = format!("checks[{i}]");
        if let Some(name) = &c.name {
            self.name(&format!("{base}.name"), name);
        }
        let (kind_text, applies, required) = check_rules(c.kind);
        self.check_fields(&base, c, kind_text, applies, required);
        if matches!(c.kind, CheckKind::Metric | CheckKind::TraceCount) {
            self.check_bounds(&base, c, kind_text);
        }
        self.check_references(&base, c, names);
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

    /// A check sets only the fields of its kind, and every one it needs.
    fn check_fields(
        &mut self,
        base: &str,
        c: &CheckConfig,
        kind_text: &str,
        applies: &[&str],
        required: &[&str],
    ) {
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
    }

    /// A counting check has a bound, and one some value can meet.
    fn check_bounds(&mut self, base: &str, c: &CheckConfig, kind_text: &str) {
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

    /// The metric (a per-client one for a client), client and queue a
    /// check names exist.
    fn check_references(&mut self, base: &str, c: &CheckConfig, names: &Names) {
        if let (Some(metric), CheckKind::Metric) = (&c.metric, c.kind) {
            let field = format!("{base}.metric");
            if c.client.is_some() {
                let known: Vec<&str> = client_metric_names().collect();
                self.reference(&field, "client metric", metric, &known);
            } else {
                let known: Vec<&str> = metric_names().collect();
                self.reference(&field, "metric", metric, &known);
            }
        }
        if let (Some(client), CheckKind::Metric | CheckKind::EverySaveApplied) = (&c.client, c.kind)
        {
            self.reference(&format!("{base}.client"), "client", client, &names.clients);
        }
        if let (Some(queue), CheckKind::TraceCount) = (&c.queue, c.kind) {
            self.reference(&format!("{base}.queue"), "queue", queue, &names.queues);
        }
    }
}

/// A check kind's words, the fields it takes, and those it needs.
fn check_rules(
    kind: CheckKind,
) -> (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
) {
    match kind {
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
    }
}
