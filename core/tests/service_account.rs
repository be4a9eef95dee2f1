//! A service account's token as the calls of one client share it, driven with a fake clock: one
//! token request at a time (the others wait for it, and take over when it fails), the token reused
//! until shortly before it expires, one renewal after a 401, and the token endpoint's refusals.

#![cfg(feature = "secret-schemes")]
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)] // test code

mod common;

use atlas_export_jobs_core::auth::credentials::Credentials;
use atlas_export_jobs_core::auth::service_account::base64;
use atlas_export_jobs_core::error::facts::FactList;
use atlas_export_jobs_core::error::{AuthFailure, AuthProblem, Failure, Limit, NetworkProblem};
use atlas_export_jobs_core::machines::call::{Action, Call, Event, Exchange, Outgoing, Transport};
use atlas_export_jobs_core::rules::input::InputValue;
use atlas_export_jobs_core::rules::options::{DEFAULT_MAX_BODY_BYTES, DEFAULT_TIMEOUT_MS};
use atlas_export_jobs_core::wire::request::Method;
use common::*;

fn start(credentials: &mut Credentials, now: f64) -> Call {
    Call::new(plan(&[]), credentials, at(now), 7)
}

fn expect_token_request(call: &mut Call, now: f64, credentials: &mut Credentials) -> Outgoing {
    let outgoing = expect_send(call, now, credentials);
    assert_eq!(outgoing.exchange, Exchange::Token, "{outgoing:?}");
    outgoing
}

fn expect_page_request(call: &mut Call, now: f64, credentials: &mut Credentials) -> Outgoing {
    let outgoing = expect_send(call, now, credentials);
    assert_eq!(outgoing.exchange, Exchange::Api, "{outgoing:?}");
    outgoing
}

fn expect_waiting(call: &mut Call, now: f64, credentials: &mut Credentials) -> u32 {
    match call.poll(at(now), credentials) {
        Action::WaitForCredentials { ms } => ms,
        other => panic!("expected WaitForCredentials, got {other:?}"),
    }
}

fn auth_failure(failure: Failure) -> AuthFailure {
    match failure {
        Failure::Auth(auth) => auth,
        other => panic!("expected an auth failure, got {other:?}"),
    }
}

/// A call that gets its token and sends its page request with it.
fn with_token(credentials: &mut Credentials, now: f64, token: &str) -> Call {
    let mut call = start(credentials, now);
    expect_token_request(&mut call, now, credentials);
    answer(&mut call, now, credentials, token_response(token, 3600));
    call
}

#[test]
fn requests_a_token_and_then_sends_the_page_request_with_it() {
    let mut credentials = service_account();
    let mut call = start(&mut credentials, T0);
    let token_request = expect_token_request(&mut call, T0, &mut credentials);
    assert_eq!(token_request.request.method, Method::Post);
    assert_eq!(
        token_request.request.url,
        "https://cloud.mongodb.com/api/oauth/token"
    );
    assert_eq!(token_request.request.accept, "application/json");
    let basic = format!(
        "Basic {}",
        base64(format!("{CLIENT_ID}:{CLIENT_SECRET}").as_bytes())
    );
    assert_eq!(authorization(&token_request), Some(basic.as_str()));
    assert_eq!(
        token_request.request.form.as_ref().unwrap().expose(),
        "grant_type=client_credentials"
    );
    assert_eq!(
        (token_request.timeout_ms, token_request.max_body_bytes),
        (DEFAULT_TIMEOUT_MS, DEFAULT_MAX_BODY_BYTES)
    );
    assert_eq!(call.poll(at(T0), &mut credentials), Action::Idle);
    answer(
        &mut call,
        T0 + 50.0,
        &mut credentials,
        token_response("tok-1", 3600),
    );
    let page_request = expect_page_request(&mut call, T0 + 50.0, &mut credentials);
    assert_eq!(page_request.request.url, PAGE_URL);
    assert_eq!(authorization(&page_request), Some("Bearer tok-1"));
    answer(
        &mut call,
        T0 + 90.0,
        &mut credentials,
        response(200, &page_body(1..=1, None, false)),
    );
    let outcome = expect_done(&mut call, T0 + 90.0, &mut credentials);
    assert!(outcome.result.is_ok());
    assert_eq!(
        outcome.info.attempts, 1,
        "the token request is not an attempt"
    );
}

