//! Endpoints and clients of the server-API flow.

use serde::{Deserialize, Serialize};

use crate::sim::api::{ClientTarget, EndpointConfig};
use crate::sim::name::Name;

/// An endpoint, for inspectors.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointSnapshot {
    /// Settings.
    pub config: EndpointConfig,
    /// Whole tokens in the bucket now.
    pub tokens: u64,
    /// Requests passed to the function.
    pub accepted: u64,
    /// Requests refused with 429 by the bucket.
    pub throttled: u64,
}

/// A client, for inspectors.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientSnapshot {
    /// Name.
    pub name: Name,
    /// Where its calls go.
    pub target: ClientTarget,
    /// Calls in its workload.
    pub calls: usize,
    /// Calls answered with success.
    pub succeeded: u64,
    /// Calls given up (or refused, for fire and forget).
    pub failed: u64,
    /// Attempts sent, first tries and retries.
    pub attempts: u64,
    /// Retries scheduled.
    pub retries: u64,
    /// 429 answers received.
    pub throttled: u64,
}
