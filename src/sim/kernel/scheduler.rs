//! The agenda: events ordered by (time, order of scheduling).
//!
//! Two events at the same millisecond run in the order they were scheduled
//! (an implicit sequence number), so the order is total and every platform
//! pops the same event.

use std::collections::{BTreeMap, VecDeque};

/// Milliseconds covered by the ring of near-future slots (a power of two).
/// Enough for nearly every timer: deliveries, processing, polls and the
/// default 30-second visibility timeout. Later ones (long retries,
/// retention) wait in an ordered map. The ring costs 2 MB per run.
const RING_MS: u64 = 65_536;

/// A priority queue of events of type `E`: a calendar of time slots, each a
/// FIFO of the events scheduled for that millisecond.
///
/// Equivalent to a heap ordered by (time, sequence number). The next
/// [`RING_MS`] milliseconds are a ring of slots indexed by time, so
/// scheduling an event there is an index and a `push_back`; an ordered map
/// per event (the previous design) spent most of its time searching. Events
/// further out wait in a map of slots and move into the ring when their time
/// comes within reach, ahead of anything the ring already holds for that
/// millisecond (they were scheduled earlier).
pub struct Scheduler<E> {
    /// The earliest time that can still hold events: the time being
    /// processed. The ring covers `now..now + RING_MS`.
    now: u64,
    /// Slot `t % RING_MS` holds the events at time `t`; emptied slots keep
    /// their capacity for the times that reuse them.
    ring: Vec<VecDeque<E>>,
    /// Events in the ring.
    ring_len: usize,
    /// Events at `now + RING_MS` or later, by time.
    far: BTreeMap<u64, VecDeque<E>>,
    len: usize,
}

impl<E> Default for Scheduler<E> {
    fn default() -> Self {
        Scheduler {
            now: 0,
            ring: (0..RING_MS).map(|_| VecDeque::new()).collect(),
            ring_len: 0,
            far: BTreeMap::new(),
            len: 0,
        }
    }
}

impl<E> Scheduler<E> {
    /// Adds `event` at `time_ms`, after every event already at `time_ms`.
    /// Times before the time being processed count as that time.
    pub fn push(&mut self, time_ms: u64, event: E) {
        let time_ms = time_ms.max(self.now);
        self.len += 1;
        if time_ms - self.now < RING_MS {
            self.ring_len += 1;
            self.slot_mut(time_ms).push_back(event);
        } else {
            self.far.entry(time_ms).or_default().push_back(event);
        }
    }

    /// The time of the earliest event.
    pub fn peek_time(&self) -> Option<u64> {
        if self.ring_len == 0 {
            return self.far.keys().next().copied();
        }
        // Some slot within reach holds an event; far events are later.
        (self.now..self.now + RING_MS).find(|&t| !self.slot(t).is_empty())
    }

    /// Removes and returns the earliest event.
    pub fn pop(&mut self) -> Option<(u64, E)> {
        if self.slot(self.now).is_empty() {
            let next = self.peek_time()?;
            self.advance_to(next);
        }
        let event = self.slot_mut(self.now).pop_front()?;
        self.ring_len -= 1;
        self.len -= 1;
        Some((self.now, event))
    }

    /// Moves the ring forward to `time_ms` (no event is earlier), and brings
    /// far slots that came within reach into it.
    fn advance_to(&mut self, time_ms: u64) {
        self.now = time_ms;
        while let Some(entry) = self.far.first_entry() {
            let time = *entry.key();
            if time - self.now >= RING_MS {
                break;
            }
            let mut older = entry.remove();
            self.ring_len += older.len();
            let slot = self.slot_mut(time);
            // Far events were scheduled before any the ring holds for `time`.
            older.append(slot);
            std::mem::swap(slot, &mut older);
        }
    }

    fn slot(&self, time_ms: u64) -> &VecDeque<E> {
        &self.ring[(time_ms % RING_MS) as usize]
    }

    fn slot_mut(&mut self, time_ms: u64) -> &mut VecDeque<E> {
        &mut self.ring[(time_ms % RING_MS) as usize]
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
        matches_reference(9, |rng| rng.below(4) * rng.below(3));
    }

    #[test]
    fn far_events_keep_their_order_when_they_come_within_reach() {
        // Offsets around and beyond the ring's reach, with repeats, so far
        // slots merge into ring slots that already hold later events.
        matches_reference(4, |rng| rng.below(3) * (RING_MS - 2 + rng.below(4)));
        matches_reference(7, |rng| rng.below(3 * RING_MS));
    }

    fn matches_reference(seed: u64, offset: impl Fn(&mut crate::sim::kernel::SimRng) -> u64) {
        let mut rng = crate::sim::kernel::SimRng::new(seed);
        let mut s = Scheduler::default();
        let mut reference: Vec<(u64, u64)> = Vec::new();
        let mut now = 0;
        let mut seq = 0;
        for _ in 0..5_000 {
            if rng.below(3) > 0 || reference.is_empty() {
                let at = now + offset(&mut rng);
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
