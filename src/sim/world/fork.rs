//! Branching a run at its current moment without replaying it (issue 19,
//! `docs/interventions.md`, "Branches").

use super::World;

impl World {
    /// A copy of the world at this moment that goes on independently: the
    /// same future as this one until one of them is acted on, as a replay
    /// from time 0 to here would give, without the replay. Queues,
    /// environments (their globals), the store, timers and the trace are
    /// copied; the compiled handler programs are shared (a program keeps
    /// nothing of one run between invocations, and each world counts its
    /// handlers' operations itself).
    pub fn fork(&self) -> World {
        self.clone()
    }
}
