//! The server-API flow and the clients of both flows.
//!
//! - [`EndpointConfig`]: an API Gateway-style endpoint in front of a function:
//!   a token bucket (rate and burst) answers excess requests with 429, the
//!   rest invoke the function synchronously.
//! - [`ClientSpec`]: a client making calls at given times. Calling an
//!   endpoint it waits for each response before the next call and retries
//!   429s and 5xx with exponential backoff and full jitter; calling a topic
//!   or a queue it fires and forgets.
//!
//! The world drives both (`src/sim/world/clients.rs`); this module holds
//! their settings, their state and the pure rules (bucket, backoff).

pub mod backoff;
pub mod client;
pub mod config;
pub mod endpoint;
mod spec;
pub mod token_bucket;

pub use client::ClientEvent;
pub use config::{EndpointConfig, RetryPolicy};
pub use spec::{ClientCall, ClientSpec, ClientTarget};

/// HTTP statuses a client can see.
pub mod status {
    /// The call succeeded.
    pub const OK: u16 = 200;
    /// A topic or queue refused the message (too large, FIFO throttle...).
    pub const BAD_REQUEST: u16 = 400;
    /// Throttled: the endpoint's token bucket was empty, or the function
    /// was at its concurrency limit.
    pub const TOO_MANY_REQUESTS: u16 = 429;
    /// The function failed (API Gateway answers 502 for a Lambda error).
    pub const BAD_GATEWAY: u16 = 502;
    /// The function timed out.
    pub const GATEWAY_TIMEOUT: u16 = 504;

    /// Whether a client should try again: throttles and server errors.
    pub fn is_retryable(code: u16) -> bool {
        code == TOO_MANY_REQUESTS || code >= 500
    }
}
