//! The retry decision and `Retry-After` parsing, without I/O. A server's numbers are read with
//! checked arithmetic: whatever it sends, the answer is a number or nothing, never an overflow
//! (these tests run in a debug build, with overflow checks on).

#![allow(clippy::unwrap_used)] // test code

mod common;

use atlas_export_jobs_core::error::ApiFailure;
use atlas_export_jobs_core::machines::retry::{
    backoff_ms, body_retry_seconds, decide, is_retryable_status, server_delay_ms, AttemptOutcome,
    Decision, RetryPolicy,
};
use atlas_export_jobs_core::wire::headers::{parse_http_date, parse_retry_after};
use common::at;

const NOW_MS: f64 = 784_111_777_000.0; // Sun, 06 Nov 1994 08:49:37 GMT
const PLENTY: f64 = 1e12;
const POLICY: RetryPolicy = RetryPolicy::DEFAULT;

fn answered(status: u16) -> AttemptOutcome<'static> {
    AttemptOutcome::Answered {
        status,
        retry_after: None,
        error: None,
    }
}

fn api_failure(
    code: &str,
    detail: Option<&str>,
    parameters: Option<serde_json::Value>,
) -> ApiFailure {
    ApiFailure {
        status: 429,
        error_code: Some(code.to_owned()),
        detail: detail.map(str::to_owned),
        parameters: parameters.map(|p| p.to_string()),
        ..ApiFailure::default()
    }
}

#[test]
fn retries_only_statuses_that_mean_later_and_missing_answers() {
    for status in [429, 502, 503, 504] {
        assert!(is_retryable_status(status));
        assert!(
            matches!(
                decide(&POLICY, 1, answered(status), at(NOW_MS), PLENTY, 0.5),
                Decision::RetryAfterMs(_)
            ),
            "{status}"
        );
    }
    for status in [0, 200, 302, 400, 401, 403, 404, 406, 410, 500, 501] {
        assert!(!is_retryable_status(status));
        assert_eq!(
            decide(&POLICY, 1, answered(status), at(NOW_MS), PLENTY, 0.5),
            Decision::Stop,
            "{status}"
        );
    }
    assert!(matches!(
        decide(
            &POLICY,
            1,
            AttemptOutcome::NoAnswer,
            at(NOW_MS),
            PLENTY,
            0.5
        ),
        Decision::RetryAfterMs(_)
    ));
    assert!(matches!(
        decide(
            &POLICY,
            1,
            AttemptOutcome::TimedOut,
            at(NOW_MS),
            PLENTY,
            0.5
        ),
        Decision::RetryAfterMs(_)
    ));
}

#[test]
fn stops_after_the_maximum_number_of_attempts() {
    assert!(matches!(
        decide(&POLICY, 3, answered(503), at(NOW_MS), PLENTY, 0.5),
        Decision::RetryAfterMs(_)
    ));
    assert_eq!(
        decide(&POLICY, 4, answered(503), at(NOW_MS), PLENTY, 0.5),
        Decision::Stop
    );
    assert_eq!(
        decide(&RetryPolicy::OFF, 1, answered(503), at(NOW_MS), PLENTY, 0.5),
        Decision::Stop
    );
}

#[test]
fn stops_when_the_wait_would_outlast_the_deadline() {
    let outcome = AttemptOutcome::Answered {
        status: 429,
        retry_after: Some("30"),
        error: None,
    };
    assert_eq!(
        decide(&POLICY, 1, outcome, at(NOW_MS), 29_999.0, 0.5),
        Decision::Stop
    );
    assert_eq!(
        decide(&POLICY, 1, outcome, at(NOW_MS), 30_000.0, 0.5),
        Decision::Stop,
        "a wait that ends with the deadline leaves no time for the request"
    );
    assert_eq!(
        decide(&POLICY, 1, outcome, at(NOW_MS), 30_001.0, 0.5),
        Decision::RetryAfterMs(30_000)
    );
}

