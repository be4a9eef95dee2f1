//! Header values are facts, not text: what the client keeps or shows of a response header is the
//! header's meaning, written out again. `Retry-After` is seconds or an HTTP date (written as an
//! IMF-fixdate from the parsed time), the rate-limit headers are integers, a `Location` is an
//! origin; a value that does not parse is dropped, and a credential a server echoes into one of
//! them is kept nowhere.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)] // test code

mod common;

use atlas_export_jobs_core::auth::credentials::Credentials;
use atlas_export_jobs_core::auth::AuthScheme;
use atlas_export_jobs_core::error::facts::FactList;
use atlas_export_jobs_core::error::Failure;
use atlas_export_jobs_core::machines::call::{Call, Outcome};
use atlas_export_jobs_core::rules::input::InputValue;
use atlas_export_jobs_core::support::secret::Secret;
use atlas_export_jobs_core::wire::headers::{
    format_http_date, location_origin, parse_http_date, RetryAfter,
};
use atlas_export_jobs_core::wire::response_info::{ResponseHeaders, ResponseInfo};
use common::*;

const FIRST_HTTP_DATE: i64 = -62_167_219_200;
const LAST_HTTP_DATE: i64 = 253_402_300_799;

/// The `retryAfter` that `responseInfo` shows for a response with this `Retry-After`.
fn shown_retry_after(sent: &str) -> Option<String> {
    let info = ResponseInfo::of(1, 429, &retry_after(sent));
    FactList::of(&info).text("retryAfter").map(str::to_owned)
}

/// The outcome of a call without retries whose page request gets `status` with `headers`.
fn outcome_of(credentials: &mut Credentials, status: u16, headers: ResponseHeaders) -> Outcome {
    let mut call = Call::new(
        plan(&[("retry", InputValue::Bool(false))]),
        credentials,
        at(T0),
        7,
    );
    exchange(
        &mut call,
        T0,
        credentials,
        response_with(status, "", headers),
    );
    expect_done(&mut call, T0, credentials)
}

fn echoing(value: &str) -> ResponseHeaders {
    ResponseHeaders {
        retry_after: Some(value.to_owned()),
        rate_limit_limit: Some(value.to_owned()),
        rate_limit_remaining: Some(value.to_owned()),
        ..ResponseHeaders::default()
    }
}

fn bearer_with(token: &str) -> Credentials {
    credentials(AuthScheme::Bearer(Secret::new(token)))
}

#[test]
fn shows_retry_after_seconds_and_dates_written_from_their_meaning() {
    for (sent, shown) in [
        ("120", "120"),
        (" 0120 ", "120"),
        ("0", "0"),
        (
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT",
        ),
        // The weekday is the date's own, whatever the server wrote.
        (
            "Mon, 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT",
        ),
        (
            "Thu, 29 Feb 2024 23:59:59 GMT",
            "Thu, 29 Feb 2024 23:59:59 GMT",
        ),
        // More digits than any clock: as long a wait as can be named.
        (&"9".repeat(65), "18446744073709551615"),
    ] {
        assert_eq!(shown_retry_after(sent).as_deref(), Some(shown), "{sent:?}");
    }
}

#[test]
fn drops_a_retry_after_that_does_not_parse() {
    for sent in [
        "",
        "soon",
        "-5",
        "1.5",
        "+5",
        "5 seconds",
        "a\u{7}b",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Bearer tok-3f9a8b7c6d5e4f3a2b1c",
        "tok-3f9a8b7c6d5e4f3a2b1c",
    ] {
        assert_eq!(shown_retry_after(sent), None, "{sent:?}");
        assert_eq!(RetryAfter::parse(sent), None, "{sent:?}");
    }
}

