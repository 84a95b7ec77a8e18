//! Rules AWS enforces when a resource is created, checked when a scenario
//! is parsed (exit 2 in the CLI) rather than left to the engine, whose own
//! tests build small worlds without them. See docs/scenarios.md,
//! "`[[queues]]`", "`[[topics]]`" and "`[account]`".

use super::format::ScenarioFile;
use super::problem::Problem;

/// The unreserved concurrency AWS keeps for functions without a
/// reservation: "Lambda requires at least 100 unreserved concurrency"
/// (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html).
pub const UNRESERVED_CONCURRENCY_MIN: u64 = 100;

/// FIFO names end in `.fifo`, standard names do not (CreateQueue: "A FIFO
/// queue name must end with the .fifo suffix"; CreateTopic: the same for
/// FIFO topics), and reservations leave at least 100 unreserved.
pub fn problems(file: &ScenarioFile) -> Vec<Problem> {
    let mut out = Vec::new();
    for (i, q) in file.queues.iter().enumerate() {
        fifo_suffix(&mut out, &format!("queues[{i}]"), "queue", &q.name, q.fifo);
    }
    for (i, t) in file.topics.iter().enumerate() {
        fifo_suffix(&mut out, &format!("topics[{i}]"), "topic", &t.name, t.fifo);
    }
    reserved_concurrency(&mut out, file);
    out
}

fn fifo_suffix(out: &mut Vec<Problem>, base: &str, kind: &str, name: &str, fifo: bool) {
    let suffixed = name.ends_with(".fifo");
    if fifo && !suffixed {
        out.push(Problem {
            field: format!("{base}.name"),
            message: format!(
                "a FIFO {kind}'s name must end with .fifo, as on AWS: '{name}' does not"
            ),
            suggestion: Some(format!("name = \"{name}.fifo\"")),
        });
    } else if !fifo && suffixed {
        out.push(Problem {
            field: format!("{base}.fifo"),
            message: format!(
                "'{name}' ends with .fifo, which AWS reserves for FIFO {kind}s, but fifo is not true"
            ),
            suggestion: Some("fifo = true".into()),
        });
    }
}

fn reserved_concurrency(out: &mut Vec<Problem>, file: &ScenarioFile) {
    let limit = u64::from(file.account.concurrency_limit);
    let mut total = 0u64;
    let mut last = None;
    for (i, f) in file.functions.iter().enumerate() {
        let reserved = f.settings.get("reserved_concurrency");
        if let Some(n) = reserved.and_then(|v| v.as_integer()) {
            total = total.saturating_add(u64::try_from(n).unwrap_or(0));
            last = Some(i);
        }
    }
    let Some(i) = last else { return };
    if total.saturating_add(UNRESERVED_CONCURRENCY_MIN) > limit {
        out.push(Problem {
            field: format!("functions[{i}].reserved_concurrency"),
            message: format!(
                "the reservations add up to {total} of the account's {limit}, leaving {} unreserved; AWS keeps at least {UNRESERVED_CONCURRENCY_MIN} unreserved",
                limit.saturating_sub(total)
            ),
            suggestion: Some(format!(
                "raise [account] concurrency_limit to at least {}",
                total.saturating_add(UNRESERVED_CONCURRENCY_MIN)
            )),
        });
    }
}
