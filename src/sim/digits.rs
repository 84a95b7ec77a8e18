//! Numbers as decimal text without `fmt`.
//!
//! Why: numbers are written on hot paths (every queue record's attributes,
//! every SNS envelope's timestamp and ids, every version in a store answer),
//! and `to_string` / `write!` go through `fmt` and allocate; the broker and
//! handler benchmarks spent several percent there (docs/performance.md).

/// `n` in decimal, written at the end of `buf`, as a `str` borrowed from it.
/// Inlined: it is a few instructions on every hot path that writes a number.
#[inline]
pub fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &str {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    std::str::from_utf8(&buf[at..]).unwrap_or_default()
}

/// Appends `n` in decimal, zero-padded to at least `width` digits (as
/// `format!("{n:0width$}")` writes it).
#[inline]
pub fn write_decimal(out: &mut Vec<u8>, n: u64, width: usize) {
    let mut buf = [0; 20];
    let digits = decimal(n, &mut buf).as_bytes();
    out.resize(out.len() + width.saturating_sub(digits.len()), b'0');
    out.extend_from_slice(digits);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_written_and_padded_as_format_writes_them() {
        for n in [0, 7, 10, 999, 12_345, u64::MAX] {
            assert_eq!(decimal(n, &mut [0; 20]), n.to_string());
            for width in [1, 2, 5, 20, 25] {
                let mut out = Vec::new();
                write_decimal(&mut out, n, width);
                assert_eq!(
                    out,
                    format!("{n:0width$}").into_bytes(),
                    "{n} width {width}"
                );
            }
        }
    }
}
