//! Numbers a lesson quotes, checked against the run they come from.
//!
//! A lesson that says "the stale write shows in 131 of 200 seeds" or "a p99
//! of 8,143 ms" drifts from the app as soon as the engine's timing, the
//! scenario or the seed convention changes. A `figures` block beside the
//! text names each figure, the run it comes from and how it is written;
//! `sim check` and `cargo test` (tests/lesson_figures.rs) rerun each one and
//! fail when the lesson's words and the run disagree. The block is not
//! shown to learners. See docs/authoring.md, "Numbers a lesson quotes".
//!
//! ````text
//! ```figures
//! [[figure]]
//! quote = "131 of 200"          # as written in the lesson; its first number is the figure
//! seeds = 200                   # a sweep of seeds 1-200 ...
//! failing = "no stale overwrite"  # ... counting the seeds this check failed in
//!
//! [[figure]]
//! quote = "8,143 ms"
//! scenario = 2                  # the lesson's 2nd scenario block (default 1)
//! set = { "clients.0.interval_ms" = 300 }  # changed as the text says
//! code = "solution"             # the exercise's solution (or "starting")
//! seed = 136
//! metric = "end_to_end_latency_p99_ms"
//! ```
//! ````

use serde::Deserialize;

use super::lesson_check::lesson_exercises;
use super::parse::{parse_with, Scenario};
use super::source::FileReader;
use super::sweep::{run_seed, sweep, FIRST_SEED};
use crate::lessons::blocks::{blocks_of_kind, Block};
use crate::lessons::passes::LIVE_BLOCKS;

/// The info string of the block.
pub const FIGURES_BLOCK: &str = "figures";

/// A `figures` block.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FiguresFile {
    figure: Vec<Figure>,
}

/// One quoted number and the run it comes from.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// The words of the lesson that hold the number, verbatim.
    pub quote: String,
    /// Which scenario block, from 1.
    #[serde(default = "first")]
    pub scenario: usize,
    /// Scenario fields changed first, by dotted path (`clients.0.rate_per_second`).
    #[serde(default)]
    pub set: toml::Table,
    /// `"solution"` or `"starting"`: the code of the exercise under the block.
    pub code: Option<String>,
    /// One run's seed, with `metric`.
    pub seed: Option<u64>,
    /// The metric of that run.
    pub metric: Option<String>,
    /// The client the metric is of (a client metric, as in the compare
    /// table); all clients together when absent.
    pub client: Option<String>,
    /// A sweep of seeds 1 to `seeds`, with `failing`.
    pub seeds: Option<u64>,
    /// The check whose failing seeds are counted, or `"any"`.
    pub failing: Option<String>,
    /// `"s"`: the quote gives the milliseconds in seconds, one decimal.
    pub unit: Option<String>,
}

fn first() -> usize {
    1
}

/// Every problem with the figures of a lesson, each naming the lesson's
/// line; empty when every figure matches its run (or there is no block).
pub fn check_figures(file: &str, text: &str, files: &dyn FileReader) -> Vec<String> {
    let mut problems = Vec::new();
    let prose = prose_of(text);
    for block in blocks_of_kind(text, FIGURES_BLOCK) {
        let at = format!("{file}:{}", block.first_line);
        let parsed: Result<FiguresFile, _> = toml::from_str(&block.content);
        let figures = match parsed {
            Ok(f) => f.figure,
            Err(e) => {
                problems.push(format!(
                    "{at}: the figures block cannot be read: {}",
                    e.message()
                ));
                continue;
            }
        };
        for figure in figures {
            let what = format!("{at}: figure \"{}\"", figure.quote);
            if !prose.contains(&one_line(&figure.quote)) {
                problems.push(format!("{what}: these words are not in the lesson's text"));
                continue;
            }
            match measure(file, text, files, &figure) {
                Err(e) => problems.push(format!("{what}: {e}")),
                Ok((value, run)) => {
                    if !quotes(&figure.quote, value, figure.unit.as_deref()) {
                        let shown = written(value, figure.unit.as_deref()).join(" or ");
                        problems.push(format!("{what}: {run} gives {shown}"));
                    }
                }
            }
        }
    }
    problems
}

