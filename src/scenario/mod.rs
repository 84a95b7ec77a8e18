//! Scenarios: the TOML format for whole systems, workloads, checks, sweeps.
//! Filled in by the scenario work (issue 5); nothing here yet.
