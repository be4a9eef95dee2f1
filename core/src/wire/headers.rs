//! The values of the response headers the client reads, as meanings rather than text: a
//! `Retry-After` is a number of seconds or an HTTP date. Wall-clock time enters only here, where a
//! server states a time in it.

use crate::support::num;
use crate::support::text;

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
pub fn digits(text: &str) -> Option<u64> {
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