/// The lesson's text without its live blocks (scenario, exercise, figures).
fn prose_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut skipping: Option<String> = None;
    // Lines are joined: a quote may run over a line break.
    for line in text.split_inclusive('\n') {
        let start = line.trim();
        if let Some(fence) = &skipping {
            if start == fence {
                skipping = None;
            }
            continue;
        }
        let ticks = start.chars().take_while(|c| *c == '`').count();
        let info = start[ticks..].split_whitespace().next().unwrap_or("");
        if ticks >= 3 && LIVE_BLOCKS.contains(&info) {
            skipping = Some("`".repeat(ticks));
        } else {
            out.push_str(line);
        }
    }
    one_line(&out)
}

/// `text` with every run of white space made one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The figure's number, and the run it came from in words.
fn measure(
    file: &str,
    text: &str,
    files: &dyn FileReader,
    figure: &Figure,
) -> Result<(u64, String), String> {
    let scenario = figure_scenario(file, text, files, figure)?;
    match (figure.seed, &figure.metric, figure.seeds, &figure.failing) {
        (Some(seed), Some(metric), None, None) => {
            let (report, _) = run_seed(&scenario, seed);
            let (value, whose) = match &figure.client {
                Some(client) => (
                    report.metrics.get_for_client(client, metric),
                    format!(" of {client}"),
                ),
                None => (report.metrics.get(metric), String::new()),
            };
            let value = value.ok_or_else(|| format!("no metric is called `{metric}`"))?;
            Ok((value, format!("seed {seed}'s {metric}{whose}")))
        }
        (None, None, Some(seeds), Some(check)) => {
            let result = sweep(&scenario, FIRST_SEED, seeds);
            let last = FIRST_SEED + seeds - 1;
            let run = format!("seeds {FIRST_SEED}-{last}");
            if check == "any" {
                return Ok((result.failing_seeds, format!("{run} (any check failed)")));
            }
            let found = result.checks.iter().find(|c| &c.name == check);
            let names: Vec<&str> = result.checks.iter().map(|c| c.name.as_str()).collect();
            let c = found.ok_or_else(|| {
                format!(
                    "no check is called `{check}`; the checks: {}",
                    names.join(", ")
                )
            })?;
            Ok((c.failed, format!("{run} (`{check}` failed)")))
        }
        _ => Err("give either `seed` and `metric`, or `seeds` and `failing`".into()),
    }
}

/// The scenario block a figure names, changed by its `set`, with its code.
fn figure_scenario(
    file: &str,
    text: &str,
    files: &dyn FileReader,
    figure: &Figure,
) -> Result<Scenario, String> {
    let blocks = blocks_of_kind(text, "scenario");
    let block: &Block = figure
        .scenario
        .checked_sub(1)
        .and_then(|i| blocks.get(i))
        .ok_or_else(|| format!("the lesson has no scenario block {}", figure.scenario))?;
    let mut table: toml::Table =
        toml::from_str(&block.content).map_err(|e| format!("scenario block: {}", e.message()))?;
    for (path, value) in &figure.set {
        set_path(&mut table, path, value.clone())?;
    }
    let changed = toml::to_string(&table).map_err(|e| e.to_string())?;
    let original = parse_with(file, &block.content, files).map_err(|d| d[0].to_string())?;
    let mut scenario = parse_with(file, &changed, files).map_err(|d| d[0].to_string())?;
    if let Some(which) = &figure.code {
        let (setups, _, _) = lesson_exercises(file, text, files);
        let setup = setups
            .iter()
            .find(|s| s.scenario == original)
            .ok_or("`code` names an exercise, but none follows this scenario block")?;
        let code = match which.as_str() {
            "solution" => setup.exercise.solution.clone(),
            "starting" => setup.starting_code(),
            other => {
                return Err(format!(
                    "`code` is \"solution\" or \"starting\", not \"{other}\""
                ))
            }
        };
        scenario.replace_code(&setup.exercise.function, code)?;
    }
    Ok(scenario)
}

