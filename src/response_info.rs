//! What a call learned about the response beyond the page: the rate limit and how many requests
//! it took. Kept off the page itself, so the page stays exactly the spec's shape.

use serde::Serialize;

/// The response headers the client reads, as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateLimitHeaders {
    pub limit: Option<String>,
    pub remaining: Option<String>,
    pub retry_after: Option<String>,
}

/// Facts about the last response of a call, read with `responseInfo(pageOrError)`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ResponseInfo {
    /// How many requests the call sent, retries included.
    pub attempts: u32,
    /// The HTTP status of the last response; absent when none arrived.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// `RateLimit-Limit`: the requests the project may make in the current window.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_limit_limit: Option<u64>,
    /// `RateLimit-Remaining`: the requests left in the current window.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_limit_remaining: Option<u64>,
    /// `Retry-After` as sent: seconds, or an HTTP date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<String>,
}

impl ResponseInfo {
    pub fn new(attempts: u32, status: Option<u16>, headers: &RateLimitHeaders) -> Self {
        let number = |value: &Option<String>| value.as_deref().and_then(|v| v.trim().parse().ok());
        ResponseInfo {
            attempts,
            status,
            rate_limit_limit: number(&headers.limit),
            rate_limit_remaining: number(&headers.remaining),
            retry_after: headers.retry_after.clone(),
        }
    }
}
