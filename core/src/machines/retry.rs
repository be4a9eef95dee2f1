//! Whether to try the request again, and after how long. Only this idempotent GET is ever retried,
//! and only on answers that say "later" (429, 502, 503, 504) or on no answer at all. Every number
//! a server sends is read with checked arithmetic: an absurd `Retry-After` means "longer than any
//! deadline", never an overflow.

use crate::error::ApiFailure;
pub use crate::rules::retry_policy::RetryPolicy;
use crate::support::clock::Now;
use crate::support::num;
use crate::support::num::digits;
use crate::support::text;
use crate::wire::headers::parse_retry_after;
use crate::wire::json;

/// How one attempt ended, as far as retrying cares.
#[derive(Debug, Clone, Copy)]
pub enum AttemptOutcome<'a> {
    /// An answer with this status: its `Retry-After` header and, for errors, the decoded body.
    Answered {
        status: u16,
        retry_after: Option<&'a str>,
        error: Option<&'a ApiFailure>,
    },
    /// No answer: refused, reset, DNS, TLS.
    NoAnswer,
    /// No complete answer within the attempt's timeout.
    TimedOut,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    RetryAfterMs(u64),
    Stop,
}

/// The statuses that mean "try again later".
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// Decides after attempt number `attempts_made` (1-based). `remaining_ms` is what is left of the
/// call's deadline, `now` the time (its wall clock reading for an HTTP-date `Retry-After`),
/// `jitter` a random number in `[0, 1)`.
pub fn decide(
    policy: &RetryPolicy,
    attempts_made: u32,
    outcome: AttemptOutcome<'_>,
    now: Now,
    remaining_ms: f64,
    jitter: f64,
) -> Decision {
    let retryable = match outcome {
        AttemptOutcome::Answered { status, .. } => is_retryable_status(status),
        AttemptOutcome::NoAnswer | AttemptOutcome::TimedOut => true,
    };
    if !retryable || attempts_made >= policy.max_attempts {
        return Decision::Stop;
    }
    let delay_ms = server_delay_ms(policy, outcome, now)
        .unwrap_or_else(|| backoff_ms(policy, attempts_made, jitter));
    // A wait that would outlast the deadline only delays the same failure.
    if (delay_ms as f64) >= remaining_ms {
        return Decision::Stop;
    }
    Decision::RetryAfterMs(delay_ms)
}

/// The delay the server asked for: `Retry-After`, or on a 429 without it, the seconds named in the
/// body. An HTTP date is counted from the wall clock; when that cannot be read, it names no delay.
pub fn server_delay_ms(policy: &RetryPolicy, outcome: AttemptOutcome<'_>, now: Now) -> Option<u64> {
    let AttemptOutcome::Answered {
        status,
        retry_after,
        error,
    } = outcome
    else {
        return None;
    };
    let seconds = retry_after
        .and_then(|value| retry_after_seconds(value, now.wall_ms))
        .or_else(|| {
            (status == 429)
                .then(|| error.and_then(body_retry_seconds))
                .flatten()
        })?;
    Some(seconds.saturating_mul(u64::from(policy.retry_after_unit_ms)))
}

/// A `Retry-After` value in seconds from `wall_ms`; a date is no delay when the wall clock is unknown.
fn retry_after_seconds(value: &str, wall_ms: f64) -> Option<u64> {
    let seconds = parse_retry_after(value, wall_ms)?;
    let is_delay = value.trim().bytes().all(|b| b.is_ascii_digit());
    (is_delay || wall_ms.is_finite()).then_some(seconds)
}

/// Exponential backoff with full jitter: a random delay up to `base * 2^(attempt-1)`, capped.
pub fn backoff_ms(policy: &RetryPolicy, attempts_made: u32, jitter: f64) -> u64 {
    let exponent = attempts_made.saturating_sub(1).min(30);
    let ceiling = u64::from(policy.base_delay_ms)
        .saturating_mul(1 << exponent)
        .min(u64::from(policy.max_delay_ms));
    num::floor(ceiling as f64 * jitter.clamp(0.0, 1.0)) as u64
}

/// The seconds a 429 body names: "Please retry after 55 seconds" in `detail`, or the second of
/// `RATE_LIMITED_TOKEN_BUCKET`'s parameters.
pub fn body_retry_seconds(error: &ApiFailure) -> Option<u64> {
    let from_detail = error.detail.as_deref().and_then(|detail| {
        let lower = detail.to_ascii_lowercase();
        let (_, after) = text::split_once(&lower, "retry after ")?;
        let count = after.bytes().take_while(u8::is_ascii_digit).count();
        let rest = after.get(count..)?;
        if count == 0 || !rest.trim_start().starts_with("second") {
            return None;
        }
        Some(digits(after.get(..count)?).unwrap_or(u64::MAX))
    });
    from_detail.or_else(|| {
        if error.error_code.as_deref() != Some("RATE_LIMITED_TOKEN_BUCKET") {
            return None;
        }
        let parameters = error.parameters.as_deref()?;
        let &(start, end) = json::array_items(parameters)?.get(1)?;
        let seconds = json::number(parameters.get(start..end)?)?;
        (seconds >= 0.0).then(|| num::ceil(seconds).min(u64::MAX as f64) as u64)
    })
}