#[test]
fn waits_exactly_what_retry_after_says_in_seconds_or_as_a_date() {
    let seconds = AttemptOutcome::Answered {
        status: 429,
        retry_after: Some("7"),
        error: None,
    };
    assert_eq!(
        decide(&POLICY, 1, seconds, at(NOW_MS), PLENTY, 0.0),
        Decision::RetryAfterMs(7_000)
    );
    let date = AttemptOutcome::Answered {
        status: 503,
        retry_after: Some("Sun, 06 Nov 1994 08:49:49 GMT"),
        error: None,
    };
    assert_eq!(
        decide(&POLICY, 1, date, at(NOW_MS), PLENTY, 0.0),
        Decision::RetryAfterMs(12_000)
    );
    let scaled = RetryPolicy {
        retry_after_unit_ms: 10,
        ..POLICY
    };
    assert_eq!(
        decide(&scaled, 1, seconds, at(NOW_MS), PLENTY, 0.0),
        Decision::RetryAfterMs(70)
    );
    // A server's delay is never shortened to the backoff's cap.
    let long = AttemptOutcome::Answered {
        status: 503,
        retry_after: Some("120"),
        error: None,
    };
    assert_eq!(
        decide(&POLICY, 1, long, at(NOW_MS), PLENTY, 0.0),
        Decision::RetryAfterMs(120_000)
    );
}

#[test]
fn reads_the_delay_from_a_429_body_when_the_header_is_missing() {
    let documented = api_failure(
        "RATE_LIMITED_TOKEN_BUCKET",
        Some("Rate limit exceeded for api/atlas/v2/orgs. Please retry after 55 seconds. Request capacity: 10. Refill rate: 5 per 60 seconds."),
        Some(serde_json::json!(["api/atlas/v2/orgs", 55, 10, 5, 60])),
    );
    assert_eq!(body_retry_seconds(&documented), Some(55));
    let parameters_only = api_failure(
        "RATE_LIMITED_TOKEN_BUCKET",
        None,
        Some(serde_json::json!(["x", 12, 10, 5, 60])),
    );
    assert_eq!(body_retry_seconds(&parameters_only), Some(12));
    let fractional = api_failure(
        "RATE_LIMITED_TOKEN_BUCKET",
        None,
        Some(serde_json::json!(["x", 2.5])),
    );
    assert_eq!(body_retry_seconds(&fractional), Some(3), "rounded up");
    let detail_only = api_failure(
        "RATE_LIMITED",
        Some("Slow down. Retry after 3 seconds."),
        None,
    );
    assert_eq!(body_retry_seconds(&detail_only), Some(3));
    let nothing = api_failure(
        "RATE_LIMITED",
        Some("Too many requests"),
        Some(serde_json::json!(["x", 12])),
    );
    assert_eq!(body_retry_seconds(&nothing), None);
    for parameters in [
        serde_json::json!(["x", -4]),
        serde_json::json!(["x", "12"]),
        serde_json::json!(["x"]),
        serde_json::json!({"seconds": 12}),
    ] {
        let odd = api_failure("RATE_LIMITED_TOKEN_BUCKET", None, Some(parameters.clone()));
        assert_eq!(body_retry_seconds(&odd), None, "{parameters}");
    }

    let outcome = AttemptOutcome::Answered {
        status: 429,
        retry_after: None,
        error: Some(&documented),
    };
    assert_eq!(
        decide(&POLICY, 1, outcome, at(NOW_MS), PLENTY, 0.9),
        Decision::RetryAfterMs(55_000)
    );
    // The header wins over the body.
    let outcome = AttemptOutcome::Answered {
        status: 429,
        retry_after: Some("2"),
        error: Some(&documented),
    };
    assert_eq!(
        decide(&POLICY, 1, outcome, at(NOW_MS), PLENTY, 0.9),
        Decision::RetryAfterMs(2_000)
    );
    // Only a 429's body names a delay.
    let unavailable = AttemptOutcome::Answered {
        status: 503,
        retry_after: None,
        error: Some(&documented),
    };
    assert_eq!(server_delay_ms(&POLICY, unavailable, at(NOW_MS)), None);
}

