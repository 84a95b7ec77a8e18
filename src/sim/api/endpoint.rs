//! An endpoint's state in a run: its bucket and its counters.

use super::config::EndpointConfig;
use super::token_bucket::TokenBucket;
use crate::sim::name::Name;
use crate::sim::snapshot::EndpointSnapshot;
use crate::sim::trace::ActorId;

#[derive(Clone)]
pub(crate) struct Endpoint {
    pub name: Name,
    pub actor: ActorId,
    pub config: EndpointConfig,
    pub function: usize,
    bucket: TokenBucket,
    accepted: u64,
    throttled: u64,
}

impl Endpoint {
    pub fn new(config: EndpointConfig, function: usize) -> Endpoint {
        let name = Name::from(config.name.as_str());
        Endpoint {
            actor: ActorId::Endpoint(name.clone()),
            bucket: TokenBucket::new(config.rate_per_second, config.burst()),
            name,
            config,
            function,
            accepted: 0,
            throttled: 0,
        }
    }

    /// Lets a request through the token bucket at `now_ms`, or refuses it
    /// (a 429); counts either way.
    pub fn admit(&mut self, now_ms: u64) -> bool {
        let admitted = self.bucket.try_take(now_ms);
        if admitted {
            self.accepted += 1;
        } else {
            self.throttled += 1;
        }
        admitted
    }

    pub fn snapshot(&self, now_ms: u64) -> EndpointSnapshot {
        EndpointSnapshot {
            config: self.config.clone(),
            tokens: self.bucket.tokens(now_ms),
            accepted: self.accepted,
            throttled: self.throttled,
        }
    }
}
