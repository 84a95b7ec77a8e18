//! Virtual milliseconds as the ISO-8601 text AWS puts in messages
//! (`2026-01-01T00:00:00.000Z`). Virtual time 0 is the Unix epoch: the
//! simulator reads no clock (docs/architecture.md, "Layers").

use crate::sim::digits::write_decimal;

/// `ms` after 1970-01-01T00:00:00Z, as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub fn iso8601_ms(ms: u64) -> String {
    let mut out = Vec::with_capacity(ISO8601_BYTES);
    write_iso8601_ms(&mut out, ms);
    // Only ASCII digits and separators were written.
    String::from_utf8(out).unwrap_or_default()
}

/// The length of [`iso8601_ms`]'s text for years 0 to 9999.
const ISO8601_BYTES: usize = 24;

/// Appends [`iso8601_ms`]'s text to `out`.
///
/// Why digits by hand and not `write!`: every SNS envelope carries a
/// timestamp, and formatting it through `fmt` was 7% of the broker
/// benchmark (docs/performance.md). Years past 9999 print all their digits,
/// as `{:04}` does.
pub fn write_iso8601_ms(out: &mut Vec<u8>, ms: u64) {
    let days = ms / 86_400_000;
    let in_day_ms = ms % 86_400_000;
    let (year, month, day) = civil_from_days(days);
    let mut text = *b"0000-00-00T00:00:00.000Z";
    // Each part's last digit, then its value: written right to left.
    let parts = [
        (3, year % 10_000),
        (6, month),
        (9, day),
        (12, in_day_ms / 3_600_000),
        (15, in_day_ms / 60_000 % 60),
        (18, in_day_ms / 1_000 % 60),
        (22, in_day_ms % 1_000),
    ];
    for (mut at, mut value) in parts {
        while value > 0 {
            text[at] += (value % 10) as u8;
            value /= 10;
            at = at.saturating_sub(1);
        }
    }
    if year > 9_999 {
        // Past year 9999 the year takes all its digits.
        write_decimal(out, year, 4);
        out.extend_from_slice(&text[4..]);
    } else {
        out.extend_from_slice(&text);
    }
}

/// Year, month, day of the `days`-th day after 1970-01-01 (Howard
/// Hinnant's `civil_from_days`, proleptic Gregorian calendar).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::iso8601_ms;

    #[test]
    fn formats_the_epoch_leap_days_and_milliseconds() {
        assert_eq!(iso8601_ms(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601_ms(1_234), "1970-01-01T00:00:01.234Z");
        // 2000-02-29 (a leap day of a century divisible by 400).
        assert_eq!(iso8601_ms(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(iso8601_ms(1_767_225_599_999), "2025-12-31T23:59:59.999Z");
    }

    /// The digits written by hand are `format!`'s, padding and all, from
    /// the epoch to past year 9999 (where the year widens to five digits).
    #[test]
    fn hand_written_digits_match_format() {
        let by_format = |ms: u64| {
            let (y, mo, d) = super::civil_from_days(ms / 86_400_000);
            let t = ms % 86_400_000;
            format!(
                "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
                t / 3_600_000,
                t / 60_000 % 60,
                t / 1_000 % 60,
                t % 1_000
            )
        };
        let mut ms = 0u64;
        while ms < 300_000_000_000_000 {
            assert_eq!(iso8601_ms(ms), by_format(ms), "{ms} ms");
            ms = ms * 3 + 7_919;
        }
        assert_eq!(iso8601_ms(253_402_300_800_000), "10000-01-01T00:00:00.000Z");
    }
}
