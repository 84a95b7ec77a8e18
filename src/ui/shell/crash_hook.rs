//! The browser side of crash recovery (docs/architecture.md, "When the
//! simulator fails"): the panic hook that writes a [`CrashRecord`] before
//! the trap, and the restarted app's read of it.

use std::panic::PanicHookInfo;

use super::browser::{location_hash, session_get, session_remove, session_set};
use super::crash_record::{short_source_path, CrashRecord, CRASH_KEY};

/// Installs the panic hook: the record for the restarted page first, then
/// the console output of `console_error_panic_hook` (for diagnosis).
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        record_panic(info);
        console_error_panic_hook::hook(info);
    }));
}

/// Writes what is known of the panic to sessionStorage. Nothing here may
/// panic again: every browser call fails soft.
fn record_panic(info: &PanicHookInfo<'_>) {
    let message = info.payload_as_str().unwrap_or("a panic without a message");
    let location = info
        .location()
        .map(|at| {
            let file = short_source_path(at.file());
            format!("{file}:{}:{}", at.line(), at.column())
        })
        .unwrap_or_default();
    let at_ms = js_sys::Date::now().max(0.0) as u64;
    let record = CrashRecord::new(message, &location, &location_hash(), at_ms);
    session_set(CRASH_KEY, &record.to_json());
}

/// The record left by the internal error that restarted this page, if any;
/// removed as it is read, so the alert is shown once.
pub fn take() -> Option<CrashRecord> {
    let text = session_get(CRASH_KEY)?;
    session_remove(CRASH_KEY);
    CrashRecord::read(Some(&text))
}
