//! Arrows of what queues, topics, clients and endpoints do: sends,
//! receives, deliveries, responses, throttling, dead-letter moves.

use super::*;

impl Builder {
    pub(super) fn received(&mut self, e: &TraceEvent) {
        let (Some(queue), Some(id)) = (&e.details.queue(), e.message_id) else {
            return;
        };
        if let Some(handle) = e.details.receipt_handle() {
            self.handles.insert(handle, (queue.to_string(), id.0));
        }
        match &e.actor {
            ActorId::Mapping(mapping) => {
                self.mapping_queue
                    .insert(mapping.to_string(), queue.to_string());
            }
            ActorId::Consumer(name) => {
                let from = self.names.queue(queue);
                let to = consumer(name);
                let count = e
                    .details
                    .receive_count()
                    .filter(|c| *c > 1)
                    .map(|c| format!(" (receive {c})"))
                    .unwrap_or_default();
                let words = format!(
                    "{} delivers message {id}{count} to consumer {name}",
                    spoken(&from)
                );
                self.draw(Draft {
                    time_ms: e.time_ms,
                    seq: e.seq,
                    from,
                    to,
                    kind: ArrowKind::Deliver,
                    label: id.to_string(),
                    emphasis: Emphasis::Normal,
                    keys: vec![HighlightKey::Message(id.0)],
                    words,
                });
            }
            _ => {}
        }
    }

    pub(super) fn processing_failed(&mut self, e: &TraceEvent) {
        let ActorId::Consumer(name) = &e.actor else {
            return;
        };
        let at = consumer(name);
        let id_text = e
            .message_id
            .map_or_else(|| "a message".to_string(), |id| format!("message {id}"));
        let reason = e
            .details
            .reason()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        self.draw(Draft {
            time_ms: e.time_ms,
            seq: e.seq,
            from: at.clone(),
            to: at,
            kind: ArrowKind::ProcessingFailed,
            label: "failed".to_string(),
            emphasis: Emphasis::Error,
            keys: e
                .message_id
                .map(|id| vec![HighlightKey::Message(id.0)])
                .unwrap_or_default(),
            words: format!("consumer {name} fails to process {id_text}{reason}"),
        });
    }

    pub(super) fn accepted(&mut self, e: &TraceEvent) {
        if let (ActorId::Endpoint(name), Some(c), Some(call)) =
            (&e.actor, &e.details.client(), e.details.call())
        {
            self.accepted_by
                .insert((c.to_string(), call), name.to_string());
        }
    }

    pub(super) fn delivered(&mut self, e: &TraceEvent) {
        if let (ActorId::Topic(name), Some(id), Some(DestinationKind::Function)) =
            (&e.actor, e.message_id, e.details.destination_kind())
        {
            self.delivered_by.insert(id.0, name.to_string());
        }
    }

    pub(super) fn requested(&mut self, e: &TraceEvent) {
        let ActorId::Client(name) = &e.actor else {
            return;
        };
        let Some(destination) = &e.details.destination() else {
            return;
        };
        let to = self.names.destination(destination);
        let call = e.details.call();
        let attempt = e.details.attempt().unwrap_or(1);
        let call_text = call.map_or_else(|| "a call".to_string(), |c| format!("call {c}"));
        let label = if attempt > 1 {
            format!("{call_text}, try {attempt}")
        } else {
            call_text.clone()
        };
        let try_words = if attempt > 1 {
            format!(" (attempt {attempt})")
        } else {
            String::new()
        };
        let from = client(name);
        let words = format!("{name} sends {call_text}{try_words} to {}", spoken(&to));
        self.draw(Draft {
            time_ms: e.time_ms,
            seq: e.seq,
            from,
            to,
            kind: ArrowKind::Request,
            label,
            emphasis: Emphasis::Normal,
            keys: call_key(name, call),
            words,
        });
    }

