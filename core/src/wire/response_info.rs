//! What a call learned about the response beyond the page: the rate limit and how many requests
//! it took. Kept off the page itself, so the page stays exactly the spec's shape.

use crate::error::facts::{Describe, Facts};
use crate::error::redact;
use crate::support::limits::MAX_SAFE_INTEGER;
use crate::support::num::digits;
use crate::support::text;
use crate::wire::headers::RetryAfter;
use alloc::string::String;

/// The response headers the client reads, as sent: the input of the machines, which read them
/// into their meanings (a [`ResponseInfo`], a digest challenge, a redirect's origin) and keep or
/// show nothing of this text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseHeaders {
    pub rate_limit_limit: Option<String>,
    pub rate_limit_remaining: Option<String>,
    pub retry_after: Option<String>,
    pub www_authenticate: Option<String>,
    /// Where a redirect points; only its origin is ever reported.
    pub location: Option<String>,
}

/// Facts about the last response of a call, read with `responseInfo(pageOrError)`. Each is a
/// header's meaning, written out again when shown; a header that does not parse is absent.
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
    /// `Retry-After`: seconds, or an HTTP date.
    pub retry_after: Option<RetryAfter>,
}

impl ResponseInfo {
    /// What a response with `status` and `headers` says, after `attempts` requests.
    pub fn of(attempts: u32, status: u16, headers: &ResponseHeaders) -> Self {
        // Digits, up to the largest integer a JavaScript number holds exactly, so the number
        // shown is the number sent.
        let number = |value: &Option<String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty() && v.len() <= 19 && v.bytes().all(|b| b.is_ascii_digit()))
                .and_then(digits)
                .filter(|n| *n <= MAX_SAFE_INTEGER as u64)
        };
        ResponseInfo {
            attempts,
            status: Some(status),
            rate_limit_limit: number(&headers.rate_limit_limit),
            rate_limit_remaining: number(&headers.rate_limit_remaining),
            retry_after: headers.retry_after.as_deref().and_then(RetryAfter::parse),
        }
    }

    /// Drops each fact whose written form holds one of `secrets`: a credential made of digits
    /// alone, echoed into a header, parses as a number and would be written out as itself (its
    /// leading zeros aside).
    pub fn forget_secrets(&mut self, secrets: &[&str]) {
        let holds_secret = |written: &str| {
            secrets.iter().any(|secret| {
                redact::holds_secret(written, &[secret, secret.trim_start_matches('0')])
            })
        };
        for number in [&mut self.rate_limit_limit, &mut self.rate_limit_remaining] {
            if number.is_some_and(|n| holds_secret(&text::decimal(n))) {
                *number = None;
            }
        }
        if self
            .retry_after
            .and_then(RetryAfter::write)
            .is_some_and(|written| holds_secret(&written))
        {
            self.retry_after = None;
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
            after.describe(facts);
        }
    }
}
