//! The split between the lesson and the playground, without a browser: the
//! lesson's share of the width, clamped, moved by keys or by a pointer.

/// The lesson's share at first, in percent of the two columns.
pub const DEFAULT_LESSON_SHARE: u32 = 50;
/// Narrowest the lesson may get, in percent: its text stays readable.
pub const MIN_LESSON_SHARE: u32 = 25;
/// Widest the lesson may get, in percent: the playground keeps room for
/// its controls (the full-width toggle hides the lesson altogether).
pub const MAX_LESSON_SHARE: u32 = 75;
/// How far one arrow key moves the split, in percent.
pub const KEY_STEP: u32 = 5;

/// A share within the allowed range.
pub fn clamp_share(share: u32) -> u32 {
    share.clamp(MIN_LESSON_SHARE, MAX_LESSON_SHARE)
}

/// The share after a key press on the separator, or `None` for keys the
/// separator does not use (the ARIA separator pattern: arrows move it,
/// Home and End go to the ends, Enter restores the default).
pub fn share_after_key(share: u32, key: &str) -> Option<u32> {
    let next = match key {
        "ArrowLeft" | "ArrowUp" => share.saturating_sub(KEY_STEP),
        "ArrowRight" | "ArrowDown" => share + KEY_STEP,
        "Home" => MIN_LESSON_SHARE,
        "End" => MAX_LESSON_SHARE,
        "Enter" => DEFAULT_LESSON_SHARE,
        _ => return None,
    };
    Some(clamp_share(next))
}

/// The share that puts the separator under a pointer at `pointer_x`, for a
/// layout starting at `left` and `width` wide (CSS pixels). A layout of no
/// width keeps the default.
pub fn share_at_pointer(pointer_x: f64, left: f64, width: f64) -> u32 {
    if !(width.is_finite() && width > 0.0 && pointer_x.is_finite() && left.is_finite()) {
        return DEFAULT_LESSON_SHARE;
    }
    let percent = ((pointer_x - left) / width * 100.0).round();
    clamp_share(percent.clamp(0.0, 100.0) as u32)
}

/// The CSS custom properties the grid reads (see `style/main.css`).
pub fn grid_style(share: u32) -> String {
    let share = clamp_share(share);
    format!(
        "--lesson-share: {share}fr; --playground-share: {}fr",
        100 - share
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_move_the_split_within_its_range() {
        assert_eq!(share_after_key(50, "ArrowLeft"), Some(45));
        assert_eq!(share_after_key(50, "ArrowRight"), Some(55));
        assert_eq!(share_after_key(27, "ArrowLeft"), Some(MIN_LESSON_SHARE));
        assert_eq!(share_after_key(74, "ArrowRight"), Some(MAX_LESSON_SHARE));
        assert_eq!(share_after_key(60, "Home"), Some(MIN_LESSON_SHARE));
        assert_eq!(share_after_key(30, "End"), Some(MAX_LESSON_SHARE));
        assert_eq!(share_after_key(30, "Enter"), Some(DEFAULT_LESSON_SHARE));
        assert_eq!(share_after_key(30, "a"), None);
    }

    #[test]
    fn a_pointer_puts_the_split_under_it_clamped() {
        assert_eq!(share_at_pointer(600.0, 100.0, 1000.0), 50);
        assert_eq!(share_at_pointer(420.0, 100.0, 1000.0), 32);
        assert_eq!(share_at_pointer(0.0, 100.0, 1000.0), MIN_LESSON_SHARE);
        assert_eq!(share_at_pointer(5000.0, 100.0, 1000.0), MAX_LESSON_SHARE);
        assert_eq!(share_at_pointer(300.0, 0.0, 0.0), DEFAULT_LESSON_SHARE);
        assert_eq!(share_at_pointer(f64::NAN, 0.0, 800.0), DEFAULT_LESSON_SHARE);
    }

    #[test]
    fn the_grid_style_shares_out_the_width() {
        assert_eq!(
            grid_style(40),
            "--lesson-share: 40fr; --playground-share: 60fr"
        );
        assert_eq!(
            grid_style(90),
            "--lesson-share: 75fr; --playground-share: 25fr"
        );
    }
}
