//! Lets a component stop the slices of work it started (a run, a sweep)
//! when the learner presses Stop, starts another one, or leaves the page.
//!
//! Why not a signal: a task's next slice may wake after the component is
//! gone, and reading a disposed reactive value panics ("Tried to access a
//! reactive value that has already been disposed"). The gate is plain
//! shared memory, alive as long as any task holds it, so a task asks it
//! first and returns without touching any signal once it is closed.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

/// A generation counter shared by a component and its tasks.
#[derive(Clone, Debug, Default)]
pub struct TaskGate(Arc<Inner>);

#[derive(Debug, Default)]
struct Inner {
    generation: AtomicU64,
    closed: AtomicBool,
}

impl TaskGate {
    /// Starts a new task, which replaces any earlier one; returns its id.
    pub fn begin(&self) -> u64 {
        self.0.generation.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Whether task `id` should go on: it is the latest, not stopped, and
    /// the component is still shown.
    pub fn is_current(&self, id: u64) -> bool {
        !self.0.closed.load(Ordering::Relaxed) && self.0.generation.load(Ordering::Relaxed) == id
    }

    /// Stops the current task (Stop); a later `begin` starts a new one.
    pub fn cancel(&self) {
        self.0.generation.fetch_add(1, Ordering::Relaxed);
    }

    /// Stops every task for good: the component is being removed.
    pub fn close(&self) {
        self.0.closed.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_task_replaces_the_old_one() {
        let gate = TaskGate::default();
        let first = gate.begin();
        assert!(gate.is_current(first));
        let second = gate.begin();
        assert!(!gate.is_current(first));
        assert!(gate.is_current(second));
    }

    #[test]
    fn cancel_stops_the_current_task_and_allows_another() {
        let gate = TaskGate::default();
        let id = gate.begin();
        gate.cancel();
        assert!(!gate.is_current(id));
        let next = gate.begin();
        assert!(gate.is_current(next));
    }

    #[test]
    fn close_stops_every_task_for_good_and_is_seen_by_clones() {
        let gate = TaskGate::default();
        let task_side = gate.clone();
        let id = task_side.begin();
        gate.close();
        assert!(!task_side.is_current(id));
        let after = gate.begin();
        assert!(!task_side.is_current(after));
    }
}
