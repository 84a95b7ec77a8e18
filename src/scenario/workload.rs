//! Compiles `[[clients]]` into the saves they make, at which virtual
//! times, then hands them to the world's client actors (`World::add_client`):
//! the same saves go to a topic, a queue or an API endpoint, so one workload
//! runs through either flow. All randomness (jitter, spread) comes from one
//! RNG per client derived from the run's seed and the client's name, so
//! adding a client never changes another client's draws.

use super::client_message::MessageConfig;
use super::format::{ClientConfig, ClientKind, ScenarioFile, Target};
use crate::sim::SimRng;
use crate::sim::{
    AttributeValue, Attributes, ClientCall, ClientSpec, ClientTarget, Latency, SimError, World,
};

/// The versions an editor saves when the scenario does not say.
pub const DEFAULT_VERSIONS: [&str; 3] = ["v1.0", "v1.1", "v1.2"];
/// Default time between two saves of one editor.
pub const DEFAULT_INTERVAL_MS: u64 = 100;

/// One save a client makes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Save {
    /// When the client sends it.
    pub at_ms: u64,
    /// The client's name.
    pub client: String,
    /// Position in the client's saves (0-based).
    pub seq: u64,
    /// Document id.
    pub doc: String,
    /// Version text.
    pub version: String,
    /// Whose save it is: one editor's saves share a chain (a server-API
    /// editor waits for each answer before its next save); every save of a
    /// steady or burst load is its own user.
    pub chain: u64,
}

impl Save {
    /// The message body: a small JSON object a handler can read.
    pub fn body(&self) -> String {
        serde_json::json!({
            "doc": self.doc,
            "version": self.version,
            "client": self.client,
            "seq": self.seq,
        })
        .to_string()
    }
}

/// How many messages the clients will schedule (used to refuse huge
/// workloads before allocating them).
pub fn scheduled_message_count(clients: &[ClientConfig]) -> u64 {
    clients.iter().fold(0u64, |total, c| {
        let n = match c.kind {
            ClientKind::Editor => {
                let versions = c.versions.as_ref().map_or(DEFAULT_VERSIONS.len(), Vec::len) as u64;
                c.editors.unwrap_or(1).saturating_mul(versions)
            }
            ClientKind::Steady => {
                let rate = c.rate_per_second.unwrap_or(0);
                c.duration_ms.unwrap_or(0).saturating_mul(rate) / 1000
            }
            ClientKind::Burst => c.count.unwrap_or(0),
            ClientKind::Messages => c.messages.as_ref().map_or(0, Vec::len) as u64,
        };
        total.saturating_add(n)
    })
}

/// The saves of one client in a run with `seed`, in time order.
pub fn saves(client: &ClientConfig, seed: u64) -> Vec<Save> {
    let mut rng = SimRng::for_subsystem(seed, &format!("client/{}", client.name));
    let prefix = client.document.as_deref().unwrap_or("doc");
    let jitter = client.jitter_ms.unwrap_or(0);
    let mut out = Vec::new();
    let push = |at_ms: u64, doc_index: u64, version: String, out: &mut Vec<Save>| {
        let seq = out.len() as u64;
        let chain = match client.kind {
            ClientKind::Editor => doc_index,
            ClientKind::Steady | ClientKind::Burst | ClientKind::Messages => seq,
        };
        out.push(Save {
            at_ms,
            client: client.name.clone(),
            seq,
            doc: format!("{prefix}-{}", doc_index + 1),
            version,
            chain,
        });
    };
    match client.kind {
        ClientKind::Editor => {
            let versions: Vec<String> = match &client.versions {
                Some(v) => v.clone(),
                None => DEFAULT_VERSIONS.iter().map(|s| s.to_string()).collect(),
            };
            let interval = client.interval_ms.unwrap_or(DEFAULT_INTERVAL_MS);
            for editor in 0..client.editors.unwrap_or(1) {
                // Cumulative: a jittered save never overtakes the editor's
                // previous save, as a person typing cannot.
                let mut at = client.start_ms.saturating_add(rng.in_range(0, jitter));
                for (j, version) in versions.iter().enumerate() {
                    if j > 0 {
                        at = at
                            .saturating_add(interval)
                            .saturating_add(rng.in_range(0, jitter));
                    }
                    push(at, editor, version.clone(), &mut out);
                }
            }
        }
        ClientKind::Steady => {
            let rate = client.rate_per_second.unwrap_or(1).max(1);
            let n = client.duration_ms.unwrap_or(0).saturating_mul(rate) / 1000;
            let documents = client.documents.unwrap_or(1).max(1);
            for i in 0..n {
                let at = client.start_ms + i * 1000 / rate + rng.in_range(0, jitter);
                push(at, i % documents, format!("v1.{}", i / documents), &mut out);
            }
        }
        // Not saves: what they send is the author's (see `schedule`).
        ClientKind::Messages => {}
        ClientKind::Burst => {
            let spread = client.spread_ms.unwrap_or(0);
            let documents = client.documents.unwrap_or(1).max(1);
            for i in 0..client.count.unwrap_or(0) {
                let at = client.start_ms + rng.in_range(0, spread);
                push(at, i % documents, format!("v1.{}", i / documents), &mut out);
            }
        }
    }
    // Stable: equal times keep generation order.
    out.sort_by_key(|s| s.at_ms);
    for (i, save) in out.iter_mut().enumerate() {
        save.seq = i as u64;
    }
    out
}

