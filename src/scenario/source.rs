//! Where scenario text comes from: a `.toml` file, or the ```` ```scenario ````
//! block of a lesson `.md` file. Files are read through a [`FileReader`]
//! so the browser can supply them (uploads, built-in lessons) and the
//! native runner can read the disk; this module itself touches no disk.

use super::diagnostic::Diagnostic;
pub use super::files::{relative_to, FileReader, MemoryFiles};
use super::limits::MAX_SCENARIO_BYTES;
use super::parse::{parse_with, Scenario};
use crate::lessons::blocks::{blocks_of_kind, Block};
use crate::lessons::model::MAX_LESSON_BYTES;

/// Loads a scenario from a `.toml` file or a lesson `.md` file (its first
/// scenario block).
pub fn load(path: &str, files: &dyn FileReader) -> Result<Scenario, Vec<Diagnostic>> {
    let text = files
        .read(path)
        .map_err(|e| vec![Diagnostic::new(path, e)])?;
    if path.ends_with(".md") {
        let mut scenarios = lesson_scenarios(path, &text, files);
        if scenarios.is_empty() {
            return Err(vec![Diagnostic::new(
                path,
                "this lesson has no ```scenario block; a lesson used as a scenario needs one",
            )]);
        }
        scenarios.remove(0)
    } else {
        parse_with(path, &text, files)
    }
}

/// Loads a scenario like [`load`], choosing a lesson's scenario block:
/// `block` is its 1-based number or its scenario's `name` (none: the
/// first). A `.toml` file has one scenario, so `block` must be none or 1.
pub fn load_block(
    path: &str,
    files: &dyn FileReader,
    block: Option<&str>,
) -> Result<Scenario, Vec<Diagnostic>> {
    let Some(wanted) = block else {
        return load(path, files);
    };
    let text = files
        .read(path)
        .map_err(|e| vec![Diagnostic::new(path, e)])?;
    let mut scenarios = if path.ends_with(".md") {
        lesson_scenarios(path, &text, files)
    } else {
        vec![parse_with(path, &text, files)]
    };
    let by_number = wanted.parse::<usize>().ok();
    let index = match by_number {
        Some(n) => n.checked_sub(1).filter(|i| *i < scenarios.len()),
        None => scenarios
            .iter()
            .position(|s| s.as_ref().is_ok_and(|s| s.config.scenario.name == wanted)),
    };
    let Some(index) = index else {
        let names: Vec<String> = scenarios
            .iter()
            .enumerate()
            .map(|(i, s)| match s {
                Ok(s) => format!("{} \"{}\"", i + 1, s.config.scenario.name),
                Err(_) => format!("{} (does not parse)", i + 1),
            })
            .collect();
        return Err(vec![Diagnostic::new(
            path,
            format!(
                "no scenario block `{wanted}`; blocks: {}",
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                }
            ),
        )]);
    };
    scenarios.swap_remove(index)
}

/// Every scenario block of a lesson, parsed, with errors placed at the
/// lesson file's lines.
pub fn lesson_scenarios(
    file: &str,
    text: &str,
    files: &dyn FileReader,
) -> Vec<Result<Scenario, Vec<Diagnostic>>> {
    if text.len() > MAX_LESSON_BYTES.max(MAX_SCENARIO_BYTES) {
        return vec![Err(vec![Diagnostic::new(
            file,
            format!(
                "the lesson is {} bytes; the limit is {MAX_LESSON_BYTES} bytes",
                text.len()
            ),
        )])];
    }
    blocks_of_kind(text, "scenario")
        .iter()
        .map(|block| parse_block(file, block, files))
        .collect()
}

/// One scenario block of a lesson, with errors placed at the lesson's lines.
pub fn parse_block(
    file: &str,
    block: &Block,
    files: &dyn FileReader,
) -> Result<Scenario, Vec<Diagnostic>> {
    parse_with(file, &block.content, files).map_err(|diagnostics| {
        diagnostics
            .into_iter()
            .map(|mut d| {
                d.line = d.line.map(|l| l + block.first_line - 1);
                d
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_follow_the_scenario_file() {
        assert_eq!(relative_to("a/b/s.toml", "h.rhai"), "a/b/h.rhai");
        assert_eq!(relative_to("s.toml", "h.rhai"), "h.rhai");
        assert_eq!(relative_to("a/s.toml", "/x/h.rhai"), "/x/h.rhai");
    }
}
