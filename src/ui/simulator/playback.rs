//! Playback of a run in the system view, as plain arithmetic on virtual
//! time (tests/ui_playback.rs); `use_playback` runs it on a timer.

/// Wall-clock time between two frames of playback.
pub const FRAME_MS: u32 = 50;

/// Playback speeds: virtual milliseconds per wall-clock millisecond (0:
/// a quarter).
pub const SPEEDS: &[(&str, u64)] = &[("0.25×", 0), ("1×", 1), ("4×", 4), ("16×", 16), ("64×", 64)];

/// Virtual time one frame moves at `speed`.
pub fn frame_step_ms(speed: u64) -> u64 {
    match speed {
        0 => u64::from(FRAME_MS) / 4,
        n => u64::from(FRAME_MS) * n,
    }
}

/// The time after one frame at `speed` from `now_ms`, never past `end_ms`;
/// and whether playback has reached the end.
pub fn next_frame(now_ms: u64, speed: u64, end_ms: u64) -> (u64, bool) {
    let next = (now_ms + frame_step_ms(speed)).min(end_ms);
    (next, next >= end_ms)
}

/// Where Play starts: from the start when the end is shown, else here.
pub fn play_from(now_ms: u64, end_ms: u64) -> u64 {
    if now_ms >= end_ms {
        0
    } else {
        now_ms
    }
}