/// Sets `path` (`clients.0.interval_ms`) in `table` to `value`.
fn set_path(table: &mut toml::Table, path: &str, value: toml::Value) -> Result<(), String> {
    let parts: Vec<&str> = path.split('.').collect();
    let (last, walk) = parts.split_last().ok_or("an empty path")?;
    let mut at: &mut toml::Value = table
        .get_mut(walk.first().copied().unwrap_or(last))
        .ok_or_else(|| format!("`set`: the scenario has no `{path}`"))?;
    if walk.is_empty() {
        *at = value;
        return Ok(());
    }
    for part in &walk[1..] {
        at = step(at, part).ok_or_else(|| format!("`set`: the scenario has no `{path}`"))?;
    }
    match at {
        toml::Value::Table(t) => {
            t.insert(last.to_string(), value);
            Ok(())
        }
        toml::Value::Array(items) => {
            let slot = last.parse::<usize>().ok().and_then(|i| items.get_mut(i));
            *slot.ok_or_else(|| format!("`set`: the scenario has no `{path}`"))? = value;
            Ok(())
        }
        _ => Err(format!("`set`: `{path}` is not inside a table")),
    }
}

fn step<'a>(value: &'a mut toml::Value, part: &str) -> Option<&'a mut toml::Value> {
    match value {
        toml::Value::Table(t) => t.get_mut(part),
        toml::Value::Array(items) => items.get_mut(part.parse::<usize>().ok()?),
        _ => None,
    }
}

/// The ways a number may be written: `8143`, `8,143`; in seconds `8.1`.
fn written(value: u64, unit: Option<&str>) -> Vec<String> {
    if unit == Some("s") {
        let tenths = (value + 50) / 100;
        return vec![format!("{}.{}", tenths / 10, tenths % 10)];
    }
    let plain = value.to_string();
    let mut grouped = String::new();
    for (i, c) in plain.chars().enumerate() {
        if i > 0 && (plain.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if grouped == plain {
        vec![plain]
    } else {
        vec![plain, grouped]
    }
}

/// Whether the first number in `quote` is `value` as written ("131 of
/// 200" quotes 131; 13 is not in it, nor is 200).
fn quotes(quote: &str, value: u64, unit: Option<&str>) -> bool {
    first_number(quote).is_some_and(|n| written(value, unit).iter().any(|w| w == n))
}

/// The first number in `text`: digits with the `,` and `.` between them,
/// not glued to a word ("p99" is a name, not a number).
fn first_number(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    let start = (0..bytes.len()).find(|&i| {
        bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric())
    })?;
    let mut end = start;
    while end < bytes.len() {
        let c = bytes[end];
        let joins = (c == b',' || c == b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit);
        if !(c.is_ascii_digit() || joins) {
            break;
        }
        end += 1;
    }
    Some(&text[start..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_found_whole_as_written() {
        assert!(quotes("a p99 of 8,143 ms", 8143, None));
        assert!(quotes("8143 ms", 8143, None));
        assert!(!quotes("18143 ms", 8143, None));
        assert!(!quotes("8,1430 ms", 8143, None));
        assert!(quotes("131 of 200", 131, None));
        assert!(!quotes("131 of 200", 13, None));
        assert!(!quotes("131 of 200", 200, None));
        assert!(quotes("the p99 is 7.4 s", 7_379, Some("s")));
        assert!(quotes("is **12.3 s** instead", 12_349, Some("s")));
        assert!(!quotes("is 12.3 s", 12_351, Some("s")));
    }

    #[test]
    fn a_path_sets_a_field_of_an_array_of_tables() {
        let mut t: toml::Table =
            toml::from_str("[[clients]]\nname = \"a\"\ninterval_ms = 100\n").unwrap();
        set_path(&mut t, "clients.0.interval_ms", toml::Value::Integer(300)).unwrap();
        assert_eq!(t["clients"][0]["interval_ms"].as_integer(), Some(300));
        assert!(set_path(&mut t, "clients.3.interval_ms", toml::Value::Integer(1)).is_err());
        assert!(set_path(&mut t, "nothing.here", toml::Value::Integer(1)).is_err());
    }
}