#[test]
fn parses_retry_after_into_seconds_or_a_time() {
    assert_eq!(RetryAfter::parse("120"), Some(RetryAfter::Seconds(120)));
    assert_eq!(
        RetryAfter::parse("Sun, 06 Nov 1994 08:49:37 GMT"),
        Some(RetryAfter::Date(784_111_777))
    );
    assert_eq!(RetryAfter::Seconds(7).seconds_from(T0), 7);
    assert_eq!(RetryAfter::Date(784_111_837).seconds_from(T0), 60);
    assert_eq!(
        RetryAfter::Date(784_111_837).seconds_from(T0 + 500.0),
        60,
        "rounded up"
    );
    assert_eq!(
        RetryAfter::Date(0).seconds_from(T0),
        0,
        "a past date means now"
    );
    assert_eq!(
        RetryAfter::Date(i64::MAX).write(),
        None,
        "no HTTP date names it"
    );
}

#[test]
fn formats_unix_seconds_as_imf_fixdate() {
    for (unix, date) in [
        (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
        (784_111_777, "Sun, 06 Nov 1994 08:49:37 GMT"),
        (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"),
        (1_582_977_600, "Sat, 29 Feb 2020 12:00:00 GMT"),
        (1_795_863_600, "Sat, 28 Nov 2026 11:00:00 GMT"),
        (-1, "Wed, 31 Dec 1969 23:59:59 GMT"),
        (FIRST_HTTP_DATE, "Sat, 01 Jan 0000 00:00:00 GMT"),
        (LAST_HTTP_DATE, "Fri, 31 Dec 9999 23:59:59 GMT"),
    ] {
        assert_eq!(format_http_date(unix).as_deref(), Some(date), "{unix}");
        assert_eq!(parse_http_date(date), Some(unix), "{date}");
    }
    for unix in [FIRST_HTTP_DATE - 1, LAST_HTTP_DATE + 1, i64::MIN, i64::MAX] {
        assert_eq!(format_http_date(unix), None, "{unix}");
    }
}

/// Every date written is read back as the same time, across the whole range, each century's
/// leap-year rule included.
#[test]
fn reads_back_every_date_it_writes() {
    let mut unix = FIRST_HTTP_DATE;
    let mut checked = 0;
    while unix <= LAST_HTTP_DATE {
        let date = format_http_date(unix).unwrap();
        assert_eq!(parse_http_date(&date), Some(unix), "{date}");
        unix += 86_400 * 37 + 3_607;
        checked += 1;
    }
    assert!(checked > 90_000, "{checked}");
    // Each day around the leap days of 1900 (none), 2000 (one) and 2024 (one).
    for year_start in [-2_208_988_800_i64, 946_684_800, 1_704_067_200] {
        for day in 0..400 {
            let unix = year_start + day * 86_400 + 45_296;
            let date = format_http_date(unix).unwrap();
            assert_eq!(parse_http_date(&date), Some(unix), "{date}");
        }
    }
    assert_eq!(
        format_http_date(-2_203_891_200).as_deref(),
        Some("Thu, 01 Mar 1900 00:00:00 GMT"),
        "1900 has no 29 February"
    );
}

#[test]
fn keeps_rate_limits_that_a_javascript_number_holds_exactly() {
    for (sent, kept) in [
        ("1200", Some(1200)),
        (" 99 ", Some(99)),
        ("0", Some(0)),
        ("9007199254740991", Some(9_007_199_254_740_991)),
        ("9007199254740992", None),
        ("99999999999999999999", None),
        ("-1", None),
        ("1e3", None),
        ("12 requests", None),
    ] {
        let headers = ResponseHeaders {
            rate_limit_limit: Some(sent.to_owned()),
            rate_limit_remaining: Some(sent.to_owned()),
            ..ResponseHeaders::default()
        };
        let info = ResponseInfo::of(1, 200, &headers);
        assert_eq!(
            (info.rate_limit_limit, info.rate_limit_remaining),
            (kept, kept),
            "{sent:?}"
        );
    }
}

#[test]
fn keeps_no_credential_echoed_into_retry_after_or_the_rate_limit() {
    let mut credentials = bearer();
    for echoed in [TOKEN.to_owned(), format!("Bearer {TOKEN}")] {
        let outcome = outcome_of(&mut credentials, 429, echoing(&echoed));
        assert_eq!(
            (
                outcome.info.retry_after,
                outcome.info.rate_limit_limit,
                outcome.info.rate_limit_remaining
            ),
            (None, None, None),
            "{echoed}"
        );
        assert!(!format!("{:?}", FactList::of(&outcome.info)).contains(TOKEN));
    }
}

/// A token of digits alone parses as delay-seconds and as a count: what would be written out is
/// the token itself, so it is dropped.
#[test]
fn drops_a_number_that_would_write_out_a_token_of_digits() {
    for token in ["8172635498", "0081726354"] {
        let mut credentials = bearer_with(token);
        let outcome = outcome_of(&mut credentials, 503, echoing(token));
        assert_eq!(
            (
                outcome.info.retry_after,
                outcome.info.rate_limit_limit,
                outcome.info.rate_limit_remaining
            ),
            (None, None, None),
            "{token}"
        );
        let facts = format!("{:?}", FactList::of(&outcome.info));
        assert!(!facts.contains(token.trim_start_matches('0')), "{facts}");
    }
    // Numbers that are no credential are kept.
    let mut credentials = bearer_with("8172635498");
    let outcome = outcome_of(&mut credentials, 503, echoing("30"));
    assert_eq!(outcome.info.retry_after, Some(RetryAfter::Seconds(30)));
    assert_eq!(outcome.info.rate_limit_limit, Some(30));
}

#[test]
fn reports_a_location_as_its_origin_parsed_and_written_again() {
    let from = PAGE_URL;
    for (location, origin) in [
        (
            "https://Other.Example:0443/x?y=1#z",
            Some("https://other.example:443"),
        ),
        (
            "HTTPS://user:pw@Other.Example/x",
            Some("https://other.example"),
        ),
        (
            "https://other.example\\@evil.example/",
            Some("https://other.example"),
        ),
        ("https://[::1]:8080/x", Some("https://[::1]:8080")),
        ("http://127.0.0.1:1/", Some("http://127.0.0.1:1")),
        ("https://host.example./x", Some("https://host.example.")),
        ("//evil.example/x", Some("https://evil.example")),
        ("/elsewhere?x=1", Some("https://cloud.mongodb.com")),
        // A relative reference whose query holds a URL is still relative.
        (
            "/cb?next=https://x.example/y",
            Some("https://cloud.mongodb.com"),
        ),
        ("elsewhere", Some("https://cloud.mongodb.com")),
        // A host by the base URL's rules, which allow `_` in a label.
        ("https://exa_mple.com/", Some("https://exa_mple.com")),
        ("https://exa~mple.com/", None),
        ("https://a b/", None),
        ("https://host:99999/", None),
        ("https://host:abc/", None),
        ("https://[bad/x", None),
        ("https://[::1/x", None),
        ("https:///x", None),
        ("https://", None),
        ("javascript:alert(1)", None),
        ("https:host.example", None),
    ] {
        assert_eq!(
            location_origin(Some(location), from).as_deref(),
            origin,
            "{location:?}"
        );
    }
    assert_eq!(location_origin(None, from), None);
}

/// The origin is written in lowercase: a token in a `Location`'s host is scrubbed whatever its
/// case, and a relative `Location` with a token in its query names only the request's origin.
#[test]
fn scrubs_a_token_in_a_location_whatever_its_case() {
    const MIXED: &str = "Tok-9QxZ7wLmN4pR2sT8vY";
    for location in [
        format!("https://{MIXED}.example/"),
        format!("https://{}.example/", MIXED.to_ascii_uppercase()),
        format!("/cb?t={MIXED}&u=https://x.example"),
    ] {
        let mut credentials = bearer_with(MIXED);
        let headers = ResponseHeaders {
            location: Some(location.clone()),
            ..ResponseHeaders::default()
        };
        let outcome = outcome_of(&mut credentials, 302, headers);
        let Err(Failure::Api(api)) = &outcome.result else {
            panic!("expected an API failure, got {:?}", outcome.result);
        };
        let shown = api.location.clone().unwrap_or_default();
        assert!(
            !shown
                .to_ascii_lowercase()
                .contains(&MIXED.to_ascii_lowercase()),
            "{location} -> {shown}"
        );
        assert!(
            ["https://[redacted].example", "https://cloud.mongodb.com"].contains(&shown.as_str()),
            "{location} -> {shown}"
        );
    }
}
