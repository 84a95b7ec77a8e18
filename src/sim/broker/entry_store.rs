//! A queue's stored messages by key: a slab with an index by key.
//!
//! A queue hands out keys in increasing order and messages leave in roughly
//! the order they came, so the index is a deque of slot numbers from the
//! oldest key still stored to the newest: a lookup is two array reads, an
//! insert a push at the back, and removed keys at the front are dropped from
//! the index. The messages themselves stay put in their slots: an ordered
//! map (the previous design) moved each large entry on every insert and
//! removal and spent about a sixth of a broker run doing so.
//!
//! The price is a word-sized hole per key that left while an older one is
//! still stored (a message that never leaves keeps every later key's hole
//! until it does). Keys come from stored messages, each of which is in the
//! trace, so the index never outgrows the trace limit.

use std::collections::VecDeque;

/// "No slot": the key's message left the queue.
const GONE: u32 = u32::MAX;

/// Values of type `T` by increasing `u64` keys.
#[derive(Clone)]
pub(crate) struct EntryStore<T> {
    /// Key of `index[0]`.
    first_key: u64,
    /// Slot of each key from `first_key` on, or `GONE`.
    index: VecDeque<u32>,
    /// The values; free slots are `None` and listed in `free`.
    slots: Vec<Option<T>>,
    free: Vec<u32>,
    len: usize,
}

impl<T> Default for EntryStore<T> {
    fn default() -> Self {
        EntryStore {
            first_key: 0,
            index: VecDeque::new(),
            slots: Vec::new(),
            free: Vec::new(),
            len: 0,
        }
    }
}

impl<T> EntryStore<T> {
    /// Number of stored values.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Stores `value` under `key`, which is greater than every key stored
    /// before (the queue's key counter only grows).
    pub fn insert(&mut self, key: u64, value: T) {
        if self.index.is_empty() {
            self.first_key = key;
        }
        // Keys the queue skipped (none today) are holes.
        let end = self.first_key + self.index.len() as u64;
        debug_assert!(key >= end, "keys are inserted in increasing order");
        for _ in end..key {
            self.index.push_back(GONE);
        }
        let slot = match self.free.pop() {
            Some(slot) => {
                self.slots[slot as usize] = Some(value);
                slot
            }
            None => {
                // At most `max_messages_per_queue` (100 million at most)
                // values are stored at once, far below `GONE`.
                let slot = u32::try_from(self.slots.len())
                    .ok()
                    .filter(|&slot| slot != GONE)
                    .expect("fewer than 4 billion stored messages");
                self.slots.push(Some(value));
                slot
            }
        };
        self.index.push_back(slot);
        self.len += 1;
    }

    /// The value stored under `key`.
    pub fn get(&self, key: u64) -> Option<&T> {
        let slot = self.slot_of(key)?;
        self.slots[slot].as_ref()
    }

    /// The value stored under `key`, to change.
    pub fn get_mut(&mut self, key: u64) -> Option<&mut T> {
        let slot = self.slot_of(key)?;
        self.slots[slot].as_mut()
    }

    /// Removes and returns the value stored under `key`.
    pub fn remove(&mut self, key: u64) -> Option<T> {
        let position = self.position_of(key)?;
        let slot = std::mem::replace(&mut self.index[position], GONE);
        if slot == GONE {
            return None;
        }
        let value = self.slots[slot as usize].take();
        self.free.push(slot);
        self.len -= 1;
        while self.index.front() == Some(&GONE) {
            self.index.pop_front();
            self.first_key += 1;
        }
        value
    }

    /// The stored values with their keys, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &T)> {
        self.index
            .iter()
            .zip(self.first_key..)
            .filter(|(&slot, _)| slot != GONE)
            .filter_map(|(&slot, key)| Some((key, self.slots[slot as usize].as_ref()?)))
    }

    /// The stored values, in key order.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.iter().map(|(_, value)| value)
    }

    fn position_of(&self, key: u64) -> Option<usize> {
        let offset = key.checked_sub(self.first_key)?;
        let position = usize::try_from(offset).ok()?;
        (position < self.index.len()).then_some(position)
    }

    fn slot_of(&self, key: u64) -> Option<usize> {
        let slot = self.index[self.position_of(key)?];
        (slot != GONE).then_some(slot as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn behaves_like_an_ordered_map() {
        let mut rng = crate::sim::kernel::SimRng::new(3);
        let mut store = EntryStore::default();
        let mut reference = BTreeMap::new();
        let mut next_key = 0;
        for step in 0..20_000u64 {
            if rng.below(5) < 3 {
                next_key += 1 + rng.below(2);
                store.insert(next_key, step);
                reference.insert(next_key, step);
            } else {
                // Mostly old keys, like a queue; sometimes any key.
                let key = match reference.keys().next() {
                    Some(&first) if rng.below(4) > 0 => first + rng.below(3),
                    _ => rng.below(next_key + 2),
                };
                assert_eq!(store.remove(key), reference.remove(&key));
            }
            let probe = rng.below(next_key + 2);
            assert_eq!(store.get(probe), reference.get(&probe));
            assert_eq!(store.len(), reference.len());
        }
        let all: Vec<_> = store.iter().map(|(k, v)| (k, *v)).collect();
        let expected: Vec<_> = reference.iter().map(|(&k, &v)| (k, v)).collect();
        assert_eq!(all, expected);
    }
}
