//! A whole run of a scenario with a list of interventions (issue 19,
//! `docs/interventions.md`): the run goes to each intervention's moment,
//! applies it, and goes on to where it would stop anyway. Refused ones are
//! kept with their reason; the run goes on without them.

use serde::Serialize;

use super::outcome::{RunOutcome, Runner};
use super::parse::Scenario;
use crate::sim::{Intervention, RefusalKind};

/// An intervention the run did not apply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RefusedIntervention {
    /// Its position in the list given (from 0).
    pub index: usize,
    /// Its moment.
    pub at_ms: u64,
    /// The kind of reason.
    pub kind: RefusalKind,
    /// Why, in words.
    pub message: String,
}

/// What a run with interventions left behind.
#[derive(Clone, Debug, Default)]
pub struct IntervenedRun {
    /// The run, as [`super::outcome::run`] gives it.
    pub outcome: RunOutcome,
    /// How many interventions were applied.
    pub applied: usize,
    /// The ones refused, in the order tried.
    pub refused: Vec<RefusedIntervention>,
}

/// Runs the scenario with `seed`, applying `list` in `at_ms` order (ties in
/// list order). An intervention after the scenario's `run_until_ms`, or
/// after the run failed, is refused.
pub fn run_with_interventions(
    scenario: &Scenario,
    seed: u64,
    list: &[Intervention],
) -> IntervenedRun {
    let mut order: Vec<usize> = (0..list.len()).collect();
    order.sort_by_key(|&i| list[i].at_ms);
    let end_ms = scenario.config.scenario.run_until_ms;
    let mut runner = Runner::start(scenario, seed);
    let mut run = IntervenedRun::default();
    for index in order {
        let iv = &list[index];
        let refuse = |kind, message: String| RefusedIntervention {
            index,
            at_ms: iv.at_ms,
            kind,
            message,
        };
        if let Some(end) = end_ms.filter(|end| iv.at_ms > *end) {
            let why = format!("the run ends at {end} ms, before {} ms", iv.at_ms);
            run.refused.push(refuse(RefusalKind::WrongTime, why));
            continue;
        }
        match runner.act(|world| world.run_and_intervene(iv)) {
            Some(Ok(())) => run.applied += 1,
            Some(Err(refusal)) => run.refused.push(refuse(refusal.kind, refusal.message)),
            None => {
                let why = "the run stopped before this moment (see its error)".to_string();
                run.refused.push(refuse(RefusalKind::Engine, why));
            }
        }
    }
    run.outcome = runner.finish_now();
    run
}
