//! The agenda: events ordered by (time, order of scheduling).
//!
//! Two events at the same millisecond run in the order they were scheduled
//! (an implicit sequence number), so the order is total and every platform
//! pops the same event.

use std::collections::{BTreeMap, VecDeque};

/// A priority queue of events of type `E`: a calendar of time slots, each a
/// FIFO of the events scheduled for that millisecond.
///
/// Equivalent to a heap ordered by (time, sequence number), but popping the
/// earliest event only touches the leftmost slot, which stays hot in cache;
/// a binary heap of a few hundred thousand pending timers spent most of its
/// time in cache misses while sifting.
pub struct Scheduler<E> {
    /// The slot being drained: its time and its remaining events. Events
    /// scheduled for that same millisecond (the common case: wake-ups and
    /// follow-ups "now") are appended here without touching the map.
    current_time: u64,
    current: VecDeque<E>,
    slots: BTreeMap<u64, VecDeque<E>>,
    /// Emptied slot queues, reused to avoid an allocation per time slot.
    spare: Vec<VecDeque<E>>,
    len: usize,
}

impl<E> Default for Scheduler<E> {
    fn default() -> Self {
        Scheduler {
            current_time: 0,
            current: VecDeque::new(),
            slots: BTreeMap::new(),
            spare: Vec::new(),
            len: 0,
        }
    }
}

impl<E> Scheduler<E> {
    /// Adds `event` at `time_ms`, after every event already at `time_ms`.
    pub fn push(&mut self, time_ms: u64, event: E) {
        self.len += 1;
        if time_ms == self.current_time && !self.current.is_empty() {
            self.current.push_back(event);
            return;
        }
        let spare = &mut self.spare;
        self.slots
            .entry(time_ms)
            .or_insert_with(|| spare.pop().unwrap_or_default())
            .push_back(event);
    }

    /// The time of the earliest event.
    pub fn peek_time(&self) -> Option<u64> {
        if self.current.is_empty() {
            self.slots.keys().next().copied()
        } else {
            Some(self.current_time)
        }
    }

    /// Removes and returns the earliest event.
    pub fn pop(&mut self) -> Option<(u64, E)> {
        if self.current.is_empty() {
            // Events in the map are all later than `current_time`: anything
            // scheduled at `current_time` went to `current`, and nothing is
            // scheduled before the time being processed.
            let (time_ms, next) = self.slots.pop_first()?;
            let drained = std::mem::replace(&mut self.current, next);
            if self.spare.len() < 64 {
                self.spare.push(drained);
            }
            self.current_time = time_ms;
        }
        let event = self.current.pop_front()?;
        self.len -= 1;
        Some((self.current_time, event))
    }

    /// Number of scheduled events.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True if nothing is scheduled.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_by_time_then_by_schedule_order() {
        let mut s = Scheduler::default();
        s.push(10, "c");
        s.push(5, "a");
        s.push(10, "d");
        s.push(5, "b");
        let order: Vec<_> = std::iter::from_fn(|| s.pop()).collect();
        assert_eq!(order, vec![(5, "a"), (5, "b"), (10, "c"), (10, "d")]);
    }

    #[test]
    fn matches_a_reference_ordered_by_time_then_sequence() {
        let mut rng = crate::sim::kernel::SimRng::new(9);
        let mut s = Scheduler::default();
        let mut reference: Vec<(u64, u64)> = Vec::new();
        let mut now = 0;
        let mut seq = 0;
        for _ in 0..5_000 {
            if rng.below(3) > 0 || reference.is_empty() {
                let at = now + rng.below(4) * rng.below(3);
                s.push(at, seq);
                reference.push((at, seq));
                seq += 1;
            } else {
                reference.sort_unstable();
                let expected = reference.remove(0);
                let (time, got) = s.pop().unwrap();
                assert_eq!((time, got), expected);
                now = time;
            }
            assert_eq!(s.len(), reference.len());
        }
    }
}
