//! The two clocks a call reads. Waits, the deadline and a token's lifetime follow the monotonic
//! clock; the wall clock only dates a server's HTTP date. So a wall clock stepped an hour back or
//! forward (NTP, an administrator, a suspended laptop's correction) during a `Retry-After` wait or
//! during a request changes neither the outcome nor the length of any wait. And no wait outlives
//! the call's deadline.

#![allow(clippy::unwrap_used, clippy::panic)] // test code

mod common;

use atlas_export_jobs_core::auth::AuthScheme;
use atlas_export_jobs_core::error::{Failure, Limit};
use atlas_export_jobs_core::machines::call::{Action, Call, Event, Transport};
use atlas_export_jobs_core::rules::input::InputValue;
use atlas_export_jobs_core::support::clock::Now;
use common::*;

use InputValue::Number;

const HOUR: f64 = 3_600_000.0;
/// Where the monotonic clock starts: any origin will do, and it is not the wall clock's.
const M0: f64 = 52_000.0;

/// The two clocks of a test: time passes on both, and the wall clock alone may be stepped.
#[derive(Clone, Copy)]
struct Clocks {
    now: Now,
}

impl Clocks {
    fn start() -> Self {
        Clocks {
            now: Now {
                monotonic_ms: M0,
                wall_ms: T0,
            },
        }
    }

    /// `ms` of real time pass.
    fn pass(&mut self, ms: f64) -> Now {
        self.now.monotonic_ms += ms;
        self.now.wall_ms += ms;
        self.now
    }

    /// Someone sets the wall clock `ms` later (or earlier, when negative); no time passes.
    fn step_wall(&mut self, ms: f64) -> Now {
        self.now.wall_ms += ms;
        self.now
    }
}

/// The steps of the wall clock each test is run with: none, an hour back and an hour forward.
const STEPS: [f64; 3] = [0.0, -HOUR, HOUR];

fn ok_page() -> atlas_export_jobs_core::machines::call::Response {
    response(200, &page_body(1..=2, Some(2), false))
}

/// What a call did: the waits it asked for, and how it ended.
#[derive(Debug, PartialEq)]
struct Story {
    waits: Vec<u32>,
    attempts: u32,
    ok: bool,
}

