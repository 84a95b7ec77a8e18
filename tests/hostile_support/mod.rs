//! What the hostile corpus's native run (`tests/hostile.rs`) and its
//! browser sample (`tests/browser_hostile.rs`) share: the words a case
//! expects, the errors a run reports, and the file reader that hands the
//! handler world its handler.

use event_playground::scenario::{FileReader, RunOutcome};
use event_playground::sim::TraceKind;

/// Reads the handler under test for the handler world.
pub struct WithHandler(pub String);

impl FileReader for WithHandler {
    fn read(&self, path: &str) -> Result<String, String> {
        if path.ends_with("/handler.rhai") || path == "handler.rhai" {
            Ok(self.0.clone())
        } else {
            Err(format!("no such file: {path}"))
        }
    }
}

/// The words one of which must appear, from the file's first line.
pub fn expected_words(text: &str) -> Vec<String> {
    let first = text.lines().next().unwrap_or_default();
    let words = first
        .split_once("expect:")
        .map(|(_, w)| w.trim_end_matches("-->").trim())
        .unwrap_or_else(|| panic!("no `expect:` on the first line: {first}"));
    words.split('|').map(|w| w.trim().to_string()).collect()
}

/// Errors a run reports: its stop reason and every failed invocation,
/// step or execution (never log lines, which the handler writes).
pub fn run_errors(outcome: &RunOutcome) -> String {
    let mut text = outcome.error.clone().unwrap_or_default();
    for event in &outcome.trace {
        let failed = matches!(
            event.kind,
            TraceKind::InvocationFailed
                | TraceKind::StepFailed
                | TraceKind::ExecutionFailed
                | TraceKind::ExecutionRejected
        );
        if failed {
            text.push('\n');
            text.push_str(event.details.error_kind().unwrap_or_default());
            text.push(' ');
            text.push_str(event.details.reason().unwrap_or_default());
        }
    }
    text
}
