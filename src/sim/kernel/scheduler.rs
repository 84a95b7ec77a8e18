//! The agenda: events ordered by (time, order of scheduling).
//!
//! Two events at the same millisecond run in the order they were scheduled
//! (an implicit sequence number), so the order is total and every platform
//! pops the same event.

use std::collections::{BTreeMap, VecDeque};

/// Milliseconds covered by the ring of near-future slots (a power of two).
/// Enough for nearly every timer: deliveries, processing, polls and the
/// default 30-second visibility timeout. Later ones (long retries,
/// retention) wait in an ordered map.
const RING_MS: u64 = 65_536;

/// Bits per word of the occupancy bitmap.
const WORD_BITS: u64 = 64;

/// "No node": the end of a slot's list, or an empty slot.
const NIL: u32 = u32::MAX;

/// A priority queue of events of type `E`: a calendar of time slots, each a
/// FIFO of the events scheduled for that millisecond.
///
/// Equivalent to a heap ordered by (time, sequence number). The next
/// [`RING_MS`] milliseconds are a ring of slots indexed by time, so
/// scheduling an event there is an index and a link; an ordered map per
/// event (an earlier design) spent most of its time searching. Events
/// further out wait in a map of slots and move into the ring when their time
/// comes within reach, ahead of anything the ring already holds for that
/// millisecond (they were scheduled earlier).
///
/// A slot is a singly linked list through one shared pool of nodes, not a
/// `VecDeque` of its own: with a deque per slot, every slot a run touched
/// allocated and grew its buffer (65,536 of them per run), which cost about
/// a twentieth of a broker run. Freed nodes are reused, so a run in steady
/// state does not allocate. A bitmap of non-empty slots finds the next
/// event without visiting empty slots one by one.
#[derive(Clone)]
pub struct Scheduler<E> {
    /// The earliest time that can still hold events: the time being
    /// processed. The ring covers `now..now + RING_MS`.
    now: u64,
    /// Slot `t % RING_MS`: the first and last node of the events at time `t`
    /// (`NIL` when empty).
    slots: Vec<Slot>,
    /// Bit `t % RING_MS` is set when that slot holds an event.
    occupied: Vec<u64>,
    /// Every node; free ones are chained from `free`.
    nodes: Vec<Node<E>>,
    /// First free node (`NIL` when none).
    free: u32,
    /// Events in the ring.
    ring_len: usize,
    /// Events at `now + RING_MS` or later, by time.
    far: BTreeMap<u64, VecDeque<E>>,
    len: usize,
}

#[derive(Clone, Copy)]
struct Slot {
    head: u32,
    tail: u32,
}

const EMPTY_SLOT: Slot = Slot {
    head: NIL,
    tail: NIL,
};

/// An event in a slot's list, or a free node (`event` is `None`).
#[derive(Clone)]
struct Node<E> {
    event: Option<E>,
    next: u32,
}

impl<E> Default for Scheduler<E> {
    fn default() -> Self {
        Scheduler {
            now: 0,
            slots: vec![EMPTY_SLOT; RING_MS as usize],
            occupied: vec![0; (RING_MS / WORD_BITS) as usize],
            nodes: Vec::new(),
            free: NIL,
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
            let node = self.new_node(event);
            self.append(time_ms, node, node);
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
        // Usually it is the current one (the kernel asks before every step).
        if self.slot(self.now).head != NIL {
            return Some(self.now);
        }
        self.next_occupied()
    }

    /// Removes and returns the earliest event.
    pub fn pop(&mut self) -> Option<(u64, E)> {
        if self.slot(self.now).head == NIL {
            let next = self.peek_time()?;
            self.advance_to(next);
        }
        let event = self.unlink_first(self.now)?;
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
            let older = entry.remove();
            self.ring_len += older.len();
            self.prepend(time, older);
        }
    }

    /// Puts `events` (scheduled earlier than anything the slot of `time_ms`
    /// holds) at the front of that slot, in their order.
    fn prepend(&mut self, time_ms: u64, events: VecDeque<E>) {
        let (mut head, mut tail) = (NIL, NIL);
        for event in events {
            let node = self.new_node(event);
            if head == NIL {
                head = node;
            } else {
                self.nodes[tail as usize].next = node;
            }
            tail = node;
        }
        if head == NIL {
            return;
        }
        let slot = self.slot(time_ms);
        if slot.head == NIL {
            self.append(time_ms, head, tail);
        } else {
            self.nodes[tail as usize].next = slot.head;
            self.slot_mut(time_ms).head = head;
        }
    }

    /// Links the chain `first..=last` after the events of `time_ms`'s slot.
    fn append(&mut self, time_ms: u64, first: u32, last: u32) {
        let index = Self::index(time_ms);
        let slot = &mut self.slots[index];
        if slot.tail == NIL {
            slot.head = first;
            self.occupied[index / WORD_BITS as usize] |= 1 << (index as u64 % WORD_BITS);
        } else {
            self.nodes[slot.tail as usize].next = first;
        }
        slot.tail = last;
    }

    /// Takes the first event of `time_ms`'s slot, freeing its node.
    fn unlink_first(&mut self, time_ms: u64) -> Option<E> {
        let index = Self::index(time_ms);
        let head = self.slots[index].head;
        if head == NIL {
            return None;
        }
        let node = &mut self.nodes[head as usize];
        let event = node.event.take();
        let next = std::mem::replace(&mut node.next, self.free);
        self.free = head;
        let slot = &mut self.slots[index];
        slot.head = next;
        if next == NIL {
            slot.tail = NIL;
            self.occupied[index / WORD_BITS as usize] &= !(1 << (index as u64 % WORD_BITS));
        }
        event
    }

    /// A node holding `event` (a free one if any), not linked anywhere.
    fn new_node(&mut self, event: E) -> u32 {
        if self.free != NIL {
            let index = self.free;
            let node = &mut self.nodes[index as usize];
            self.free = node.next;
            node.event = Some(event);
            node.next = NIL;
            return index;
        }
        // Node indices are u32 to keep slots small; the pending-event limit
        // (at most 100 million) keeps them far below `NIL`.
        let index = u32::try_from(self.nodes.len())
            .ok()
            .filter(|&index| index != NIL)
            .expect("fewer than 4 billion pending events");
        self.nodes.push(Node {
            event: Some(event),
            next: NIL,
        });
        index
    }

    /// The first time at or after `now` whose slot holds an event, within
    /// the ring's reach.
    fn next_occupied(&self) -> Option<u64> {
        let start = Self::index(self.now) as u64;
        let words = self.occupied.len() as u64;
        // Visit the words from the one holding `start`, wrapping around, and
        // once more the first word (for bits before `start` in it).
        for step in 0..=words {
            let word = (start / WORD_BITS + step) % words;
            let mut bits = self.occupied[word as usize];
            if step == 0 {
                bits &= u64::MAX << (start % WORD_BITS);
            } else if step == words {
                bits &= !(u64::MAX << (start % WORD_BITS));
            }
            if bits != 0 {
                let index = word * WORD_BITS + u64::from(bits.trailing_zeros());
                let ahead = (index + RING_MS - start) % RING_MS;
                return Some(self.now + ahead);
            }
        }
        None
    }

    fn index(time_ms: u64) -> usize {
        (time_ms % RING_MS) as usize
    }

    fn slot(&self, time_ms: u64) -> Slot {
        self.slots[Self::index(time_ms)]
    }

    fn slot_mut(&mut self, time_ms: u64) -> &mut Slot {
        &mut self.slots[Self::index(time_ms)]
    }

    /// Number of scheduled events.
    pub fn len(&self) -> usize {
        self.len
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
