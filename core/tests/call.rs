//! One call of `listExportJobs` as the call machine runs it, driven with a fake clock: what it
//! sends, how long each attempt may take against the deadline, which answers it retries and after
//! how long, redirects, oversized bodies and the caller's abort. Every step is `poll` for the
//! next action, then `handle` with what happened.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)] // test code

mod common;

use atlas_export_jobs_core::auth::credentials::Credentials;
use atlas_export_jobs_core::error::facts::FactList;
use atlas_export_jobs_core::error::{ApiFailure, Failure, Limit, NetworkProblem};
use atlas_export_jobs_core::machines::call::{
    Action, Call, CallPlan, Event, Exchange, Outgoing, Response, RetryEvent, Transport,
};
use atlas_export_jobs_core::machines::retry::{backoff_ms, RetryPolicy};
use atlas_export_jobs_core::rules::input::InputValue;
use atlas_export_jobs_core::rules::options::{DEFAULT_MAX_BODY_BYTES, DEFAULT_TIMEOUT_MS};
use atlas_export_jobs_core::support::rng::Rng;
use atlas_export_jobs_core::support::secret::Secret;
use atlas_export_jobs_core::wire::headers::RetryAfter;
use atlas_export_jobs_core::wire::request::{HttpRequest, Method};
use atlas_export_jobs_core::wire::response_info::{ResponseHeaders, ResponseInfo};
use common::*;

use InputValue::Number;

const SEED: u64 = 0x5eed;

fn start(option_entries: &[(&str, InputValue)], credentials: &mut Credentials) -> Call {
    Call::new(plan(option_entries), credentials, at(T0), SEED)
}

fn ok_page() -> Response {
    response(200, &page_body(1..=2, Some(2), false))
}

fn api_failure(failure: Failure) -> ApiFailure {
    match failure {
        Failure::Api(api) => *api,
        other => panic!("expected an API failure, got {other:?}"),
    }
}

/// An Atlas rate-limit error naming its wait in the body only.
const RATE_LIMITED: &str = r#"{"error":429,"errorCode":"RATE_LIMITED_TOKEN_BUCKET","reason":"Too Many Requests","detail":"Rate limit exceeded. Please retry after 5 seconds.","parameters":["api/atlas/v2",5,10,5,60]}"#;

