//! A token broker (`auth.getToken`) as the call machine uses it: asked before each request, within
//! the attempt's time, and refused when it fails or hands over something that is not a token.

#![allow(clippy::unwrap_used, clippy::panic)] // test code

mod common;

use atlas_export_jobs_core::auth::credentials::Credentials;
use atlas_export_jobs_core::auth::AuthScheme;
use atlas_export_jobs_core::error::facts::FactList;
use atlas_export_jobs_core::error::{AuthFailure, AuthProblem, Failure, Limit};
use atlas_export_jobs_core::machines::call::{Action, Call, Event, Exchange, Transport};
use atlas_export_jobs_core::rules::input::InputValue;
use atlas_export_jobs_core::rules::options::DEFAULT_TIMEOUT_MS;
use common::*;

fn broker() -> Credentials {
    credentials(AuthScheme::TokenProvider)
}

fn expect_get_token(call: &mut Call, now: f64, credentials: &mut Credentials) -> u32 {
    match call.poll(at(now), credentials) {
        Action::GetToken { timeout_ms } => timeout_ms,
        other => panic!("expected GetToken, got {other:?}"),
    }
}

fn provided(token: Option<&str>) -> Event {
    Event::Provided(token.map(str::to_owned))
}

#[test]
fn asks_the_broker_and_sends_its_token_as_a_bearer_token() {
    let mut credentials = broker();
    let mut call = Call::new(plan(&[]), &mut credentials, at(T0), 1);
    assert_eq!(
        expect_get_token(&mut call, T0, &mut credentials),
        DEFAULT_TIMEOUT_MS
    );
    assert_eq!(
        call.poll(at(T0), &mut credentials),
        Action::Idle,
        "the broker's answer is awaited"
    );
    call.handle(at(T0 + 5.0), &mut credentials, provided(Some("brk-1")));
    let outgoing = expect_send(&mut call, T0 + 5.0, &mut credentials);
    assert_eq!(outgoing.exchange, Exchange::Api);
    assert_eq!(authorization(&outgoing), Some("Bearer brk-1"));
    answer(
        &mut call,
        T0 + 9.0,
        &mut credentials,
        response(200, &page_body(1..=1, None, false)),
    );
    assert!(expect_done(&mut call, T0 + 9.0, &mut credentials)
        .result
        .is_ok());
}

#[test]
fn asks_the_broker_again_before_each_request() {
    let mut credentials = broker();
    let mut call = Call::new(plan(&[]), &mut credentials, at(T0), 1);
    expect_get_token(&mut call, T0, &mut credentials);
    call.handle(at(T0), &mut credentials, provided(Some("brk-1")));
    exchange(
        &mut call,
        T0,
        &mut credentials,
        response_with(503, "", retry_after("1")),
    );
    expect_wait(&mut call, T0, &mut credentials);
    call.handle(at(T0 + 1_000.0), &mut credentials, Event::Woken);
    expect_get_token(&mut call, T0 + 1_000.0, &mut credentials);
    call.handle(at(T0 + 1_000.0), &mut credentials, provided(Some("brk-2")));
    let retry = expect_send(&mut call, T0 + 1_000.0, &mut credentials);
    assert_eq!(authorization(&retry), Some("Bearer brk-2"));
}

#[test]
fn gives_the_broker_no_more_than_what_is_left_of_the_deadline() {
    let mut credentials = broker();
    let mut call = Call::new(
        plan(&[("deadlineMs", InputValue::Number(5_000.0))]),
        &mut credentials,
        at(T0),
        1,
    );
    assert_eq!(
        expect_get_token(&mut call, T0 + 1_000.0, &mut credentials),
        4_000
    );
    call.handle(
        at(T0 + 5_000.0),
        &mut credentials,
        Event::Failed(Transport::TimedOut),
    );
    assert_eq!(
        expect_failure(&mut call, T0 + 5_000.0, &mut credentials),
        Failure::Timeout {
            limit: Limit::Deadline,
            ms: 5_000
        }
    );
}

#[test]
fn ends_with_a_timeout_when_the_broker_takes_longer_than_an_attempt() {
    let mut credentials = broker();
    let mut call = Call::new(plan(&[]), &mut credentials, at(T0), 1);
    expect_get_token(&mut call, T0, &mut credentials);
    call.handle(
        at(T0 + 30_000.0),
        &mut credentials,
        Event::Failed(Transport::TimedOut),
    );
    assert_eq!(
        expect_failure(&mut call, T0 + 30_000.0, &mut credentials),
        Failure::Timeout {
            limit: Limit::Attempt,
            ms: DEFAULT_TIMEOUT_MS
        }
    );
}

#[test]
fn ends_when_the_broker_fails() {
    let mut credentials = broker();
    let mut call = Call::new(plan(&[]), &mut credentials, at(T0), 1);
    expect_get_token(&mut call, T0, &mut credentials);
    call.handle(at(T0), &mut credentials, provided(None));
    let failure = expect_failure(&mut call, T0, &mut credentials);
    assert_eq!(
        failure,
        Failure::Auth(AuthFailure::new(AuthProblem::ProviderFailed))
    );
    assert_eq!(FactList::of(&failure).text("code"), Some("providerFailed"));
}

/// A broker that resolves, but to a string no header can carry, did not fail: it handed over a
/// bad token, and the error says so (`providerBadToken`, not `providerFailed`).
#[test]
fn ends_when_the_broker_hands_over_something_that_is_no_token() {
    for token in ["", "has space", "line\nbreak", "ünï"] {
        let mut credentials = broker();
        let mut call = Call::new(plan(&[]), &mut credentials, at(T0), 1);
        expect_get_token(&mut call, T0, &mut credentials);
        call.handle(at(T0), &mut credentials, provided(Some(token)));
        assert_eq!(
            expect_failure(&mut call, T0, &mut credentials),
            Failure::Auth(AuthFailure::new(AuthProblem::ProviderBadToken)),
            "{token:?}"
        );
    }
}

#[test]
fn ends_at_once_when_aborted_while_asking_the_broker() {
    let mut credentials = broker();
    let mut call = Call::new(plan(&[]), &mut credentials, at(T0), 1);
    expect_get_token(&mut call, T0, &mut credentials);
    call.handle(at(T0 + 3.0), &mut credentials, Event::Aborted);
    let outcome = expect_done(&mut call, T0 + 3.0, &mut credentials);
    assert_eq!(outcome.result.unwrap_err(), Failure::Aborted);
    assert_eq!(outcome.info.attempts, 0, "nothing was sent");
}

/// The broker caches its own tokens: a 401 is the API's answer, not a reason to ask again.
#[test]
fn takes_a_401_as_final() {
    let mut credentials = broker();
    let mut call = Call::new(plan(&[]), &mut credentials, at(T0), 1);
    expect_get_token(&mut call, T0, &mut credentials);
    call.handle(at(T0), &mut credentials, provided(Some("brk-1")));
    exchange(
        &mut call,
        T0,
        &mut credentials,
        response(401, r#"{"error":401,"errorCode":"UNAUTHORIZED"}"#),
    );
    assert_eq!(
        expect_failure(&mut call, T0, &mut credentials).status(),
        Some(401)
    );
}