#[test]
fn reuses_the_token_for_the_calls_that_follow() {
    let mut credentials = service_account();
    let mut first = with_token(&mut credentials, T0, "tok-1");
    exchange(
        &mut first,
        T0,
        &mut credentials,
        response(200, &page_body(1..=1, None, false)),
    );
    for later in 1..=3 {
        let now = T0 + f64::from(later) * 60_000.0;
        let mut call = start(&mut credentials, now);
        let outgoing = expect_page_request(&mut call, now, &mut credentials);
        assert_eq!(authorization(&outgoing), Some("Bearer tok-1"));
    }
}

// ---- the token's life --------------------------------------------------------------------------

/// A token is used until a tenth of its life before it expires, at most a minute: an hour's
/// token for 59 minutes, a 100 s token for 90 s.
#[test]
fn renews_the_token_a_tenth_of_its_life_and_at_most_a_minute_before_it_expires() {
    for (expires_in, use_until_ms) in [(3600, 3_540_000.0), (100, 90_000.0)] {
        let mut credentials = service_account();
        let mut call = start(&mut credentials, T0);
        expect_token_request(&mut call, T0, &mut credentials);
        answer(
            &mut call,
            T0,
            &mut credentials,
            token_response("tok-1", expires_in),
        );
        expect_page_request(&mut call, T0, &mut credentials);

        let before = T0 + use_until_ms - 1.0;
        let mut call = start(&mut credentials, before);
        let outgoing = expect_page_request(&mut call, before, &mut credentials);
        assert_eq!(
            authorization(&outgoing),
            Some("Bearer tok-1"),
            "{expires_in}"
        );

        let after = T0 + use_until_ms;
        let mut call = start(&mut credentials, after);
        expect_token_request(&mut call, after, &mut credentials);
        answer(
            &mut call,
            after,
            &mut credentials,
            token_response("tok-2", expires_in),
        );
        let outgoing = expect_page_request(&mut call, after, &mut credentials);
        assert_eq!(
            authorization(&outgoing),
            Some("Bearer tok-2"),
            "{expires_in}"
        );
    }
}

// ---- a 401 -------------------------------------------------------------------------------------

