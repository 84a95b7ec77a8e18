//! The `every_save_applied` check: no save a client sent was lost. A save
//! is applied when the store took it, superseded when a newer version of
//! its document was applied instead; either way the document ends at least
//! at the newest version sent for it. Catches a handler that acknowledges a
//! save it did not store (a swallowed store error, a write retried a few
//! times and then given up), which `no_message_lost` cannot see: the
//! message was processed, its save was not.

use std::collections::BTreeMap;

use super::format::{CheckConfig, ClientConfig};
use super::outcome::RunOutcome;
use super::workload::saves;
use crate::sim::Version;

/// The newest version sent per document, with the client that sent it and
/// when, over the clients the check judges.
fn newest_sent(
    check: &CheckConfig,
    clients: &[ClientConfig],
    outcome: &RunOutcome,
) -> BTreeMap<String, (Version, String, u64)> {
    let mut newest: BTreeMap<String, (Version, String, u64)> = BTreeMap::new();
    let judged = clients
        .iter()
        .filter(|c| check.client.as_ref().is_none_or(|name| *name == c.name));
    for client in judged {
        for save in saves(client, outcome.seed) {
            let excepted = check.except.as_ref().is_some_and(|e| e.contains(&save.doc));
            if save.at_ms > outcome.end_ms || excepted {
                continue;
            }
            let Ok(version) = Version::parse(&save.version) else {
                continue;
            };
            let entry = newest.entry(save.doc.clone());
            let slot = entry.or_insert_with(|| (version.clone(), save.client.clone(), save.at_ms));
            if version > slot.0 {
                *slot = (version, save.client, save.at_ms);
            }
        }
    }
    newest
}

/// Evaluates the check: `(held, detail)`.
pub fn every_save_applied(
    check: &CheckConfig,
    outcome: &RunOutcome,
    clients: &[ClientConfig],
) -> (bool, String) {
    let Some(store) = outcome.snapshot.as_ref().map(|s| &s.store) else {
        return (
            false,
            "expected every save applied, but the run has no final snapshot".into(),
        );
    };
    let prefix = check.key_prefix.as_deref().unwrap_or_default();
    let newest = newest_sent(check, clients, outcome);
    let mut lost = Vec::new();
    for (doc, (version, client, at_ms)) in &newest {
        let key = format!("{prefix}{doc}");
        let stored = store
            .item(&key)
            .and_then(|item| item.effective_version.as_deref())
            .and_then(|v| Version::parse(v).ok());
        if stored.as_ref().is_some_and(|v| v >= version) {
            continue;
        }
        let holds = match stored {
            Some(v) => format!("it holds {v}"),
            None => "nothing is stored under it".to_string(),
        };
        lost.push(format!(
            "{client} saved {version} of {doc} at {at_ms} ms, but {key} never reached it: {holds}"
        ));
    }
    if lost.is_empty() {
        return (
            true,
            format!(
                "all {} documents end at their newest version sent",
                newest.len()
            ),
        );
    }
    let more = if lost.len() > 2 {
        format!("; and {} more", lost.len() - 2)
    } else {
        String::new()
    };
    (
        false,
        format!(
            "expected every save applied or superseded by a newer version, but {} of {} documents lost their newest save: {}{more}",
            lost.len(),
            newest.len(),
            lost.iter().take(2).cloned().collect::<Vec<_>>().join("; ")
        ),
    )
}
