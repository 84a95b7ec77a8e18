//! FIFO message groups: strict order within a group, one batch at a time.
//!
//! AWS: messages of one group are delivered in the order they were sent, and
//! while any message of a group is in flight no other message of that group is
//! returned; the group unblocks when the in-flight messages are deleted or
//! their visibility timeouts expire. Different groups interleave: a receive
//! takes the group whose head message is oldest, returns as many of its
//! messages as it can, then moves on to the next group.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::sim::name::Name;

#[derive(Clone, Default)]
struct Group {
    /// Stored messages of the group in arrival order (in-flight ones included).
    keys: VecDeque<u64>,
    /// How many of them are in flight.
    in_flight: u32,
    /// The head sequence number under which the group is listed as available.
    listed_as: Option<u64>,
}

/// Every group of a FIFO queue, and which ones can deliver now.
#[derive(Clone, Default)]
pub(crate) struct FifoGroups {
    groups: BTreeMap<Name, Group>,
    /// Groups with no message in flight and a receivable head, ordered by the
    /// head's sequence number (oldest first).
    available: BTreeSet<(u64, Name)>,
}

impl FifoGroups {
    /// Appends a newly stored message to its group.
    pub fn push(&mut self, group: &Name, key: u64) {
        self.groups
            .entry(group.clone())
            .or_default()
            .keys
            .push_back(key);
    }

    /// Removes a message from its group (deleted, expired, moved).
    pub fn remove(&mut self, group: &Name, key: u64, was_in_flight: bool) {
        if let Some(g) = self.groups.get_mut(group) {
            if let Some(pos) = g.keys.iter().position(|&k| k == key) {
                g.keys.remove(pos);
            }
            if was_in_flight {
                g.in_flight = g.in_flight.saturating_sub(1);
            }
        }
    }

    /// Counts a message of the group as in flight.
    pub fn mark_in_flight(&mut self, group: &Name) {
        if let Some(g) = self.groups.get_mut(group) {
            g.in_flight += 1;
        }
    }

    /// Counts a message of the group as no longer in flight.
    pub fn mark_visible(&mut self, group: &Name) {
        if let Some(g) = self.groups.get_mut(group) {
            g.in_flight = g.in_flight.saturating_sub(1);
        }
    }

    /// The `index`-th stored message of the group.
    pub fn key_at(&self, group: &Name, index: usize) -> Option<u64> {
        self.groups
            .get(group)
            .and_then(|g| g.keys.get(index).copied())
    }

    /// Takes the available group with the oldest head off the list.
    pub fn pop_available(&mut self) -> Option<Name> {
        let (_, name) = self.available.pop_first()?;
        if let Some(g) = self.groups.get_mut(&name) {
            g.listed_as = None;
        }
        Some(name)
    }

    /// True if some group can deliver now.
    pub fn any_available(&self) -> bool {
        !self.available.is_empty()
    }

    /// Re-derives whether `group` is available. `head_ready` gives, for a
    /// message key, its sequence number if it is receivable now.
    pub fn refresh(&mut self, group: &Name, head_ready: impl Fn(u64) -> Option<u64>) {
        let Some(g) = self.groups.get_mut(group) else {
            return;
        };
        let wanted = if g.in_flight == 0 {
            g.keys.front().and_then(|&key| head_ready(key))
        } else {
            None
        };
        if g.listed_as != wanted {
            if let Some(old) = g.listed_as.take() {
                self.available.remove(&(old, group.clone()));
            }
            if let Some(seq) = wanted {
                self.available.insert((seq, group.clone()));
            }
            g.listed_as = wanted;
        }
        if g.keys.is_empty() && g.in_flight == 0 {
            self.groups.remove(group);
        }
    }
}
