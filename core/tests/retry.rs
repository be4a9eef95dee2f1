//! The retry decision and `Retry-After` parsing, without I/O.

#![allow(clippy::unwrap_used)] // test code

use atlas_export_jobs::error::ApiFailure;
use atlas_export_jobs::retry::{
    backoff_ms, body_retry_seconds, decide, parse_http_date, parse_retry_after, AttemptOutcome,
    Decision, RetryPolicy,
};

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
    let mut failure = ApiFailure::from_foreign_body(429, String::new());
    failure.body = None;
    failure.error_code = Some(code.to_owned());
    failure.detail = detail.map(str::to_owned);
    failure.parameters = parameters.map(|p| p.as_array().unwrap().clone());
    failure
}

#[test]
fn retries_only_statuses_that_mean_later_and_missing_answers() {
    for status in [429, 502, 503, 504] {
        assert!(
            matches!(
                decide(&POLICY, 1, answered(status), NOW_MS, PLENTY, 0.5),
                Decision::RetryAfterMs(_)
            ),
            "{status}"
        );
    }
    for status in [200, 400, 401, 403, 404, 406, 410, 500, 501] {
        assert_eq!(
            decide(&POLICY, 1, answered(status), NOW_MS, PLENTY, 0.5),
            Decision::Stop,
            "{status}"
        );
    }
    assert!(matches!(
        decide(&POLICY, 1, AttemptOutcome::NoAnswer, NOW_MS, PLENTY, 0.5),
        Decision::RetryAfterMs(_)
    ));
    assert!(matches!(
        decide(&POLICY, 1, AttemptOutcome::TimedOut, NOW_MS, PLENTY, 0.5),
        Decision::RetryAfterMs(_)
    ));
}

#[test]
fn stops_after_the_maximum_number_of_attempts() {
    assert!(matches!(
        decide(&POLICY, 3, answered(503), NOW_MS, PLENTY, 0.5),
        Decision::RetryAfterMs(_)
    ));
    assert_eq!(
        decide(&POLICY, 4, answered(503), NOW_MS, PLENTY, 0.5),
        Decision::Stop
    );
    assert_eq!(
        decide(&RetryPolicy::OFF, 1, answered(503), NOW_MS, PLENTY, 0.5),
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
        decide(&POLICY, 1, outcome, NOW_MS, 29_999.0, 0.5),
        Decision::Stop
    );
    assert_eq!(
        decide(&POLICY, 1, outcome, NOW_MS, 30_001.0, 0.5),
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
        decide(&POLICY, 1, seconds, NOW_MS, PLENTY, 0.0),
        Decision::RetryAfterMs(7_000)
    );
    let date = AttemptOutcome::Answered {
        status: 503,
        retry_after: Some("Sun, 06 Nov 1994 08:49:49 GMT"),
        error: None,
    };
    assert_eq!(
        decide(&POLICY, 1, date, NOW_MS, PLENTY, 0.0),
        Decision::RetryAfterMs(12_000)
    );
    let scaled = RetryPolicy {
        retry_after_unit_ms: 10,
        ..POLICY
    };
    assert_eq!(
        decide(&scaled, 1, seconds, NOW_MS, PLENTY, 0.0),
        Decision::RetryAfterMs(70)
    );
}

#[test]
fn reads_the_delay_from_a_429_body_when_the_header_is_missing() {
    let documented = api_failure(
        "RATE_LIMITED_TOKEN_BUCKET",
        Some("Rate limit exceeded for api/atlas/v2/orgs. Please retry after 55 seconds. Request capacity: 10. Refill rate: 5 per 60 seconds."),
        Some(serde_json::json!(["api/atlas/v2/orgs", 55, 10, 5, 60])),
    );
    assert_eq!(body_retry_seconds(&documented), Some(55.0));
    let parameters_only = api_failure(
        "RATE_LIMITED_TOKEN_BUCKET",
        None,
        Some(serde_json::json!(["x", 12, 10, 5, 60])),
    );
    assert_eq!(body_retry_seconds(&parameters_only), Some(12.0));
    let detail_only = api_failure(
        "RATE_LIMITED",
        Some("Slow down. Retry after 3 seconds."),
        None,
    );
    assert_eq!(body_retry_seconds(&detail_only), Some(3.0));
    let nothing = api_failure(
        "RATE_LIMITED",
        Some("Too many requests"),
        Some(serde_json::json!(["x", 12])),
    );
    assert_eq!(body_retry_seconds(&nothing), None);

    let outcome = AttemptOutcome::Answered {
        status: 429,
        retry_after: None,
        error: Some(&documented),
    };
    assert_eq!(
        decide(&POLICY, 1, outcome, NOW_MS, PLENTY, 0.9),
        Decision::RetryAfterMs(55_000)
    );
    // The header wins over the body.
    let outcome = AttemptOutcome::Answered {
        status: 429,
        retry_after: Some("2"),
        error: Some(&documented),
    };
    assert_eq!(
        decide(&POLICY, 1, outcome, NOW_MS, PLENTY, 0.9),
        Decision::RetryAfterMs(2_000)
    );
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
        decide(&POLICY, 2, answered(502), NOW_MS, PLENTY, 0.25),
        Decision::RetryAfterMs(500)
    );
}

#[test]
fn parses_retry_after_seconds_dates_and_rejects_garbage() {
    assert_eq!(parse_retry_after("120", NOW_MS), Some(120.0));
    assert_eq!(parse_retry_after(" 0 ", NOW_MS), Some(0.0));
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 08:50:37 GMT", NOW_MS),
        Some(60.0)
    );
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", NOW_MS),
        Some(0.0),
        "a past date means now"
    );
    assert_eq!(
        parse_retry_after("99999999999999999999999999", NOW_MS),
        Some(1e26)
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
        decide(&POLICY, 1, huge, NOW_MS, PLENTY, 0.5),
        Decision::Stop
    );
    let negative = AttemptOutcome::Answered {
        status: 503,
        retry_after: Some("-5"),
        error: None,
    };
    assert_eq!(
        decide(&POLICY, 1, negative, NOW_MS, PLENTY, 0.5),
        Decision::RetryAfterMs(500),
        "garbage falls back to backoff"
    );
}

#[test]
fn parses_http_dates_to_unix_seconds() {
    assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0.0));
    assert_eq!(
        parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
        Some(784_111_777.0)
    );
    assert_eq!(
        parse_http_date("Sat, 29 Feb 2020 12:00:00 GMT"),
        Some(1_582_977_600.0)
    );
    assert_eq!(
        parse_http_date("Sat, 28 Nov 2026 11:00:00 GMT"),
        Some(1_795_863_600.0)
    );
}
