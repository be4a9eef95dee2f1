//! Whether to try the request again, and after how long. Only this idempotent GET is ever retried,
//! and only on answers that say "later" (429, 502, 503, 504) or on no answer at all. Every number
//! a server sends is read with checked arithmetic: an absurd `Retry-After` means "longer than any
//! deadline", never an overflow.

use crate::error::ApiFailure;
use crate::json;
use crate::num;
use crate::text;

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
/// call's deadline, `now_ms` the Unix time in ms (for HTTP-date `Retry-After`), `jitter` a random
/// number in `[0, 1)`.
pub fn decide(
    policy: &RetryPolicy,
    attempts_made: u32,
    outcome: AttemptOutcome<'_>,
    now_ms: f64,
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
    let delay_ms = server_delay_ms(policy, outcome, now_ms)
        .unwrap_or_else(|| backoff_ms(policy, attempts_made, jitter));
    // A wait that would outlast the deadline only delays the same failure.
    if (delay_ms as f64) >= remaining_ms {
        return Decision::Stop;
    }
    Decision::RetryAfterMs(delay_ms)
}

/// The delay the server asked for: `Retry-After`, or on a 429 without it, the seconds named in the body.
pub fn server_delay_ms(
    policy: &RetryPolicy,
    outcome: AttemptOutcome<'_>,
    now_ms: f64,
) -> Option<u64> {
    let AttemptOutcome::Answered {
        status,
        retry_after,
        error,
    } = outcome
    else {
        return None;
    };
    let seconds = retry_after
        .and_then(|value| parse_retry_after(value, now_ms))
        .or_else(|| {
            (status == 429)
                .then(|| error.and_then(body_retry_seconds))
                .flatten()
        })?;
    Some(seconds.saturating_mul(u64::from(policy.retry_after_unit_ms)))
}

/// Exponential backoff with full jitter: a random delay up to `base * 2^(attempt-1)`, capped.
pub fn backoff_ms(policy: &RetryPolicy, attempts_made: u32, jitter: f64) -> u64 {
    let exponent = attempts_made.saturating_sub(1).min(30);
    let ceiling = u64::from(policy.base_delay_ms)
        .saturating_mul(1 << exponent)
        .min(u64::from(policy.max_delay_ms));
    num::floor(ceiling as f64 * jitter.clamp(0.0, 1.0)) as u64
}

/// `Retry-After` is either delay-seconds (digits) or an HTTP-date; anything else is ignored.
/// Returns whole seconds to wait from `now_ms` (rounded up); a date in the past means no wait.
pub fn parse_retry_after(value: &str, now_ms: f64) -> Option<u64> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Digits only, so the only failure is overflow: wait "forever".
        return Some(digits(value).unwrap_or(u64::MAX));
    }
    let at = parse_http_date(value)?;
    let wait_ms = (at as f64) * 1000.0 - now_ms;
    Some(if wait_ms <= 0.0 {
        0
    } else {
        num::ceil(wait_ms / 1000.0).min(u64::MAX as f64) as u64
    })
}

/// The value of a run of ASCII digits, if it fits.
fn digits(text: &str) -> Option<u64> {
    text.bytes().try_fold(0u64, |n, b| {
        n.checked_mul(10)?
            .checked_add(u64::from(b.checked_sub(b'0')?))
    })
}

/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the form RFC 9110 requires senders to use,
/// as Unix seconds. Years past 9999 are refused: no real date has them, and refusing them
/// keeps the arithmetic in range.
pub fn parse_http_date(value: &str) -> Option<i64> {
    let (_weekday, rest) = text::split_once(value, ", ")?;
    let mut parts = rest.split(' ');
    let day = small_number(parts.next()?, 2)?;
    let month = match parts.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year = small_number(parts.next()?, 4)?;
    let mut clock = parts.next()?.split(':').map(|p| small_number(p, 2));
    let (hour, minute, second) = (clock.next()??, clock.next()??, clock.next()??);
    if parts.next()? != "GMT" || parts.next().is_some() || clock.next().is_some() {
        return None;
    }
    if !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + hour * 3600 + minute * 60 + second)
}

/// A number of one to `max_digits` digits: small enough for any arithmetic below.
fn small_number(text: &str, max_digits: usize) -> Option<i64> {
    if text.is_empty() || text.len() > max_digits {
        return None;
    }
    digits(text).and_then(|n| i64::try_from(n).ok())
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm); `year` is
/// at most 9999, so nothing here can overflow.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
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
