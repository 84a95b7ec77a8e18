//! The simulation engine: pure and deterministic (see design section 3).