    pub(super) fn sent(&mut self, e: &TraceEvent) {
        let Some(id) = e.message_id else {
            return;
        };
        match &e.actor {
            ActorId::Client(name) => {
                let to = match (e.kind, &e.details.queue(), &e.details.topic()) {
                    (TraceKind::Sent, Some(q), _) => self.names.queue(q),
                    (TraceKind::Published, _, Some(t)) => topic(t),
                    _ => return,
                };
                let verb = if e.kind == TraceKind::Published {
                    "publishes"
                } else {
                    "sends"
                };
                let words = format!("{name} {verb} message {id} to {}", spoken(&to));
                self.draw(Draft {
                    time_ms: e.time_ms,
                    seq: e.seq,
                    from: client(name),
                    to,
                    kind: ArrowKind::Send,
                    label: id.to_string(),
                    emphasis: Emphasis::Normal,
                    keys: vec![HighlightKey::Message(id.0)],
                    words,
                });
            }
            ActorId::Topic(name) if e.kind == TraceKind::Sent => {
                let Some(q) = &e.details.queue() else {
                    return;
                };
                let to = self.names.queue(q);
                let mut keys = vec![HighlightKey::Message(id.0)];
                let from_words = match e.details.related_message_id() {
                    Some(related) if related != id => {
                        keys.push(HighlightKey::Message(related.0));
                        format!(" (a copy of {related})")
                    }
                    _ => String::new(),
                };
                keys.sort();
                let words = format!(
                    "topic {name} delivers message {id}{from_words} to {}",
                    spoken(&to)
                );
                self.draw(Draft {
                    time_ms: e.time_ms,
                    seq: e.seq,
                    from: topic(name),
                    to,
                    kind: ArrowKind::Fanout,
                    label: id.to_string(),
                    emphasis: Emphasis::Normal,
                    keys,
                    words,
                });
            }
            _ => {}
        }
    }

    pub(super) fn responded(&mut self, e: &TraceEvent) {
        let ActorId::Client(name) = &e.actor else {
            return;
        };
        let Some(destination) = &e.details.destination() else {
            return;
        };
        let from = self.names.destination(destination);
        let call = e.details.call();
        let (label, emphasis, meaning) = match e.details.status_code() {
            Some(TOO_MANY_REQUESTS) => (
                "429".to_string(),
                Emphasis::Throttle,
                "429 Too Many Requests: throttled".to_string(),
            ),
            Some(code) if code >= 500 => (
                code.to_string(),
                Emphasis::Error,
                format!("{code}: {}", status_words(code)),
            ),
            Some(code) => (code.to_string(), Emphasis::Normal, {
                format!("{code} {}", status_words(code))
            }),
            None => ("answer".to_string(), Emphasis::Normal, "an answer".into()),
        };
        let call_text = call.map_or_else(|| "a call".to_string(), |c| format!("call {c}"));
        let words = format!(
            "{} answers {name} {call_text} with {meaning}",
            spoken(&from)
        );
        self.draw(Draft {
            time_ms: e.time_ms,
            seq: e.seq,
            from,
            to: client(name),
            kind: ArrowKind::Respond,
            label,
            emphasis,
            keys: call_key(name, call),
            words,
        });
    }

    pub(super) fn moved_to_dlq(&mut self, e: &TraceEvent) {
        let Some(dlq) = &e.details.destination() else {
            return;
        };
        let from = match &e.actor {
            ActorId::Queue(name) => self.names.queue(name),
            ActorId::Topic(name) => topic(name),
            _ => match (&e.details.queue(), &e.details.topic()) {
                (Some(q), _) => self.names.queue(q),
                (None, Some(t)) => topic(t),
                _ => return,
            },
        };
        let to = self.names.queue(dlq);
        let id_text = e
            .message_id
            .map_or_else(|| "a message".to_string(), |id| format!("message {id}"));
        let words = format!("{} moves {id_text} to {}", spoken(&from), spoken(&to));
        self.draw(Draft {
            time_ms: e.time_ms,
            seq: e.seq,
            from,
            to,
            kind: ArrowKind::DeadLetter,
            label: e
                .message_id
                .map_or_else(|| "dead letter".to_string(), |id| id.to_string()),
            emphasis: Emphasis::Normal,
            keys: e
                .message_id
                .map(|id| vec![HighlightKey::Message(id.0)])
                .unwrap_or_default(),
            words,
        });
    }

    pub(super) fn throttled(&mut self, e: &TraceEvent) {
        let ActorId::Endpoint(name) = &e.actor else {
            return;
        };
        let at = endpoint(name);
        let who = match (&e.details.client(), e.details.call()) {
            (Some(c), Some(call)) => format!("{c} call {call}"),
            (Some(c), None) => format!("a call of {c}"),
            _ => "a call".to_string(),
        };
        let words = format!("endpoint {name} throttles {who}: 429 Too Many Requests");
        let keys = match &e.details.client() {
            Some(c) => call_key(c, e.details.call()),
            None => Vec::new(),
        };
        self.draw(Draft {
            time_ms: e.time_ms,
            seq: e.seq,
            from: at.clone(),
            to: at,
            kind: ArrowKind::Throttled,
            label: "429 throttled".to_string(),
            emphasis: Emphasis::Throttle,
            keys,
            words,
        });
    }
}
