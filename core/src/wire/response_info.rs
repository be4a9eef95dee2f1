//! What a call learned about the response beyond the page: the rate limit and how many requests
//! it took. Kept off the page itself, so the page stays exactly the spec's shape.

use crate::error::facts::{Describe, Facts};
use alloc::string::String;

/// The response headers the client reads, as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseHeaders {
    pub rate_limit_limit: Option<String>,
    pub rate_limit_remaining: Option<String>,
    pub retry_after: Option<String>,
    pub www_authenticate: Option<String>,
    /// Where a redirect points; only its origin is ever reported.
    pub location: Option<String>,
}

/// Facts about the last response of a call, read with `responseInfo(pageOrError)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseInfo {
    /// How many requests the call sent to the API, retries included.
    pub attempts: u32,
    /// The HTTP status of the last response; absent when none arrived.
    pub status: Option<u16>,
    /// `RateLimit-Limit`: the requests the project may make in the current window.
    pub rate_limit_limit: Option<u64>,
    /// `RateLimit-Remaining`: the requests left in the current window.
    pub rate_limit_remaining: Option<u64>,
    /// `Retry-After` as sent: seconds, or an HTTP date.
    pub retry_after: Option<String>,
}

impl ResponseInfo {
    /// What a response with `status` and `headers` says, after `attempts` requests.
    pub fn of(attempts: u32, status: u16, headers: &ResponseHeaders) -> Self {
        let number = |value: &Option<String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty() && v.len() <= 19 && v.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|v| v.parse().ok())
        };
        ResponseInfo {
            attempts,
            status: Some(status),
            rate_limit_limit: number(&headers.rate_limit_limit),
            rate_limit_remaining: number(&headers.rate_limit_remaining),
            // A header is echoed only while it is short and plain: it is a server's text.
            retry_after: headers
                .retry_after
                .clone()
                .filter(|v| v.len() <= 64 && v.bytes().all(|b| b.is_ascii_graphic() || b == b' ')),
        }
    }
}

impl Describe for ResponseInfo {
    fn describe(&self, facts: &mut dyn Facts) {
        facts.number("attempts", f64::from(self.attempts));
        if let Some(status) = self.status {
            facts.number("status", f64::from(status));
        }
        if let Some(limit) = self.rate_limit_limit {
            facts.number("rateLimitLimit", limit as f64);
        }
        if let Some(remaining) = self.rate_limit_remaining {
            facts.number("rateLimitRemaining", remaining as f64);
        }
        if let Some(after) = &self.retry_after {
            facts.text("retryAfter", after);
        }
    }
}
