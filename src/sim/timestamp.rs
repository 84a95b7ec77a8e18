//! Virtual milliseconds as the ISO-8601 text AWS puts in messages
//! (`2026-01-01T00:00:00.000Z`). Virtual time 0 is the Unix epoch: the
//! simulator reads no clock (docs/architecture.md, "Layers").

/// `ms` after 1970-01-01T00:00:00Z, as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub fn iso8601_ms(ms: u64) -> String {
    let days = ms / 86_400_000;
    let in_day_ms = ms % 86_400_000;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        in_day_ms / 3_600_000,
        in_day_ms / 60_000 % 60,
        in_day_ms / 1_000 % 60,
        in_day_ms % 1_000
    )
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
}
