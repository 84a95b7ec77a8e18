//! Latency distributions with parameters named in milliseconds.
//!
//! Sampling uses only exact IEEE operations (see [`super::det_math`]), so a
//! draw is bit-identical natively and in wasm. Every sample is rounded to whole
//! milliseconds and clamped to [`Latency::MAX_MS`], so a long tail can never
//! push an event past the end of a run by accident.

use serde::{Deserialize, Serialize};

use super::det_math;
use super::rng::SimRng;
use crate::sim::error::{check_range, SimError};

/// How long something takes, drawn per occurrence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Latency {
    /// Always `ms`.
    Fixed {
        /// The duration.
        ms: u64,
    },
    /// Uniform over `min_ms..=max_ms`.
    Uniform {
        /// Shortest duration.
        min_ms: u64,
        /// Longest duration.
        max_ms: u64,
    },
    /// Exponential with mean `mean_ms` (memoryless arrivals, long tail).
    Exponential {
        /// Mean duration.
        mean_ms: u64,
    },
    /// Log-normal with median `median_ms` and shape `sigma` (the standard
    /// deviation of the underlying normal; 0.5 is a moderate tail, 1.5 heavy).
    LogNormal {
        /// Median duration.
        median_ms: u64,
        /// Shape, `0.0..=4.0`.
        sigma: f64,
    },
}

impl Latency {
    /// No sample exceeds one hour.
    pub const MAX_MS: u64 = 3_600_000;
    /// Largest accepted log-normal `sigma`.
    pub const MAX_SIGMA: f64 = 4.0;

    /// Zero latency.
    pub const ZERO: Latency = Latency::Fixed { ms: 0 };

    /// Checks the parameters; `component` names the owner in the error.
    pub fn validate(&self, component: &str) -> Result<(), SimError> {
        match *self {
            Latency::Fixed { ms } => check_range(component, "latency.ms", ms, 0, Self::MAX_MS),
            Latency::Uniform { min_ms, max_ms } => {
                check_range(component, "latency.max_ms", max_ms, 0, Self::MAX_MS)?;
                check_range(component, "latency.min_ms", min_ms, 0, max_ms)
            }
            Latency::Exponential { mean_ms } => {
                check_range(component, "latency.mean_ms", mean_ms, 1, Self::MAX_MS)
            }
            Latency::LogNormal { median_ms, sigma } => {
                check_range(component, "latency.median_ms", median_ms, 1, Self::MAX_MS)?;
                if !(sigma.is_finite() && (0.0..=Self::MAX_SIGMA).contains(&sigma)) {
                    return Err(SimError::InvalidConfig {
                        component: component.to_string(),
                        field: "latency.sigma",
                        reason: format!(
                            "{sigma} is not a number between 0 and {}",
                            Self::MAX_SIGMA
                        ),
                    });
                }
                Ok(())
            }
        }
    }

    /// Draws one duration in whole milliseconds, at most [`Self::MAX_MS`].
    pub fn sample(&self, rng: &mut SimRng) -> u64 {
        let ms = match *self {
            Latency::Fixed { ms } => ms,
            Latency::Uniform { min_ms, max_ms } => rng.in_range(min_ms, max_ms),
            Latency::Exponential { mean_ms } => {
                // Inverse CDF: -mean * ln(1 - U), 1 - U in (0, 1].
                let u = rng.unit_f64();
                to_ms(-(mean_ms as f64) * det_math::ln(1.0 - u))
            }
            Latency::LogNormal { median_ms, sigma } => {
                let z = standard_normal(rng);
                to_ms(median_ms as f64 * det_math::exp(sigma * z))
            }
        };
        ms.min(Self::MAX_MS)
    }
}

impl Default for Latency {
    fn default() -> Self {
        Latency::ZERO
    }
}

/// Rounds a non-negative duration to whole milliseconds (NaN becomes 0;
/// `as` saturates huge values).
fn to_ms(x: f64) -> u64 {
    if x.is_nan() || x <= 0.0 {
        0
    } else {
        (x + 0.5) as u64
    }
}

/// A standard normal draw by Marsaglia's polar method: only `ln`, `sqrt` and
/// arithmetic (no `sin`/`cos`). Bounded retries, so it can never loop forever.
fn standard_normal(rng: &mut SimRng) -> f64 {
    for _ in 0..64 {
        let u = 2.0 * rng.unit_f64() - 1.0;
        let v = 2.0 * rng.unit_f64() - 1.0;
        let s = u * u + v * v;
        if s > 0.0 && s < 1.0 {
            return u * (-2.0 * det_math::ln(s) / s).sqrt();
        }
    }
    0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_and_uniform_stay_in_their_ranges() {
        let mut rng = SimRng::new(3);
        assert_eq!(Latency::Fixed { ms: 12 }.sample(&mut rng), 12);
        let uniform = Latency::Uniform {
            min_ms: 10,
            max_ms: 20,
        };
        for _ in 0..500 {
            assert!((10..=20).contains(&uniform.sample(&mut rng)));
        }
    }

    #[test]
    fn exponential_mean_and_lognormal_median_are_roughly_right() {
        let mut rng = SimRng::new(11);
        let n = 20_000u64;
        let exp = Latency::Exponential { mean_ms: 100 };
        let total: u64 = (0..n).map(|_| exp.sample(&mut rng)).sum();
        let mean = total / n;
        assert!((90..=110).contains(&mean), "mean {mean}");

        let logn = Latency::LogNormal {
            median_ms: 50,
            sigma: 0.8,
        };
        let mut draws: Vec<u64> = (0..n).map(|_| logn.sample(&mut rng)).collect();
        draws.sort_unstable();
        let median = draws[draws.len() / 2];
        assert!((45..=55).contains(&median), "median {median}");
    }

    #[test]
    fn samples_are_clamped_to_the_maximum() {
        let mut rng = SimRng::new(5);
        let heavy = Latency::LogNormal {
            median_ms: Latency::MAX_MS,
            sigma: 4.0,
        };
        for _ in 0..200 {
            assert!(heavy.sample(&mut rng) <= Latency::MAX_MS);
        }
    }

    #[test]
    fn invalid_parameters_are_typed_errors() {
        assert!(Latency::Uniform {
            min_ms: 5,
            max_ms: 1
        }
        .validate("x")
        .is_err());
        assert!(Latency::Exponential { mean_ms: 0 }.validate("x").is_err());
        assert!(Latency::Fixed {
            ms: Latency::MAX_MS + 1
        }
        .validate("x")
        .is_err());
        let nan = Latency::LogNormal {
            median_ms: 5,
            sigma: f64::NAN,
        };
        assert!(matches!(
            nan.validate("x"),
            Err(SimError::InvalidConfig { .. })
        ));
        assert!(Latency::LogNormal {
            median_ms: 5,
            sigma: 0.5
        }
        .validate("x")
        .is_ok());
    }
}