#[test]
fn backs_off_exponentially_with_full_jitter_up_to_the_cap() {
    assert_eq!(backoff_ms(&POLICY, 1, 0.0), 0);
    assert_eq!(backoff_ms(&POLICY, 1, 0.999_999), 999);
    assert_eq!(backoff_ms(&POLICY, 2, 0.5), 1_000);
    assert_eq!(backoff_ms(&POLICY, 3, 0.5), 2_000);
    assert_eq!(backoff_ms(&POLICY, 10, 0.5), 15_000); // capped at 30 s
    assert_eq!(backoff_ms(&POLICY, 200, 1.0), 30_000);
    assert_eq!(
        decide(&POLICY, 2, answered(502), at(NOW_MS), PLENTY, 0.25),
        Decision::RetryAfterMs(500)
    );
}

#[test]
fn parses_retry_after_seconds_dates_and_rejects_garbage() {
    assert_eq!(parse_retry_after("120", NOW_MS), Some(120));
    assert_eq!(parse_retry_after(" 0 ", NOW_MS), Some(0));
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 08:50:37 GMT", NOW_MS),
        Some(60)
    );
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 08:50:37 GMT", NOW_MS + 500.0),
        Some(60),
        "whole seconds, rounded up"
    );
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", NOW_MS),
        Some(0),
        "a past date means now"
    );
    assert_eq!(
        parse_retry_after("99999999999999999999999999", NOW_MS),
        Some(u64::MAX),
        "more digits than any clock: wait forever"
    );
    for garbage in [
        "",
        "-5",
        "1.5",
        "soon",
        "5 seconds",
        "Sun, 06 Nov 1994 08:49:37",
        "Sun, 32 Nov 1994 08:49:37 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
    ] {
        assert_eq!(parse_retry_after(garbage, NOW_MS), None, "{garbage:?}");
    }
    let huge = AttemptOutcome::Answered {
        status: 429,
        retry_after: Some("99999999999999999999999999"),
        error: None,
    };
    assert_eq!(
        decide(&POLICY, 1, huge, at(NOW_MS), PLENTY, 0.5),
        Decision::Stop
    );
    let negative = AttemptOutcome::Answered {
        status: 503,
        retry_after: Some("-5"),
        error: None,
    };
    assert_eq!(
        decide(&POLICY, 1, negative, at(NOW_MS), PLENTY, 0.5),
        Decision::RetryAfterMs(500),
        "garbage falls back to backoff"
    );
}

#[test]
fn parses_http_dates_to_unix_seconds() {
    assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
    assert_eq!(
        parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
        Some(784_111_777)
    );
    assert_eq!(
        parse_http_date("Sat, 29 Feb 2020 12:00:00 GMT"),
        Some(1_582_977_600)
    );
    assert_eq!(
        parse_http_date("Sat, 28 Nov 2026 11:00:00 GMT"),
        Some(1_795_863_600)
    );
    assert_eq!(
        parse_http_date("Fri, 31 Dec 9999 23:59:59 GMT"),
        Some(253_402_300_799)
    );
}

