//! How persistent a call is: the checked `retry` option.

/// How persistent to be. `maxAttempts` counts the first request too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub base_delay_ms: u32,
    pub max_delay_ms: u32,
    /// Milliseconds per second of a server-named delay: 1000 in real life, less in simulations.
    pub retry_after_unit_ms: u32,
}

impl RetryPolicy {
    pub const DEFAULT: RetryPolicy = RetryPolicy {
        max_attempts: 4,
        base_delay_ms: 1_000,
        max_delay_ms: 30_000,
        retry_after_unit_ms: 1_000,
    };

    /// One attempt, no retry.
    pub const OFF: RetryPolicy = RetryPolicy {
        max_attempts: 1,
        ..RetryPolicy::DEFAULT
    };
}
