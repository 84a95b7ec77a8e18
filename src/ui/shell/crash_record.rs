//! What the app keeps of an internal error across the restart that
//! recovers from it (docs/architecture.md, "When the simulator fails").
//!
//! A Rust panic in the browser ends in a WebAssembly trap that leaves the
//! app's state half-updated, so the app cannot go on. Just before the trap,
//! the panic hook (`crash_hook`) writes a [`CrashRecord`] to sessionStorage;
//! the guard script in `index.html` sees the trap and reloads the page once;
//! the restarted app reads the record, removes it and says what happened
//! (`crash_alert`). The guard writes a record of the same format when a
//! trap comes without a panic (e.g. memory access out of bounds).
//!
//! Reading never fails: a missing, damaged or foreign value is no record,
//! and every text is bounded, so a stored value cannot flood the page.

use serde::{Deserialize, Serialize};

/// sessionStorage key of the record (per tab; survives a reload). The
/// guard script in `index.html` uses the same key.
pub const CRASH_KEY: &str = "event-playground.crash";
/// The record format this build writes and reads (also in `index.html`).
pub const CRASH_FORMAT_VERSION: u32 = 1;
/// Longest panic message kept, in characters.
pub const MAX_MESSAGE_CHARS: usize = 500;
/// Longest source location kept, in characters.
pub const MAX_LOCATION_CHARS: usize = 200;
/// Longest route (location hash) kept, in characters.
pub const MAX_ROUTE_CHARS: usize = 200;

/// What is known of the internal error that stopped the app.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrashRecord {
    /// Format version ([`CRASH_FORMAT_VERSION`]).
    pub version: u32,
    /// The panic message (or the trap's, when there was no panic).
    pub message: String,
    /// Where in the source it panicked (`file:line:column`), or empty.
    #[serde(default)]
    pub location: String,
    /// The page's route (`location.hash`) when it happened.
    #[serde(default)]
    pub route: String,
    /// When it happened: milliseconds since the Unix epoch.
    #[serde(default)]
    pub at_ms: u64,
}

impl CrashRecord {
    /// A record of a panic, every text bounded.
    pub fn new(message: &str, location: &str, route: &str, at_ms: u64) -> CrashRecord {
        CrashRecord {
            version: CRASH_FORMAT_VERSION,
            message: bounded(message, MAX_MESSAGE_CHARS),
            location: bounded(location, MAX_LOCATION_CHARS),
            route: bounded(route, MAX_ROUTE_CHARS),
            at_ms,
        }
    }

    /// The record as stored.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a stored value: `None` when there is none, or it is damaged,
    /// foreign or of another format. Texts are bounded again, since anything
    /// on the page's origin can write sessionStorage.
    pub fn read(text: Option<&str>) -> Option<CrashRecord> {
        let record = serde_json::from_str::<CrashRecord>(text?).ok()?;
        if record.version != CRASH_FORMAT_VERSION {
            return None;
        }
        Some(CrashRecord::new(
            &record.message,
            &record.location,
            &record.route,
            record.at_ms,
        ))
    }

    /// The error as the alert names it: the message, and where it was
    /// raised when known.
    pub fn error_text(&self) -> String {
        let message = if self.message.trim().is_empty() {
            "no message"
        } else {
            self.message.trim()
        };
        if self.location.is_empty() {
            message.to_string()
        } else {
            format!("{message} (at {})", self.location)
        }
    }
}

/// The alert's heading.
pub const CRASH_HEADING: &str = "The simulator stopped on an internal error";
/// What the alert says happened and what is kept.
pub const CRASH_EXPLANATION: &str = "During the last run, Event Playground hit an internal error and restarted this page. This is a bug in Event Playground, not in your code. The lesson, your code and your saved work are kept: you can run again.";

/// A panic's source file as the alert names it: a dependency's path from
/// its crate folder, the standard library's from `library/`, without the
/// builder's home folder or registry hash; the app's own paths as they are.
pub fn short_source_path(file: &str) -> &str {
    for marker in ["/registry/src/", "/rustc/"] {
        if let Some(at) = file.find(marker) {
            let rest = &file[at + marker.len()..];
            // Past the registry's index folder, or the compiler's hash.
            return rest.split_once('/').map_or(rest, |(_, tail)| tail);
        }
    }
    file
}

