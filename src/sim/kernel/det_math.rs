//! Portable `ln` and `exp`.
//!
//! `f64::ln` and `f64::exp` call the platform's libm: glibc natively, a Rust
//! port of musl in wasm. They may differ in the last bit, and a last-bit
//! difference can flip a rounded millisecond, which would break "same seed,
//! same trace" between the native test run and the browser. These versions use
//! only `+ - * /` and bit manipulation, which IEEE 754 defines exactly, so they
//! return the same bits everywhere. Accuracy is about 1e-15 relative, far more
//! than whole-millisecond latencies need.

const LN_2: f64 = std::f64::consts::LN_2;

/// Natural logarithm. `NaN` for negative or `NaN` input, `-inf` for 0.
pub fn ln(x: f64) -> f64 {
    if x.is_nan() || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    if x.is_infinite() {
        return f64::INFINITY;
    }
    let mut x = x;
    let mut exponent: i64 = 0;
    if x < f64::MIN_POSITIVE {
        // Subnormal: scale into the normal range first (2^54).
        x *= 18_014_398_509_481_984.0;
        exponent -= 54;
    }
    let bits = x.to_bits();
    exponent += ((bits >> 52) & 0x7FF) as i64 - 1023;
    // Mantissa in [1, 2).
    let mut m = f64::from_bits((bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000);
    if m > std::f64::consts::SQRT_2 {
        m *= 0.5;
        exponent += 1;
    }
    // ln(m) = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.1716.
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut term = s;
    let mut sum = 0.0;
    let mut k = 1.0;
    for _ in 0..14 {
        sum += term / k;
        term *= s2;
        k += 2.0;
    }
    exponent as f64 * LN_2 + 2.0 * sum
}

/// `e` raised to `x`. Saturates to `inf` above 709.78 and to 0 below -745.
pub fn exp(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x > 709.78 {
        return f64::INFINITY;
    }
    if x < -745.2 {
        return 0.0;
    }
    // x = k ln2 + r, |r| <= ln2 / 2.
    let k = round_half_away(x / LN_2);
    let r = x - k * LN_2;
    let mut term = 1.0;
    let mut sum = 1.0;
    let mut n = 1.0;
    for _ in 0..22 {
        term *= r / n;
        sum += term;
        n += 1.0;
    }
    scale_by_power_of_two(sum, k as i64)
}

fn round_half_away(x: f64) -> f64 {
    // Truncation and comparison are exact IEEE operations on every target.
    let t = x.trunc();
    if (x - t).abs() >= 0.5 {
        t + x.signum()
    } else {
        t
    }
}

fn scale_by_power_of_two(mut value: f64, mut k: i64) -> f64 {
    // Multiply in steps so intermediate powers stay representable.
    while k > 1000 {
        value *= f64::from_bits(((1023 + 1000) as u64) << 52);
        k -= 1000;
    }
    while k < -1000 {
        value *= f64::from_bits(((1023 - 1000) as u64) << 52);
        k += 1000;
    }
    value * f64::from_bits(((1023 + k) as u64) << 52)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * b.abs().max(1.0)
    }

    #[test]
    fn ln_matches_the_platform_closely() {
        for &x in &[
            1e-300, 1e-5, 0.1, 0.5, 1.0, 1.5, 2.0, 10.0, 12345.678, 1e300,
        ] {
            assert!(close(ln(x), x.ln()), "ln({x}) = {} vs {}", ln(x), x.ln());
        }
        assert_eq!(ln(1.0), 0.0);
        assert!(ln(-1.0).is_nan());
        assert_eq!(ln(0.0), f64::NEG_INFINITY);
    }

    #[test]
    fn exp_matches_the_platform_closely() {
        for &x in &[-700.0, -20.0, -1.0, -0.3, 0.0, 0.3, 1.0, 2.5, 20.0, 700.0] {
            assert!(
                close(exp(x), x.exp()),
                "exp({x}) = {} vs {}",
                exp(x),
                x.exp()
            );
        }
        assert_eq!(exp(1000.0), f64::INFINITY);
        assert_eq!(exp(-1000.0), 0.0);
    }
}