/// Adds every client to `world` with its saves as calls. FIFO targets get
/// the document as message group and a unique deduplication id. Returns
/// the number of saves.
pub fn schedule(world: &mut World, file: &ScenarioFile, seed: u64) -> Result<u64, SimError> {
    let mut count = 0u64;
    for client in &file.clients {
        let fifo = match &client.target {
            Target::Topic(topic) => file.topics.iter().any(|t| &t.name == topic && t.fifo),
            Target::Queue(queue) => file.queues.iter().any(|q| &q.name == queue && q.fifo),
            Target::Endpoint(_) => false,
        };
        let calls = match &client.messages {
            Some(messages) if client.kind == ClientKind::Messages => {
                message_calls(client, messages)
            }
            _ => saves(client, seed)
                .into_iter()
                .map(|save| call_for(&save, fifo))
                .collect(),
        };
        count += calls.len() as u64;
        world.add_client(ClientSpec {
            name: client.name.clone(),
            target: match &client.target {
                Target::Topic(t) => ClientTarget::Topic(t.clone()),
                Target::Queue(q) => ClientTarget::Queue(q.clone()),
                Target::Endpoint(e) => ClientTarget::Endpoint(e.clone()),
            },
            calls,
            retry: client.retry.clone().unwrap_or_default(),
            network_latency: client.network_latency.clone().unwrap_or(Latency::ZERO),
        })?;
    }
    Ok(count)
}

/// A messages client's calls in time order (equal times keep file order);
/// every message is its own user, so endpoint calls do not wait for each
/// other.
fn message_calls(client: &ClientConfig, messages: &[MessageConfig]) -> Vec<ClientCall> {
    let mut calls: Vec<ClientCall> = messages
        .iter()
        .enumerate()
        .map(|(i, m)| m.call(client.start_ms, i as u64))
        .collect();
    calls.sort_by_key(|c| c.at_ms);
    calls
}

/// One save as a call: the JSON body, `doc` and `version` attributes (for
/// filter policies), and on FIFO targets the document as message group.
fn call_for(save: &Save, fifo: bool) -> ClientCall {
    let mut attributes = Attributes::new();
    attributes.insert("doc".into(), AttributeValue::String(save.doc.clone()));
    attributes.insert(
        "version".into(),
        AttributeValue::String(save.version.clone()),
    );
    ClientCall {
        at_ms: save.at_ms,
        body: save.body(),
        attributes,
        group_id: fifo.then(|| save.doc.clone()),
        dedup_id: fifo.then(|| format!("{}-{}", save.client, save.seq)),
        delay_ms: None,
        chain: save.chain,
    }
}
