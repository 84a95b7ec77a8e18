//! Exponential backoff with full jitter (the AWS SDKs' strategy): before
//! retry `n` (0-based) wait a uniform draw from
//! `0..=min(max_delay_ms, base_delay_ms * 2^n)`. Spreading retries at random
//! keeps throttled clients from coming back all at once.

use super::config::RetryPolicy;
use crate::sim::kernel::SimRng;

/// The longest wait before retry `retry` (0-based).
pub fn ceiling_ms(policy: &RetryPolicy, retry: u32) -> u64 {
    policy
        .base_delay_ms
        .saturating_mul(1u64 << retry.min(32))
        .min(policy.max_delay_ms)
}

/// Draws the wait before retry `retry` (0-based).
pub fn delay_ms(policy: &RetryPolicy, retry: u32, rng: &mut SimRng) -> u64 {
    rng.in_range(0, ceiling_ms(policy, retry))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_retries: 5,
            base_delay_ms: 100,
            max_delay_ms: 1_000,
        }
    }

    #[test]
    fn the_ceiling_doubles_up_to_the_cap() {
        let p = policy();
        let ceilings: Vec<u64> = (0..6).map(|n| ceiling_ms(&p, n)).collect();
        assert_eq!(ceilings, vec![100, 200, 400, 800, 1_000, 1_000]);
        assert_eq!(
            ceiling_ms(&p, 200),
            1_000,
            "no overflow on huge retry counts"
        );
    }

    #[test]
    fn draws_stay_under_the_ceiling_and_vary() {
        let p = policy();
        let mut rng = SimRng::new(7);
        let draws: Vec<u64> = (0..200).map(|_| delay_ms(&p, 3, &mut rng)).collect();
        assert!(draws.iter().all(|d| *d <= 800));
        let distinct: std::collections::BTreeSet<u64> = draws.iter().copied().collect();
        assert!(distinct.len() > 50, "full jitter spreads the waits");
    }
}