#[test]
fn sends_the_page_request_and_ends_with_the_page_and_what_the_response_said() {
    let mut credentials = bearer();
    let mut call = start(&[], &mut credentials);
    let outgoing = expect_send(&mut call, T0, &mut credentials);
    assert_eq!(
        outgoing,
        Outgoing {
            request: HttpRequest {
                method: Method::Get,
                url: PAGE_URL.to_owned(),
                accept: "application/vnd.atlas.2023-01-01+json",
                authorization: Some(Secret::new(format!("Bearer {TOKEN}"))),
                form: None,
            },
            exchange: Exchange::Api,
            timeout_ms: DEFAULT_TIMEOUT_MS,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    );
    assert_eq!(
        call.poll(at(T0), &mut credentials),
        Action::Idle,
        "the answer is awaited"
    );
    let headers = ResponseHeaders {
        rate_limit_limit: Some("100".into()),
        rate_limit_remaining: Some(" 99 ".into()),
        retry_after: Some("5".into()),
        ..ResponseHeaders::default()
    };
    let body = page_body(1..=2, Some(2), false);
    answer(
        &mut call,
        T0 + 80.0,
        &mut credentials,
        response_with(200, &body, headers),
    );
    let outcome = expect_done(&mut call, T0 + 80.0, &mut credentials);
    let page = outcome.result.unwrap();
    assert_eq!(page.json(&[]), body.as_str());
    assert_eq!(parsed(&page).results.len(), 2);
    assert_eq!(
        outcome.info,
        ResponseInfo {
            attempts: 1,
            status: Some(200),
            rate_limit_limit: Some(100),
            rate_limit_remaining: Some(99),
            retry_after: Some(RetryAfter::Seconds(5)),
        }
    );
    assert_eq!(
        call.poll(at(T0 + 81.0), &mut credentials),
        Action::Idle,
        "the outcome is handed over once"
    );
}

#[test]
fn sends_the_v1_request_with_its_accept_and_the_callers_limits() {
    let mut credentials = bearer();
    let mut call = start(
        &[
            ("apiVersion", s("v1.0")),
            ("timeoutMs", Number(5_000.0)),
            ("maxBodyBytes", Number(4_096.0)),
        ],
        &mut credentials,
    );
    let outgoing = expect_send(&mut call, T0, &mut credentials);
    assert!(outgoing.request.url.contains("/api/atlas/v1.0/groups/"));
    assert_eq!(outgoing.request.accept, "application/json");
    assert_eq!(
        (outgoing.timeout_ms, outgoing.max_body_bytes),
        (5_000, 4_096)
    );
}

#[test]
fn sends_no_authorization_without_credentials() {
    let mut credentials = credentials(atlas_export_jobs_core::auth::AuthScheme::None);
    let mut call = start(&[], &mut credentials);
    let outgoing = exchange(&mut call, T0, &mut credentials, ok_page());
    assert_eq!(authorization(&outgoing), None);
    assert!(expect_done(&mut call, T0, &mut credentials).result.is_ok());
}

#[test]
fn takes_an_envelopes_page_and_its_status() {
    let mut credentials = bearer();
    let plan = CallPlan::new(
        &params(&[("envelope", InputValue::Bool(true))]),
        &options(&[]),
    )
    .unwrap();
    let mut call = Call::new(plan, &mut credentials, at(T0), SEED);
    let outgoing = expect_send(&mut call, T0, &mut credentials);
    assert!(outgoing.request.url.ends_with("?envelope=true"));
    let body = format!(
        r#"{{"status":200,"content":{}}}"#,
        page_body(1..=1, None, false)
    );
    answer(&mut call, T0, &mut credentials, response(200, &body));
    assert_eq!(
        parsed(&expect_done(&mut call, T0, &mut credentials).result.unwrap())
            .results
            .len(),
        1
    );

    let mut call = Call::new(
        CallPlan::new(
            &params(&[("envelope", InputValue::Bool(true))]),
            &options(&[]),
        )
        .unwrap(),
        &mut credentials,
        at(T0),
        SEED,
    );
    let error = r#"{"status":404,"content":{"error":404,"errorCode":"CLUSTER_NOT_FOUND"}}"#;
    exchange(&mut call, T0, &mut credentials, response(200, error));
    let api = api_failure(expect_failure(&mut call, T0, &mut credentials));
    assert_eq!(
        (api.status, api.error_code.as_deref()),
        (404, Some("CLUSTER_NOT_FOUND"))
    );
}

// ---- retries -----------------------------------------------------------------------------------

#[test]
fn retries_each_later_status_after_the_seconds_retry_after_names() {
    for status in [429, 502, 503, 504] {
        let mut credentials = bearer();
        let mut call = start(&[], &mut credentials);
        let body = r#"{"error":503,"errorCode":"SERVICE_UNAVAILABLE"}"#;
        exchange(
            &mut call,
            T0,
            &mut credentials,
            response_with(status, body, retry_after("3")),
        );
        let (ms, retry) = expect_wait(&mut call, T0, &mut credentials);
        assert_eq!(ms, 3_000, "{status}");
        assert_eq!(
            retry,
            Some(RetryEvent {
                attempt: 1,
                delay_ms: 3_000,
                kind: "api",
                status: Some(status),
                error_code: Some("SERVICE_UNAVAILABLE".into()),
            }),
            "{status}"
        );
        call.handle(at(T0 + 3_000.0), &mut credentials, Event::Woken);
        let again = exchange(&mut call, T0 + 3_000.0, &mut credentials, ok_page());
        assert_eq!(again.request.url, PAGE_URL, "the same request again");
        assert_eq!(
            authorization(&again),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        let outcome = expect_done(&mut call, T0 + 3_000.0, &mut credentials);
        assert!(outcome.result.is_ok(), "{status}");
        assert_eq!(outcome.info.attempts, 2, "{status}");
    }
}

#[test]
fn waits_until_the_http_date_retry_after_names() {
    let mut credentials = bearer();
    let mut call = start(&[], &mut credentials);
    // T0 is 08:49:37; the server says 08:49:49.
    let headers = retry_after("Sun, 06 Nov 1994 08:49:49 GMT");
    exchange(
        &mut call,
        T0,
        &mut credentials,
        response_with(503, "", headers),
    );
    let (ms, retry) = expect_wait(&mut call, T0, &mut credentials);
    assert_eq!((ms, retry.unwrap().delay_ms), (12_000, 12_000));
}

#[test]
fn waits_the_seconds_a_429_body_names_when_no_header_does() {
    let mut credentials = bearer();
    let mut call = start(&[], &mut credentials);
    exchange(&mut call, T0, &mut credentials, response(429, RATE_LIMITED));
    let (ms, retry) = expect_wait(&mut call, T0, &mut credentials);
    assert_eq!(ms, 5_000);
    let retry = retry.unwrap();
    assert_eq!(
        retry.error_code.as_deref(),
        Some("RATE_LIMITED_TOKEN_BUCKET")
    );
    let facts = FactList::of(&retry);
    assert_eq!(facts.number("delayMs"), Some(5_000.0));
    assert_eq!(facts.text("kind"), Some("api"));
    assert_eq!(facts.number("status"), Some(429.0));
}

#[test]
fn scales_server_named_seconds_by_retry_after_unit_ms() {
    let mut credentials = bearer();
    let retry = InputValue::Record(record(&[("retryAfterUnitMs", Number(10.0))]));
    let mut call = start(&[("retry", retry)], &mut credentials);
    exchange(
        &mut call,
        T0,
        &mut credentials,
        response_with(503, "", retry_after("7")),
    );
    assert_eq!(expect_wait(&mut call, T0, &mut credentials).0, 70);
}

/// Without a server-named delay, the wait is a random part of an exponential ceiling, drawn from
/// the call's seed: the same seed waits the same, so a test replays a call exactly.
#[test]
fn backs_off_with_jitter_drawn_from_the_seed() {
    let delays = |seed: u64| {
        let mut credentials = bearer();
        let mut call = Call::new(plan(&[]), &mut credentials, at(T0), seed);
        let mut now = T0;
        let mut delays = Vec::new();
        for _ in 0..3 {
            exchange(&mut call, now, &mut credentials, response(503, ""));
            let (ms, retry) = expect_wait(&mut call, now, &mut credentials);
            assert_eq!(u64::from(ms), retry.unwrap().delay_ms);
            delays.push(u64::from(ms));
            now += f64::from(ms);
            call.handle(at(now), &mut credentials, Event::Woken);
        }
        delays
    };
    for seed in [0, 1, SEED, u64::MAX] {
        let mut rng = Rng::new(seed);
        let expected: Vec<u64> = (1..=3)
            .map(|attempt| backoff_ms(&RetryPolicy::DEFAULT, attempt, rng.unit()))
            .collect();
        assert_eq!(delays(seed), expected, "seed {seed}");
        assert_eq!(delays(seed), delays(seed));
    }
    let mut distinct: Vec<Vec<u64>> = (0..8).map(delays).collect();
    distinct.dedup();
    assert!(distinct.len() > 1, "different seeds, different waits");
}

#[test]
fn hands_the_retry_event_out_once_even_when_woken_early() {
    let mut credentials = bearer();
    let mut call = start(&[], &mut credentials);
    exchange(
        &mut call,
        T0,
        &mut credentials,
        response_with(503, "", retry_after("4")),
    );
    let (ms, retry) = expect_wait(&mut call, T0, &mut credentials);
    assert_eq!(ms, 4_000);
    assert!(retry.is_some());
    call.handle(at(T0 + 1_000.5), &mut credentials, Event::Woken);
    let (ms, retry) = expect_wait(&mut call, T0 + 1_000.5, &mut credentials);
    assert_eq!(
        (ms, retry),
        (3_000, None),
        "the rest of the wait, told to nobody"
    );
    call.handle(at(T0 + 4_000.0), &mut credentials, Event::Woken);
    expect_send(&mut call, T0 + 4_000.0, &mut credentials);
}

#[test]
fn tells_on_retry_of_a_wait_of_no_time_at_all() {
    let mut credentials = bearer();
    let mut call = start(&[], &mut credentials);
    exchange(
        &mut call,
        T0,
        &mut credentials,
        response_with(429, "", retry_after("0")),
    );
    let (ms, retry) = expect_wait(&mut call, T0, &mut credentials);
    assert_eq!(ms, 0);
    assert_eq!(retry.map(|r| (r.attempt, r.delay_ms)), Some((1, 0)));
    call.handle(at(T0), &mut credentials, Event::Woken);
    expect_send(&mut call, T0, &mut credentials);
}

#[test]
fn gives_up_after_max_attempts() {
    let mut credentials = bearer();
    let mut call = start(&[], &mut credentials);
    for attempt in 1..=4 {
        exchange(
            &mut call,
            T0,
            &mut credentials,
            response_with(503, "busy", retry_after("0")),
        );
        if attempt < 4 {
            let (_, retry) = expect_wait(&mut call, T0, &mut credentials);
            assert_eq!(retry.unwrap().attempt, attempt);
            call.handle(at(T0), &mut credentials, Event::Woken);
        }
    }
    let outcome = expect_done(&mut call, T0, &mut credentials);
    assert_eq!(outcome.info.attempts, 4);
    let api = api_failure(outcome.result.unwrap_err());
    assert_eq!((api.status, api.body.as_deref()), (503, Some("busy")));

    let mut credentials = bearer();
    let mut once = start(&[("retry", InputValue::Bool(false))], &mut credentials);
    exchange(
        &mut once,
        T0,
        &mut credentials,
        response_with(503, "", retry_after("0")),
    );
    assert_eq!(
        expect_failure(&mut once, T0, &mut credentials).status(),
        Some(503)
    );
}

#[test]
fn retries_a_network_failure() {
    let mut credentials = bearer();
    let mut call = start(&[], &mut credentials);
    expect_send(&mut call, T0, &mut credentials);
    call.handle(
        at(T0),
        &mut credentials,
        Event::Failed(Transport::Network(NetworkProblem::Failed)),
    );
    let (ms, retry) = expect_wait(&mut call, T0, &mut credentials);
    let retry = retry.unwrap();
    assert_eq!(
        (retry.kind, retry.status, retry.error_code),
        ("network", None, None)
    );
    call.handle(at(T0 + f64::from(ms)), &mut credentials, Event::Woken);
    exchange(&mut call, T0 + f64::from(ms), &mut credentials, ok_page());
    let outcome = expect_done(&mut call, T0 + f64::from(ms), &mut credentials);
    assert_eq!((outcome.info.attempts, outcome.info.status), (2, Some(200)));
}

#[test]
fn never_retries_an_answer_that_will_not_change() {
    for status in [400, 401, 403, 404, 500] {
        let mut credentials = bearer();
        let mut call = start(&[], &mut credentials);
        let body = r#"{"error":400,"errorCode":"SOMETHING"}"#;
        exchange(
            &mut call,
            T0,
            &mut credentials,
            response_with(status, body, retry_after("1")),
        );
        let outcome = expect_done(&mut call, T0, &mut credentials);
        let api = api_failure(outcome.result.unwrap_err());
        assert_eq!(
            (api.status, api.error_code.as_deref()),
            (status, Some("SOMETHING"))
        );
        assert_eq!(
            (outcome.info.attempts, outcome.info.status),
            (1, Some(status))
        );
    }
}

#[test]
fn never_retries_a_page_that_does_not_decode() {
    for body in ["", "<html>", r#"{"results":[{}]}"#] {
        let mut credentials = bearer();
        let mut call = start(&[], &mut credentials);
        exchange(
            &mut call,
            T0,
            &mut credentials,
            response_with(200, body, retry_after("1")),
        );
        let Failure::Decode(failure) = expect_failure(&mut call, T0, &mut credentials) else {
            panic!("{body:?}: expected a decode failure")
        };
        assert_eq!(failure.status, 200);
    }
}

// ---- time --------------------------------------------------------------------------------------

/// Each attempt may take `timeoutMs`, but never past the call's deadline: the last attempt gets
/// what is left, and running out of that ends the call.
#[test]
fn shrinks_the_last_attempt_to_what_is_left_of_the_deadline() {
    let mut credentials = bearer();
    let options = [
        ("timeoutMs", Number(30_000.0)),
        ("deadlineMs", Number(45_000.0)),
    ];
    let mut call = start(&options, &mut credentials);
    assert_eq!(
        expect_send(&mut call, T0, &mut credentials).timeout_ms,
        30_000
    );
    let now = T0 + 30_000.0;
    call.handle(
        at(now),
        &mut credentials,
        Event::Failed(Transport::TimedOut),
    );
    let (ms, retry) = expect_wait(&mut call, now, &mut credentials);
    let retry = retry.unwrap();
    assert_eq!((retry.kind, retry.status), ("timeout", None));
    assert!(ms < 1_000, "the first backoff is under a second");
    let now = now + f64::from(ms);
    call.handle(at(now), &mut credentials, Event::Woken);
    let last = expect_send(&mut call, now, &mut credentials);
    assert_eq!(last.timeout_ms, 15_000 - ms, "what is left of 45 s");
    let now = T0 + 45_000.0;
    call.handle(
        at(now),
        &mut credentials,
        Event::Failed(Transport::TimedOut),
    );
    let outcome = expect_done(&mut call, now, &mut credentials);
    assert_eq!(
        outcome.result.unwrap_err(),
        Failure::Timeout {
            limit: Limit::Deadline,
            ms: 45_000
        },
        "no retry once the deadline ran out"
    );
    assert_eq!(outcome.info.attempts, 2);
}

#[test]
fn rounds_what_is_left_of_the_deadline_up_to_a_whole_millisecond() {
    let mut credentials = bearer();
    let mut call = start(&[("deadlineMs", Number(1_000.0))], &mut credentials);
    assert_eq!(
        expect_send(&mut call, T0 + 0.25, &mut credentials).timeout_ms,
        1_000
    );
}

#[test]
fn retries_an_attempt_that_timed_out_under_its_own_limit() {
    let mut credentials = bearer();
    let mut call = start(&[("timeoutMs", Number(1_000.0))], &mut credentials);
    let mut now = T0;
    for attempt in 1..=3 {
        let outgoing = expect_send(&mut call, now, &mut credentials);
        assert_eq!(outgoing.timeout_ms, 1_000);
        now += 1_000.0;
        call.handle(
            at(now),
            &mut credentials,
            Event::Failed(Transport::TimedOut),
        );
        let (ms, retry) = expect_wait(&mut call, now, &mut credentials);
        assert_eq!(retry.unwrap().attempt, attempt);
        now += f64::from(ms);
        call.handle(at(now), &mut credentials, Event::Woken);
    }
    expect_send(&mut call, now, &mut credentials);
    call.handle(
        at(now + 1_000.0),
        &mut credentials,
        Event::Failed(Transport::TimedOut),
    );
    assert_eq!(
        expect_failure(&mut call, now + 1_000.0, &mut credentials),
        Failure::Timeout {
            limit: Limit::Attempt,
            ms: 1_000
        }
    );
}

#[test]
fn does_not_start_a_wait_that_would_pass_the_deadline() {
    let mut credentials = bearer();
    let mut call = start(&[("deadlineMs", Number(10_000.0))], &mut credentials);
    exchange(
        &mut call,
        T0 + 1_000.0,
        &mut credentials,
        response_with(503, "", retry_after("9")),
    );
    let outcome = expect_done(&mut call, T0 + 1_000.0, &mut credentials);
    assert_eq!(
        api_failure(outcome.result.unwrap_err()).status,
        503,
        "the answer itself"
    );
    assert_eq!(outcome.info.retry_after, Some(RetryAfter::Seconds(9)));

    let mut call = start(&[("deadlineMs", Number(10_000.0))], &mut credentials);
    exchange(
        &mut call,
        T0,
        &mut credentials,
        response_with(429, "", retry_after("8")),
    );
    assert_eq!(
        expect_wait(&mut call, T0, &mut credentials).0,
        8_000,
        "a wait that fits"
    );
}

#[test]
fn ends_with_the_deadline_when_woken_after_it() {
    let mut credentials = bearer();
    let mut call = start(&[("deadlineMs", Number(10_000.0))], &mut credentials);
    exchange(
        &mut call,
        T0,
        &mut credentials,
        response_with(503, "", retry_after("5")),
    );
    expect_wait(&mut call, T0, &mut credentials);
    call.handle(at(T0 + 10_000.0), &mut credentials, Event::Woken);
    assert_eq!(
        expect_failure(&mut call, T0 + 10_000.0, &mut credentials),
        Failure::Timeout {
            limit: Limit::Deadline,
            ms: 10_000
        }
    );
}

// ---- the caller's abort ------------------------------------------------------------------------

#[test]
fn ends_at_once_when_aborted_while_sending() {
    let mut credentials = bearer();
    let mut call = start(&[], &mut credentials);
    expect_send(&mut call, T0, &mut credentials);
    call.handle(at(T0 + 5.0), &mut credentials, Event::Aborted);
    assert_eq!(
        expect_failure(&mut call, T0 + 5.0, &mut credentials),
        Failure::Aborted
    );
    // A late answer changes nothing.
    answer(&mut call, T0 + 6.0, &mut credentials, ok_page());
    assert_eq!(call.poll(at(T0 + 6.0), &mut credentials), Action::Idle);
}

#[test]
fn ends_at_once_when_aborted_while_waiting_to_retry() {
    let mut credentials = bearer();
    let mut call = start(&[], &mut credentials);
    exchange(
        &mut call,
        T0,
        &mut credentials,
        response_with(503, "", retry_after("10")),
    );
    expect_wait(&mut call, T0, &mut credentials);
    call.handle(at(T0 + 2_000.0), &mut credentials, Event::Aborted);
    let outcome = expect_done(&mut call, T0 + 2_000.0, &mut credentials);
    assert_eq!(outcome.result.unwrap_err(), Failure::Aborted);
    assert_eq!((outcome.info.attempts, outcome.info.status), (1, Some(503)));
}

// ---- redirects and oversized bodies ------------------------------------------------------------

/// A redirect would carry the credentials elsewhere: it ends the call, naming only the origin
/// it pointed at.
#[test]
fn never_follows_a_redirect_and_names_only_its_origin() {
    let cases = [
        (
            301,
            Some("https://evil.example:8443/steal?token=x#y"),
            Some("https://evil.example:8443"),
        ),
        (
            302,
            Some("/elsewhere?x=1"),
            Some("https://cloud.mongodb.com"),
        ),
        (
            303,
            Some("HTTPS://user:pw@Other.Example/x"),
            Some("https://other.example"),
        ),
        (
            307,
            Some("https://other.example\\@evil.example/"),
            Some("https://other.example"),
        ),
        (308, None, None),
        (0, None, None),
    ];
    for (status, to, origin) in cases {
        let mut credentials = bearer();
        let mut call = start(&[], &mut credentials);
        let headers = ResponseHeaders {
            location: to.map(str::to_owned),
            retry_after: Some("0".into()),
            ..ResponseHeaders::default()
        };
        exchange(
            &mut call,
            T0,
            &mut credentials,
            response_with(status, "moved", headers),
        );
        let outcome = expect_done(&mut call, T0, &mut credentials);
        let api = api_failure(outcome.result.unwrap_err());
        assert_eq!(
            api,
            ApiFailure {
                status,
                location: origin.map(str::to_owned),
                ..ApiFailure::default()
            },
            "{status} {to:?}"
        );
        assert_eq!(FactList::of(&api).text("code"), Some("redirect"));
        assert_eq!(outcome.info.attempts, 1, "never retried");
    }
}

#[test]
fn ends_without_retry_when_a_body_is_larger_than_max_body_bytes() {
    for status in [200, 503] {
        let mut credentials = bearer();
        let mut call = start(&[("maxBodyBytes", Number(2_048.0))], &mut credentials);
        assert_eq!(
            expect_send(&mut call, T0, &mut credentials).max_body_bytes,
            2_048
        );
        call.handle(
            at(T0),
            &mut credentials,
            Event::Failed(Transport::TooLarge { status }),
        );
        let outcome = expect_done(&mut call, T0, &mut credentials);
        assert_eq!(
            outcome.result.unwrap_err(),
            Failure::TooLarge {
                status,
                max_body_bytes: 2_048
            }
        );
        assert_eq!(
            (outcome.info.attempts, outcome.info.status),
            (1, Some(status))
        );
    }
}

#[test]
fn ends_with_the_failure_the_shell_gives_and_what_the_last_response_said() {
    let mut credentials = bearer();
    let mut call = start(&[], &mut credentials);
    exchange(
        &mut call,
        T0,
        &mut credentials,
        response_with(503, "", retry_after("1")),
    );
    expect_wait(&mut call, T0, &mut credentials);
    let failure = Failure::Internal(atlas_export_jobs_core::error::Internal::HelperFailed);
    let outcome = call.end(failure.clone(), &mut credentials);
    assert_eq!(outcome.result.unwrap_err(), failure);
    assert_eq!((outcome.info.attempts, outcome.info.status), (1, Some(503)));
    assert_eq!(
        call.poll(at(T0 + 1_000.0), &mut credentials),
        Action::Idle,
        "nothing more to do"
    );
}
