//! An ordered map for keys that mostly arrive in increasing order: receipt
//! handles (a run-wide counter), a topic's deliveries under way (by message
//! id, also a counter), and a queue's receivable messages and expiry times
//! (by time, which only grows, then key).
//!
//! The entries are a deque sorted by key. A new key is pushed at the back, a
//! lookup is a binary search, and a removal leaves a tombstone that is
//! dropped once it reaches either end. These maps took an insert and a
//! removal per message, and a `BTreeMap` spent a few hundred instructions on
//! each (node search, shifting, rebalancing, allocation); here each is a
//! push or a short binary search.
//!
//! The price is a tombstone per key removed while an older one is still
//! present (a delivery retried for days keeps the later ones' tombstones
//! until it ends). Every key comes with an event in the trace, so the deque
//! never outgrows the trace limit.

use std::collections::VecDeque;

/// A map from `K` to `V`, iterated in key order, cheapest when keys are
/// inserted in increasing order and removed roughly in that order.
#[derive(Clone)]
pub(crate) struct AppendMap<K, V> {
    /// Sorted by key; `None` marks a removed entry.
    entries: VecDeque<(K, Option<V>)>,
    len: usize,
}

impl<K, V> Default for AppendMap<K, V> {
    fn default() -> Self {
        AppendMap {
            entries: VecDeque::new(),
            len: 0,
        }
    }
}

impl<K: Ord + Copy, V> AppendMap<K, V> {
    /// True if no key is present.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Sets the value of `key`.
    pub fn insert(&mut self, key: K, value: V) {
        if self.entries.back().is_none_or(|(last, _)| *last < key) {
            self.entries.push_back((key, Some(value)));
            self.len += 1;
            return;
        }
        match self.search(&key) {
            Ok(position) => {
                let slot = &mut self.entries[position].1;
                self.len += usize::from(slot.is_none());
                *slot = Some(value);
            }
            // An older key than the newest (a message moved in with its
            // original expiry, say): shifts the shorter side of the deque.
            Err(position) => {
                self.entries.insert(position, (key, Some(value)));
                self.len += 1;
            }
        }
    }

    /// The value of `key`.
    pub fn get(&self, key: &K) -> Option<&V> {
        let position = self.search(key).ok()?;
        self.entries[position].1.as_ref()
    }

    /// Removes `key`; returns its value.
    pub fn remove(&mut self, key: &K) -> Option<V> {
        let position = self.search(key).ok()?;
        let value = self.entries[position].1.take()?;
        self.len -= 1;
        self.trim();
        Some(value)
    }

    /// The smallest key.
    pub fn first_key(&self) -> Option<&K> {
        // Both ends always hold a value (see `trim`).
        self.entries.front().map(|(key, _)| key)
    }

    /// Removes the entry with the smallest key.
    pub fn pop_first(&mut self) -> Option<(K, V)> {
        let (key, value) = self.entries.pop_front()?;
        self.len -= 1;
        self.trim();
        Some((key, value?))
    }

    /// Drops the tombstones at both ends, so the first and last entries
    /// are present ones.
    fn trim(&mut self) {
        while self.entries.front().is_some_and(|(_, v)| v.is_none()) {
            self.entries.pop_front();
        }
        while self.entries.back().is_some_and(|(_, v)| v.is_none()) {
            self.entries.pop_back();
        }
    }

    /// The entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.entries
            .iter()
            .filter_map(|(key, value)| Some((key, value.as_ref()?)))
    }

    fn search(&self, key: &K) -> Result<usize, usize> {
        // Keys mostly leave oldest first: try the front before searching.
        if self.entries.front().is_some_and(|(first, _)| first == key) {
            return Ok(0);
        }
        self.entries.binary_search_by(|(k, _)| k.cmp(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn behaves_like_an_ordered_map() {
        let mut rng = crate::sim::kernel::SimRng::new(5);
        let mut map = AppendMap::default();
        let mut reference = BTreeMap::new();
        let mut next = 0u64;
        for step in 0..20_000u64 {
            let key = match rng.below(6) {
                // Mostly new keys, sometimes an old one (insert or update).
                0..=2 => {
                    next += 1 + rng.below(3);
                    next
                }
                3 => rng.below(next + 2),
                4 => {
                    let key = reference.keys().next().copied().unwrap_or(0);
                    assert_eq!(map.remove(&key), reference.remove(&key));
                    continue;
                }
                _ => {
                    assert_eq!(map.first_key(), reference.keys().next());
                    assert_eq!(map.pop_first(), reference.pop_first());
                    continue;
                }
            };
            if rng.below(3) == 0 {
                assert_eq!(map.remove(&key), reference.remove(&key));
            } else {
                map.insert(key, step);
                reference.insert(key, step);
            }
            let probe = rng.below(next + 2);
            assert_eq!(map.get(&probe), reference.get(&probe));
            assert_eq!(map.is_empty(), reference.is_empty());
        }
        let all: Vec<_> = map.iter().map(|(&k, &v)| (k, v)).collect();
        let expected: Vec<_> = reference.iter().map(|(&k, &v)| (k, v)).collect();
        assert_eq!(all, expected);
    }
}
