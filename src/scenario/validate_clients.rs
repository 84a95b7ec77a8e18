//! Checks a scenario's `[[clients]]`: what each targets, its retry and
//! network settings, the workload settings of its kind, its messages, and
//! the messages all workloads schedule together. Part of
//! [`super::validate`], which runs these in file order with the rest.

use super::format::{ClientConfig, ClientKind, ScenarioFile, Target};
use super::limits::*;
use super::validate::{Names, Problem, Validator};
use super::validate_messages::check_messages;
use super::workload::scheduled_message_count;
use crate::sim::SimError;
use crate::sim::Version;

impl Validator {
    /// The clients: how many, each one, their messages, and the messages
    /// their workloads schedule together (counted only once the rest is
    /// valid, since a broken workload cannot be counted).
    pub(super) fn clients(&mut self, file: &ScenarioFile, names: &Names) {
        if file.clients.len() > MAX_CLIENTS {
            self.push(Problem::new(
                "clients",
                format!("{} clients; at most {MAX_CLIENTS}", file.clients.len()),
            ));
        }
        for (i, client) in file.clients.iter().enumerate() {
            self.client(i, client, names);
        }
        self.client_messages(file);
        if self.problems.is_empty() {
            let total = scheduled_message_count(&file.clients);
            if total > MAX_SCHEDULED_MESSAGES {
                self.push(Problem::new(
                    "clients",
                    format!(
                        "the workloads schedule {total} messages; at most {MAX_SCHEDULED_MESSAGES}"
                    ),
                ));
            }
        }
    }

    fn client(&mut self, i: usize, c: &ClientConfig, names: &Names) {
        let base = format!("clients[{i}]");
        self.name(&format!("{base}.name"), &c.name);
        match &c.target {
            Target::Topic(t) => {
                self.reference(&format!("{base}.target.topic"), "topic", t, &names.topics)
            }
            Target::Queue(q) => {
                self.reference(&format!("{base}.target.queue"), "queue", q, &names.queues)
            }
            Target::Endpoint(e) => self.reference(
                &format!("{base}.target.endpoint"),
                "endpoint",
                e,
                &names.endpoints,
            ),
        }
        self.client_network(&base, c);
        self.range(&format!("{base}.start_ms"), c.start_ms, 0, MAX_WORKLOAD_MS);
        if let Some(doc) = &c.document {
            self.name(&format!("{base}.document"), doc);
        }
        self.workload(&base, c);
    }

    /// A client's retry policy and network latency: valid, and a retry
    /// only where answers come back.
    fn client_network(&mut self, base: &str, c: &ClientConfig) {
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
    }

    /// A client's workload settings: only those of its kind, each in range,
    /// and the ones its kind needs.
    fn workload(&mut self, base: &str, c: &ClientConfig) {
        let (kind_text, applies) = workload_rules(c.kind);
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
        self.versions(base, c, kind_text, applies);
        self.messages_count(base, c, kind_text, applies);
        self.workload_required(base, c, kind_text);
    }

    /// `versions` belongs to editors: 1 to the maximum, each one valid.
    fn versions(&mut self, base: &str, c: &ClientConfig, kind_text: &str, applies: &[&str]) {
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
    }

    /// The settings a client's kind cannot do without.
    fn workload_required(&mut self, base: &str, c: &ClientConfig, kind_text: &str) {
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
}

/// A client kind's words ("a burst") and the workload settings it takes.
fn workload_rules(kind: ClientKind) -> (&'static str, &'static [&'static str]) {
    match kind {
        ClientKind::Editor => (
            "an editor",
            &["editors", "versions", "interval_ms", "jitter_ms"],
        ),
        ClientKind::Steady => (
            "a steady",
            &["rate_per_second", "duration_ms", "jitter_ms", "documents"],
        ),
        ClientKind::Burst => ("a burst", &["count", "spread_ms", "documents"]),
        ClientKind::Messages => ("a messages", &["messages"]),
    }
}