/// A call answered 503 `Retry-After: retry_after`, then 200; the wall clock is stepped by `step`
/// at the moment `when` names.
fn retried_call(retry_after: &str, step: f64, when: When, options: &[(&str, InputValue)]) -> Story {
    let mut clocks = Clocks::start();
    let mut credentials = bearer();
    let mut call = Call::new(plan(options), &mut credentials, clocks.now, 9);
    let mut waits = Vec::new();
    expect_send(&mut call, clocks.now, &mut credentials);
    if when == When::DuringRequest {
        clocks.step_wall(step);
    }
    let now = clocks.pass(300.0);
    answer(
        &mut call,
        now,
        &mut credentials,
        response_with(503, "", common::retry_after(retry_after)),
    );
    loop {
        match call.poll(clocks.now, &mut credentials) {
            Action::Wait { ms, .. } => {
                waits.push(ms);
                if when == When::DuringWait {
                    clocks.step_wall(step);
                }
                let now = clocks.pass(f64::from(ms));
                call.handle(now, &mut credentials, Event::Woken);
            }
            Action::Send(_) => {
                let now = clocks.pass(40.0);
                answer(&mut call, now, &mut credentials, ok_page());
            }
            Action::Done(outcome) => {
                return Story {
                    waits,
                    attempts: outcome.info.attempts,
                    ok: outcome.result.is_ok(),
                }
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(waits.len() < 10, "the call keeps waiting: {waits:?}");
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum When {
    DuringWait,
    DuringRequest,
}

#[test]
fn a_wall_clock_step_during_a_retry_after_wait_or_a_request_changes_neither_the_wait_nor_the_outcome(
) {
    for when in [When::DuringWait, When::DuringRequest] {
        for step in STEPS {
            let story = retried_call("1", step, when, &[("deadlineMs", Number(5_000.0))]);
            assert_eq!(
                story,
                Story {
                    waits: vec![1_000],
                    attempts: 2,
                    ok: true
                },
                "wall clock stepped by {step} ms {when:?}"
            );
        }
    }
}

#[test]
fn an_http_date_is_counted_from_the_wall_clock_when_it_arrives_and_later_steps_leave_the_wait_alone(
) {
    // T0 + 3 s: 2.7 s after the wall clock's time when the 503 arrives, rounded up to seconds.
    let date = "Sun, 06 Nov 1994 08:49:40 GMT";
    for step in STEPS {
        let story = retried_call(
            date,
            step,
            When::DuringWait,
            &[("deadlineMs", Number(10_000.0))],
        );
        assert_eq!(story.waits, vec![3_000], "wall clock stepped by {step} ms");
        assert_eq!((story.attempts, story.ok), (2, true));
    }
}

#[test]
fn an_http_date_read_after_a_step_counts_from_the_stepped_wall_clock() {
    // The server and the client disagree by the step: the date means what the wall clock says.
    let date = "Sun, 06 Nov 1994 08:49:40 GMT";
    let back = retried_call(
        date,
        -HOUR,
        When::DuringRequest,
        &[("deadlineMs", Number(10_000.0))],
    );
    assert_eq!(
        (back.waits.len(), back.ok),
        (0, false),
        "an hour's wait passes the deadline: {back:?}"
    );
    let forward = retried_call(
        date,
        HOUR,
        When::DuringRequest,
        &[("deadlineMs", Number(10_000.0))],
    );
    assert_eq!(forward.waits, vec![0], "a date in the past means no wait");
}

#[test]
fn without_a_wall_clock_an_http_date_names_no_delay_and_seconds_still_do() {
    let mut credentials = bearer();
    let start = Now {
        monotonic_ms: M0,
        wall_ms: f64::NAN,
    };
    for (value, expected) in [("2", Some(2_000)), ("Sun, 06 Nov 1994 08:49:40 GMT", None)] {
        let mut call = Call::new(
            plan(&[(
                "retry",
                InputValue::Record(record(&[("baseDelayMs", Number(100.0))])),
            )]),
            &mut credentials,
            start,
            9,
        );
        exchange(
            &mut call,
            start,
            &mut credentials,
            response_with(503, "", common::retry_after(value)),
        );
        let (ms, _) = expect_wait(&mut call, start, &mut credentials);
        match expected {
            Some(ms_expected) => assert_eq!(ms, ms_expected, "{value}"),
            // The backoff instead: at most the base delay on the first retry.
            None => assert!(ms <= 100, "{value}: waits {ms} ms"),
        }
    }
}

#[test]
fn the_deadline_follows_the_monotonic_clock() {
    for step in STEPS {
        let mut clocks = Clocks::start();
        let mut credentials = bearer();
        let mut call = Call::new(
            plan(&[("deadlineMs", Number(3_000.0))]),
            &mut credentials,
            clocks.now,
            9,
        );
        let first = expect_send(&mut call, clocks.now, &mut credentials);
        assert_eq!(first.timeout_ms, 3_000);
        clocks.step_wall(step);
        let now = clocks.pass(2_000.0);
        call.handle(
            now,
            &mut credentials,
            Event::Failed(Transport::Network(
                atlas_export_jobs_core::error::NetworkProblem::Failed,
            )),
        );
        // A backoff of at most 1 s (the first retry's ceiling) fits in the second left.
        let (ms, _) = expect_wait(&mut call, clocks.now, &mut credentials);
        assert!(ms < 1_000, "{step}: {ms}");
        let now = clocks.pass(f64::from(ms));
        call.handle(now, &mut credentials, Event::Woken);
        let retry = expect_send(&mut call, clocks.now, &mut credentials);
        assert_eq!(
            f64::from(retry.timeout_ms),
            1_000.0 - f64::from(ms),
            "{step}: the rest of the deadline"
        );
        let now = clocks.pass(f64::from(retry.timeout_ms));
        call.handle(now, &mut credentials, Event::Failed(Transport::TimedOut));
        let failure = expect_failure(&mut call, clocks.now, &mut credentials);
        assert_eq!(
            failure,
            Failure::Timeout {
                limit: Limit::Deadline,
                ms: 3_000
            },
            "{step}"
        );
    }
}

#[test]
fn no_wait_outlives_the_deadline() {
    // A Retry-After longer than what is left ends the call at once, with the 503.
    let mut bearer = bearer();
    let start = at(T0);
    let mut call = Call::new(
        plan(&[("deadlineMs", Number(2_000.0))]),
        &mut bearer,
        start,
        9,
    );
    exchange(
        &mut call,
        T0 + 500.0,
        &mut bearer,
        response_with(503, "", common::retry_after("2")),
    );
    assert!(
        matches!(expect_failure(&mut call, T0 + 500.0, &mut bearer), Failure::Api(api) if api.status == 503)
    );

    // The token broker is given the rest of the deadline, not a whole attempt's time.
    let mut broker = credentials(AuthScheme::TokenProvider);
    let mut call = Call::new(
        plan(&[("deadlineMs", Number(2_000.0))]),
        &mut broker,
        start,
        9,
    );
    match call.poll(at(T0 + 1_200.0), &mut broker) {
        Action::GetToken { timeout_ms } => assert_eq!(timeout_ms, 800),
        other => panic!("expected GetToken, got {other:?}"),
    }
}

#[cfg(feature = "secret-schemes")]
#[test]
fn a_call_waits_for_another_calls_token_no_longer_than_its_deadline() {
    let mut credentials = service_account();
    let mut owner = Call::new(plan(&[]), &mut credentials, at(T0), 1);
    expect_send(&mut owner, T0, &mut credentials);
    let mut waiting = Call::new(
        plan(&[("deadlineMs", Number(2_000.0))]),
        &mut credentials,
        at(T0),
        2,
    );
    match waiting.poll(at(T0 + 500.0), &mut credentials) {
        Action::WaitForCredentials { ms } => assert_eq!(ms, 1_500),
        other => panic!("expected WaitForCredentials, got {other:?}"),
    }
    waiting.handle(at(T0 + 2_000.0), &mut credentials, Event::Woken);
    assert_eq!(
        expect_failure(&mut waiting, T0 + 2_000.0, &mut credentials),
        Failure::Timeout {
            limit: Limit::Deadline,
            ms: 2_000
        }
    );
}

#[cfg(feature = "secret-schemes")]
#[test]
fn a_tokens_lifetime_follows_the_monotonic_clock() {
    for step in STEPS {
        let mut clocks = Clocks::start();
        let mut credentials = service_account();
        let mut first = Call::new(plan(&[]), &mut credentials, clocks.now, 1);
        expect_send(&mut first, clocks.now, &mut credentials);
        answer(
            &mut first,
            clocks.now,
            &mut credentials,
            token_response("tok-1", 600),
        );
        // An hour's step of the wall clock, and a minute of real time: the token is still good.
        clocks.step_wall(step);
        let now = clocks.pass(60_000.0);
        let mut second = Call::new(plan(&[]), &mut credentials, now, 2);
        let outgoing = expect_send(&mut second, now, &mut credentials);
        assert_eq!(authorization(&outgoing), Some("Bearer tok-1"), "{step}");
        // Used until a tenth of its life (at most a minute) before it expires: 540 s.
        let now = clocks.pass(480_000.0);
        let mut third = Call::new(plan(&[]), &mut credentials, now, 3);
        let outgoing = expect_send(&mut third, now, &mut credentials);
        assert_eq!(
            outgoing.exchange,
            atlas_export_jobs_core::machines::call::Exchange::Token,
            "{step}"
        );
    }
}
