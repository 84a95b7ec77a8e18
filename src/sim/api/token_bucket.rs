//! API Gateway's throttle: a token bucket refilled at `rate_per_second` up
//! to `burst` tokens; a request takes one token or is refused (429).
//!
//! Tokens are counted in thousandths so refilling by whole milliseconds is
//! exact integer arithmetic: the same requests at the same times give the
//! same answers on every platform.

use serde::{Deserialize, Serialize};

const MILLI: u64 = 1000;

/// A token bucket that starts full.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenBucket {
    rate_per_second: u64,
    capacity_milli: u64,
    tokens_milli: u64,
    last_refill_ms: u64,
}

impl TokenBucket {
    /// A full bucket of `burst` tokens refilled at `rate_per_second`.
    pub fn new(rate_per_second: u64, burst: u64) -> Self {
        let capacity_milli = burst.saturating_mul(MILLI);
        TokenBucket {
            rate_per_second,
            capacity_milli,
            tokens_milli: capacity_milli,
            last_refill_ms: 0,
        }
    }

    /// Takes a token at `now_ms` if there is one.
    pub fn try_take(&mut self, now_ms: u64) -> bool {
        self.refill(now_ms);
        if self.tokens_milli >= MILLI {
            self.tokens_milli -= MILLI;
            true
        } else {
            false
        }
    }

    /// Whole tokens available at `now_ms` (for inspectors).
    pub fn tokens(&self, now_ms: u64) -> u64 {
        let mut copy = self.clone();
        copy.refill(now_ms);
        copy.tokens_milli / MILLI
    }

    fn refill(&mut self, now_ms: u64) {
        let elapsed = now_ms.saturating_sub(self.last_refill_ms);
        // rate tokens per second = rate thousandths per millisecond.
        let added = elapsed.saturating_mul(self.rate_per_second);
        self.tokens_milli = self
            .tokens_milli
            .saturating_add(added)
            .min(self.capacity_milli);
        self.last_refill_ms = self.last_refill_ms.max(now_ms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_bucket_allows_a_burst_then_refuses() {
        let mut bucket = TokenBucket::new(10, 5);
        let taken = (0..8).filter(|_| bucket.try_take(0)).count();
        assert_eq!(taken, 5);
    }

    #[test]
    fn tokens_come_back_at_the_rate() {
        let mut bucket = TokenBucket::new(10, 1);
        assert!(bucket.try_take(0));
        assert!(!bucket.try_take(99), "one token takes 100 ms at 10/s");
        assert!(bucket.try_take(100));
    }

    #[test]
    fn refill_never_exceeds_the_burst() {
        let mut bucket = TokenBucket::new(100, 3);
        assert_eq!(bucket.tokens(1_000_000), 3);
        let taken = (0..10).filter(|_| bucket.try_take(1_000_000)).count();
        assert_eq!(taken, 3);
    }
}