#[test]
fn drops_a_refused_token_and_renews_it_once() {
    let mut credentials = service_account();
    let mut call = with_token(&mut credentials, T0, "tok-1");
    let first = expect_page_request(&mut call, T0, &mut credentials);
    assert_eq!(authorization(&first), Some("Bearer tok-1"));
    let epoch = credentials.epoch();
    answer(
        &mut call,
        T0,
        &mut credentials,
        response(401, r#"{"error":401,"errorCode":"UNAUTHORIZED"}"#),
    );
    assert_ne!(credentials.epoch(), epoch, "the failing token is dropped");
    expect_token_request(&mut call, T0, &mut credentials);
    answer(
        &mut call,
        T0,
        &mut credentials,
        token_response("tok-2", 3600),
    );
    let second = expect_page_request(&mut call, T0, &mut credentials);
    assert_eq!(authorization(&second), Some("Bearer tok-2"));
    answer(
        &mut call,
        T0,
        &mut credentials,
        response(200, &page_body(1..=1, None, false)),
    );
    let outcome = expect_done(&mut call, T0, &mut credentials);
    assert!(outcome.result.is_ok());
    assert_eq!(outcome.info.attempts, 2);
}

#[test]
fn takes_a_second_401_as_final() {
    let mut credentials = service_account();
    let mut call = with_token(&mut credentials, T0, "tok-1");
    let unauthorized = r#"{"error":401,"errorCode":"UNAUTHORIZED"}"#;
    exchange(&mut call, T0, &mut credentials, response(401, unauthorized));
    expect_token_request(&mut call, T0, &mut credentials);
    answer(
        &mut call,
        T0,
        &mut credentials,
        token_response("tok-2", 3600),
    );
    exchange(&mut call, T0, &mut credentials, response(401, unauthorized));
    let outcome = expect_done(&mut call, T0, &mut credentials);
    let Failure::Api(api) = outcome.result.unwrap_err() else {
        panic!("expected the 401 itself")
    };
    assert_eq!(
        (api.status, api.error_code.as_deref()),
        (401, Some("UNAUTHORIZED"))
    );
    assert_eq!(outcome.info.attempts, 2);
}

/// A 401 to a token that another call has replaced already keeps the new one: the call retries
/// with it instead of asking for a third.
#[test]
fn keeps_a_newer_token_when_an_older_one_is_refused() {
    let mut credentials = service_account();
    let unauthorized = response(401, r#"{"error":401,"errorCode":"UNAUTHORIZED"}"#);
    let mut a = with_token(&mut credentials, T0, "tok-1");
    expect_page_request(&mut a, T0, &mut credentials);
    let mut b = start(&mut credentials, T0);
    assert_eq!(
        authorization(&expect_page_request(&mut b, T0, &mut credentials)),
        Some("Bearer tok-1")
    );
    answer(&mut a, T0, &mut credentials, unauthorized.clone());
    expect_token_request(&mut a, T0, &mut credentials);
    answer(&mut a, T0, &mut credentials, token_response("tok-2", 3600));
    answer(&mut b, T0, &mut credentials, unauthorized);
    let retried = expect_page_request(&mut b, T0, &mut credentials);
    assert_eq!(authorization(&retried), Some("Bearer tok-2"));
}

// ---- one token request at a time ---------------------------------------------------------------

#[test]
fn asks_for_one_token_while_the_other_calls_wait_for_it() {
    let mut credentials = service_account();
    let mut calls: Vec<Call> = (0..3).map(|_| start(&mut credentials, T0)).collect();
    expect_token_request(&mut calls[0], T0, &mut credentials);
    for waiter in &mut calls[1..] {
        assert_eq!(
            expect_waiting(waiter, T0, &mut credentials),
            DEFAULT_TIMEOUT_MS
        );
    }
    let epoch = credentials.epoch();
    answer(
        &mut calls[0],
        T0 + 40.0,
        &mut credentials,
        token_response("tok-1", 3600),
    );
    assert_ne!(credentials.epoch(), epoch, "waiters see the change");
    for call in &mut calls[1..] {
        call.handle(at(T0 + 40.0), &mut credentials, Event::Woken);
    }
    for call in &mut calls {
        let outgoing = expect_page_request(call, T0 + 40.0, &mut credentials);
        assert_eq!(authorization(&outgoing), Some("Bearer tok-1"));
    }
}

#[test]
fn keeps_waiting_while_the_token_request_is_still_on_its_way() {
    let mut credentials = service_account();
    let mut owner = start(&mut credentials, T0);
    expect_token_request(&mut owner, T0, &mut credentials);
    let mut waiter = Call::new(
        plan(&[("deadlineMs", InputValue::Number(10_000.0))]),
        &mut credentials,
        at(T0),
        7,
    );
    assert_eq!(
        expect_waiting(&mut waiter, T0, &mut credentials),
        10_000,
        "no longer than the deadline"
    );
    waiter.handle(at(T0 + 4_000.0), &mut credentials, Event::Woken);
    assert_eq!(
        expect_waiting(&mut waiter, T0 + 4_000.0, &mut credentials),
        6_000
    );
    waiter.handle(at(T0 + 10_000.0), &mut credentials, Event::Woken);
    assert_eq!(
        expect_failure(&mut waiter, T0 + 10_000.0, &mut credentials),
        Failure::Timeout {
            limit: Limit::Deadline,
            ms: 10_000
        }
    );
}

#[test]
fn hands_the_token_request_over_when_its_owner_gives_up() {
    let give_ups: [(Event, Failure); 3] = [
        (Event::Aborted, Failure::Aborted),
        (
            Event::Failed(Transport::Network(NetworkProblem::Failed)),
            Failure::Network(NetworkProblem::Failed),
        ),
        (
            Event::Failed(Transport::TimedOut),
            Failure::Timeout {
                limit: Limit::Attempt,
                ms: DEFAULT_TIMEOUT_MS,
            },
        ),
    ];
    for (event, failure) in give_ups {
        let mut credentials = service_account();
        let mut owner = start(&mut credentials, T0);
        let mut a = start(&mut credentials, T0);
        let mut b = start(&mut credentials, T0);
        expect_token_request(&mut owner, T0, &mut credentials);
        expect_waiting(&mut a, T0, &mut credentials);
        expect_waiting(&mut b, T0, &mut credentials);
        let epoch = credentials.epoch();
        owner.handle(at(T0 + 100.0), &mut credentials, event.clone());
        assert_eq!(
            expect_failure(&mut owner, T0 + 100.0, &mut credentials),
            failure,
            "{event:?}"
        );
        assert_ne!(
            credentials.epoch(),
            epoch,
            "{event:?}: the waiters are woken"
        );
        a.handle(at(T0 + 100.0), &mut credentials, Event::Woken);
        b.handle(at(T0 + 100.0), &mut credentials, Event::Woken);
        expect_token_request(&mut a, T0 + 100.0, &mut credentials);
        expect_waiting(&mut b, T0 + 100.0, &mut credentials);
        answer(
            &mut a,
            T0 + 200.0,
            &mut credentials,
            token_response("tok-a", 3600),
        );
        b.handle(at(T0 + 200.0), &mut credentials, Event::Woken);
        assert_eq!(
            authorization(&expect_page_request(&mut b, T0 + 200.0, &mut credentials)),
            Some("Bearer tok-a")
        );
    }
}

#[test]
fn lets_the_next_call_ask_again_after_the_token_endpoint_refuses() {
    let mut credentials = service_account();
    let mut owner = start(&mut credentials, T0);
    let mut waiter = start(&mut credentials, T0);
    expect_token_request(&mut owner, T0, &mut credentials);
    expect_waiting(&mut waiter, T0, &mut credentials);
    let refusal = r#"{"error":"invalid_client","error_description":"Bad credentials"}"#;
    answer(&mut owner, T0, &mut credentials, response(401, refusal));
    let failure = auth_failure(expect_failure(&mut owner, T0, &mut credentials));
    assert_eq!(
        (
            failure.problem,
            failure.status,
            failure.error_code.as_deref(),
            failure.detail.as_deref()
        ),
        (
            AuthProblem::TokenRefused,
            Some(401),
            Some("invalid_client"),
            Some("Bad credentials")
        )
    );
    waiter.handle(at(T0), &mut credentials, Event::Woken);
    expect_token_request(&mut waiter, T0, &mut credentials);
}

#[test]
fn an_abort_while_waiting_for_the_token_leaves_the_owner_alone() {
    let mut credentials = service_account();
    let mut owner = start(&mut credentials, T0);
    let mut waiter = start(&mut credentials, T0);
    expect_token_request(&mut owner, T0, &mut credentials);
    expect_waiting(&mut waiter, T0, &mut credentials);
    let epoch = credentials.epoch();
    waiter.handle(at(T0 + 10.0), &mut credentials, Event::Aborted);
    assert_eq!(
        expect_failure(&mut waiter, T0 + 10.0, &mut credentials),
        Failure::Aborted
    );
    assert_eq!(credentials.epoch(), epoch);
    answer(
        &mut owner,
        T0 + 20.0,
        &mut credentials,
        token_response("tok-1", 3600),
    );
    expect_page_request(&mut owner, T0 + 20.0, &mut credentials);
}

// ---- the token endpoint's other answers --------------------------------------------------------

#[test]
fn reports_how_long_a_rate_limited_token_endpoint_asked_to_wait() {
    for (after, ms) in [("30", 30_000), ("Sun, 06 Nov 1994 08:49:49 GMT", 12_000)] {
        let mut credentials = service_account();
        let mut call = start(&mut credentials, T0);
        expect_token_request(&mut call, T0, &mut credentials);
        answer(
            &mut call,
            T0,
            &mut credentials,
            response_with(429, "", retry_after(after)),
        );
        let failure = auth_failure(expect_failure(&mut call, T0, &mut credentials));
        assert_eq!(
            (failure.problem, failure.status, failure.retry_after_ms),
            (AuthProblem::TokenRefused, Some(429), Some(ms)),
            "{after}"
        );
        assert_eq!(
            FactList::of(&failure).number("retryAfterMs"),
            Some(ms as f64)
        );
    }
    // Only a 429's Retry-After is a wait.
    let mut credentials = service_account();
    let mut call = start(&mut credentials, T0);
    expect_token_request(&mut call, T0, &mut credentials);
    answer(
        &mut call,
        T0,
        &mut credentials,
        response_with(503, "", retry_after("30")),
    );
    assert_eq!(
        auth_failure(expect_failure(&mut call, T0, &mut credentials)).retry_after_ms,
        None
    );
}

#[test]
fn never_follows_a_token_endpoint_redirect() {
    for (status, to, origin) in [
        (
            302,
            Some("https://login.example/authorize?client_id=x"),
            Some("https://login.example"),
        ),
        (
            307,
            Some("/api/oauth/token2"),
            Some("https://cloud.mongodb.com"),
        ),
        (0, None, None),
    ] {
        let mut credentials = service_account();
        let mut call = start(&mut credentials, T0);
        expect_token_request(&mut call, T0, &mut credentials);
        let headers = atlas_export_jobs_core::wire::response_info::ResponseHeaders {
            location: to.map(str::to_owned),
            ..Default::default()
        };
        answer(
            &mut call,
            T0,
            &mut credentials,
            response_with(status, "", headers),
        );
        let failure = auth_failure(expect_failure(&mut call, T0, &mut credentials));
        assert_eq!(
            failure,
            AuthFailure {
                status: Some(status),
                location: origin.map(str::to_owned),
                ..AuthFailure::new(AuthProblem::TokenRedirect)
            }
        );
    }
}

fn token_answer_failure(body: &str) -> AuthFailure {
    let mut credentials = service_account();
    let mut call = start(&mut credentials, T0);
    expect_token_request(&mut call, T0, &mut credentials);
    answer(&mut call, T0, &mut credentials, response(200, body));
    auth_failure(expect_failure(&mut call, T0, &mut credentials))
}

#[test]
fn refuses_a_token_answer_without_an_access_token() {
    for body in [
        "",
        "{}",
        "<html>",
        r#"{"access_token":5}"#,
        r#"{"token":"t"}"#,
    ] {
        let failure = token_answer_failure(body);
        assert_eq!(
            (failure.problem, failure.status),
            (AuthProblem::NoAccessToken, Some(200)),
            "{body:?}"
        );
    }
}

/// A token must fit in a header, as `bearer.rs` says of every token: one the token endpoint
/// sends is no exception (an empty one would be sent as `Bearer `, one with a line break would
/// make fetch throw on every attempt).
#[test]
fn refuses_an_access_token_that_cannot_be_sent_in_a_header() {
    for token in [r#""""#, r#""a b""#, r#""a\nb""#] {
        let body = format!(r#"{{"access_token":{token},"expires_in":3600}}"#);
        let failure = token_answer_failure(&body);
        assert_eq!(
            (failure.problem, failure.status),
            (AuthProblem::NoAccessToken, Some(200)),
            "{body}"
        );
    }
}

#[test]
fn ends_when_the_token_answer_is_too_large_or_the_deadline_runs_out() {
    let mut credentials = service_account();
    let mut call = start(&mut credentials, T0);
    expect_token_request(&mut call, T0, &mut credentials);
    call.handle(
        at(T0),
        &mut credentials,
        Event::Failed(Transport::TooLarge { status: 200 }),
    );
    assert_eq!(
        expect_failure(&mut call, T0, &mut credentials),
        Failure::TooLarge {
            status: 200,
            max_body_bytes: u64::from(DEFAULT_MAX_BODY_BYTES)
        }
    );

    let mut credentials = service_account();
    let mut call = Call::new(
        plan(&[("deadlineMs", InputValue::Number(10_000.0))]),
        &mut credentials,
        at(T0),
        7,
    );
    assert_eq!(
        expect_token_request(&mut call, T0, &mut credentials).timeout_ms,
        10_000
    );
    call.handle(
        at(T0 + 10_000.0),
        &mut credentials,
        Event::Failed(Transport::TimedOut),
    );
    assert_eq!(
        expect_failure(&mut call, T0 + 10_000.0, &mut credentials),
        Failure::Timeout {
            limit: Limit::Deadline,
            ms: 10_000
        }
    );
}

#[test]
fn a_call_the_shell_ends_hands_its_token_request_over() {
    let mut credentials = service_account();
    let mut owner = start(&mut credentials, T0);
    expect_token_request(&mut owner, T0, &mut credentials);
    let mut waiting = start(&mut credentials, T0);
    expect_waiting(&mut waiting, T0, &mut credentials);
    let failure = Failure::Internal(atlas_export_jobs_core::error::Internal::StateInUse);
    owner.end(failure, &mut credentials);
    waiting.handle(
        at(T0 + 1.0),
        &mut credentials,
        atlas_export_jobs_core::machines::call::Event::Woken,
    );
    expect_token_request(&mut waiting, T0 + 1.0, &mut credentials);
}
