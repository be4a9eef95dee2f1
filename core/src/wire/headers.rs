//! The values of the response headers the client reads, as meanings rather than text: a
//! `Retry-After` is a number of seconds or an HTTP date. What the package keeps or passes on is
//! the meaning, written out again by [`RetryAfter::write`], never the text a server sent, which
//! may echo a credential. Wall-clock time enters only here, where a server states a time in it.

use crate::error::facts::{Describe, Facts};
use crate::rules::base_url;
use crate::support::num::{self, digits};
use crate::support::text;
use alloc::string::String;

/// What a `Retry-After` header says: delay-seconds, or an HTTP date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAfter {
    /// Wait this many seconds; digits past `u64::MAX` saturate there ("longer than any wait").
    Seconds(u64),
    /// Wait until this time, in Unix seconds (years 0000 to 9999, as an HTTP date can name).
    Date(i64),
}

impl RetryAfter {
    /// Delay-seconds (digits only, surrounding spaces aside) or an IMF-fixdate; anything else,
    /// a sign, a fraction or an obsolete date form, is no `Retry-After` at all.
    pub fn parse(value: &str) -> Option<Self> {
        let value = value.trim();
        if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
            // Digits only, so the only failure is overflow: wait "forever".
            return Some(RetryAfter::Seconds(digits(value).unwrap_or(u64::MAX)));
        }
        parse_http_date(value).map(RetryAfter::Date)
    }

    /// Whole seconds to wait from `now_ms` (rounded up); a date in the past means no wait.
    pub fn seconds_from(self, now_ms: f64) -> u64 {
        match self {
            RetryAfter::Seconds(seconds) => seconds,
            RetryAfter::Date(at) => {
                let wait_ms = (at as f64) * 1000.0 - now_ms;
                if wait_ms <= 0.0 {
                    0
                } else {
                    num::ceil(wait_ms / 1000.0).min(u64::MAX as f64) as u64
                }
            }
        }
    }

    /// The header's value as this client writes it: the seconds in decimal, or the date as an
    /// IMF-fixdate. `None` only for a date no HTTP date can name (one `parse` never gives).
    pub fn write(self) -> Option<String> {
        match self {
            RetryAfter::Seconds(seconds) => Some(text::decimal(seconds)),
            RetryAfter::Date(at) => format_http_date(at),
        }
    }
}

impl Describe for RetryAfter {
    fn describe(&self, facts: &mut dyn Facts) {
        if let Some(value) = self.write() {
            facts.text("retryAfter", &value);
        }
    }
}

/// `Retry-After` is either delay-seconds (digits) or an HTTP-date; anything else is ignored.
/// Returns whole seconds to wait from `now_ms` (rounded up); a date in the past means no wait.
pub fn parse_retry_after(value: &str, now_ms: f64) -> Option<u64> {
    RetryAfter::parse(value).map(|after| after.seconds_from(now_ms))
}

/// The origin a `Location` points at, parsed and written out again: the scheme and the host in
/// lowercase and the port as a number, with the user info, path, query and fragment dropped. A
/// relative reference points at the request's own origin, a scheme-relative one (`//host/x`) at
/// its host with the request's scheme. `None` when there is no such origin to name: a host that is no DNS name, IPv4 or
/// bracketed IPv6 address, or a port that is no port.
pub fn location_origin(location: Option<&str>, request_url: &str) -> Option<String> {
    let location = location?.trim();
    let (scheme, rest) = match scheme_of(location) {
        Some(scheme) => (scheme, location.get(scheme.len().saturating_add(1)..)?),
        None => {
            let scheme = scheme_of(request_url)?;
            let rest = if location.starts_with("//") {
                location
            } else {
                request_url.get(scheme.len().saturating_add(1)..)?
            };
            (scheme, rest)
        }
    };
    let rest = rest.strip_prefix("//")?;
    let end = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
    let authority = rest.get(..end)?;
    let host_and_port = authority.rsplit('@').next().unwrap_or(authority);
    // An empty port (`host:`) is the scheme's default, as a URL parser reads it.
    let host_and_port = host_and_port.strip_suffix(':').unwrap_or(host_and_port);
    let (host, port) = base_url::host_and_port(host_and_port)?;
    let mut origin = scheme.to_ascii_lowercase();
    origin.push_str("://");
    origin.push_str(&host);
    if let Some(port) = port {
        origin.push(':');
        text::push_decimal(&mut origin, u64::from(port));
    }
    Some(origin)
}

/// The scheme an absolute URL starts with (RFC 3986: a letter, then letters, digits, `+`, `-`
/// or `.`, then `:`), if it has one.
fn scheme_of(url: &str) -> Option<&str> {
    let scheme = url.get(..url.bytes().position(|b| b == b':')?)?;
    let mut bytes = scheme.bytes();
    let valid = bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        && scheme.len() <= 32;
    valid.then_some(scheme)
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

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The Unix seconds of `Sat, 01 Jan 0000 00:00:00 GMT` and `Fri, 31 Dec 9999 23:59:59 GMT`: the
/// times an IMF-fixdate, with its four-digit year, can name.
const FIRST_HTTP_DATE: i64 = -62_167_219_200;
const LAST_HTTP_DATE: i64 = 253_402_300_799;

/// The inverse of [`parse_http_date`]: Unix seconds as an IMF-fixdate
/// (`Sun, 06 Nov 1994 08:49:37 GMT`), its weekday computed from the date. `None` outside the
/// years 0000 to 9999.
pub fn format_http_date(unix_seconds: i64) -> Option<String> {
    if !(FIRST_HTTP_DATE..=LAST_HTTP_DATE).contains(&unix_seconds) {
        return None;
    }
    let days = unix_seconds.div_euclid(86_400);
    let second_of_day = unix_seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    // 1970-01-01 was a Thursday.
    let weekday = WEEKDAYS.get(usize::try_from((days + 4).rem_euclid(7)).ok()?)?;
    let month = MONTHS.get(usize::try_from(month - 1).ok()?)?;
    let mut out = String::with_capacity(29);
    out.push_str(weekday);
    out.push_str(", ");
    push_padded(&mut out, day, 10);
    out.push(' ');
    out.push_str(month);
    out.push(' ');
    push_padded(&mut out, year, 1000);
    out.push(' ');
    push_padded(&mut out, second_of_day / 3600, 10);
    out.push(':');
    push_padded(&mut out, second_of_day / 60 % 60, 10);
    out.push(':');
    push_padded(&mut out, second_of_day % 60, 10);
    out.push_str(" GMT");
    Some(out)
}

/// `value` (from 0 to 9999 here) in decimal, zero-padded to as many digits as `unit` has
/// (`10`: two, `1000`: four).
fn push_padded(out: &mut String, value: i64, unit: i64) {
    let mut unit = unit;
    while unit > 0 {
        let digit = u8::try_from(value / unit % 10).unwrap_or_default();
        out.push(char::from(b'0'.saturating_add(digit)));
        unit /= 10;
    }
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm, the
/// inverse of [`days_from_civil`]); `days` lies within the years 0000 to 9999, so nothing
/// here can overflow.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
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