/// Dates and digit runs no clock reaches: each gives nothing or a saturated wait, never a panic
/// (an open issue asked for these; the build under test has overflow checks on).
#[test]
fn never_overflows_on_absurd_dates_or_digits() {
    let cases: [(&str, Option<u64>); 12] = [
        ("Sun, 06 Nov 99999999999999 08:49:37 GMT", None),
        ("Sun, 06 Nov 18446744073709551616 08:49:37 GMT", None),
        ("Sun, 06 Nov 10000 08:49:37 GMT", None),
        ("Sun, 99999999999999999999 Nov 1994 08:49:37 GMT", None),
        ("Sun, 06 Nov 1994 99999999999999999999:49:37 GMT", None),
        ("Sun, 06 Nov 1994 08:99999999999999999999:37 GMT", None),
        ("Sun, 06 Nov 1994 08:49:99999999999999999999 GMT", None),
        ("Sun, 06 Nov -1994 08:49:37 GMT", None),
        ("18446744073709551615", Some(u64::MAX)),
        ("18446744073709551616", Some(u64::MAX)),
        (&"9".repeat(10_000), Some(u64::MAX)),
        ("Sat, 01 Jan 0000 00:00:00 GMT", Some(0)),
    ];
    for (value, expected) in cases {
        assert_eq!(parse_retry_after(value, NOW_MS), expected, "{value:.60}");
    }
    // The farthest date an HTTP date can name, from the earliest and the latest clocks.
    let far = "Fri, 31 Dec 9999 23:59:59 GMT";
    assert_eq!(parse_retry_after(far, 0.0), Some(253_402_300_799));
    for now in [
        f64::MIN,
        -1e300,
        f64::MAX,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
    ] {
        let _ = parse_retry_after(far, now);
        let _ = parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", now);
    }
    assert_eq!(parse_retry_after(far, f64::MAX), Some(0), "in the past");
    // A delay that large means "longer than any deadline".
    let outcome = AttemptOutcome::Answered {
        status: 503,
        retry_after: Some(far),
        error: None,
    };
    let unit = RetryPolicy {
        retry_after_unit_ms: 1_000,
        ..POLICY
    };
    assert_eq!(
        server_delay_ms(&unit, outcome, at(0.0)),
        Some(253_402_300_799_000)
    );
    assert_eq!(
        decide(&unit, 1, outcome, at(0.0), PLENTY, 0.5),
        Decision::Stop
    );
    let forever = AttemptOutcome::Answered {
        status: 503,
        retry_after: Some("18446744073709551615"),
        error: None,
    };
    assert_eq!(server_delay_ms(&unit, forever, at(0.0)), Some(u64::MAX));
    assert_eq!(
        decide(&unit, 1, forever, at(0.0), PLENTY, 0.5),
        Decision::Stop
    );
}

#[test]
fn never_overflows_on_absurd_body_seconds_or_backoff_inputs() {
    let digits = api_failure(
        "RATE_LIMITED",
        Some(&format!("Please retry after {} seconds", "9".repeat(400))),
        None,
    );
    assert_eq!(body_retry_seconds(&digits), Some(u64::MAX));
    let huge = api_failure(
        "RATE_LIMITED_TOKEN_BUCKET",
        None,
        Some(serde_json::from_str("[\"x\", 1e308]").unwrap()),
    );
    assert_eq!(body_retry_seconds(&huge), Some(u64::MAX));
    let outcome = AttemptOutcome::Answered {
        status: 429,
        retry_after: None,
        error: Some(&digits),
    };
    assert_eq!(
        server_delay_ms(&POLICY, outcome, at(NOW_MS)),
        Some(u64::MAX)
    );
    assert_eq!(
        decide(&POLICY, 1, outcome, at(NOW_MS), PLENTY, 0.5),
        Decision::Stop
    );

    let widest = RetryPolicy {
        max_attempts: u32::MAX,
        base_delay_ms: u32::MAX,
        max_delay_ms: u32::MAX,
        retry_after_unit_ms: u32::MAX,
    };
    for attempts in [0, 1, 31, 32, 64, u32::MAX] {
        for jitter in [0.0, 0.5, 1.0, -1.0, 2.0, f64::NAN, f64::INFINITY] {
            assert!(backoff_ms(&widest, attempts, jitter) <= u64::from(u32::MAX));
        }
    }
    let _ = decide(
        &widest,
        u32::MAX - 1,
        AttemptOutcome::NoAnswer,
        at(f64::MAX),
        f64::MAX,
        1.0,
    );
    let forever = AttemptOutcome::Answered {
        status: 429,
        retry_after: Some("18446744073709551615"),
        error: None,
    };
    assert_eq!(
        server_delay_ms(&widest, forever, at(NOW_MS)),
        Some(u64::MAX)
    );
}