/// `text` cut to at most `max_chars` characters (an ellipsis marks a cut),
/// with control characters other than line breaks replaced by spaces.
pub fn bounded(text: &str, max_chars: usize) -> String {
    let clean = |c: char| {
        if c.is_control() && c != '\n' {
            ' '
        } else {
            c
        }
    };
    if text.chars().count() <= max_chars {
        return text.chars().map(clean).collect();
    }
    let kept = max_chars.saturating_sub(1);
    let mut out: String = text.chars().take(kept).map(clean).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_reads_back_as_written() {
        let record = CrashRecord::new(
            "index out of bounds: the len is 3 but the index is 7",
            "src/sim/engine.rs:120:9",
            "#/lesson/version-store",
            1_765_000_000_000,
        );
        assert_eq!(CrashRecord::read(Some(&record.to_json())), Some(record));
    }

    #[test]
    fn no_value_is_no_record() {
        assert_eq!(CrashRecord::read(None), None);
    }

    #[test]
    fn a_damaged_or_foreign_value_is_no_record() {
        for text in [
            "",
            "{",
            "null",
            "42",
            "\"crashed\"",
            "[1,2]",
            "{\"version\":1}",
            "{\"version\":\"1\",\"message\":\"x\"}",
            "{\"version\":1,\"message\":7}",
            "{\"version\":1,\"message\":\"x\",\"at_ms\":-5}",
        ] {
            assert_eq!(CrashRecord::read(Some(text)), None, "{text}");
        }
    }

    #[test]
    fn another_format_version_is_no_record() {
        let text = "{\"version\":2,\"message\":\"x\",\"location\":\"\",\"route\":\"\",\"at_ms\":1}";
        assert_eq!(CrashRecord::read(Some(text)), None);
    }

    #[test]
    fn the_guard_scripts_record_without_a_location_reads() {
        // What index.html writes for a trap without a panic.
        let text = "{\"version\":1,\"message\":\"memory access out of bounds\",\"location\":\"\",\"route\":\"#/\",\"at_ms\":1765000000000}";
        let record = CrashRecord::read(Some(text)).unwrap();
        assert_eq!(record.error_text(), "memory access out of bounds");
        assert_eq!(record.route, "#/");
    }

    #[test]
    fn missing_optional_fields_and_unknown_ones_are_tolerated() {
        let text = "{\"version\":1,\"message\":\"boom\",\"reloads\":3}";
        let record = CrashRecord::read(Some(text)).unwrap();
        assert_eq!(record.message, "boom");
        assert_eq!((record.location.as_str(), record.at_ms), ("", 0));
    }

    #[test]
    fn a_long_stored_message_is_cut_when_read() {
        let long = "x".repeat(100_000);
        let text = format!("{{\"version\":1,\"message\":\"{long}\",\"location\":\"{long}\",\"route\":\"{long}\",\"at_ms\":1}}");
        let record = CrashRecord::read(Some(&text)).unwrap();
        assert_eq!(record.message.chars().count(), MAX_MESSAGE_CHARS);
        assert_eq!(record.location.chars().count(), MAX_LOCATION_CHARS);
        assert_eq!(record.route.chars().count(), MAX_ROUTE_CHARS);
        assert!(record.message.ends_with('…'));
    }

    #[test]
    fn bounded_counts_characters_not_bytes() {
        let text = "é".repeat(10);
        assert_eq!(bounded(&text, 10), text);
        let cut = bounded(&text, 4);
        assert_eq!(cut, "ééé…");
    }

    #[test]
    fn bounded_replaces_control_characters_but_keeps_line_breaks() {
        assert_eq!(bounded("a\u{1b}[31mb\nc\u{0}", 50), "a [31mb\nc ");
    }

    #[test]
    fn a_dependencys_path_starts_at_its_crate_folder() {
        assert_eq!(
            short_source_path("/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/tachys-0.2.19/src/renderer/dom.rs"),
            "tachys-0.2.19/src/renderer/dom.rs"
        );
        assert_eq!(
            short_source_path(
                "/rustc/4a4ef493e3a1488c6e321570238084b38948f6db/library/core/src/cell.rs"
            ),
            "library/core/src/cell.rs"
        );
        assert_eq!(short_source_path("src/sim/engine.rs"), "src/sim/engine.rs");
    }

    #[test]
    fn the_error_text_names_message_and_location() {
        let record = CrashRecord::new("attempt to divide by zero", "src/a.rs:1:2", "", 0);
        assert_eq!(
            record.error_text(),
            "attempt to divide by zero (at src/a.rs:1:2)"
        );
        let empty = CrashRecord::new("  ", "", "", 0);
        assert_eq!(empty.error_text(), "no message");
    }
}
