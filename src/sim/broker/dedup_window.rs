//! FIFO deduplication: the 5-minute memory of deduplication ids.
//!
//! AWS: "If a message with a particular message deduplication ID is sent
//! successfully, any messages sent with the same message deduplication ID are
//! accepted successfully but aren't delivered during the 5-minute
//! deduplication interval." The interval starts at the first accepted send and
//! is not extended by duplicates, and it outlives the message: deleting the
//! first copy does not let a second one through.

use std::collections::{BTreeMap, VecDeque};

use crate::sim::aws::DEDUP_WINDOW_MS;
use crate::sim::kernel::rng::fnv1a64;
use crate::sim::name::Name;
use crate::sim::trace::MessageId;

/// Deduplication ids seen in the last 5 minutes.
#[derive(Clone, Default)]
pub(crate) struct DedupWindow {
    seen: BTreeMap<Name, (u64, MessageId)>,
    expiry: VecDeque<(u64, Name)>,
}

impl DedupWindow {
    /// The message accepted with `dedup_id` less than 5 minutes before
    /// `now_ms`, if any.
    pub fn original(&mut self, dedup_id: &Name, now_ms: u64) -> Option<MessageId> {
        self.forget_expired(now_ms);
        self.seen.get(dedup_id).map(|&(_, id)| id)
    }

    /// Remembers an accepted send.
    pub fn remember(&mut self, dedup_id: Name, message_id: MessageId, now_ms: u64) {
        self.expiry
            .push_back((now_ms + DEDUP_WINDOW_MS, dedup_id.clone()));
        self.seen.insert(dedup_id, (now_ms, message_id));
    }

    fn forget_expired(&mut self, now_ms: u64) {
        // Accept times only grow, so expiries are in order.
        while let Some((expires_at, _)) = self.expiry.front() {
            if *expires_at > now_ms {
                break;
            }
            if let Some((_, id)) = self.expiry.pop_front() {
                if let Some(&(accepted_at, _)) = self.seen.get(&id) {
                    if accepted_at + DEDUP_WINDOW_MS <= now_ms {
                        self.seen.remove(&id);
                    }
                }
            }
        }
    }
}

/// The content-based deduplication id of a body. AWS uses SHA-256; a 64-bit
/// FNV-1a hash behaves the same within a simulation's few million messages
/// (no collision is observable) and keeps the engine dependency-free.
pub(crate) fn content_dedup_id(body: &str) -> Name {
    Name::from(format!("sha-{:016x}", fnv1a64(body.as_bytes())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_remembered_for_exactly_five_minutes() {
        let mut window = DedupWindow::default();
        let id = Name::new("d1");
        window.remember(id.clone(), MessageId(1), 1_000);
        assert_eq!(
            window.original(&id, 1_000 + DEDUP_WINDOW_MS - 1),
            Some(MessageId(1))
        );
        assert_eq!(window.original(&id, 1_000 + DEDUP_WINDOW_MS), None);
    }
}
